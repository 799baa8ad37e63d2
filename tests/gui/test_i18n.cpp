// The Chinese interface (issue 8): every tr() string of gui/ has a finished
// translation, the Chinese window shows no English outside model data (in
// single mode, both kinds of compare mode and the difference view), the
// language switches live from View > Language, and --lang picks it on the
// command line.
#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QTreeWidget>
#include <QXmlStreamReader>
#include <QtTest>
#include <algorithm>
#include <qcustomplot.h>

#include "engine/model.h"
#include "engine/op_kind.h"
#include "gui/bundled_models.h"
#include "gui/compare_area.h"
#include "gui/i18n.h"
#include "gui/main_window.h"
#include "gui/teaching/step_bar.h"
#include "gui/teaching/presenter.h"
#include "gui/teaching/lesson.h"
#include "gui/pane_widget.h"
#include "gui/plots/elided_label.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/plots/pool_bar_chart.h"
#include "gui/trace_labels.h"
#include "gui/views/attention_view.h"
#include "gui/views/model_view.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/workspace.h"

namespace {

QString bundled(const QString& name) {
    return QString::fromLocal8Bit(qgetenv("LSTMSCOPE_MODELS")) + QStringLiteral("/%1.json").arg(name);
}

const QString kZhModel = QStringLiteral("sentiment_zh_char_bilstm_selfattn");
const QString kZhText = QStringLiteral("房间很干净，但是服务太差了。");
const QString kZhTextB = QStringLiteral("房间很干净，服务也很好。");

// ---- the .ts files -----------------------------------------------------------

struct TsMessage {
    QString context, source;
    bool numerus = false;
    QString type;           // "unfinished", "vanished", "obsolete" or empty
    QStringList forms;      // the translation, or its numerus forms
};

// The messages of a .ts file, numerus forms included.
QList<TsMessage> readTsFully(const QString& path, QString* language) {
    QList<TsMessage> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return out;
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage m;
    bool inTranslation = false;
    while (!xml.atEnd()) {
        xml.readNext();
        const auto name = xml.name();
        if (xml.isStartElement()) {
            if (name == QLatin1String("TS")) *language = xml.attributes().value("language").toString();
            else if (name == QLatin1String("name")) context = xml.readElementText();
            else if (name == QLatin1String("message")) {
                m = TsMessage();
                m.context = context;
                m.numerus = xml.attributes().value("numerus") == QLatin1String("yes");
            } else if (name == QLatin1String("source")) m.source = xml.readElementText();
            else if (name == QLatin1String("translation")) {
                m.type = xml.attributes().value("type").toString();
                if (m.numerus) inTranslation = true;
                else m.forms << xml.readElementText();
            } else if (name == QLatin1String("numerusform") && inTranslation) {
                m.forms << xml.readElementText();
            }
        } else if (xml.isEndElement() && name == QLatin1String("message")) {
            out << m;
            inTranslation = false;
        }
    }
    return out;
}

// Runs lupdate over gui/ into a copy of the committed .ts: what the .ts would
// be after `cmake --build build --target update_translations`.
QString lupdateCopy(const QString& tsName, const QTemporaryDir& dir, const QStringList& extra, QString* log) {
    const QString committed = QStringLiteral(LSTMSCOPE_SOURCE_DIR "/resources/translations/") + tsName;
    const QString copy = dir.filePath(tsName);
    QFile::remove(copy);
    if (!QFile::copy(committed, copy)) return {};
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QProcess lupdate;
    QStringList args{QStringLiteral("-I"), QStringLiteral(LSTMSCOPE_SOURCE_DIR), QStringLiteral("-no-obsolete"),
                     QStringLiteral("-locations"), QStringLiteral("none")};
    args << extra << QStringLiteral(LSTMSCOPE_SOURCE_DIR "/gui") << QStringLiteral("-ts") << copy;
    lupdate.start(QStringLiteral(LSTMSCOPE_LUPDATE), args);
    if (!lupdate.waitForFinished(120000) || lupdate.exitCode() != 0) {
        *log = QString::fromLocal8Bit(lupdate.readAllStandardError() + lupdate.readAllStandardOutput());
        return {};
    }
    return copy;
}

// The %1..%99 and %n of a text, as a sorted list (duplicates once).
QStringList placeholders(const QString& text) {
    static const QRegularExpression re(QStringLiteral("%(\\d{1,2}|L?n)"));
    QSet<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();) found.insert(it.next().captured(0).remove(QLatin1Char('L')));
    QStringList out(found.begin(), found.end());
    out.sort();
    return out;
}

