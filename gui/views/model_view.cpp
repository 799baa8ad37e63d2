#include "gui/views/model_view.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QResizeEvent>
#include <QStackedWidget>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTextDocument>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <map>

#include "engine/analysis/view_choice.h"
#include "engine/model.h"
#include "gui/trace_labels.h"
#include "gui/workspace/document.h"
#include "gui/workspace/selection.h"

using lstmscope::OpKind;

namespace {

constexpr int kRoleNode = Qt::UserRole + 1;  // node name on the row's first cell
constexpr int kMaxSummary = 140;             // characters of a nested value's summary

bool isAttentionOp(OpKind op) {
    return op == OpKind::Attention || op == OpKind::AttentionPool || op == OpKind::MultiheadAttention ||
           op == OpKind::FeatureAttention;
}

QString translated(const char* text) { return QCoreApplication::translate("ModelView", text); }

// The manifest's tokenizer type, said in words ("word", "character").
QString tokenizerTypeName(lstmscope::TokenizerType type) {
    switch (type) {
        case lstmscope::TokenizerType::Word:
            return translated(QT_TRANSLATE_NOOP("ModelView", "word"));
        case lstmscope::TokenizerType::Char:
            return translated(QT_TRANSLATE_NOOP("ModelView", "character"));
        case lstmscope::TokenizerType::Whitespace:
            return translated(QT_TRANSLATE_NOOP("ModelView", "whitespace"));
        case lstmscope::TokenizerType::Keras:
            return translated(QT_TRANSLATE_NOOP("ModelView", "Keras"));
        case lstmscope::TokenizerType::KerasChar:
            return translated(QT_TRANSLATE_NOOP("ModelView", "Keras characters"));
        case lstmscope::TokenizerType::Fastai:
            return translated(QT_TRANSLATE_NOOP("ModelView", "fastai"));
    }
    return translated(QT_TRANSLATE_NOOP("ModelView", "word"));
}

QString taskName(lstmscope::Task task) {
    switch (task) {
        case lstmscope::Task::Classification:
            return translated(QT_TRANSLATE_NOOP("ModelView", "classification"));
        case lstmscope::Task::Regression:
            return translated(QT_TRANSLATE_NOOP("ModelView", "regression"));
        case lstmscope::Task::Tagging:
            return translated(QT_TRANSLATE_NOOP("ModelView", "tagging"));
    }
    return {};
}

QString elided(const QString& s, int n) { return s.size() <= n ? s : s.left(n - 1) + QStringLiteral("…"); }

// A scalar as text; numbers with thousands separators or 4 significant digits.
QString scalarText(const nlohmann::json& v) {
    if (v.is_string()) return QString::fromStdString(v.get<std::string>());
    if (v.is_boolean()) return v.get<bool>() ? translated(QT_TRANSLATE_NOOP("ModelView", "yes")) : translated(QT_TRANSLATE_NOOP("ModelView", "no"));
    if (v.is_number_integer() || v.is_number_unsigned()) return ModelView::formatCount(v.get<qint64>());
    if (v.is_number_float()) return QString::number(v.get<double>(), 'g', 4);
    if (v.is_null()) return QStringLiteral("—");
    return {};
}

// Nested values are summarised on one line: a manifest's metadata is free
// form and may hold whole training configs.
QString summary(const nlohmann::json& v) {
    if (v.is_object()) {
        QStringList parts;
        for (auto it = v.begin(); it != v.end(); ++it) {
            const QString key = QString::fromStdString(it.key());
            parts << (it->is_structured() ? key + (it->is_object() ? QStringLiteral(": {…}") : QStringLiteral(": […]"))
                                          : key + QStringLiteral(": ") + scalarText(*it));
        }
        return elided(QStringLiteral("{") + parts.join(QStringLiteral(", ")) + QStringLiteral("}"), kMaxSummary);
    }
    if (v.is_array()) {
        const bool scalars = std::all_of(v.begin(), v.end(), [](const auto& e) { return !e.is_structured(); });
        if (scalars && !v.empty()) {
            QStringList parts;
            for (const auto& e : v) parts << scalarText(e);
            return elided(parts.join(QStringLiteral(", ")), kMaxSummary);
        }
        return QCoreApplication::translate("ModelView", "%n items", nullptr, static_cast<int>(v.size()));
    }
    return scalarText(v);
}

// A little air between rows: the table is read from across a room too.
class RoomyDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(0, 6);
    }
};

