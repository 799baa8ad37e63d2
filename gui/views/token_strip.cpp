#include "gui/views/token_strip.h"

#include "gui/views/token_chip_area.h"

#include "gui/plots/axis_ticks.h"
#include "gui/plots/plot_scale.h"

#include "gui/plots/color_legend.h"
#include "gui/plots/layout_hint.h"
#include "gui/plots/elided_label.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/analysis/reading_order.h"
#include "engine/model.h"
#include "gui/corpus/leave_one_out.h"
#include "gui/plots/whitespace_marks.h"
#include "gui/trace_labels.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"

using lstmscope::OpKind;
using namespace chip_geometry;

namespace {

double nan() { return std::numeric_limits<double>::quiet_NaN(); }

QString quoted(const QString& s) { return QStringLiteral("“") + s + QStringLiteral("”"); }

QString formatValue(double v) { return QString::number(v, 'f', 4); }

}  // namespace

TokenStrip::TokenStrip(Document* document, Selection* selection, QWidget* parent)
    : QWidget(parent), document_(document), selection_(selection) {
    sourceBox_ = new QComboBox(this);
    // Same order as Source.
    sourceBox_->addItem(tr("attention row of the selected token"));
    sourceBox_->addItem(tr("attention pooling weights"));
    sourceBox_->addItem(tr("selected unit: hidden state h"));
    sourceBox_->addItem(tr("selected unit: cell state c (LSTM)"));
    sourceBox_->addItem(tr("leave-one-out importance"));
    sourceBox_->setItemData(static_cast<int>(Source::LeaveOneOut),
                            tr("How much the output changes (total variation distance) when the token is deleted: "
                               "one run of the model per token, in the background"),
                            Qt::ToolTipRole);
    sourceBox_->addItem(tr("none"));
    sourceBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    // Full width when there is room, but a narrow dock may squeeze it.
    sourceBox_->setMinimumWidth(140);
    sourceBox_->setToolTip(tr("What the chip colours show"));
    paddingBox_ = new QCheckBox(tr("show padding"), this);
    paddingBox_->setToolTip(tr("Show every padding token instead of one “⟨pad⟩ ×N” chip"));
    legend_ = new ColorLegend(ColorLegend::Style::Inline, this);
    info_ = new ElidedLabel(this);
    info_->setForegroundRole(QPalette::PlaceholderText);
    info_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);

    auto* header = new QHBoxLayout;
    header->setContentsMargins(4, 2, 4, 2);
    header->setSpacing(8);
    auto* colourLabel = new QLabel(tr("Colour by:"), this);
    header->addWidget(colourLabel);
    header->addWidget(sourceBox_);
    header->addSpacing(6);
    header->addWidget(legend_);
    header->addWidget(info_, 1);
    header->addWidget(paddingBox_);

    area_ = new TokenChipArea(this);
    scroll_ = new QScrollArea(this);
    // Sized by hand (see the viewport event filter): the chip area's height
    // depends on the viewport's width, which QScrollArea does not track.
    scroll_->setWidgetResizable(false);
    scroll_->setWidget(area_);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll_->setFrameShape(QFrame::NoFrame);
    // Chips read best on the base (white) colour, set apart from the header.
    scroll_->viewport()->setBackgroundRole(QPalette::Base);
    scroll_->viewport()->setAutoFillBackground(true);
    area_->setAutoFillBackground(false);
    scroll_->viewport()->installEventFilter(this);

    placeholder_ = new QLabel(this);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    placeholder_->setMargin(12);

    stack_ = new QStackedWidget(this);
    stack_->addWidget(scroll_);
    stack_->addWidget(placeholder_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(stack_, 1);

    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);

    connect(sourceBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        userChoseSource_ = true;
        setSource(static_cast<Source>(index));
    });
    connect(paddingBox_, &QCheckBox::toggled, this, &TokenStrip::setPaddingShown);

    if (document_) {
        connect(LeaveOneOut::of(document_), &LeaveOneOut::changed, this, [this] {
            if (source_ == Source::LeaveOneOut) recomputeColors();
        });
        connect(document_, &Document::modelChanged, this, &TokenStrip::onModelChanged);
        connect(document_, &Document::traceChanged, this, &TokenStrip::rebuildChips);
        connect(document_, &Document::runFailed, this, [this] {
            if (!document_->trace()) rebuildChips();
        });
    }
    if (selection_) {
        connect(selection_, &Selection::tokenChanged, this, [this](int token) {
            selectedToken_ = token;
            selectedLast_ = selection_->tokenLast();
            if (source_ == Source::AttentionRow) recomputeColors();
            area_->update();
            // Deferred: the chips may not be laid out yet (first show, new trace).
            QTimer::singleShot(0, this, &TokenStrip::ensureSelectedVisible);
        });
        connect(selection_, &Selection::hoverTokenChanged, this, [this](int token) {
            hoveredToken_ = token;
            hoveredLast_ = selection_->hoverTokenLast();
            area_->update();
        });
        connect(selection_, &Selection::attentionChanged, this, [this] {
            if (source_ == Source::AttentionRow || source_ == Source::PoolWeights) recomputeColors();
        });
        connect(selection_, &Selection::lstmChanged, this, [this] {
            if (source_ == Source::HiddenState || source_ == Source::CellState) recomputeColors();
        });
        connect(selection_, &Selection::unitChanged, this, [this] {
            if (source_ == Source::HiddenState || source_ == Source::CellState) recomputeColors();
        });
        connect(selection_, &Selection::stepChanged, this, [this] {
            const StepContext step = stepContext(document_, selection_);
            const int token = step.reveal.current_token >= 0 ? step.reveal.current_token : step.reveal.current_row;
            stepToken_ = step.active() ? token : -1;
            // A unit's state colours only the tokens the walk has reached.
            if (source_ == Source::HiddenState || source_ == Source::CellState)
                recomputeColors();
            else
                area_->update();
        });
        selectedToken_ = selection_->token();
        selectedLast_ = selection_->tokenLast();
        hoveredToken_ = selection_->hoverToken();
        hoveredLast_ = selection_->hoverTokenLast();
    }
    onModelChanged();
}

