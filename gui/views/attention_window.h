// What the attention view draws for a long text, whose attention weights
// the run did not keep (engine/attention_source.h): the whole matrix as its
// summary, each cell a bin of tokens, or a window of exact weights that the
// node's source recomputes for just the cells on screen. Either way a
// heatmap cell stands for a range of tokens on each side (one token in a
// window), which CellAxis translates.
#pragma once

#include <QStringList>
#include <vector>

#include "engine/analysis/view_choice.h"

// One side of the heatmap: `count` cells over `total` positions, either a
// window of one position per cell from `first`, or `count` equal bins over
// all of them (the summary's bins, engine/attention_source.h).
struct CellAxis {
    int first = 0;
    int count = 0;
    int total = 0;
    bool binned = false;
    int firstPosition(int cell) const;  // -1 outside
    int lastPosition(int cell) const;   // inclusive; -1 outside
    int cellOf(int position) const;     // -1 outside the window
};

struct AttentionPicture {
    std::vector<lstmscope::Matrix> heads;  // the shown matrix, or one per head for the grid
    QStringList rowLabels, columnLabels;
    CellAxis rows, columns;
};

// Query rows and keys of a window of exact weights, at most this many each.
constexpr int kAttentionWindow = 160;

// The whole matrix at the summary's resolution; bins labelled "1–79".
// allHeads: one matrix per head, else the choice's head or head average.
AttentionPicture summaryPicture(const lstmscope::analysis::AttentionChoice& choice, bool allHeads);

// Exact weights of queries [rowFirst, rowFirst + n) and keys [columnFirst,
// columnFirst + m), n and m at most kAttentionWindow, clamped to the matrix.
// `tokens` labels a side that has one position per token.
AttentionPicture windowPicture(const lstmscope::analysis::AttentionChoice& choice, bool allHeads,
                               const QStringList& tokens, int rowFirst, int columnFirst);

// The first position of a window of kAttentionWindow that centres
// `position` among `total`.
int windowStartAround(int position, int total);
