// The loaded model at a glance: its name, description and manifest metadata
// (accuracy, dataset, licence, example notes), then the graph's nodes in
// order with their op, inputs, output shape for the current text and
// parameter count. Picking an attention or LSTM node here shows it in the
// attention or gates view (through the shared Selection); the row follows
// when those views change their node.
#pragma once

#include <QString>
#include <QWidget>

#include "engine/shape.h"
#include "gui/plots/color_maps.h"
#include "gui/views/pane_view.h"

class Document;
class Selection;
class QLabel;
class QScrollArea;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

class ModelView : public QWidget, public PaneView {
    Q_OBJECT
public:
    enum Column { NameColumn, OpColumn, InputsColumn, ShapeColumn, ParametersColumn, ColumnCount };

    ModelView(Document* document, Selection* selection, QWidget* parent = nullptr);

    // Read-only state for tests.
    QTreeWidget* nodeTree() const { return tree_; }
    int nodeRowCount() const;  // graph nodes, without the total row
    QString cellText(int row, Column column) const;
    QString cellToolTip(int row, Column column) const;
    QString totalParametersText() const;
    QString selectedNode() const;  // the node of the current row, or empty
    QString failingNode() const { return failingNode_; }  // marked as the last run's error, or empty
    QString nameText() const;
    QString descriptionText() const;
    QString metadataText() const;  // plain text of the metadata block

    // "12 x 64" for a sequence shape with 12 tokens; "T x 64" when tokens < 0.
    static QString shapeText(const lstmscope::Shape& shape, int tokens);
    // 1234567 -> "1,234,567" (the locale's group separator).
    static QString formatCount(qint64 count);

public slots:
    // Nothing here is coloured by a map; the slot exists so every view can be
    // wired the same way.
    void setSequentialColorMap(ColorMap map) override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild();
    void fitInfo();
    void updateShapes();
    void followSelection(bool attention);
    void onCurrentItemChanged(QTreeWidgetItem* item);
    void markShownNodes();
    void markFailingNode();
    QString metadataHtml() const;
    QTreeWidgetItem* itemForNode(const QString& name) const;

    Document* document_;
    Selection* selection_;
    QStackedWidget* stack_;
    QLabel* placeholder_;
    QWidget* page_;
    QWidget* info_;
    QScrollArea* infoScroll_;
    QLabel* name_;
    QLabel* description_;
    QLabel* facts_;
    QLabel* metadata_;
    QTreeWidget* tree_;
    QTreeWidgetItem* total_ = nullptr;
    // The nodes the selection named last time: a head or layer change is
    // not a reason to move the current row.
    QString followedAttention_, followedLstm_;
    // The node the last run failed at (Document::runErrorNode), marked in red.
    QString failingNode_;
};
