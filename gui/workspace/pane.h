// One side of the window: a Document (model, text, trace) and the Selection
// its views share. Single mode has pane A only; compare mode adds pane B,
// either a second model on the same text or the same model on a pinned
// second text. Each pane has a badge ("A", "B") and a colour that every
// comparison plot reuses for that side.
#pragma once

#include <QColor>
#include <QObject>
#include <QString>

class Document;
class Selection;

class Pane : public QObject {
    Q_OBJECT
public:
    enum class Side { A, B };

    explicit Pane(Side side, QObject* parent = nullptr);

    Side side() const { return side_; }
    Document* document() const { return document_; }
    Selection* selection() const { return selection_; }
    QString badge() const { return side_ == Side::A ? QStringLiteral("A") : QStringLiteral("B"); }
    QColor color() const { return colorOf(side_); }
    // Okabe-Ito blue and orange: told apart with every common colour-vision
    // deficiency, and neither is a colour the heatmaps use for a value.
    static QColor colorOf(Side side);
    // The model's name, or the file name when the manifest has none.
    QString modelName() const;

signals:
    // The first trace of a newly loaded model has set the initial choices.
    void selectionInitialised();

private:
    // Once per loaded model, on its first trace: the LSTM, attention node
    // and unit every view opens on (engine/analysis/view_choice.h). The pane
    // is the only writer of these defaults, and it writes them once: views
    // resolve fallbacks read-only, so no two writers can take turns.
    void initialiseSelection();

    Side side_;
    Document* document_;
    Selection* selection_;
    bool needsInitialSelection_ = true;
};