QWidget* TokenStrip::chipArea() const { return area_; }

bool TokenStrip::eventFilter(QObject* watched, QEvent* event) {
    if (watched == scroll_->viewport() && event->type() == QEvent::Resize) fitChipArea();
    return QWidget::eventFilter(watched, event);
}

void TokenStrip::fitChipArea() {
    const int width = scroll_->viewport()->width();
    area_->resize(width, area_->heightForWidth(width));
}

int TokenStrip::heightForWidth(int width) const {
    const int header = layout()->itemAt(0)->sizeHint().height();
    if (stack_->currentWidget() != scroll_) return header + placeholder_->sizeHint().height();
    const int cap = 2 * margin() + kMaxGrowLines * (area_->chipHeight() + gapY()) - gapY();
    return header + std::min(area_->heightForWidth(width), cap);
}

QSize TokenStrip::sizeHint() const { return {640, heightForWidth(640)}; }

QSize TokenStrip::minimumSizeHint() const {
    return {200, layout()->itemAt(0)->sizeHint().height() + area_->chipHeight() + 2 * margin()};
}

void TokenStrip::setSource(Source source) {
    source_ = source;
    {
        const QSignalBlocker block(sourceBox_);
        sourceBox_->setCurrentIndex(static_cast<int>(source));
    }
    recomputeColors();
}

void TokenStrip::setSequentialColorMap(ColorMap map) {
    if (map == ColorMap::Diverging) return;  // the strip's weights need a sequential map
    sequentialMap_ = map;
    recomputeColors();
}

