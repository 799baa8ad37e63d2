// lstmscope: the desktop application. Thin by design: parse the command
// line, open the window, open a model, optionally render a screenshot.
#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>
#include <QIcon>
#include <QSettings>
#include <QTimer>
#include <cstdio>

#include "engine/allocator_tuning.h"
#include "gui/bundled_models.h"
#include "gui/corpus/corpus_job.h"
#include "gui/corpus/corpus_window.h"
#include "gui/corpus/dataset_options.h"
#include "gui/corpus/saturation_panel.h"
#include "gui/i18n.h"
#include "gui/main_window.h"
#include "gui/screenshot.h"
#include "gui/teaching/presenter.h"
#include "gui/workspace/document.h"
#include "gui/workspace/import_sources.h"

namespace {

// The context of the command line's texts (--help, errors).
struct CommandLine {
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
};

// The offscreen platform warns about a window feature it does not have on
// every layout change; in screenshot mode that is noise, not news.
void quietOffscreenWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.contains(QLatin1String("propagateSizeHints"))) return;
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}
// The value of --lang (or --lang=...), read before the parser exists so
// that the parser's own texts (--help) are in that language; empty if absent.
QString languageArgument(int argc, char** argv, bool* given) {
    *given = false;
    for (int k = 1; k < argc; ++k) {
        const QByteArray arg(argv[k]);
        if (arg == "--lang") {
            *given = true;
            return k + 1 < argc ? QString::fromLocal8Bit(argv[k + 1]) : QString();
        }
        if (arg.startsWith("--lang=")) {
            *given = true;
            return QString::fromLocal8Bit(arg.mid(7));
        }
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    lstmscope::keep_freed_memory_for_reuse();  // before anything allocates
    // A screenshot needs no display: fall back to the offscreen platform
    // when there is none, so `--screenshot` works over ssh and in CI.
    for (int k = 1; k < argc; ++k)
        if (QByteArray(argv[k]) == "--screenshot" && qEnvironmentVariableIsEmpty("DISPLAY") &&
            qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietOffscreenWarnings);

    QApplication app(argc, argv);
    QApplication::setApplicationName("lstmscope");
    QApplication::setOrganizationName("lstmscope");
    QApplication::setApplicationVersion(LSTMSCOPE_VERSION);
    QApplication::setWindowIcon(QIcon(":/icons/lstmscope.svg"));

    // The interface language: --lang, else View > Language, else the system's.
    bool langGiven = false;
    const QString langArgument = languageArgument(argc, argv, &langGiven);
    const QString language = langGiven ? i18n::normalize(langArgument) : i18n::startupLanguage();
    if (langGiven && language.isEmpty()) {
        std::fprintf(stderr, "lstmscope: --lang needs one of %s, got '%s'\n",
                     qPrintable(i18n::languages().join(QStringLiteral(", "))), qPrintable(langArgument));
        return 2;
    }
    if (!i18n::setLanguage(language))
        std::fprintf(stderr, "lstmscope: the %s translation did not load; the interface stays English\n",
                     qPrintable(language));

    QCommandLineParser parser;
    parser.setApplicationDescription(CommandLine::tr("Looks inside LSTM and attention text models."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        "model",
        CommandLine::tr("The model to open: a manifest (MODEL.json) or a Keras file (.h5, .keras); default: a bundled model."),
        "[MODEL]");
    const QCommandLineOption textOption("text", CommandLine::tr("The text to run the model on."),
                                        CommandLine::tr("text"));
    const QCommandLineOption screenshotOption(
        "screenshot", CommandLine::tr("Render the window to a PNG file and exit."), CommandLine::tr("file.png"));
    const QCommandLineOption sizeOption("size", CommandLine::tr("Window size for --screenshot (default 1600x1000)."),
                                        CommandLine::tr("WxH"), "1600x1000");
    const QCommandLineOption compareOption("compare", CommandLine::tr("Compare with a second model on the same text."),
                                           CommandLine::tr("B.json"));
    const QCommandLineOption pinOption(
        "pin-text", CommandLine::tr("Compare the model on two texts: this one is pinned as side B, --text is side A."),
        CommandLine::tr("text"));
    const QCommandLineOption stackedOption("stacked",
                                           CommandLine::tr("Compare mode: stack the panes instead of side by side."));
    const QCommandLineOption langOption(
        "lang",
        CommandLine::tr("Interface language: en or zh_CN (default: as chosen in View > Language, else the system's)."),
        CommandLine::tr("language"));
    const QCommandLineOption lessonOption("lesson", CommandLine::tr("Open a lesson (see File > Lessons) and play its first scene."),
                                          CommandLine::tr("lesson.json"));
    const QCommandLineOption sceneOption("scene", CommandLine::tr("With --lesson: start at this scene (from 1)."),
                                         CommandLine::tr("n"));
    const QCommandLineOption presentOption("present", CommandLine::tr("Start in presentation mode (View > Present)."));
    const QCommandLineOption scaleOption("scale", CommandLine::tr("Presentation scale, 1 to 2.5 (implies --present)."),
                                         CommandLine::tr("factor"));
    const QCommandLineOption datasetOption(
        "dataset", CommandLine::tr("Open the corpus window (File > Open dataset) on this dataset and run it; with "
                                   "--screenshot, the corpus window is rendered once the run is done."),
        CommandLine::tr("file"));
    const QCommandLineOption faithfulnessOption(
        "faithfulness", CommandLine::tr("With --dataset: also test the attention's faithfulness."));
    const QCommandLineOption corpusPageOption(
        "corpus-page", CommandLine::tr("With --dataset: the page to show: saturation, patterns or faithfulness."),
        CommandLine::tr("page"));
    const QCommandLineOption unitOption(
        "unit", CommandLine::tr("With --dataset: select this unit in the saturation page (its top contexts)."),
        CommandLine::tr("n"));
    // A Keras model's missing parts, as the command line's options of the same names.
    const QCommandLineOption tokenizerOption(
        "tokenizer", CommandLine::tr("A Keras model's vocabulary: its Tokenizer.to_json() file, or one token per line."),
        CommandLine::tr("file"));
    const QCommandLineOption tokenizerTypeOption(
        "tokenizer-type",
        CommandLine::tr("How a vocabulary file splits text: word, char, whitespace, keras or keras_char."),
        CommandLine::tr("type"));
    const QCommandLineOption architectureOption(
        "architecture", CommandLine::tr("A weights-only Keras file's model.to_json() or to_yaml() output."),
        CommandLine::tr("file"));
    const QCommandLineOption customLayersOption(
        "custom-layers", CommandLine::tr("What a Keras model's custom layers compute (README, Custom Keras layers)."),
        CommandLine::tr("file"));
    const QCommandLineOption paddingOption(
        "padding", CommandLine::tr("Pad a fixed-length Keras model's input: pre (default), post or none."),
        CommandLine::tr("side"));
    parser.addOptions({textOption, screenshotOption, sizeOption, compareOption, pinOption, stackedOption, langOption,
                       lessonOption, sceneOption, presentOption, scaleOption, datasetOption, faithfulnessOption,
                       corpusPageOption, unitOption, tokenizerOption, tokenizerTypeOption, architectureOption,
                       customLayersOption, paddingOption});
    parser.process(app);

    // Remembered for the model files they are given with (import_sources.h),
    // so the model reopens the same way later.
    auto rememberKerasOptions = [&](const QString& path) {
        if (path.isEmpty()) return;
        lstmscope::ImportOptions o = importOptionsFor(path);
        if (parser.isSet(tokenizerOption)) o.tokenizer = QFileInfo(parser.value(tokenizerOption)).absoluteFilePath().toStdString();
        if (parser.isSet(tokenizerTypeOption)) o.tokenizer_type = parser.value(tokenizerTypeOption).toStdString();
        if (parser.isSet(architectureOption))
            o.architecture = QFileInfo(parser.value(architectureOption)).absoluteFilePath().toStdString();
        if (parser.isSet(customLayersOption))
            o.custom_layers = QFileInfo(parser.value(customLayersOption)).absoluteFilePath().toStdString();
        if (parser.isSet(paddingOption)) o.padding = parser.value(paddingOption).toStdString();
        rememberImportOptions(path, o, /*persist=*/!parser.isSet(screenshotOption));
    };
    for (const QCommandLineOption* option :
         {&tokenizerOption, &tokenizerTypeOption, &architectureOption, &customLayersOption, &paddingOption})
        if (parser.isSet(*option)) {
            rememberKerasOptions(parser.positionalArguments().value(0));
            if (parser.isSet(compareOption)) rememberKerasOptions(parser.value(compareOption));
            break;
        }

    const bool screenshot = parser.isSet(screenshotOption);
    QSize size(1600, 1000);
    if (parser.isSet(sizeOption)) {
        const QStringList parts = parser.value(sizeOption).toLower().split('x');
        bool okW = false, okH = false;
        if (parts.size() == 2) size = QSize(parts[0].toInt(&okW), parts[1].toInt(&okH));
        if (!okW || !okH || size.width() < 200 || size.height() < 150 || size.width() > 8000 || size.height() > 8000) {
            std::fprintf(stderr, "lstmscope: %s\n",
                         qPrintable(CommandLine::tr("--size needs WIDTHxHEIGHT between 200x150 and 8000x8000, got '%1'")
                                        .arg(parser.value(sizeOption))));
            return 2;
        }
    }

    MainWindow window(/*persistent=*/!screenshot);
    QString model = parser.positionalArguments().value(0);
    const bool modelGiven = !model.isEmpty();
    if (!modelGiven) model = screenshot ? defaultModelPath() : QSettings().value("lastModel", defaultModelPath()).toString();
    if (!model.isEmpty() && !window.openModel(model, /*quiet=*/screenshot || !modelGiven) && screenshot) {
        std::fprintf(stderr, "%s\n", qPrintable(window.lastError()));
        return 2;
    }
    if (!window.document()->model() && !modelGiven && model != defaultModelPath() && !defaultModelPath().isEmpty())
        window.openModel(defaultModelPath(), true);  // the remembered model went away
    if (parser.isSet(textOption)) window.setText(parser.value(textOption));
    if (parser.isSet(compareOption) && parser.isSet(pinOption)) {
        std::fprintf(stderr, "lstmscope: %s\n",
                     qPrintable(CommandLine::tr("--compare and --pin-text are two kinds of comparison; give one")));
        return 2;
    }
    if (parser.isSet(stackedOption)) window.setCompareStacked(true);
    if (parser.isSet(compareOption) && !window.compareWithModel(parser.value(compareOption), /*quiet=*/screenshot) &&
        screenshot) {
        std::fprintf(stderr, "%s\n", qPrintable(window.lastError()));
        return 2;
    }
    if (parser.isSet(pinOption) && !window.pinText(parser.value(pinOption), /*quiet=*/screenshot) && screenshot) {
        std::fprintf(stderr, "%s\n", qPrintable(window.lastError()));
        return 2;
    }

    if (parser.isSet(lessonOption)) {
        if (!window.openLesson(parser.value(lessonOption), /*quiet=*/screenshot) && screenshot) {
            std::fprintf(stderr, "%s\n", qPrintable(window.lastError()));
            return 2;
        }
        if (parser.isSet(sceneOption)) {
            bool ok = false;
            const int scene = parser.value(sceneOption).toInt(&ok);
            const auto& lesson = window.presenter()->lesson();
            if (!ok || !lesson || scene < 1 || scene > static_cast<int>(lesson->scenes.size())) {
                std::fprintf(stderr, "lstmscope: %s\n",
                             qPrintable(CommandLine::tr("--scene needs a scene number of the lesson, got '%1'")
                                            .arg(parser.value(sceneOption))));
                return 2;
            }
            window.presenter()->goToScene(scene - 1);
        }
    }
    if (parser.isSet(scaleOption)) {
        bool ok = false;
        const double scale = parser.value(scaleOption).toDouble(&ok);
        if (!ok || scale < 1 || scale > 2.5) {
            std::fprintf(stderr, "lstmscope: %s\n",
                         qPrintable(CommandLine::tr("--scale needs a number from 1 to 2.5, got '%1'").arg(parser.value(scaleOption))));
            return 2;
        }
        window.presenter()->setScale(scale);
    }
    if (parser.isSet(presentOption) || parser.isSet(scaleOption)) window.presenter()->setPresenting(true);

    CorpusWindow* corpus = nullptr;
    if (parser.isSet(datasetOption)) {
        const QStringList pages{QStringLiteral("saturation"), QStringLiteral("patterns"), QStringLiteral("faithfulness")};
        const int page = parser.isSet(corpusPageOption) ? static_cast<int>(pages.indexOf(parser.value(corpusPageOption))) : 0;
        if (page < 0) {
            std::fprintf(stderr, "lstmscope: %s\n",
                         qPrintable(CommandLine::tr("--corpus-page needs saturation, patterns or faithfulness, got '%1'")
                                        .arg(parser.value(corpusPageOption))));
            return 2;
        }
        corpus = window.openDataset(parser.value(datasetOption), /*show=*/!screenshot);
        corpus->options()->setFaithfulness(parser.isSet(faithfulnessOption));
        corpus->showPage(static_cast<CorpusWindow::Page>(page));
        if (!corpus->run()) {
            std::fprintf(stderr, "lstmscope: %s\n", qPrintable(corpus->statusText()));
            return 2;
        }
        const int unit = parser.isSet(unitOption) ? parser.value(unitOption).toInt() : -1;
        if (unit >= 0)
            QObject::connect(corpus->job(), &CorpusJob::finished, corpus, [corpus, unit] {
                corpus->saturation()->selectUnit(unit);
            });
        if (screenshot) {
            // The screenshot shows the finished run.
            while (corpus->job()->running()) {
                QApplication::processEvents(QEventLoop::AllEvents, 50);
                QThread::msleep(5);
            }
            QApplication::processEvents();
            if (corpus->job()->results().state == CorpusResults::State::Failed) {
                std::fprintf(stderr, "lstmscope: %s\n", corpus->job()->results().error.c_str());
                return 2;
            }
        }
    }

    if (screenshot && corpus) {
        QString error;
        if (!renderScreenshot(*corpus, size, parser.value(screenshotOption), &error)) {
            std::fprintf(stderr, "lstmscope: %s\n", qPrintable(error));
            return 2;
        }
        return 0;
    }
    if (screenshot) {
        window.resize(size);
        QString error;
        if (!renderScreenshot(window, size, parser.value(screenshotOption), &error)) {
            std::fprintf(stderr, "lstmscope: %s\n", qPrintable(error));
            return 2;
        }
        return 0;
    }
    window.show();
    if (corpus) corpus->raise();
    return app.exec();
}
