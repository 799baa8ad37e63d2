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
#include "engine/version.h"
#include "gui/bundled_models.h"
#include "gui/command_line.h"
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

// The offscreen platform warns about a window feature it does not have on
// every layout change; in screenshot mode that is noise, not news.
void quietOffscreenWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.contains(QLatin1String("propagateSizeHints"))) return;
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

// The identity QSettings and --version read, the same for both kinds of application.
void setIdentity() {
    QCoreApplication::setApplicationName("lstmscope");
    QCoreApplication::setOrganizationName("lstmscope");
    QCoreApplication::setApplicationVersion(lstmscope::kVersion);
}

// The interface language: --lang, else View > Language, else the system's.
// False (after saying why) when --lang names a language we do not have.
bool setUpLanguage(int argc, char** argv) {
    bool langGiven = false;
    const QString langArgument = languageArgument(argc, argv, &langGiven);
    const QString language = langGiven ? i18n::normalize(langArgument) : i18n::startupLanguage();
    if (langGiven && language.isEmpty()) {
        std::fprintf(stderr, "lstmscope: --lang needs one of %s, got '%s'\n",
                     qPrintable(i18n::languages().join(QStringLiteral(", "))), qPrintable(langArgument));
        return false;
    }
    if (!i18n::setLanguage(language))
        std::fprintf(stderr, "lstmscope: the %s translation did not load; the interface stays English\n",
                     qPrintable(language));
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    lstmscope::keep_freed_memory_for_reuse();  // before anything allocates
    // A screenshot needs no display: fall back to the offscreen platform
    // when there is none, so `--screenshot` works over ssh and in CI.
    const bool noWindowSystem = qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
                                qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
    for (int k = 1; k < argc; ++k)
        if (QByteArray(argv[k]) == "--screenshot" && noWindowSystem) qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietOffscreenWarnings);

    // --help and --version need no window, and a QApplication cannot exist
    // without a display: answer them from a QCoreApplication (in the --lang
    // language), so that they work over ssh and make the man page at build
    // time. A command line that does not parse here may hold Qt's own GUI
    // options (-platform, -style), which only QApplication knows: with a
    // window system it goes on to the window, without one the parser's
    // message beats Qt's abort.
    if (mentionsHelpOrVersion(argc, argv)) {
        QCoreApplication core(argc, argv);
        setIdentity();
        if (!setUpLanguage(argc, argv)) return 2;
        CommandLine commandLine;
        const bool parsed = commandLine.parser.parse(core.arguments());
        if (parsed ? commandLine.asksForHelpOrVersion() : noWindowSystem)
            commandLine.parser.process(core);  // prints the help, the version or the error, and exits
    }

    QApplication app(argc, argv);
    setIdentity();
    QApplication::setWindowIcon(QIcon(":/icons/lstmscope.svg"));
    // The installed menu entry's id (resources/linux/): Wayland desktops match
    // the window to its entry, and so to its name and icon, by this.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.lstmscope.lstmscope"));
    if (!setUpLanguage(argc, argv)) return 2;

    CommandLine cl;
    QCommandLineParser& parser = cl.parser;
    parser.process(app);

    // Remembered for the model files they are given with (import_sources.h),
    // so the model reopens the same way later.
    auto rememberKerasOptions = [&](const QString& path) {
        if (path.isEmpty()) return;
        lstmscope::ImportOptions o = importOptionsFor(path);
        if (parser.isSet(cl.tokenizerOption)) o.tokenizer = QFileInfo(parser.value(cl.tokenizerOption)).absoluteFilePath().toStdString();
        if (parser.isSet(cl.tokenizerTypeOption)) o.tokenizer_type = parser.value(cl.tokenizerTypeOption).toStdString();
        if (parser.isSet(cl.architectureOption))
            o.architecture = QFileInfo(parser.value(cl.architectureOption)).absoluteFilePath().toStdString();
        if (parser.isSet(cl.customLayersOption))
            o.custom_layers = QFileInfo(parser.value(cl.customLayersOption)).absoluteFilePath().toStdString();
        if (parser.isSet(cl.paddingOption)) o.padding = parser.value(cl.paddingOption).toStdString();
        rememberImportOptions(path, o, /*persist=*/!parser.isSet(cl.screenshotOption));
    };
    for (const QCommandLineOption* option :
         {&cl.tokenizerOption, &cl.tokenizerTypeOption, &cl.architectureOption, &cl.customLayersOption, &cl.paddingOption})
        if (parser.isSet(*option)) {
            rememberKerasOptions(parser.positionalArguments().value(0));
            if (parser.isSet(cl.compareOption)) rememberKerasOptions(parser.value(cl.compareOption));
            break;
        }

    const bool screenshot = parser.isSet(cl.screenshotOption);
    QSize size(1600, 1000);
    if (parser.isSet(cl.sizeOption)) {
        const QStringList parts = parser.value(cl.sizeOption).toLower().split('x');
        bool okW = false, okH = false;
        if (parts.size() == 2) size = QSize(parts[0].toInt(&okW), parts[1].toInt(&okH));
        if (!okW || !okH || size.width() < 200 || size.height() < 150 || size.width() > 8000 || size.height() > 8000) {
            std::fprintf(stderr, "lstmscope: %s\n",
                         qPrintable(CommandLine::tr("--size needs WIDTHxHEIGHT between 200x150 and 8000x8000, got '%1'")
                                        .arg(parser.value(cl.sizeOption))));
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
    if (parser.isSet(cl.textOption)) window.setText(parser.value(cl.textOption));
    if (parser.isSet(cl.compareOption) && parser.isSet(cl.pinOption)) {
        std::fprintf(stderr, "lstmscope: %s\n",
                     qPrintable(CommandLine::tr("--compare and --pin-text are two kinds of comparison; give one")));
        return 2;
    }
    if (parser.isSet(cl.stackedOption)) window.setCompareStacked(true);
    if (parser.isSet(cl.compareOption) && !window.compareWithModel(parser.value(cl.compareOption), /*quiet=*/screenshot) &&
        screenshot) {
        std::fprintf(stderr, "%s\n", qPrintable(window.lastError()));
        return 2;
    }
    if (parser.isSet(cl.pinOption) && !window.pinText(parser.value(cl.pinOption), /*quiet=*/screenshot) && screenshot) {
        std::fprintf(stderr, "%s\n", qPrintable(window.lastError()));
        return 2;
    }

    if (parser.isSet(cl.lessonOption)) {
        if (!window.openLesson(parser.value(cl.lessonOption), /*quiet=*/screenshot) && screenshot) {
            std::fprintf(stderr, "%s\n", qPrintable(window.lastError()));
            return 2;
        }
        if (parser.isSet(cl.sceneOption)) {
            bool ok = false;
            const int scene = parser.value(cl.sceneOption).toInt(&ok);
            const auto& lesson = window.presenter()->lesson();
            if (!ok || !lesson || scene < 1 || scene > static_cast<int>(lesson->scenes.size())) {
                std::fprintf(stderr, "lstmscope: %s\n",
                             qPrintable(CommandLine::tr("--scene needs a scene number of the lesson, got '%1'")
                                            .arg(parser.value(cl.sceneOption))));
                return 2;
            }
            window.presenter()->goToScene(scene - 1);
        }
    }
    if (parser.isSet(cl.scaleOption)) {
        bool ok = false;
        const double scale = parser.value(cl.scaleOption).toDouble(&ok);
        if (!ok || scale < 1 || scale > 2.5) {
            std::fprintf(stderr, "lstmscope: %s\n",
                         qPrintable(CommandLine::tr("--scale needs a number from 1 to 2.5, got '%1'").arg(parser.value(cl.scaleOption))));
            return 2;
        }
        window.presenter()->setScale(scale);
    }
    if (parser.isSet(cl.presentOption) || parser.isSet(cl.scaleOption)) window.presenter()->setPresenting(true);

    CorpusWindow* corpus = nullptr;
    if (parser.isSet(cl.datasetOption)) {
        const QStringList pages{QStringLiteral("saturation"), QStringLiteral("patterns"), QStringLiteral("faithfulness")};
        const int page = parser.isSet(cl.corpusPageOption) ? static_cast<int>(pages.indexOf(parser.value(cl.corpusPageOption))) : 0;
        if (page < 0) {
            std::fprintf(stderr, "lstmscope: %s\n",
                         qPrintable(CommandLine::tr("--corpus-page needs saturation, patterns or faithfulness, got '%1'")
                                        .arg(parser.value(cl.corpusPageOption))));
            return 2;
        }
        corpus = window.openDataset(parser.value(cl.datasetOption), /*show=*/!screenshot);
        corpus->options()->setFaithfulness(parser.isSet(cl.faithfulnessOption));
        corpus->showPage(static_cast<CorpusWindow::Page>(page));
        if (!corpus->run()) {
            std::fprintf(stderr, "lstmscope: %s\n", qPrintable(corpus->statusText()));
            return 2;
        }
        const int unit = parser.isSet(cl.unitOption) ? parser.value(cl.unitOption).toInt() : -1;
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
        if (!renderScreenshot(*corpus, size, parser.value(cl.screenshotOption), &error)) {
            std::fprintf(stderr, "lstmscope: %s\n", qPrintable(error));
            return 2;
        }
        return 0;
    }
    if (screenshot) {
        window.resize(size);
        QString error;
        if (!renderScreenshot(window, size, parser.value(cl.screenshotOption), &error)) {
            std::fprintf(stderr, "lstmscope: %s\n", qPrintable(error));
            return 2;
        }
        return 0;
    }
    window.show();
    if (corpus) corpus->raise();
    return app.exec();
}
