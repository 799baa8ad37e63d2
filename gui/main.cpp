// lstmscope: the desktop application. Thin by design: parse the command
// line, open the window, open a model, optionally render a screenshot.
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>
#include <QTimer>
#include <cstdio>

#include "gui/bundled_models.h"
#include "gui/main_window.h"
#include "gui/screenshot.h"
#include "gui/workspace/document.h"

namespace {
// The offscreen platform warns about a window feature it does not have on
// every layout change; in screenshot mode that is noise, not news.
void quietOffscreenWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.contains(QLatin1String("propagateSizeHints"))) return;
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}
}  // namespace

int main(int argc, char** argv) {
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

    QCommandLineParser parser;
    parser.setApplicationDescription("Looks inside LSTM and attention text models.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("model", "The model manifest (MODEL.json) to open; default: a bundled model.", "[MODEL.json]");
    const QCommandLineOption textOption("text", "The text to run the model on.", "text");
    const QCommandLineOption screenshotOption("screenshot", "Render the window to a PNG file and exit.", "file.png");
    const QCommandLineOption sizeOption("size", "Window size for --screenshot (default 1600x1000).", "WxH", "1600x1000");
    const QCommandLineOption compareOption("compare", "Compare with a second model on the same text.", "B.json");
    const QCommandLineOption pinOption("pin-text",
                                       "Compare the model on two texts: this one is pinned as side B, --text is side A.",
                                       "text");
    const QCommandLineOption stackedOption("stacked", "Compare mode: stack the panes instead of side by side.");
    parser.addOptions({textOption, screenshotOption, sizeOption, compareOption, pinOption, stackedOption});
    parser.process(app);

    const bool screenshot = parser.isSet(screenshotOption);
    QSize size(1600, 1000);
    if (parser.isSet(sizeOption)) {
        const QStringList parts = parser.value(sizeOption).toLower().split('x');
        bool okW = false, okH = false;
        if (parts.size() == 2) size = QSize(parts[0].toInt(&okW), parts[1].toInt(&okH));
        if (!okW || !okH || size.width() < 200 || size.height() < 150 || size.width() > 8000 || size.height() > 8000) {
            std::fprintf(stderr, "lstmscope: --size needs WIDTHxHEIGHT between 200x150 and 8000x8000, got '%s'\n",
                         qPrintable(parser.value(sizeOption)));
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
        std::fprintf(stderr, "lstmscope: --compare and --pin-text are two kinds of comparison; give one\n");
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
    return app.exec();
}
