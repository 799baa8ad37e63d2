// The application's command line: its options, with their help texts in the
// interface language. Construct it after the translators are installed, so
// that --help speaks the language of --lang.
#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QString>

class CommandLine {
    Q_DECLARE_TR_FUNCTIONS(CommandLine)  // the context of --help's texts and of main()'s messages

public:
    CommandLine();

    QCommandLineParser parser;  // every option below, plus --help and --version
    const QCommandLineOption textOption;
    const QCommandLineOption screenshotOption;
    const QCommandLineOption sizeOption;
    const QCommandLineOption compareOption;
    const QCommandLineOption pinOption;
    const QCommandLineOption stackedOption;
    const QCommandLineOption langOption;
    const QCommandLineOption lessonOption;
    const QCommandLineOption sceneOption;
    const QCommandLineOption presentOption;
    const QCommandLineOption scaleOption;
    const QCommandLineOption datasetOption;
    const QCommandLineOption faithfulnessOption;
    const QCommandLineOption corpusPageOption;
    const QCommandLineOption unitOption;
    // A Keras model's missing parts, as the command line's options of the same names.
    const QCommandLineOption tokenizerOption;
    const QCommandLineOption tokenizerTypeOption;
    const QCommandLineOption architectureOption;
    const QCommandLineOption customLayersOption;
    const QCommandLineOption paddingOption;

    // Whether the parsed command line asks for --help, --help-all or --version.
    bool asksForHelpOrVersion() const;
};

// Whether argv holds --help, --version or one of their short forms. These
// need no window, so main() answers them before a QApplication (and with it
// a display) exists; the parser then decides (`--text -h` is a text).
bool mentionsHelpOrVersion(int argc, char** argv);

// The value of --lang (or --lang=...), read before the parser exists so that
// the parser's own texts (--help) are in that language; empty if absent.
QString languageArgument(int argc, char** argv, bool* given);
