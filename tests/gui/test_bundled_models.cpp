// Where the application looks for its bundled models: an installed program
// in its own prefix (bin/../share/lstmscope/models) before the configured
// one, and never in the source tree it was built from; a program run from
// the build tree in the source tree first; $LSTMSCOPE_MODELS before all.
// (tests/install checks the same end to end on an installed copy.)
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/bundled_models.h"

class TestBundledModels : public QObject {
    Q_OBJECT

    QTemporaryDir root_;
    QString path(const QString& relative) const { return QDir::cleanPath(root_.path() + "/" + relative); }

    // A program in `programDir`, built in <root>/build from <root>/src.
    ModelSearchPlaces places(const QString& programDir, const QString& environment = {}) const {
        return {environment,   programDir, "../share/lstmscope/models", path("usr/local/share/lstmscope/models"),
                path("build"), path("src/models")};
    }

private slots:
    void initTestCase() {
        QVERIFY(root_.isValid());
        for (const char* dir : {"prefix/bin", "build", "src/models"}) QVERIFY(QDir().mkpath(path(dir)));
    }

    void installedProgramLooksInItsPrefixAndNeverInTheSourceTree() {
        const QStringList candidates = modelDirectoryCandidates(places(path("prefix/bin")));
        QCOMPARE(candidates.value(0), path("prefix/share/lstmscope/models"));
        QCOMPARE(candidates.value(1), path("usr/local/share/lstmscope/models"));
        QVERIFY2(!candidates.contains(path("src/models")), qPrintable(candidates.join(", ")));
    }

    void buildTreeProgramLooksInTheSourceTreeFirst() {
        const QStringList candidates = modelDirectoryCandidates(places(path("build")));
        QCOMPARE(candidates.value(0), path("src/models"));
        // A build folder reached through a symbolic link is still the build tree.
        QVERIFY(QFile::link(path("build"), path("build-link")));
        QCOMPARE(modelDirectoryCandidates(places(path("build-link"))).value(0), path("src/models"));
    }

    void environmentComesFirst() {
        for (const QString& program : {path("prefix/bin"), path("build")})
            QCOMPARE(modelDirectoryCandidates(places(program, "/elsewhere/models")).value(0), QString("/elsewhere/models"));
    }
};

QTEST_APPLESS_MAIN(TestBundledModels)
#include "test_bundled_models.moc"