void TokenStrip::setPaddingShown(bool shown) {
    if (shown == showPadding_) return;
    showPadding_ = shown;
    {
        const QSignalBlocker block(paddingBox_);
        paddingBox_->setChecked(shown);
    }
    rebuildChips();
}

TokenStrip::Source TokenStrip::defaultSourceForModel() const {
    const auto* model = document_ ? document_->model() : nullptr;
    if (!model) return Source::PoolWeights;
    bool pool = false, attention = false, lstm = false;
    for (const auto& node : model->nodes) {
        pool |= node.op == OpKind::AttentionPool;
        attention |= node.op == OpKind::Attention || node.op == OpKind::MultiheadAttention;
        lstm |= node.op == OpKind::Lstm || node.op == OpKind::Gru;
    }
    // The pooling weights need no click to mean something, so they come first.
    if (pool) return Source::PoolWeights;
    if (attention) return Source::AttentionRow;
    if (lstm) return Source::HiddenState;
    return Source::None;
}

void TokenStrip::onModelChanged() {
    if (!userChoseSource_) {
        source_ = defaultSourceForModel();
        const QSignalBlocker block(sourceBox_);
        sourceBox_->setCurrentIndex(static_cast<int>(source_));
    }
    rebuildChips();
}

void TokenStrip::showPlaceholder(const QString& text) {
    placeholder_->setText(text);
    stack_->setCurrentWidget(placeholder_);
    laidOutHint_ = QSize();  // the chips, when they come back, lay out anew
}

void TokenStrip::rebuildChips() {
    chips_.clear();
    chipOfToken_.clear();
    const auto* model = document_ ? document_->model() : nullptr;
    const auto* trace = document_ ? document_->trace() : nullptr;
    // A replaced trace may be shorter than the hover/selection indices we hold.
    if (selection_) {
        selectedToken_ = selection_->token();
        selectedLast_ = selection_->tokenLast();
        hoveredToken_ = selection_->hoverToken();
        hoveredLast_ = selection_->hoverTokenLast();
    }
    if (!model) {
        showPlaceholder(tr("No model loaded.\nOpen one with File › Open model…"));
    } else if (!trace) {
        const QString error = document_->runError();
        showPlaceholder(error.isEmpty() ? tr("Type a text to see its tokens.") : tr("No tokens: %1").arg(error));
    } else {
        stack_->setCurrentWidget(scroll_);
        const int unkId = model->tokenizer.unk_id ? *model->tokenizer.unk_id : -1;
        // The order is engine/analysis/reading_order.h's; here only how each
        // item reads as a chip.
        const auto order = lstmscope::analysis::reading_order(*trace, unkId, showPadding_);
        chipOfToken_ = order.item_of_token;
        chips_.reserve(order.items.size());
        for (const auto& item : order.items) {
            using Kind = lstmscope::analysis::ReadingItem::Kind;
            Chip chip;
            chip.token = item.token;
            chip.count = item.count;
            chip.start = item.start;
            chip.end = item.end;
            chip.unknown = item.unknown;
            switch (item.kind) {
            case Kind::Token:
                chip.kind = Chip::Kind::Token;
                chip.text = tokenLabel(trace->tokens[item.token]);
                chip.whitespace = !whitespaceTokenNote(trace->tokens[item.token]).isEmpty();
                break;
            case Kind::PadGroup:
                chip.kind = Chip::Kind::PadGroup;
                chip.text = item.count == 1 ? QStringLiteral("⟨pad⟩") : QStringLiteral("⟨pad⟩ ×%1").arg(item.count);
                break;
            case Kind::Dropped:
            case Kind::Truncated:
                chip.kind = item.kind == Kind::Dropped ? Chip::Kind::Dropped : Chip::Kind::Truncated;
                chip.text = whitespace_marks::marks(QString::fromStdString(item.text));
                chip.whitespace = whitespace_marks::isWhitespace(QString::fromStdString(item.text));
                break;
            }
            chips_.push_back(chip);
        }
    }
    sourceBox_->setEnabled(trace != nullptr);
    paddingBox_->setVisible(
        trace && std::any_of(trace->tokens.begin(), trace->tokens.end(), [](const auto& tok) { return tok.pad; }));
    area_->measure();
    recomputeColors();
    fitChipArea();
    // A keystroke mostly keeps the lines (gui/plots/layout_hint.h).
    updateGeometryIfChanged(this, laidOutHint_, QSize(sizeHint().width(), heightForWidth(width())));
    QTimer::singleShot(0, this, &TokenStrip::ensureSelectedVisible);
}