// Rich text cannot wrap inside a long URL, path or snake_case key, and one
// such word would widen the whole side panel: allow breaks after the
// characters that separate their parts (zero-width spaces).
QString breakable(const QString& text) {
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (const QChar c : text) {
        out += c;
        if (c == u'/' || c == u'.' || c == u'_' || c == u'+' || c == u'-' || c == u'=' || c == u'&')
            out += QChar(0x200B);
    }
    return out;
}

}  // namespace

ModelView::ModelView(Document* document, Selection* selection, QWidget* parent)
    : QWidget(parent), document_(document), selection_(selection) {
    placeholder_ = new QLabel(tr("No model loaded.\nOpen one with File › Open model…"), this);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);

    auto* info = new QWidget;
    // The info area takes the panel's width and wraps; without this one long
    // word would make it wider than the panel and cut every line.
    info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    name_ = new QLabel(info);
    name_->setWordWrap(true);
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    name_->setFont(big);
    name_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    description_ = new QLabel(info);
    description_->setWordWrap(true);
    description_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    facts_ = new QLabel(info);
    facts_->setWordWrap(true);
    facts_->setForegroundRole(QPalette::PlaceholderText);
    metadata_ = new QLabel(info);
    metadata_->setWordWrap(true);
    metadata_->setTextFormat(Qt::RichText);
    metadata_->setOpenExternalLinks(true);
    metadata_->setTextInteractionFlags(Qt::TextBrowserInteraction);
    auto* infoLayout = new QVBoxLayout(info);
    infoLayout->setContentsMargins(8, 6, 8, 6);
    infoLayout->setSpacing(4);
    infoLayout->addWidget(name_);
    infoLayout->addWidget(description_);
    infoLayout->addWidget(facts_);
    infoLayout->addWidget(metadata_);
    infoLayout->addStretch(1);
    // Long metadata scrolls instead of pushing the node table away.
    auto* infoScroll = new QScrollArea;
    infoScroll->setWidget(info);
    infoScroll->setWidgetResizable(true);
    infoScroll->setFrameShape(QFrame::NoFrame);
    infoScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    tree_ = new QTreeWidget;
    tree_->setColumnCount(ColumnCount);
    tree_->setHeaderLabels({tr("node"), tr("op"), tr("inputs"), tr("output"), tr("parameters")});
    tree_->headerItem()->setToolTip(ShapeColumn, tr("Output shape for the current text (T = number of tokens)"));
    tree_->setRootIsDecorated(false);
    tree_->setItemDelegate(new RoomyDelegate(tree_));
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->setSelectionMode(QAbstractItemView::SingleSelection);
    tree_->setAllColumnsShowFocus(true);
    tree_->headerItem()->setTextAlignment(ParametersColumn, Qt::AlignRight | Qt::AlignVCenter);
    // The inputs column takes the spare width, so the counts stay right
    // next to the shapes instead of across an empty gap.
    tree_->header()->setStretchLastSection(false);
    connect(tree_, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem* item) { onCurrentItemChanged(item); });
    // A click on the row that is already current still means "show this node".
    connect(tree_, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) { onCurrentItemChanged(item); });

    page_ = new QWidget(this);
    auto* pageLayout = new QVBoxLayout(page_);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->setSpacing(0);
    pageLayout->addWidget(infoScroll);
    pageLayout->addWidget(tree_, 1);
    info_ = info;
    infoScroll_ = infoScroll;

    stack_ = new QStackedWidget(this);
    stack_->addWidget(placeholder_);
    stack_->addWidget(page_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);

    if (document_) {
        connect(document_, &Document::modelChanged, this, &ModelView::rebuild);
        connect(document_, &Document::traceChanged, this, &ModelView::updateShapes);
        // A run that fails at a node (a fixed-length attention given a text
        // of another length) is marked on that node; a good run clears it.
        connect(document_, &Document::runFailed, this, &ModelView::markFailingNode);
        connect(document_, &Document::traceChanged, this, &ModelView::markFailingNode);
    }
    if (selection_) {
        connect(selection_, &Selection::attentionChanged, this, [this] { followSelection(true); });
        connect(selection_, &Selection::lstmChanged, this, [this] { followSelection(false); });
    }
    rebuild();
}