// The mnemonic letter of a menu or label text ("&File", "文件(&F)"), or 0.
QChar mnemonic(const QString& text) {
    for (int k = 0; k + 1 < text.size(); ++k) {
        if (text[k] != QLatin1Char('&')) continue;
        if (text[k + 1] == QLatin1Char('&')) {
            ++k;
            continue;
        }
        if (text[k + 1].isLetterOrNumber()) return text[k + 1].toUpper();
    }
    return {};
}

// ---- English in the widgets ---------------------------------------------------

// Finds English words in what a widget shows. Model data (the manifest's
// names, labels, description and metadata; node names; token texts; file
// names) is not translated and is taken out first; a short list of
// abbreviations and names stays in any language.
class EnglishFinder {
public:
    EnglishFinder() {
        for (const char* w : {"LSTM", "BiLSTM", "SVG", "PDF", "PNG", "JSON", "CSV", "softmax", "tanh", "Sigmoid", "JS",
                              "ID", "Ctrl", "Shift", "Alt", "Keras", "lstmscope", "viridis", "magma", "cividis",
                              "pad_to"})
            allowed_.insert(QString::fromLatin1(w).toLower());
        // Op names are the manifest format's vocabulary ("attention_pool").
        // Every kind: op_kind_name says "?" past the last one.
        for (int k = 0; lstmscope::op_kind_name(static_cast<lstmscope::OpKind>(k)) != "?"; ++k) {
            const auto name = lstmscope::op_kind_name(static_cast<lstmscope::OpKind>(k));
            allowed_.insert(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())).toLower());
        }
        addData(QStringLiteral("⟨pad⟩"));
        // Key names, as printed on every keyboard.
        for (const char* key : {"Page Up", "Page Down", "PgUp", "PgDown", "Home", "End", "Esc", "Space", "Tab", "Enter"})
            addData(QString::fromLatin1(key));
    }

    void addData(const QString& s) {
        if (!s.trimmed().isEmpty()) data_.insert(s);
    }

    void addJson(const nlohmann::json& v) {
        if (v.is_object()) {
            for (auto it = v.begin(); it != v.end(); ++it) {
                addData(QString::fromStdString(it.key()));
                addJson(*it);
            }
        } else if (v.is_array()) {
            for (const auto& e : v) addJson(e);
        } else if (v.is_string()) {
            addData(QString::fromStdString(v.get<std::string>()));
        }
    }

    // Everything a pane shows that comes from its model, its text and its trace.
    void addPane(const Pane* pane) {
        const Document* d = pane->document();
        addData(d->modelPath());
        addData(QFileInfo(d->modelPath()).fileName());
        addData(pane->modelName());
        addData(d->text());
        if (const auto* model = d->model()) {
            addData(QString::fromStdString(model->name));
            addData(QString::fromStdString(model->description));
            addData(QString::fromStdString(model->manifest_path));
            for (const auto& l : model->labels) addData(QString::fromStdString(l));
            for (const auto& n : model->nodes) {
                addData(QString::fromStdString(n.name));
                for (const auto& in : n.inputs) addData(QString::fromStdString(in));
            }
            addJson(model->metadata);
            const auto& tok = model->tokenizer;
            if (tok.unk_id && *tok.unk_id >= 0 && *tok.unk_id < static_cast<int>(tok.vocab.size()))
                addData(QString::fromStdString(tok.vocab[*tok.unk_id]));
        }
        if (const auto* trace = d->trace()) {
            for (const auto& t : trace->tokens) {
                addData(tokenLabel(t));
                addData(QString::fromStdString(t.text));
            }
            for (const auto& s : trace->dropped) addData(QString::fromStdString(s.text));
            for (const auto& s : trace->truncated) addData(QString::fromStdString(s.text));
            for (const auto& l : trace->labels) addData(QString::fromStdString(l));
        }
        for (const auto& e : exampleTexts(d->modelPath())) {
            addData(e.text);
            addData(e.note);
        }
    }

    void addWindow(const MainWindow& w) {
        for (const auto& m : bundledModels()) {
            addData(m.path);
            addData(m.name);
            addData(QFileInfo(m.path).fileName());
        }
        for (const Pane* pane : w.workspace()->allPanes())
            if (pane->document()->model()) addPane(pane);
    }

    void check(const QString& where, QString text) {
        if (text.trimmed().isEmpty()) return;
        if (Qt::mightBeRichText(text)) {
            QTextDocument doc;
            doc.setHtml(text);
            text = doc.toPlainText();
        }
        const QString rest = withoutData(text);
        static const QRegularExpression word(QStringLiteral("[A-Za-z]+(?:_[A-Za-z0-9]+)*"));
        QStringList english;
        for (auto it = word.globalMatch(rest); it.hasNext();) {
            const QString w = it.next().captured(0);
            if (w.size() > 1 && !allowed_.contains(w.toLower())) english << w;
        }
        ++checked_;
        if (!english.isEmpty())
            findings_ << QStringLiteral("%1: \"%2\" (%3)").arg(where, text.left(160), english.join(QLatin1Char(' ')));
    }
    QStringList findings() const { return findings_; }
    void clearFindings() {
        findings_.clear();
        checked_ = 0;
    }
    int checked() const { return checked_; }

