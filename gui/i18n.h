// The interface language: English (the source strings) or Simplified
// Chinese (resources/translations/lstmscope_zh_CN.ts, compiled to a .qm at
// build time and embedded in this library's resources, so the tests load it
// too). Qt's own strings (standard buttons, file dialogs) come from Qt's
// qtbase_*.qm in QLibraryInfo::TranslationsPath.
//
// The choice: --lang on the command line, else View > Language (saved in
// QSettings under "language"), else the system locale (zh_* is Chinese).
// setLanguage() swaps the translators at run time; Qt then sends every
// widget a LanguageChange event, and the main window rebuilds its menus and
// views in the new language (MainWindow::retranslate).
#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

namespace i18n {

// The languages the interface has, as codes: "en", "zh_CN".
QStringList languages();
// A language's name in that language ("English", "中文 (简体)"), for menus.
QString nativeName(const QString& language);
// "en" or "zh_CN" for a locale: every Chinese locale gets the Chinese interface.
QString languageForLocale(const QLocale& locale);
// A code of languages() for what a user typed ("zh", "zh_CN", "zh-CN", "en_US"), or empty.
QString normalize(const QString& code);

// The language the user chose in View > Language, or empty to follow the system.
QString savedLanguage();
void saveLanguage(const QString& language);  // empty: follow the system again
// The language to start in: the saved choice, else the system locale's.
QString startupLanguage();

// Installs the translators for `language` (a code of languages()) and
// removes the previous ones; the application receives LanguageChange.
// Returns false (and changes nothing) for an unknown language or a
// translation that does not load.
bool setLanguage(const QString& language);
// The installed language; "en" before any setLanguage().
QString currentLanguage();
// Whether Qt's own translation (qtbase) for the current language is loaded.
bool qtTranslationLoaded();

}  // namespace i18n
