// Exporting what is on screen: a widget (one view or the whole window) as
// PNG (at the screen's pixel ratio, x2 for slides), SVG or PDF (vector where
// the widget paints vectors).
#pragma once

#include <QString>

class QWidget;

// The format follows the file suffix (.png, .svg, .pdf). Returns false and
// sets *error on failure.
bool exportWidget(QWidget* widget, const QString& path, QString* error);

// The file name an export dialog suggests: the model and the view
// ("sentiment_en_bilstm_pool-attention.png", "...-compare-window.png"), so
// that one export does not overwrite the last. Characters a file system may
// refuse become '_'.
QString defaultExportFileName(const QString& modelName, const QString& view, bool compare);