private:
    static bool isWordChar(QChar c) { return (c.isLetterOrNumber() && c.unicode() < 0x80) || c == QLatin1Char('_'); }

    // The text with model data blanked out: whole words only ("lstm" the
    // node name leaves "lstmscope" alone), and data cut short with "…" (a
    // long example text in the chooser, a token label on an axis) too.
    QString withoutData(QString rest) const {
        QStringList data(data_.begin(), data_.end());
        std::sort(data.begin(), data.end(), [](const QString& a, const QString& b) { return a.size() > b.size(); });
        // File paths (a model's, a lesson's) are data too.
        static const QRegularExpression path(QStringLiteral("(?:/[^\\s/“”\"'()（）]+){2,}"));
        rest.replace(path, QStringLiteral(" "));
        // Cut-short data first, while the text is still whole.
        for (qsizetype p = rest.indexOf(QChar(0x2026)); p >= 0; p = rest.indexOf(QChar(0x2026), p + 1)) {
            qsizetype best = 0;
            for (const QString& d : data)
                for (qsizetype k = std::min<qsizetype>(d.size(), p); k > best && k >= 2; --k)
                    if (QStringView(rest).mid(p - k, k) == QStringView(d).left(k) &&
                        (p - k == 0 || !isWordChar(rest[p - k - 1]) || !isWordChar(d.front()))) {
                        best = k;
                        break;
                    }
            if (best > 0) rest.replace(p - best, best, QString(best, QLatin1Char(' ')));
        }
        for (const QString& d : data) {
            for (qsizetype at = rest.indexOf(d); at >= 0; at = rest.indexOf(d, at + 1)) {
                const qsizetype end = at + d.size();
                const bool boundedBefore = at == 0 || !isWordChar(d.front()) || !isWordChar(rest[at - 1]);
                const bool boundedAfter = end >= rest.size() || !isWordChar(d.back()) || !isWordChar(rest[end]);
                if (boundedBefore && boundedAfter) rest.replace(at, d.size(), QString(d.size(), QLatin1Char(' ')));
            }
        }
        return rest;
    }

    QSet<QString> allowed_;
    QSet<QString> data_;
    QStringList findings_;
    int checked_ = 0;
};

QString describe(const QObject* o) {
    QString path;
    for (; o; o = o->parent()) {
        const QString name = o->objectName().isEmpty() ? QString::fromLatin1(o->metaObject()->className())
                                                        : o->objectName();
        path = path.isEmpty() ? name : name + QLatin1Char('/') + path;
        if (path.count(QLatin1Char('/')) >= 3) break;
    }
    return path;
}

void scanActions(const QList<QAction*>& actions, const QString& where, EnglishFinder& f) {
    for (QAction* a : actions) {
        // Each language names itself in the language menu.
        if (a->objectName().startsWith(QLatin1String("language-")) && a->objectName() != QLatin1String("language-system"))
            continue;
        f.check(where + QStringLiteral(" action"), a->text());
        if (a->toolTip() != a->text()) f.check(where + QStringLiteral(" action tooltip"), a->toolTip());
        f.check(where + QStringLiteral(" action status tip"), a->statusTip());
        if (a->menu()) scanActions(a->menu()->actions(), where + QLatin1Char('>') + a->text(), f);
    }
}

