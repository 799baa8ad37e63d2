#include "gui/i18n.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QSettings>
#include <QTranslator>
#include <memory>

namespace {

const char* const kLanguageKey = "language";
const QString kEnglish = QStringLiteral("en");
const QString kChinese = QStringLiteral("zh_CN");

struct State {
    QPointer<QTranslator> app;  // ours: every string of lstmscope
    QPointer<QTranslator> qt;   // Qt's: standard buttons, dialogs, shortcuts
    QString language = kEnglish;
    bool qtLoaded = false;
};

State& state() {
    static State s;
    return s;
}

}  // namespace

namespace i18n {

QStringList languages() { return {kEnglish, kChinese}; }

QString nativeName(const QString& language) {
    // Each language names itself, so a user who cannot read the current
    // interface still finds their own.
    if (language == kChinese) return QStringLiteral("中文 (简体)");
    if (language == kEnglish) return QStringLiteral("English");
    return language;
}

QString languageForLocale(const QLocale& locale) {
    return locale.language() == QLocale::Chinese ? kChinese : kEnglish;
}

QString normalize(const QString& code) {
    QString c = code.trimmed();
    c.replace(QLatin1Char('-'), QLatin1Char('_'));
    if (c.isEmpty()) return {};
    if (c.compare(QLatin1String("zh"), Qt::CaseInsensitive) == 0 || c.startsWith(QLatin1String("zh_"), Qt::CaseInsensitive))
        return kChinese;
    if (c.compare(QLatin1String("en"), Qt::CaseInsensitive) == 0 || c.startsWith(QLatin1String("en_"), Qt::CaseInsensitive))
        return kEnglish;
    return {};
}

QString savedLanguage() { return normalize(QSettings().value(kLanguageKey).toString()); }

void saveLanguage(const QString& language) {
    QSettings settings;
    if (language.isEmpty()) settings.remove(kLanguageKey);
    else settings.setValue(kLanguageKey, language);
}

QString startupLanguage() {
    const QString saved = savedLanguage();
    return saved.isEmpty() ? languageForLocale(QLocale::system()) : saved;
}

bool setLanguage(const QString& requested) {
    const QString language = normalize(requested);
    if (language.isEmpty()) return false;
    // English is the source language; its .qm holds only the plural forms
    // ("1 token", "2 tokens") that the source strings write as "%n tokens".
    auto app = std::make_unique<QTranslator>();
    if (!app->load(QStringLiteral(":/i18n/lstmscope_%1.qm").arg(language))) return false;
    std::unique_ptr<QTranslator> qt;
    if (language != kEnglish) {
        qt = std::make_unique<QTranslator>();
        if (!qt->load(QLocale(language), QStringLiteral("qtbase"), QStringLiteral("_"),
                      QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            qt.reset();  // Qt's own strings stay English; ours are still translated
    }

    State& s = state();
    // The default locale follows, so numbers and QLocale-aware widgets agree
    // with the language (a Chinese system keeps its locale under English).
    const QLocale system = QLocale::system();
    if (language == kChinese) QLocale::setDefault(system.language() == QLocale::Chinese ? system : QLocale(language));
    else QLocale::setDefault(system.language() == QLocale::Chinese ? QLocale(QLocale::English, QLocale::UnitedStates)
                                                                    : system);
    // Remove first, install second: each change sends LanguageChange, and
    // the window coalesces them into one rebuild.
    if (s.app) {
        QCoreApplication::removeTranslator(s.app);
        delete s.app;
    }
    if (s.qt) {
        QCoreApplication::removeTranslator(s.qt);
        delete s.qt;
    }
    s.qtLoaded = qt != nullptr;
    if (qt) {
        s.qt = qt.release();
        s.qt->setParent(QCoreApplication::instance());
        QCoreApplication::installTranslator(s.qt);
    }
    s.app = app.release();
    s.app->setParent(QCoreApplication::instance());
    QCoreApplication::installTranslator(s.app);
    s.language = language;
    return true;
}

QString currentLanguage() { return state().language; }

bool qtTranslationLoaded() { return state().qtLoaded; }

}  // namespace i18n