void ModelView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitInfo();
}

void ModelView::fitInfo() {
    // The description and metadata get the height they need, up to half the
    // view; beyond that they scroll and the node table keeps the rest.
    const int width = std::max(100, this->width());  // the info area spans the view (no margins)
    const int wanted =
        info_->layout()->hasHeightForWidth() ? info_->layout()->totalHeightForWidth(width) : info_->sizeHint().height();
    infoScroll_->setFixedHeight(std::max(40, std::min(wanted, height() / 2)));
}

QString ModelView::formatCount(qint64 count) {
    QLocale locale;
    // The C locale omits group separators by default; a parameter count
    // without them is hard to read.
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale.toString(count);
}

QString ModelView::shapeText(const lstmscope::Shape& shape, int tokens) {
    const QString rows = shape.rows != lstmscope::Rows::Tokens ? QString::number(shape.fixed_rows())
                         : tokens >= 0                         ? QString::number(tokens)
                                                               : QStringLiteral("T");
    return rows + QStringLiteral(" x ") + QString::number(shape.cols);
}

void ModelView::setSequentialColorMap(ColorMap) {}

void ModelView::rebuild() {
    const QSignalBlocker block(tree_);
    tree_->clear();
    total_ = nullptr;
    const auto* model = document_ ? document_->model() : nullptr;
    if (!model) {
        stack_->setCurrentWidget(placeholder_);
        return;
    }
    stack_->setCurrentWidget(page_);

    name_->setText(QString::fromStdString(model->name));
    const QString description = QString::fromStdString(model->description);
    description_->setText(description);
    description_->setVisible(!description.isEmpty());

    QStringList facts;
    QString task = taskName(model->task);
    if (!model->labels.empty()) {
        QStringList labels;
        for (const auto& l : model->labels) labels << QString::fromStdString(l);
        task = tr("%1 into %2").arg(task, elided(labels.join(QStringLiteral(", ")), 80));
    }
    facts << task;
    const auto& tok = model->tokenizer;
    const int entries = static_cast<int>(tok.vocab.size());
    QString tokenizer = tr("%1 tokenizer, %2 entries", nullptr, entries)
                            .arg(tokenizerTypeName(tok.type), formatCount(entries));
    if (tok.unk_id && *tok.unk_id >= 0 && *tok.unk_id < static_cast<int>(tok.vocab.size()))
        tokenizer += tr(", unknown → %1").arg(QString::fromStdString(tok.vocab[*tok.unk_id]));
    else
        tokenizer += tr(", unknown words dropped");
    if (tok.pad_to)
        tokenizer += tr(", padded to %1 (%2)")
                         .arg(*tok.pad_to)
                         .arg(tok.padding == lstmscope::PaddingSide::Pre ? tr("pre") : tr("post"));
    const qint64 parameters = model->parameter_count();
    facts << tokenizer
          << tr("%1 parameters", nullptr, static_cast<int>(std::min<qint64>(parameters, 1'000'000'000)))
                 .arg(formatCount(parameters));
    facts_->setText(facts.join(QStringLiteral(" · ")));
    facts_->setToolTip(QString::fromStdString(model->manifest_path));

    const QString meta = metadataHtml();
    metadata_->setText(meta);
    metadata_->setVisible(!meta.isEmpty());

    const QColor grey = palette().color(QPalette::PlaceholderText);
    qint64 total = 0;
    for (const auto& node : model->nodes) {
        auto* item = new QTreeWidgetItem(tree_);
        const QString name = QString::fromStdString(node.name);
        item->setText(NameColumn, name);
        item->setData(NameColumn, kRoleNode, name);
        const auto op = lstmscope::op_kind_name(node.op);
        item->setText(OpColumn, QString::fromUtf8(op.data(), static_cast<qsizetype>(op.size())));
        QStringList inputs;
        for (const auto& in : node.inputs) inputs << QString::fromStdString(in);
        item->setText(InputsColumn, inputs.join(QStringLiteral(", ")));
        item->setText(ParametersColumn, formatCount(node.parameters));
        item->setTextAlignment(ParametersColumn, Qt::AlignRight | Qt::AlignVCenter);
        if (node.parameters == 0) item->setForeground(ParametersColumn, grey);
        if (isAttentionOp(node.op))
            item->setToolTip(NameColumn, tr("Select to show this node in the attention view"));
        else if (node.op == OpKind::Lstm || node.op == OpKind::Gru)
            item->setToolTip(NameColumn, tr("Select to show this node in the gates view"));
        total += node.parameters;
    }
    total_ = new QTreeWidgetItem(tree_);
    total_->setText(NameColumn, tr("total"));
    total_->setText(ParametersColumn, formatCount(total));
    total_->setTextAlignment(ParametersColumn, Qt::AlignRight | Qt::AlignVCenter);
    total_->setFlags(Qt::ItemIsEnabled);  // a sum, not a node: not selectable
    QFont bold = tree_->font();
    bold.setBold(true);
    for (int c = 0; c < ColumnCount; ++c) total_->setFont(c, bold);

    updateShapes();
    for (int c = 0; c < ColumnCount; ++c) tree_->resizeColumnToContents(c);
    tree_->header()->setSectionResizeMode(InputsColumn, QHeaderView::Stretch);
    fitInfo();
    followedAttention_.clear();
    followedLstm_.clear();
    followSelection(false);
    followSelection(true);
    failingNode_.clear();
    markFailingNode();
}

void ModelView::updateShapes() {
    const auto* model = document_ ? document_->model() : nullptr;
    if (!model || !total_) return;
    const auto* trace = document_->trace();
    const int tokens = trace ? static_cast<int>(trace->tokens.size()) : -1;
    // What a run reveals about a node beyond its manifest: layers, heads.
    std::map<QString, QString> details;
    if (trace) {
        for (const auto& info : lstmNodes(*trace)) {
            QStringList d;
            if (info.layers > 1) d << tr("%n layers", nullptr, info.layers);
            if (info.bidirectional) d << tr("bidirectional");
            d << tr("%n units", nullptr, info.hidden);
            details[info.name] = d.join(QStringLiteral(", "));
        }
        for (const auto& info : attentionNodes(*trace))
            if (info.heads > 1) details[info.name] = tr("%n heads", nullptr, info.heads);
    }
    const int n = std::min<int>(static_cast<int>(model->nodes.size()), tree_->topLevelItemCount() - 1);
    // Sizing the columns to their contents measures every row: only when a
    // text changed (a keystroke that keeps the token count changes none).
    bool changed = total_->text(ShapeColumn) != (tokens < 0 ? QString() : tr("%n tokens", nullptr, tokens));
    for (int r = 0; r < n; ++r) {
        const auto& node = model->nodes[r];
        auto* item = tree_->topLevelItem(r);
        const QString shape = shapeText(node.output, tokens);
        changed = changed || item->text(ShapeColumn) != shape;
        item->setText(ShapeColumn, shape);
        item->setToolTip(ShapeColumn, QString::fromStdString(node.output.to_string()));
        const auto op = lstmscope::op_kind_name(node.op);
        // The op name alone keeps the table narrow enough for a side dock;
        // layers, direction, units and heads go in the tooltip.
        const QString opName = QString::fromUtf8(op.data(), static_cast<qsizetype>(op.size()));
        const auto it = details.find(item->text(NameColumn));
        changed = changed || item->text(OpColumn) != opName;
        item->setText(OpColumn, opName);
        item->setToolTip(OpColumn, it != details.end() ? opName + QStringLiteral(" (") + it->second + QStringLiteral(")")
                                                       : opName);
    }
    total_->setText(ShapeColumn, tokens < 0 ? QString() : tr("%n tokens", nullptr, tokens));
    if (changed) {
        tree_->resizeColumnToContents(OpColumn);
        tree_->resizeColumnToContents(ShapeColumn);
    }
    markShownNodes();
}

QString ModelView::metadataHtml() const {
    const auto* model = document_ ? document_->model() : nullptr;
    if (!model || !model->metadata.is_object() || model->metadata.empty()) return {};
    const auto& meta = model->metadata;
    const QString keyColor = palette().color(QPalette::PlaceholderText).name();
    QString rows;
    auto row = [&](const QString& key, const QString& valueHtml) {
        rows += QStringLiteral("<tr><td style='color:%1; padding-right:10px' valign='top'>%2</td><td>%3</td></tr>")
                    .arg(keyColor, breakable(key).toHtmlEscaped(), valueHtml);
    };
    auto valueHtml = [](const std::string& key, const nlohmann::json& v) {
        QString text = breakable(summary(v)).toHtmlEscaped();
        if (v.is_string()) {
            const QString s = QString::fromStdString(v.get<std::string>());
            if (s.startsWith(QLatin1String("http://")) || s.startsWith(QLatin1String("https://")))
                return QStringLiteral("<a href='%1'>%2</a>").arg(s.toHtmlEscaped(), breakable(elided(s, 80)).toHtmlEscaped());
        }
        // Accuracies stored as fractions read better as percentages too.
        const QString k = QString::fromStdString(key).toLower();
        if (v.is_number_float() &&
            (k.contains("accuracy") || k.contains("f1") || k.contains("precision") || k.contains("recall"))) {
            const double x = v.get<double>();
            if (x >= 0 && x <= 1) text += QStringLiteral(" (%1 %)").arg(QString::number(100 * x, 'f', 1));
        }
        return text;
    };

    // The highlights first, in this order; then everything else as stored.
    static const char* const kHighlights[] = {"heldout_accuracy", "accuracy", "test_accuracy",
                                              "dataset",          "licence",  "license"};
    std::vector<std::string> order;
    for (const char* k : kHighlights)
        if (meta.contains(k)) order.emplace_back(k);
    for (auto it = meta.begin(); it != meta.end(); ++it)
        if (std::find(order.begin(), order.end(), it.key()) == order.end() && it.key() != "examples")
            order.push_back(it.key());

    for (const auto& key : order) {
        const auto& v = meta.at(key);
        QString html = valueHtml(key, v);
        if (std::find(std::begin(kHighlights), std::end(kHighlights), key) != std::end(kHighlights))
            html = QStringLiteral("<b>") + html + QStringLiteral("</b>");
        row(QString::fromStdString(key), html);
    }
    // Example texts the author chose, by their notes (the texts themselves
    // are for the example menu, not this summary).
    if (meta.contains("examples") && meta.at("examples").is_array()) {
        QStringList notes;
        for (const auto& e : meta.at("examples")) {
            QString note;
            if (e.is_object() && e.contains("note") && e.at("note").is_string())
                note = QString::fromStdString(e.at("note").get<std::string>());
            else if (e.is_object() && e.contains("text") && e.at("text").is_string())
                note = QStringLiteral("“") + elided(QString::fromStdString(e.at("text").get<std::string>()), 60) +
                       QStringLiteral("”");
            else
                note = elided(summary(e), 60);
            notes << QStringLiteral("• ") + note.toHtmlEscaped();
        }
        row(QStringLiteral("examples"), notes.isEmpty() ? QStringLiteral("—") : notes.join(QStringLiteral("<br>")));
    } else if (meta.contains("examples")) {
        row(QStringLiteral("examples"), summary(meta.at("examples")).toHtmlEscaped());
    }
    return QStringLiteral("<table cellspacing='0' cellpadding='1'>") + rows + QStringLiteral("</table>");
}

QTreeWidgetItem* ModelView::itemForNode(const QString& name) const {
    if (name.isEmpty()) return nullptr;
    for (int r = 0; r < tree_->topLevelItemCount(); ++r) {
        auto* item = tree_->topLevelItem(r);
        if (item != total_ && item->data(NameColumn, kRoleNode).toString() == name) return item;
    }
    return nullptr;
}

void ModelView::onCurrentItemChanged(QTreeWidgetItem* item) {
    const auto* model = document_ ? document_->model() : nullptr;
    if (!item || item == total_ || !model || !selection_) return;
    const int row = tree_->indexOfTopLevelItem(item);
    if (row < 0 || row >= static_cast<int>(model->nodes.size())) return;
    const auto& node = model->nodes[row];
    const QString name = QString::fromStdString(node.name);
    if (isAttentionOp(node.op)) {
        // Keep the user's head when it means something for this node.
        int heads = 1;
        if (const auto* trace = document_->trace())
            for (const auto& info : attentionNodes(*trace))
                if (info.name == name) heads = info.heads;
        int head = selection_->head();
        const bool valid = node.op == OpKind::MultiheadAttention ? head >= -1 && head < heads : head == 0;
        if (!valid) head = 0;
        selection_->setAttention(name, head);
    } else if ((node.op == OpKind::Lstm || node.op == OpKind::Gru) && selection_->lstmNode() != name) {
        // A node already shown keeps its layer and direction; a new one opens
        // where every view opens an LSTM or GRU (view_choice.h: the last layer).
        int layer = 0;
        if (const auto* trace = document_->trace())
            for (const auto& info : lstmscope::analysis::lstm_nodes(*trace))
                if (info.name == node.name) layer = info.layers - 1;
        selection_->setLstm(name, layer, lstmscope::Direction::Forward);
    }
}

void ModelView::followSelection(bool attention) {
    markShownNodes();
    if (!selection_) return;
    const QString name = attention ? selection_->attentionNode() : selection_->lstmNode();
    QString& followed = attention ? followedAttention_ : followedLstm_;
    if (name == followed) return;
    followed = name;
    auto* item = itemForNode(name);
    if (!item || item == tree_->currentItem()) return;
    const QSignalBlocker block(tree_);
    tree_->setCurrentItem(item);
    tree_->scrollToItem(item);
}

void ModelView::markShownNodes() {
    // Bold names: the nodes the attention and gates views show right now.
    // The resolved choices, so the bold row is what the views really show.
    QString attention, lstm;
    if (const auto* trace = document_ ? document_->trace() : nullptr; trace && selection_) {
        attention = QString::fromStdString(
            lstmscope::analysis::resolve_attention(*trace, selection_->attentionNode().toStdString(), selection_->head())
                .name);
        lstm = QString::fromStdString(lstmscope::analysis::resolve_lstm(*trace, selection_->lstmNode().toStdString(),
                                                                        selection_->layer(), selection_->direction())
                                          .node);
    }
    for (int r = 0; r < tree_->topLevelItemCount(); ++r) {
        auto* item = tree_->topLevelItem(r);
        if (item == total_) continue;
        const QString name = item->data(NameColumn, kRoleNode).toString();
        QFont f = tree_->font();
        f.setBold(name == attention || name == lstm);
        item->setFont(NameColumn, f);
    }
}

void ModelView::markFailingNode() {
    const QString node = document_ ? document_->runErrorNode() : QString();
    if (node == failingNode_) return;
    if (auto* old = itemForNode(failingNode_)) {
        old->setForeground(NameColumn, palette().color(QPalette::Text));
        old->setIcon(NameColumn, QIcon());
        old->setToolTip(NameColumn, QString());
    }
    failingNode_ = node;
    auto* item = itemForNode(node);
    if (!item) return;
    item->setForeground(NameColumn, QColor(0xb0, 0x00, 0x20));  // the status bar's error red
    item->setIcon(NameColumn, style()->standardIcon(QStyle::SP_MessageBoxWarning));
    item->setToolTip(NameColumn, document_->runError());
    // Shown, not chosen: the other views keep what they show.
    const QSignalBlocker block(tree_);
    tree_->setCurrentItem(item);
    tree_->scrollToItem(item);
}

int ModelView::nodeRowCount() const { return total_ ? tree_->topLevelItemCount() - 1 : 0; }

QString ModelView::cellText(int row, Column column) const {
    if (row < 0 || row >= nodeRowCount()) return {};
    return tree_->topLevelItem(row)->text(column);
}

QString ModelView::cellToolTip(int row, Column column) const {
    if (row < 0 || row >= nodeRowCount()) return {};
    return tree_->topLevelItem(row)->toolTip(column);
}

QString ModelView::totalParametersText() const { return total_ ? total_->text(ParametersColumn) : QString(); }

QString ModelView::selectedNode() const {
    auto* item = tree_->currentItem();
    return item && item != total_ ? item->data(NameColumn, kRoleNode).toString() : QString();
}

QString ModelView::nameText() const { return name_->text(); }
QString ModelView::descriptionText() const { return description_->text(); }

QString ModelView::metadataText() const {
    QTextDocument doc;
    doc.setHtml(metadata_->text());
    return doc.toPlainText().remove(QChar(0x200B));  // the break hints are not text
}