void scanPlot(QCustomPlot* plot, const QString& where, EnglishFinder& f) {
    for (QCPAxisRect* rect : plot->axisRects())
        for (QCPAxis* axis : rect->axes()) {
            f.check(where + QStringLiteral(" axis label"), axis->label());
            if (auto text = axis->ticker().dynamicCast<QCPAxisTickerText>())
                for (const QString& t : text->ticks()) f.check(where + QStringLiteral(" tick"), t);
        }
    for (int k = 0; k < plot->plottableCount(); ++k) f.check(where + QStringLiteral(" series"), plot->plottable(k)->name());
    for (int k = 0; k < plot->itemCount(); ++k)
        if (auto* text = qobject_cast<QCPItemText*>(plot->item(k))) f.check(where + QStringLiteral(" item"), text->text());
    for (QCPLayoutElement* e : plot->plotLayout()->elements(true)) {
        if (auto* text = qobject_cast<QCPTextElement*>(e)) f.check(where + QStringLiteral(" title"), text->text());
        if (auto* scale = qobject_cast<QCPColorScale*>(e))
            f.check(where + QStringLiteral(" colour scale"), scale->axis()->label());
    }
}

// Every text of every widget, action, menu, tab, header, item and plot of
// the window, shown or not (hidden pages show when the state changes).
void scanWindow(MainWindow& w, EnglishFinder& f) {
    f.addWindow(w);
    f.check(QStringLiteral("window title"), w.windowTitle());
    scanActions(w.menuBar()->actions(), QStringLiteral("menu"), f);
    QList<QWidget*> widgets = w.findChildren<QWidget*>();
    widgets.prepend(&w);
    for (QWidget* x : widgets) {
        const QString where = describe(x);
        f.check(where + QStringLiteral(" tooltip"), x->toolTip());
        f.check(where + QStringLiteral(" status tip"), x->statusTip());
        f.check(where + QStringLiteral(" what's this"), x->whatsThis());
        if (qobject_cast<QDockWidget*>(x)) f.check(where + QStringLiteral(" title"), x->windowTitle());
        if (auto* label = qobject_cast<ElidedLabel*>(x)) {
            f.check(where, label->fullText());
        } else if (auto* label = qobject_cast<QLabel*>(x)) {
            // The model view's metadata is the manifest's, shortened.
            bool metadata = false;
            for (QWidget* p = x->parentWidget(); p; p = p->parentWidget())
                if (auto* mv = qobject_cast<ModelView*>(p)) {
                    QTextDocument doc;
                    doc.setHtml(label->text());
                    metadata = !label->text().isEmpty() && doc.toPlainText().remove(QChar(0x200B)) == mv->metadataText();
                    break;
                }
            if (!metadata) f.check(where, label->text());
        }
        if (auto* button = qobject_cast<QAbstractButton*>(x)) f.check(where, button->text());
        if (auto* combo = qobject_cast<QComboBox*>(x))
            for (int k = 0; k < combo->count(); ++k) {
                f.check(where + QStringLiteral(" item"), combo->itemText(k));
                f.check(where + QStringLiteral(" item tooltip"), combo->itemData(k, Qt::ToolTipRole).toString());
            }
        if (auto* edit = qobject_cast<QLineEdit*>(x)) f.check(where + QStringLiteral(" placeholder"), edit->placeholderText());
        if (auto* edit = qobject_cast<QPlainTextEdit*>(x))
            f.check(where + QStringLiteral(" placeholder"), edit->placeholderText());
        if (auto* tabs = qobject_cast<QTabWidget*>(x))
            for (int k = 0; k < tabs->count(); ++k) {
                f.check(where + QStringLiteral(" tab"), tabs->tabText(k));
                f.check(where + QStringLiteral(" tab tooltip"), tabs->tabToolTip(k));
            }
        if (auto* tree = qobject_cast<QTreeWidget*>(x)) {
            for (int c = 0; c < tree->columnCount(); ++c) {
                f.check(where + QStringLiteral(" header"), tree->headerItem()->text(c));
                f.check(where + QStringLiteral(" header tooltip"), tree->headerItem()->toolTip(c));
            }
            for (int r = 0; r < tree->topLevelItemCount(); ++r)
                for (int c = 0; c < tree->columnCount(); ++c) {
                    f.check(where + QStringLiteral(" cell"), tree->topLevelItem(r)->text(c));
                    f.check(where + QStringLiteral(" cell tooltip"), tree->topLevelItem(r)->toolTip(c));
                }
        }
        if (auto* table = qobject_cast<QTableWidget*>(x)) {
            for (int c = 0; c < table->columnCount(); ++c)
                if (auto* h = table->horizontalHeaderItem(c)) f.check(where + QStringLiteral(" header"), h->text());
            for (int r = 0; r < table->rowCount(); ++r)
                for (int c = 0; c < table->columnCount(); ++c)
                    if (auto* item = table->item(r, c)) {
                        f.check(where + QStringLiteral(" cell"), item->text());
                        f.check(where + QStringLiteral(" cell tooltip"), item->toolTip());
                    }
        }
        if (auto* menu = qobject_cast<QMenu*>(x)) {
            f.check(where + QStringLiteral(" menu title"), menu->title());
            scanActions(menu->actions(), where, f);
        }
        if (auto* plot = qobject_cast<QCustomPlot*>(x)) scanPlot(plot, where, f);
        // Tooltips made on hover.
        if (auto* heatmap = qobject_cast<HeatmapPlot*>(x); heatmap && heatmap->rowCount() > 0)
            f.check(where + QStringLiteral(" hover"), heatmap->toolTipText(0, 0));
        if (auto* bars = qobject_cast<PoolBarChart*>(x); bars && bars->barCount() > 0)
            f.check(where + QStringLiteral(" hover"), bars->toolTipText(0));
        if (auto* strip = qobject_cast<TokenStrip*>(x))
            for (int k = 0; k < 400; ++k) {
                const QString tip = strip->chipToolTip(k);
                if (tip.isEmpty()) break;
                f.check(where + QStringLiteral(" chip tooltip"), tip);
            }
    }
}

