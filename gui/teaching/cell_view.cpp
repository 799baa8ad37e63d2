#include "gui/teaching/cell_view.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "engine/analysis/equations.h"
#include "engine/analysis/view_choice.h"
#include "gui/plots/steady_label.h"
#include "gui/teaching/cell_diagram.h"
#include "gui/trace_labels.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"

CellView::CellView(Document* document, Selection* selection, QWidget* parent)
    : QWidget(parent), document_(document), selection_(selection) {
    setObjectName("cellView");
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    stack_ = new QStackedWidget(this);
    outer->addWidget(stack_);

    placeholder_ = new QLabel(stack_);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setMargin(12);
    stack_->addWidget(placeholder_);

    auto* content = new QWidget(stack_);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 4, 6, 4);
    auto* top = new QHBoxLayout;
    // Its text changes with every step and keystroke (SteadyLabel).
    heading_ = new SteadyLabel(SteadyLabel::Wrap::Words, content);
    top->addWidget(heading_, 1);
    unitBox_ = new QSpinBox(content);
    unitBox_->setMinimum(0);
    top->addWidget(unitBox_);
    layout->addLayout(top);
    diagram_ = new CellDiagram(content);
    layout->addWidget(diagram_, 1);
    stack_->addWidget(content);

    connect(unitBox_, qOverload<int>(&QSpinBox::valueChanged), this, [this](int unit) {
        if (!updating_) selection_->setUnit(unit);
    });
    for (auto signal : {&Document::traceChanged, &Document::modelChanged})
        connect(document_, signal, this, &CellView::refresh);
    connect(selection_, &Selection::tokenChanged, this, &CellView::refresh);
    connect(selection_, &Selection::unitChanged, this, &CellView::refresh);
    connect(selection_, &Selection::lstmChanged, this, &CellView::refresh);
    connect(selection_, &Selection::stepChanged, this, &CellView::refresh);
    changeEvent(nullptr);
    refresh();
}

void CellView::showEvent(QShowEvent* event) {
    document_->requestDetails(this, true);
    refresh();
    QWidget::showEvent(event);
}

void CellView::hideEvent(QHideEvent* event) {
    document_->requestDetails(this, false);
    QWidget::hideEvent(event);
}

void CellView::changeEvent(QEvent* event) {
    if (!event || event->type() == QEvent::LanguageChange) {
        unitBox_->setPrefix(tr("unit "));
        unitBox_->setToolTip(tr("The unit whose cell is drawn (also chosen by clicking a row of the gate heatmaps)"));
        if (event) refresh();
    }
    if (event) QWidget::changeEvent(event);
}

bool CellView::placeholderVisible() const { return stack_->currentWidget() == placeholder_; }
QString CellView::placeholderText() const { return placeholder_->text(); }
QString CellView::headingText() const { return heading_->text(); }

void CellView::showPlaceholder(const QString& text) {
    placeholder_->setText(text);
    stack_->setCurrentWidget(placeholder_);
    diagram_->clear();
    token_ = unit_ = -1;
}

void CellView::refresh() {
    const lstmscope::Trace* trace = document_->trace();
    if (!trace) {
        showPlaceholder(document_->model() ? tr("Type a text to see the cell at work.") : tr("Open a model."));
        return;
    }
    const auto lstm = lstmscope::analysis::resolve_lstm(*trace, selection_->lstmNode().toStdString(),
                                                        selection_->layer(), selection_->direction());
    if (!lstm.gates) {
        showPlaceholder(tr("This model has no LSTM or GRU."));
        return;
    }
    const bool gru = lstm.op == lstmscope::OpKind::Gru;
    // A GRU's view needs no details: the engine records none for it, and its
    // equations show the recorded values (CellDiagram).
    if (!gru && !lstm.gates->has_details()) {
        // Shown before the re-run with details arrives.
        showPlaceholder(tr("Recording the gate pre-activations…"));
        if (isVisible()) document_->requestDetails(this, true);
        return;
    }
    const int T = static_cast<int>(lstm.gates->h.rows());
    const bool backward = lstm.direction == lstmscope::Direction::Backward;
    // The token: the one being computed while stepping through this LSTM,
    // else the selected one, else the direction's last (its final state).
    const StepContext step = stepContext(document_, selection_);
    int token = -1, phase = -1;
    if (step.active() && step.reveal.current_token >= 0) {
        token = step.reveal.current_token;
        phase = step.reveal.phase;
    } else if (selection_->token() >= 0 && selection_->token() < T) {
        token = selection_->token();
    } else {
        token = backward ? 0 : T - 1;
    }
    const int unit = lstmscope::analysis::resolve_unit(*lstm.gates, selection_->unit());
    CellDiagram::Data data;
    int prevToken = -1;
    if (gru) {
        const auto eq = lstmscope::analysis::gru_equation(*lstm.gates, token, unit);
        if (!eq) {
            showPlaceholder(tr("No cell to show."));
            return;
        }
        data.gru = true;
        data.gruEq = *eq;
        prevToken = eq->prev_token;
    } else {
        const auto eq = lstmscope::analysis::cell_equation(*lstm.gates, token, unit);
        if (!eq) {
            showPlaceholder(tr("No cell to show."));
            return;
        }
        data.eq = *eq;
        prevToken = eq->prev_token;
    }
    const lstmscope::Node* node = nullptr;
    for (const auto& n : document_->model()->nodes)
        if (n.name == lstm.node) node = &n;

    data.position = token + 1;
    data.prevPosition = prevToken >= 0 ? prevToken + 1 : 0;
    data.token = tokenLabel(trace->tokens.at(static_cast<size_t>(token)));
    data.hardSigmoid = node && lstmscope::analysis::gate_activation(*node) == "hard_sigmoid";
    data.resetAfter = !node || lstmscope::analysis::gru_reset_after(*node);
    data.layer = lstm.layer;
    data.phase = phase;
    diagram_->setData(data);
    token_ = token;
    unit_ = unit;

    updating_ = true;
    // QSpinBox::setMaximum asks for a new layout of the window even when
    // the maximum stays: only when it changes.
    const int lastUnit = static_cast<int>(lstm.gates->h.cols()) - 1;
    if (unitBox_->maximum() != lastUnit) unitBox_->setMaximum(lastUnit);
    unitBox_->setValue(unit);
    updating_ = false;
    heading_->setText(tr("%1, layer %2 %3 · unit %4 · t = %5 of %6, token “%7”")
                          .arg(QString::fromStdString(lstm.node))
                          .arg(lstm.layer)
                          .arg(backward ? tr("backward (t − 1 is the token on the right)") : tr("forward"))
                          .arg(unit)
                          .arg(token + 1)
                          .arg(T)
                          .arg(data.token));
    stack_->setCurrentWidget(stack_->widget(1));
}