QColor TokenStrip::neutralColor() const {
    const QColor base = palette().color(QPalette::Base);
    return base.lightness() > 128 ? QColor(226, 228, 233) : base.lighter(170);
}

void TokenStrip::recomputeColors() {
    values_.clear();
    hintText_.clear();
    sourceCaption_.clear();
    valueName_.clear();
    rangeMax_ = 1;
    if (const auto* trace = document_ ? document_->trace() : nullptr) {
        if (source_ == Source::AttentionRow || source_ == Source::PoolWeights) takeAttentionValues(*trace);
        else if (source_ == Source::HiddenState || source_ == Source::CellState) takeStateValues(*trace);
        else if (source_ == Source::LeaveOneOut) takeLeaveOneOutValues(*trace);
    }
    const bool diverging = source_ == Source::HiddenState || source_ == Source::CellState;
    // Colours: weights over [0, row max] (a pool over 300 tokens would
    // otherwise be uniformly dark); h and c over the fixed [-1, 1], c clamped
    // (|c| can exceed 1; the tooltip keeps the exact value).
    colors_.assign(chips_.size(), neutralColor());
    for (size_t k = 0; k < chips_.size(); ++k) {
        const Chip& chip = chips_[k];
        if (chip.kind != Chip::Kind::Token) continue;
        const double v = chipValue(chip.token);
        if (!std::isfinite(v)) continue;
        colors_[k] = diverging ? colorAt(ColorMap::Diverging, (std::clamp(v, -1.0, 1.0) + 1) / 2)
                               : colorAt(sequentialMap_, v / rangeMax_);
    }
    updateHeader();
    area_->update();
}


void TokenStrip::updateHeader() {
    const bool available = !values_.empty();
    if (available) {
        const bool diverging = source_ == Source::HiddenState || source_ == Source::CellState;
        if (diverging)
            legend_->setEndTexts(ColorMap::Diverging, QStringLiteral("−1"), QStringLiteral("+1"));
        else
            legend_->setEndTexts(sequentialMap_, QStringLiteral("0"), QString::number(rangeMax_, 'g', 3));
        legend_->setToolTip(diverging ? tr("Diverging colour map, fixed range −1 … +1 (blue negative, white 0, red positive)")
                            : source_ == Source::LeaveOneOut
                                ? tr("%1 colour map from 0 to the largest leave-one-out importance of this text (%2)")
                                      .arg(colorMapDisplayName(sequentialMap_), formatValue(rangeMax_))
                                : tr("%1 colour map from 0 to the largest weight of this row (%2)")
                                      .arg(colorMapDisplayName(sequentialMap_), formatValue(rangeMax_)));
    }
    legend_->setVisible(available);
    if (available) {
        QString caption = sourceCaption_;
        if (source_ == Source::CellState)
            caption += tr(" · colours clamped to ±1");
        else if (source_ == Source::AttentionRow || source_ == Source::PoolWeights || source_ == Source::LeaveOneOut)
            caption += QStringLiteral(" · ") + colorMapDisplayName(sequentialMap_);
        info_->setFullText(caption);
    } else {
        info_->setFullText(hintText_);
    }
}

QString TokenStrip::hintText() const { return hintText_; }