void settle() {
    for (int k = 0; k < 5; ++k) QCoreApplication::processEvents();
}

void expectNoEnglish(MainWindow& w, const char* state) {
    settle();
    // The data of every model opened so far: a view may keep a hidden page
    // of the previous model (the bar chart behind a tagger's table).
    static EnglishFinder data;
    data.addWindow(w);
    EnglishFinder f = data;
    f.clearFindings();
    scanWindow(w, f);
    QVERIFY2(f.checked() > 100, qPrintable(QStringLiteral("only %1 texts found").arg(f.checked())));
    // Each finding on its own line (QTest cuts long messages short).
    for (const QString& finding : f.findings()) qWarning().noquote() << "English:" << finding;
    QVERIFY2(f.findings().isEmpty(), qPrintable(QStringLiteral("%1 texts with English in the Chinese window (%2), "
                                                               "listed above; the first: %3")
                                                    .arg(f.findings().size())
                                                    .arg(QString::fromUtf8(state), f.findings().value(0))));
}

QAction* action(MainWindow& w, const QString& name) { return w.menuBar()->findChild<QAction*>(name); }

}  // namespace

class TestI18n : public QObject {
    Q_OBJECT
private slots:
    void cleanup() { i18n::setLanguage(QStringLiteral("en")); }

