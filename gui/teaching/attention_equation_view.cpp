#include "gui/teaching/attention_equation_view.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <cmath>

#include "engine/analysis/view_choice.h"
#include "gui/plots/color_maps.h"
#include "gui/plots/layout_hint.h"
#include "gui/plots/steady_label.h"
#include "gui/teaching/teaching_style.h"
#include "gui/trace_labels.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"

using lstmscope::analysis::ScoreForm;
using teaching::number;
using teaching::subscript;

// The painted part: text lines, then one row per top key with a bar for its
// weight. Painted by hand so that it scales with the font (presentation
// mode) and exports as vectors.
class AttentionEquationPanel : public QWidget {
public:
    struct KeyRow {
        QString token, score, shifted, weight;
        double value = 0;  // the weight, for the bar
    };
    QStringList before, after;  // lines above and below the key table
    QStringList header;         // the key table's column titles
    std::vector<KeyRow> keys;
    QColor barColor = QColor(0x44, 0x44, 0x44);

    explicit AttentionEquationPanel(QWidget* parent) : QWidget(parent) {
        setObjectName("attentionEquationPanel");
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }
    QSize sizeHint() const override {
        const int line = fontMetrics().lineSpacing();
        return {560, int((before.size() + after.size() + keys.size() + 2) * line * 1.25)};
    }
    QSize minimumSizeHint() const override { return {300, fontMetrics().lineSpacing() * 8}; }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        p.fillRect(rect(), palette().base());
        const double line = fontMetrics().lineSpacing() * 1.2;
        const double left = 12, width = this->width() - 24;
        double y = 6;
        p.setPen(teaching::textColor());
        for (const QString& s : before) {
            p.drawText(QRectF(left, y, width, line), Qt::AlignLeft | Qt::AlignVCenter, s);
            y += line;
        }
        if (!keys.empty()) {
            // Columns: key | score | exp(s - max) | weight | bar.
            const double col[] = {0, 0.2, 0.36, 0.56, 0.7};
            QFont bold = font();
            bold.setBold(true);
            p.setFont(bold);
            const QFontMetrics boldMetrics(bold);
            for (int c = 0; c < header.size() && c < 4; ++c) {
                const double w = (col[c + 1] - col[c]) * width - 6;
                p.drawText(QRectF(left + col[c] * width, y, w, line),
                           (c == 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter,
                           boldMetrics.elidedText(header[c], Qt::ElideRight, int(w)));
            }
            p.setFont(font());
            y += line;
            for (const KeyRow& k : keys) {
                const QString cells[] = {k.token, k.score, k.shifted, k.weight};
                for (int c = 0; c < 4; ++c)
                    p.drawText(QRectF(left + col[c] * width, y, (col[c + 1] - col[c]) * width - 6, line),
                               (c == 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter,
                               fontMetrics().elidedText(cells[c], Qt::ElideRight,
                                                        int((col[c + 1] - col[c]) * width - 6)));
                const double barLeft = left + col[4] * width, barMax = width * (1 - col[4]);
                p.setPen(Qt::NoPen);
                p.setBrush(barColor);
                p.drawRect(QRectF(barLeft, y + line * 0.2, std::max(1.0, barMax * k.value), line * 0.6));
                p.setPen(QPen(palette().color(QPalette::Mid), 1));
                p.setBrush(Qt::NoBrush);
                p.drawRect(QRectF(barLeft, y + line * 0.2, barMax, line * 0.6));
                p.setPen(teaching::textColor());
                y += line;
            }
        }
        for (const QString& s : after) {
            // Long sums wrap rather than run off the edge.
            const QRectF box = p.boundingRect(QRectF(left, y, width, 10 * line), Qt::AlignLeft | Qt::TextWordWrap, s);
            p.drawText(QRectF(left, y + (line - fontMetrics().height()) / 2, width, box.height() + line),
                       Qt::AlignLeft | Qt::TextWordWrap, s);
            y += std::max(line, box.height() + (line - fontMetrics().height()));
        }
    }
};

AttentionEquationView::AttentionEquationView(Document* document, Selection* selection, QWidget* parent)
    : QWidget(parent), document_(document), selection_(selection) {
    setObjectName("attentionEquationView");
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
    // The hop (or query row) to explain, for rows that are not tokens.
    rowBox_ = new QSpinBox(content);
    rowBox_->setObjectName("attentionEquationRow");
    rowBox_->setRange(1, 1);
    rowBox_->hide();
    top->addWidget(rowBox_);
    topBox_ = new QSpinBox(content);
    topBox_->setRange(1, 20);
    topBox_->setValue(5);
    top->addWidget(topBox_);
    layout->addLayout(top);
    panel_ = new AttentionEquationPanel(content);
    layout->addWidget(panel_, 1);
    stack_->addWidget(content);

    connect(topBox_, qOverload<int>(&QSpinBox::valueChanged), this, &AttentionEquationView::refresh);
    connect(rowBox_, qOverload<int>(&QSpinBox::valueChanged), this, &AttentionEquationView::refresh);
    for (auto signal : {&Document::traceChanged, &Document::modelChanged})
        connect(document_, signal, this, &AttentionEquationView::refresh);
    connect(selection_, &Selection::tokenChanged, this, &AttentionEquationView::refresh);
    connect(selection_, &Selection::attentionChanged, this, &AttentionEquationView::refresh);
    connect(selection_, &Selection::stepChanged, this, &AttentionEquationView::refresh);
    connect(selection_, &Selection::lstmChanged, this, &AttentionEquationView::refresh);
    changeEvent(nullptr);
    refresh();
}

void AttentionEquationView::setSequentialColorMap(ColorMap map) {
    // The bars take the colour the heatmaps give a large weight.
    panel_->barColor = colorAt(map, 0.75);
    panel_->update();
}

void AttentionEquationView::showEvent(QShowEvent* event) {
    document_->requestDetails(this, true);
    refresh();
    QWidget::showEvent(event);
}

void AttentionEquationView::hideEvent(QHideEvent* event) {
    document_->requestDetails(this, false);
    QWidget::hideEvent(event);
}

void AttentionEquationView::changeEvent(QEvent* event) {
    if (!event || event->type() == QEvent::LanguageChange) {
        topBox_->setPrefix(tr("top "));
        topBox_->setToolTip(tr("How many keys to list, largest weight first"));
        if (event) refresh();
    }
    if (event) QWidget::changeEvent(event);
}

bool AttentionEquationView::placeholderVisible() const { return stack_->currentWidget() == placeholder_; }
QString AttentionEquationView::placeholderText() const { return placeholder_->text(); }
QString AttentionEquationView::headingText() const { return heading_->text(); }
int AttentionEquationView::topCount() const { return topBox_->value(); }

QStringList AttentionEquationView::lines() const {
    QStringList out = panel_->before;
    if (!panel_->keys.empty()) out << panel_->header.join(" | ");
    for (const auto& k : panel_->keys) out << QStringList{k.token, k.score, k.shifted, k.weight}.join(" | ");
    out << panel_->after;
    return out;
}

void AttentionEquationView::showPlaceholder(const QString& text) {
    placeholder_->setText(text);
    stack_->setCurrentWidget(placeholder_);
    row_ = head_ = -1;
}

QString AttentionEquationView::formulaText(const lstmscope::analysis::ScoreFormula& f, const QString& q) const {
    const QString d = f.key_width > 0 ? QString::number(f.key_width) : QStringLiteral("d");
    // "+ b" only for a node that has the bias: a teacher reads the formula
    // as what this model computes.
    const QString b = f.bias ? QStringLiteral(" + b") : QString();
    QString s;
    switch (f.form) {
    case ScoreForm::Dot: s = QStringLiteral("s(%1, kⱼ) = %1 · kⱼ").arg(q); break;
    case ScoreForm::ScaledDot: s = QStringLiteral("s(%1, kⱼ) = %1 · kⱼ / √%2").arg(q, d); break;
    case ScoreForm::General: s = QStringLiteral("s(%1, kⱼ) = %1 W kⱼᵀ").arg(q); break;
    case ScoreForm::Additive: s = QStringLiteral("s(%1, kⱼ) = v · tanh(W_q %1 + W_k kⱼ%2)").arg(q, b); break;
    case ScoreForm::PoolTanhProj: s = QStringLiteral("s(hⱼ) = w · tanh(W hⱼ%1)").arg(b); break;
    case ScoreForm::PoolTanh: s = QStringLiteral("s(hⱼ) = w · tanh(hⱼ)"); break;
    case ScoreForm::PoolLinear: s = QStringLiteral("s(hⱼ) = w · hⱼ%1").arg(b); break;
    case ScoreForm::PoolTanhLinear: s = QStringLiteral("s(hⱼ) = tanh(w · hⱼ%1)").arg(b); break;
    case ScoreForm::MultiHead:
        s = QStringLiteral("s(%1, kⱼ) = (%1 W_q⁽ʰ⁾) · (kⱼ W_k⁽ʰ⁾) / √%2").arg(q, d);
        break;
    }
    if (f.learned_scale) s += tr(", times a learned scale");
    return s;
}

QString AttentionEquationView::hopFormulaText(const lstmscope::analysis::ScoreFormula& f, int row) const {
    // Hop k scores with its own row w_k of the context weights (and b_k of
    // its bias); the projection W, b of tanh_proj is shared by the hops.
    const QString k = subscript(row + 1);
    const QString bk = f.bias ? QStringLiteral(" + b%1").arg(k) : QString();
    const QString b = f.bias ? QStringLiteral(" + b") : QString();
    QString s;
    switch (f.form) {
    case ScoreForm::PoolTanh: s = QStringLiteral("s%1(hⱼ) = w%1 · tanh(hⱼ)").arg(k); break;
    case ScoreForm::PoolLinear: s = QStringLiteral("s%1(hⱼ) = w%1 · hⱼ%2").arg(k, bk); break;
    case ScoreForm::PoolTanhLinear: s = QStringLiteral("s%1(hⱼ) = tanh(w%1 · hⱼ%2)").arg(k, bk); break;
    default: s = QStringLiteral("s%1(hⱼ) = w%1 · tanh(W hⱼ%2)").arg(k, b); break;
    }
    return s + tr(", w%1 = row %2 of context.weight").arg(k).arg(row + 1);
}

void AttentionEquationView::refresh() {
    const lstmscope::Trace* trace = document_->trace();
    if (!trace) {
        showPlaceholder(document_->model() ? tr("Type a text to see how attention is computed.") : tr("Open a model."));
        return;
    }
    if (!trace->complete()) {
        showPlaceholder(tr("Computing the attention…"));
        return;
    }
    const auto choice = lstmscope::analysis::resolve_attention(*trace, selection_->attentionNode().toStdString(),
                                                               selection_->head());
    if (!choice.node) {
        showPlaceholder(tr("This model has no attention."));
        return;
    }
    const lstmscope::NodeTrace& node = *choice.node;
    // A long text's node records no scores but recomputes any row itself.
    if (node.scores.empty() && !node.attention_source) {
        showPlaceholder(tr("Recording the attention scores…"));
        if (isVisible()) document_->requestDetails(this, true);
        return;
    }
    const lstmscope::Model* model = document_->model();
    const lstmscope::Node* spec = nullptr;
    for (const auto& n : model->nodes)
        if (n.name == choice.name) spec = &n;
    const auto formula = spec ? lstmscope::analysis::score_formula(*model, *spec) : std::nullopt;
    if (!formula) {
        showPlaceholder(tr("No attention to explain."));
        return;
    }
    // The equation is per head; on the head average, explain the first head.
    const int head = choice.head < 0 ? 0 : choice.head;
    const int rows = lstmscope::analysis::attention_row_count(node);
    const int heads = lstmscope::analysis::attention_head_count(node);
    const bool pool = node.op == lstmscope::OpKind::AttentionPool;
    // Which row to explain: a query token's (selected, or being computed
    // while stepping); for rows that are not tokens (a multi-hop pool's hops,
    // a learned query of several rows) the row chooser's, shown only then.
    const bool rowsAreTokens =
        attentionRowsAreTokens(document_->model(), node, static_cast<int>(trace->tokens.size()));
    const bool chooseRow = !rowsAreTokens && rows > 1;
    rowBox_->setVisible(chooseRow);
    if (chooseRow) {
        const QSignalBlocker block(rowBox_);
        if (rowBox_->maximum() != rows) rowBox_->setRange(1, rows);  // (see CellView::refresh)
        rowBox_->setPrefix(pool ? tr("hop ") : tr("query "));
        rowBox_->setSuffix(tr(" of %1").arg(rows));
        rowBox_->setToolTip(pool ? tr("Which hop to explain: each hop of the pool has its own weights over the tokens")
                                 : tr("Which query row to explain"));
    }
    int row = chooseRow ? rowBox_->value() - 1 : 0;
    const StepContext step = stepContext(document_, selection_);
    bool rowFromStep = false;
    if (!pool) {
        const auto* cur = step.current();
        int nodeIndex = -1;
        for (size_t k = 0; k < trace->nodes.size(); ++k)
            if (&trace->nodes[k] == &node) nodeIndex = static_cast<int>(k);
        if (cur && cur->node == nodeIndex && step.reveal.current_row >= 0 && step.reveal.current_row < rows) {
            row = step.reveal.current_row;
            rowFromStep = true;
        } else if (rowsAreTokens && selection_->token() >= 0 && selection_->token() < rows) {
            row = selection_->token();
        }
    }
    const bool hops = pool && rows > 1;
    const auto eq = lstmscope::analysis::attention_equation(node, head, row, topBox_->value());
    if (!eq) {
        showPlaceholder(tr("No attention row to explain."));
        return;
    }
    row_ = row;
    head_ = head;
    auto tokenText = [&](int t) {
        return t >= 0 && t < static_cast<int>(trace->tokens.size()) ? tokenLabel(trace->tokens[static_cast<size_t>(t)])
                                                                    : QString::number(t + 1);
    };
    const QString q = pool ? QString() : QStringLiteral("q%1").arg(subscript(row + 1));
    const QString name = QString::fromStdString(choice.name);
    QString heading = hops            ? tr("%1: attention pooling, hop %2 of %3 (each hop has its own weights over "
                                           "the tokens; the attention view shows them all)")
                                            .arg(name)
                                            .arg(row + 1)
                                            .arg(rows)
                      : pool          ? tr("%1: attention pooling, one weight per token").arg(name)
                      : rowsAreTokens ? tr("%1: query %2 of %3 “%4”").arg(name).arg(row + 1).arg(rows).arg(tokenText(row))
                                      : tr("%1: query %2 of %3 (a query that is not a token of the text)")
                                            .arg(name)
                                            .arg(row + 1)
                                            .arg(rows);
    if (heads > 1)
        heading += choice.head < 0 ? tr(" · head %1 (the equation is per head; the heatmap shows their mean)").arg(head + 1)
                                   : tr(" · head %1").arg(head + 1);
    if (rowsAreTokens && !rowFromStep && selection_->token() < 0) heading += tr(" · click a token to choose the query");
    heading_->setText(heading);

    auto& b = panel_->before;
    b.clear();
    b << tr("score: %1").arg(hops ? hopFormulaText(*formula, row) : formulaText(*formula, q));
    if (eq->masked > 0) b << tr("%n later key(s) masked (causal): score −∞, weight 0", nullptr, eq->masked);
    const QString a = pool && !hops ? QStringLiteral("aⱼ") : QStringLiteral("a%1ⱼ").arg(subscript(row + 1));
    b << tr("softmax: %1 = exp(sⱼ − max) / Σₖ exp(sₖ − max), max = %2, Σ = %3")
             .arg(a, number(eq->max_score), number(eq->denominator));
    panel_->header = {tr("key"), tr("score s"), tr("exp(s − max)"), tr("weight")};
    panel_->keys.clear();
    double shownWeight = 0;
    QStringList terms;
    for (int k : eq->top) {
        const auto& t = eq->terms[static_cast<size_t>(k)];
        const QString tok = QStringLiteral("%1 “%2”").arg(t.key + 1).arg(tokenText(t.key));
        const bool masked = !std::isfinite(t.score);
        panel_->keys.push_back({tok, masked ? QStringLiteral("−∞") : number(t.score), number(t.shifted),
                                number(t.weight), double(t.weight)});
        shownWeight += t.weight;
        terms << QStringLiteral("%1·v“%2”").arg(number(t.weight), tokenText(t.key));
    }
    auto& after = panel_->after;
    after.clear();
    const int rest = static_cast<int>(eq->terms.size() - eq->top.size());
    if (rest > 0)
        after << tr("… and %n more key(s) with weight %1 together", nullptr, rest).arg(number(eq->weight_sum - shownWeight));
    const QString out = pool && !hops ? tr("output") : QStringLiteral("out%1").arg(subscript(row + 1));
    after << tr("weighted sum: %1 = Σⱼ %2 vⱼ = %3%4")
                 .arg(out, a, terms.join(QStringLiteral(" + ")), rest > 0 ? QStringLiteral(" + …") : QString());
    if (formula->form == ScoreForm::MultiHead)
        after << tr("v is the head's projected value; the heads are then joined and projected (out_proj)");
    // Its height follows its lines: a new layout only when their number
    // changes (gui/plots/layout_hint.h).
    updateGeometryIfChanged(panel_, panelHint_, panel_->sizeHint());
    panel_->update();
    stack_->setCurrentWidget(stack_->widget(1));
}