int TokenStrip::chipIndexOfToken(int token) const {
    if (token < 0 || token >= static_cast<int>(chipOfToken_.size())) return -1;
    return chipOfToken_[token];
}

QColor TokenStrip::chipColor(int token) const {
    const int chip = chipIndexOfToken(token);
    if (chip < 0 || chip >= static_cast<int>(colors_.size())) return {};
    return colors_[chip];
}

double TokenStrip::chipValue(int token) const {
    if (token < 0 || token >= static_cast<int>(values_.size())) return nan();
    return values_[token];
}

QRect TokenStrip::chipRect(int chipIndex) const {
    const auto& rects = area_->rects();
    if (chipIndex < 0 || chipIndex >= static_cast<int>(rects.size())) return {};
    return rects[chipIndex];
}

QString TokenStrip::chipToolTip(int chipIndex) const {
    if (chipIndex < 0 || chipIndex >= static_cast<int>(chips_.size())) return {};
    const Chip& chip = chips_[chipIndex];
    const auto* model = document_ ? document_->model() : nullptr;
    const auto* trace = document_ ? document_->trace() : nullptr;
    const QString span = tr("characters %1–%2").arg(chip.start).arg(chip.end);
    switch (chip.kind) {
        case Chip::Kind::Dropped:
            return tr("dropped: %1 (%2)\nnot in the vocabulary and the tokenizer has no unknown token,\n"
                      "so the model never saw it")
                .arg(quoted(chip.text), span);
        case Chip::Kind::Truncated: {
            const int padTo = model && model->tokenizer.pad_to ? *model->tokenizer.pad_to : 0;
            return tr("cut by pad_to (%1): %2 (%3)\nthe model never saw it").arg(padTo).arg(quoted(chip.text), span);
        }
        case Chip::Kind::PadGroup:
            return (chip.count == 1 ? tr("1 padding token, position %1").arg(chip.token)
                                    : tr("%1 padding tokens, positions %2–%3")
                                          .arg(chip.count)
                                          .arg(chip.token)
                                          .arg(chip.token + chip.count - 1)) +
                   tr("\ntick “show padding” to see each one");
        case Chip::Kind::Token:
            break;
    }
    if (!trace || chip.token >= static_cast<int>(trace->tokens.size())) return chip.text;
    const auto& token = trace->tokens[chip.token];
    QStringList lines;
    lines << tr("%1 · token %2 · id %3").arg(quoted(chip.text)).arg(chip.token).arg(token.id);
    if (const QString note = whitespaceTokenNote(token); !note.isEmpty()) lines << tr("white space: %1").arg(note);
    if (token.pad)
        lines << tr("padding");
    else
        lines << span;
    if (chip.unknown) {
        QString unkText;
        if (model && model->tokenizer.unk_id && *model->tokenizer.unk_id >= 0 &&
            *model->tokenizer.unk_id < static_cast<int>(model->tokenizer.vocab.size()))
            unkText = QString::fromStdString(model->tokenizer.vocab[*model->tokenizer.unk_id]);
        lines << tr("unknown: not in the vocabulary, the model read it as %1").arg(quoted(unkText));
    }
    const double v = chipValue(chip.token);
    if (std::isfinite(v)) {
        QString value = tr("%1 = %2").arg(valueName_, formatValue(v));
        if (source_ == Source::CellState && std::abs(v) > 1) value += tr(" (colour clamped at ±1)");
        lines << value + QStringLiteral("  [") + sourceCaption_ + QStringLiteral("]");
    }
    return lines.join('\n');
}

void TokenStrip::ensureSelectedVisible() {
    const int chip = chipIndexOfToken(selectedToken_);
    if (chip < 0 || stack_->currentWidget() != scroll_) return;
    const QRect r = chipRect(chip);
    if (r.isValid())
        scroll_->ensureVisible(r.center().x(), r.center().y(), r.width() / 2 + gapX(), r.height() / 2 + gapY());
}