    void everySourceStringHasAFinishedTranslation() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString log;
        const QString updated = lupdateCopy(QStringLiteral("lstmscope_zh_CN.ts"), dir, {}, &log);
        QVERIFY2(!updated.isEmpty(), qPrintable(QStringLiteral("lupdate failed: ") + log));
        QString language;
        const auto messages = readTsFully(updated, &language);
        QCOMPARE(language, QStringLiteral("zh_CN"));
        QVERIFY2(messages.size() > 300, qPrintable(QString::number(messages.size())));
        QStringList problems;
        for (const auto& m : messages) {
            const QString where = m.context + QStringLiteral(": \"") + m.source + QLatin1Char('"');
            if (m.type == QLatin1String("vanished") || m.type == QLatin1String("obsolete")) continue;
            if (m.type == QLatin1String("unfinished")) {
                problems << where + QStringLiteral(" has no finished translation");
                continue;
            }
            if (m.forms.isEmpty() || std::any_of(m.forms.begin(), m.forms.end(), [](const QString& s) { return s.isEmpty(); })) {
                problems << where + QStringLiteral(" has an empty translation");
                continue;
            }
            // Every placeholder survives, and a menu's Alt+letter too.
            for (const QString& form : m.forms) {
                if (placeholders(form) != placeholders(m.source) &&
                    !(m.numerus && placeholders(QString(form).replace(QStringLiteral("%n"), QStringLiteral("%1"))) ==
                                       placeholders(QString(m.source).replace(QStringLiteral("%n"), QStringLiteral("%1")))))
                    problems << where + QStringLiteral(": placeholders %1 in \"%2\"")
                                            .arg(placeholders(m.source).join(QLatin1Char(' ')), form);
                if (mnemonic(m.source) != mnemonic(form))
                    problems << where + QStringLiteral(": the shortcut letter &%1 is missing in \"%2\"")
                                            .arg(mnemonic(m.source), form);
            }
        }
        QVERIFY2(problems.isEmpty(),
                 qPrintable(QStringLiteral("resources/translations/lstmscope_zh_CN.ts (run the update_translations "
                                           "target, then translate in Qt Linguist):\n  ") +
                            problems.join(QStringLiteral("\n  "))));
    }

    void everyPluralHasItsEnglishForms() {
        QTemporaryDir dir;
        QString log;
        const QString updated =
            lupdateCopy(QStringLiteral("lstmscope_en.ts"), dir, {QStringLiteral("-pluralonly")}, &log);
        QVERIFY2(!updated.isEmpty(), qPrintable(QStringLiteral("lupdate failed: ") + log));
        QString language;
        const auto messages = readTsFully(updated, &language);
        QVERIFY2(language.startsWith(QLatin1String("en")), qPrintable(language));
        QVERIFY(!messages.isEmpty());
        QStringList problems;
        for (const auto& m : messages) {
            if (m.type == QLatin1String("vanished") || m.type == QLatin1String("obsolete")) continue;
            if (m.type == QLatin1String("unfinished") || m.forms.size() != 2 || m.forms.contains(QString()))
                problems << m.context + QStringLiteral(": \"") + m.source + QLatin1Char('"');
        }
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("lstmscope_en.ts needs singular and plural for:\n  ") +
                                                problems.join(QStringLiteral("\n  "))));
        QVERIFY(i18n::setLanguage(QStringLiteral("en")));
        QCOMPARE(QCoreApplication::translate("MainWindow", "%n tokens", nullptr, 1), QStringLiteral("1 token"));
        QCOMPARE(QCoreApplication::translate("MainWindow", "%n tokens", nullptr, 7), QStringLiteral("7 tokens"));
    }

    void translationsAreEmbeddedAndQtsOwnLoad() {
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/lstmscope_zh_CN.qm")));
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/lstmscope_en.qm")));
        QVERIFY(i18n::setLanguage(QStringLiteral("zh_CN")));
        QCOMPARE(i18n::currentLanguage(), QStringLiteral("zh_CN"));
        QCOMPARE(QCoreApplication::translate("ViewRegistry", "Attention"), QStringLiteral("注意力"));
        QCOMPARE(QCoreApplication::translate("MainWindow", "%n tokens", nullptr, 1), QStringLiteral("1 个词元"));
        // Qt's own strings (qt6-translations-l10n): standard buttons say 取消 too.
        QVERIFY2(i18n::qtTranslationLoaded(), "qtbase_zh_CN.qm did not load from QLibraryInfo::TranslationsPath");
        QDialogButtonBox box(QDialogButtonBox::Cancel);
        QCOMPARE(box.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("取消"));
        QVERIFY(!i18n::setLanguage(QStringLiteral("fr")));
        QCOMPARE(i18n::currentLanguage(), QStringLiteral("zh_CN"));  // unchanged
    }

    void theSystemLocaleChoosesTheLanguage() {
        QCOMPARE(i18n::languageForLocale(QLocale(QStringLiteral("zh_CN"))), QStringLiteral("zh_CN"));
        QCOMPARE(i18n::languageForLocale(QLocale(QStringLiteral("zh_TW"))), QStringLiteral("zh_CN"));
        QCOMPARE(i18n::languageForLocale(QLocale(QStringLiteral("en_GB"))), QStringLiteral("en"));
        QCOMPARE(i18n::languageForLocale(QLocale(QStringLiteral("de_DE"))), QStringLiteral("en"));
        QCOMPARE(i18n::normalize(QStringLiteral("zh")), QStringLiteral("zh_CN"));
        QCOMPARE(i18n::normalize(QStringLiteral("zh-CN")), QStringLiteral("zh_CN"));
        QCOMPARE(i18n::normalize(QStringLiteral("en_US")), QStringLiteral("en"));
        QCOMPARE(i18n::normalize(QStringLiteral("klingon")), QString());
        // No choice saved: the system decides; a saved choice wins.
        i18n::saveLanguage(QString());
        QCOMPARE(i18n::startupLanguage(), i18n::languageForLocale(QLocale::system()));
        i18n::saveLanguage(QStringLiteral("zh_CN"));
        QCOMPARE(i18n::startupLanguage(), QStringLiteral("zh_CN"));
        i18n::saveLanguage(QString());
    }

    void theChineseWindowShowsNoEnglish() {
        QVERIFY(i18n::setLanguage(QStringLiteral("zh_CN")));
        MainWindow w(false);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(w.openModel(bundled(kZhModel), true));
        w.setText(kZhText);
        w.selection()->setToken(3);
        w.selection()->setUnit(2);
        expectNoEnglish(w, "Chinese model");
        QCOMPARE(w.dock(QStringLiteral("attention"))->windowTitle(), QStringLiteral("注意力"));

        // A text that cannot run: the placeholders and the status bar say why.
        w.setText(QString());
        expectNoEnglish(w, "empty text");
        QVERIFY2(w.statusText().contains(QStringLiteral("没有任何词元")), qPrintable(w.statusText()));

        // The other kinds of model: pooling, no attention, multi-head (all
        // heads), a tagger's table.
        for (const QString& model : {QStringLiteral("sentiment_en_bilstm_pool"), QStringLiteral("sentiment_en_lstm_last"),
                                     QStringLiteral("sentiment_en_bigru_attn"), QStringLiteral("seed_a_sms_spam"),
                                     QStringLiteral("seed_b_lookup_tagger")}) {
            QVERIFY(w.openModel(bundled(model), true));
            w.setText(QStringLiteral("the food was good but the service was awful"));
            w.selection()->setToken(1);
            w.selection()->setUnit(0);
            if (model == QLatin1String("seed_a_sms_spam")) w.attentionView()->setShowAllHeads(true);
            expectNoEnglish(w, qPrintable(model));
        }
    }

    void theChineseTeachingViewsShowNoEnglish() {
        // The step bar, the cell and attention equation views, a lesson's
        // caption bar and presentation mode, stepping in cell stages.
        QVERIFY(i18n::setLanguage(QStringLiteral("zh_CN")));
        MainWindow w(false);
        w.resize(1600, 1000);
        w.show();
        QVERIFY2(w.openLesson(bundledLessons().at(0).path, true), qPrintable(w.lastError()));
        w.presenter()->goToScene(2);
        for (const QString id : {"cell", "equation", "attention", "prediction"}) w.dock(id)->show();
        QTRY_VERIFY(w.document()->traceHasDetails());
        expectNoEnglish(w, "lesson, stepping in cell stages");
        QVERIFY(w.presenter()->captionText().contains(QStringLiteral("遗忘")));
        w.presenter()->setPresenting(true);
        w.stepBar()->last();
        expectNoEnglish(w, "presenting, last step");
        w.presenter()->setPresenting(false);
        // A model with attention: the equation view's formula and table.
        QVERIFY(w.openModel(bundled(kZhModel), true));
        w.setText(kZhText);
        w.selection()->setStep(-1);
        w.selection()->setToken(3);
        QTRY_VERIFY(w.document()->traceHasDetails());
        expectNoEnglish(w, "attention equation");
        // A GRU: its equations under the note, stepping in its stages.
        QVERIFY(w.openModel(bundled(QStringLiteral("sentiment_en_bigru_attn")), true));
        w.setText(QStringLiteral("the food was good but the service was slow"));
        w.selection()->setCellPhases(true);
        w.selection()->setStep(5);
        w.selection()->setUnit(3);
        expectNoEnglish(w, "GRU cell, stepping in its stages");
        w.selection()->setCellPhases(false);
        w.presenter()->closeLesson();
    }

    void theChineseCompareModeShowsNoEnglish() {
        QVERIFY(i18n::setLanguage(QStringLiteral("zh_CN")));
        MainWindow w(false);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(w.openModel(bundled(kZhModel), true));
        w.setText(kZhText);
        // Two models on one text.
        QVERIFY(w.compareWithModel(bundled(QStringLiteral("sentiment_en_bilstm_pool")), true));
        w.selection()->setToken(2);
        expectNoEnglish(w, "two models");
        QVERIFY(w.windowTitle().contains(QStringLiteral("对比")));
        w.closeComparison();
        // One model on two texts, the same unit on both.
        QVERIFY(w.pinText(kZhTextB, true));
        w.setText(kZhText);
        w.selection()->setToken(4);
        w.selection()->setUnit(1);
        QVERIFY(w.compareArea());
        expectNoEnglish(w, "pinned text");
        PaneWidget* b = w.compareArea()->paneWidget(1);
        QVERIFY(b->findChild<QLineEdit*>(QStringLiteral("textB"))->placeholderText().contains(QStringLiteral("文本 B")));
    }

    void theLanguageSwitchesLiveFromTheViewMenu() {
        QVERIFY(i18n::setLanguage(QStringLiteral("en")));
        MainWindow w(false);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(w.openModel(bundled(kZhModel), true));
        w.setText(kZhText);
        QVERIFY(w.pinText(kZhTextB, true));
        w.selection()->setToken(3);
        w.selection()->setUnit(5);
        QCOMPARE(w.menuBar()->actions().value(0)->text(), QStringLiteral("&File"));
        QAction* chinese = action(w, QStringLiteral("language-zh_CN"));
        QVERIFY(chinese);
        QCOMPARE(chinese->text(), QStringLiteral("中文 (简体)"));  // named in itself
        chinese->trigger();
        QTRY_COMPARE(w.menuBar()->actions().value(0)->text(), QStringLiteral("文件(&F)"));
        QCOMPARE(i18n::currentLanguage(), QStringLiteral("zh_CN"));
        // The same model, text, comparison and selection, now in Chinese.
        QCOMPARE(w.workspace()->mode(), Workspace::Mode::TwoTexts);
        QCOMPARE(w.textEditor()->toPlainText(), kZhText);
        QCOMPARE(w.selection()->token(), 3);
        QCOMPARE(w.selection()->unit(), 5);
        QCOMPARE(w.dock(QStringLiteral("gates"))->windowTitle(), QStringLiteral("LSTM / GRU 门控与状态"));
        QVERIFY(action(w, QStringLiteral("language-zh_CN"))->isChecked());
        expectNoEnglish(w, "after switching live");
        // Leaving compare mode brings the (rebuilt) docks back.
        w.closeComparison();
        settle();
        QVERIFY(w.dock(QStringLiteral("attention"))->isVisibleTo(&w));
        QVERIFY(w.attentionView() && w.attentionView()->isVisibleTo(&w));
        QAction* english = action(w, QStringLiteral("language-en"));
        QVERIFY(english);
        english->trigger();
        QCOMPARE(i18n::currentLanguage(), QStringLiteral("en"));
        QTRY_COMPARE(w.menuBar()->actions().value(0)->text(), QStringLiteral("&File"));
        QCOMPARE(w.dock(QStringLiteral("attention"))->windowTitle(), QStringLiteral("Attention"));
        QVERIFY(w.statusText().contains(QStringLiteral("tokens")));
    }

    void theCommandLineChoosesTheLanguage() {
        QProcess app;
        app.start(QStringLiteral(LSTMSCOPE_APP), {QStringLiteral("--lang"), QStringLiteral("zh_CN"), QStringLiteral("--help")});
        QVERIFY(app.waitForFinished(60000));
        const QString help = QString::fromUtf8(app.readAllStandardOutput());
        QVERIFY2(help.contains(QStringLiteral("查看 LSTM 与注意力文本模型的内部")), qPrintable(help));
        QVERIFY(help.contains(QStringLiteral("--lang")));

        app.start(QStringLiteral(LSTMSCOPE_APP), {QStringLiteral("--lang"), QStringLiteral("en"), QStringLiteral("--help")});
        QVERIFY(app.waitForFinished(60000));
        QVERIFY(QString::fromUtf8(app.readAllStandardOutput()).contains(QStringLiteral("Looks inside LSTM")));

        app.start(QStringLiteral(LSTMSCOPE_APP), {QStringLiteral("--lang"), QStringLiteral("xx"), QStringLiteral("--help")});
        QVERIFY(app.waitForFinished(60000));
        QCOMPARE(app.exitCode(), 2);
        QVERIFY(QString::fromUtf8(app.readAllStandardError()).contains(QStringLiteral("--lang")));
    }
};

QTEST_MAIN(TestI18n)
#include "test_i18n.moc"
