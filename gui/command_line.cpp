#include "gui/command_line.h"

#include <QByteArray>

CommandLine::CommandLine()
    : textOption("text", CommandLine::tr("The text to run the model on."), CommandLine::tr("text")),
      screenshotOption("screenshot", CommandLine::tr("Render the window to a PNG file and exit."),
                       CommandLine::tr("file.png")),
      sizeOption("size", CommandLine::tr("Window size for --screenshot (default 1600x1000)."), CommandLine::tr("WxH"),
                 "1600x1000"),
      compareOption("compare", CommandLine::tr("Compare with a second model on the same text."),
                    CommandLine::tr("B.json")),
      pinOption("pin-text",
                CommandLine::tr("Compare the model on two texts: this one is pinned as side B, --text is side A."),
                CommandLine::tr("text")),
      stackedOption("stacked", CommandLine::tr("Compare mode: stack the panes instead of side by side.")),
      langOption("lang",
                 CommandLine::tr(
                     "Interface language: en or zh_CN (default: as chosen in View > Language, else the system's)."),
                 CommandLine::tr("language")),
      lessonOption("lesson", CommandLine::tr("Open a lesson (see File > Lessons) and play its first scene."),
                   CommandLine::tr("lesson.json")),
      sceneOption("scene", CommandLine::tr("With --lesson: start at this scene (from 1)."), CommandLine::tr("n")),
      presentOption("present", CommandLine::tr("Start in presentation mode (View > Present).")),
      scaleOption("scale", CommandLine::tr("Presentation scale, 1 to 2.5 (implies --present)."),
                  CommandLine::tr("factor")),
      datasetOption("dataset",
                    CommandLine::tr("Open the corpus window (File > Open dataset) on this dataset and run it; with "
                                    "--screenshot, the corpus window is rendered once the run is done."),
                    CommandLine::tr("file")),
      faithfulnessOption("faithfulness", CommandLine::tr("With --dataset: also test the attention's faithfulness.")),
      corpusPageOption("corpus-page",
                       CommandLine::tr("With --dataset: the page to show: saturation, patterns or faithfulness."),
                       CommandLine::tr("page")),
      unitOption("unit", CommandLine::tr("With --dataset: select this unit in the saturation page (its top contexts)."),
                 CommandLine::tr("n")),
      tokenizerOption(
          "tokenizer",
          CommandLine::tr("A Keras model's vocabulary: its Tokenizer.to_json() file, or one token per line."),
          CommandLine::tr("file")),
      tokenizerTypeOption(
          "tokenizer-type",
          CommandLine::tr("How a vocabulary file splits text: word, char, whitespace, keras or keras_char."),
          CommandLine::tr("type")),
      architectureOption("architecture",
                         CommandLine::tr("A weights-only Keras file's model.to_json() or to_yaml() output."),
                         CommandLine::tr("file")),
      customLayersOption("custom-layers",
                         CommandLine::tr("What a Keras model's custom layers compute (README, Custom Keras layers)."),
                         CommandLine::tr("file")),
      paddingOption("padding", CommandLine::tr("Pad a fixed-length Keras model's input: pre (default), post or none."),
                    CommandLine::tr("side")) {
    parser.setApplicationDescription(CommandLine::tr("Looks inside LSTM and attention text models."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        "model",
        CommandLine::tr(
            "The model to open: a manifest (MODEL.json) or a Keras file (.h5, .keras); default: a bundled model."),
        "[MODEL]");
    parser.addOptions({textOption,      screenshotOption,    sizeOption,         compareOption,      pinOption,
                       stackedOption,   langOption,          lessonOption,       sceneOption,        presentOption,
                       scaleOption,     datasetOption,       faithfulnessOption, corpusPageOption,   unitOption,
                       tokenizerOption, tokenizerTypeOption, architectureOption, customLayersOption, paddingOption});
}

bool CommandLine::asksForHelpOrVersion() const {
    return parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all")) ||
           parser.isSet(QStringLiteral("version"));
}

bool mentionsHelpOrVersion(int argc, char** argv) {
    // The spellings of QCommandLineParser::addHelpOption() and addVersionOption().
    for (int k = 1; k < argc; ++k) {
        const QByteArray arg(argv[k]);
        if (arg == "--help" || arg == "-h" || arg == "-?" || arg == "--help-all" || arg == "--version" || arg == "-v")
            return true;
    }
    return false;
}

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
