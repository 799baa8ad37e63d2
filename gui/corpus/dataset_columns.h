// What the corpus window offers before a run: the dataset's format and its
// columns (a TSV/CSV header row, a JSON Lines record's keys), and which of
// them are the texts and the labels. The reading itself is the engine's
// (corpus::read_corpus); this only looks at the first record to fill the
// choosers.
#pragma once

#include <QString>
#include <QStringList>

#include "engine/corpus/corpus_input.h"

struct DatasetColumns {
    lstmscope::corpus::InputFormat format = lstmscope::corpus::InputFormat::Lines;  // never Auto
    // Column names (header row or JSON keys), or "1", "2", ... for a
    // TSV/CSV without a header. Empty for one text per line.
    QStringList columns;
    int textColumn = -1;   // "text" (any case), else -1: the user picks
    int labelColumn = -1;  // "label" (any case), else -1: no labels
    QString error;         // the file could not be read
};

// The format Auto stands for: by the extension, as corpus::read_corpus decides.
lstmscope::corpus::InputFormat formatForPath(const QString& path);

// The first record of `path` in `format` (Auto: by extension); `header`:
// TSV/CSV's first row names the columns.
DatasetColumns inspectDataset(const QString& path, lstmscope::corpus::InputFormat format, bool header);

// The fields of one CSV record (RFC 4180 quotes) or TSV line.
QStringList splitRecord(const QString& line, QChar separator);
