// Keras files in the application: a .h5 or .keras opens like a manifest once
// its vocabulary is known (remembered per file, given on the command line),
// without one the failure names what is missing, stock-layer attention and
// per-feature attention show in the attention view, and the model panel
// lists what the importer assumed.
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/keras/keras_import.h"
#include "gui/main_window.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/views/attention_view.h"
#include "gui/views/model_view.h"
#include "gui/workspace/document.h"
#include "gui/workspace/import_sources.h"

namespace {
const QString kDir = QStringLiteral(LSTMSCOPE_TEST_DATA "/keras/import/");

lstmscope::ImportOptions vocabulary(const QString& file) {
    lstmscope::ImportOptions o;
    o.tokenizer = (kDir + file).toStdString();
    o.tokenizer_type = "keras";
    return o;
}
}  // namespace

class TestKerasOpen : public QObject {
    Q_OBJECT
private slots:
    void rememberedVocabularyOpensTheFile();
    void withoutAVocabularyTheMessageSaysWhatToGive();
    void perFeatureAttentionShowsFeaturesByTokens();
    void commandLineOptionsOpenAKerasFile();
    void aRunThatFailsAtANodeMarksItInTheModelView();
};

void TestKerasOpen::rememberedVocabularyOpensTheFile() {
    // What is remembered lives in this suite's own settings, where no other
    // suite running beside it clears it (tests/gui/CMakeLists.txt).
    QVERIFY2(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation).endsWith("/test_keras_open"),
             qPrintable(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)));
    const QString model = kDir + "pool_gru.keras";
    rememberImportOptions(model, vocabulary("vocab.txt"), /*persist=*/false);
    QCOMPARE(QString::fromStdString(importOptionsFor(model).tokenizer), kDir + "vocab.txt");
    MainWindow w(false);
    QVERIFY2(w.openModel(model, true), qPrintable(w.lastError()));
    w.setText(QStringLiteral("the food was good"));
    w.document()->runNow();
    QVERIFY(w.document()->trace());
    // Dense(1) -> Softmax(axis=1) -> Permute -> Dot: one attention_pool, named as the softmax.
    QCOMPARE(w.attentionView()->shownNode(), QStringLiteral("attention_weights"));
    QCOMPARE(w.document()->trace()->output().cols(), 2);  // Dense(1, sigmoid) as two classes
    const auto& meta = w.document()->model()->metadata;
    QVERIFY(meta.contains("import_notes"));
}

void TestKerasOpen::withoutAVocabularyTheMessageSaysWhatToGive() {
    const QString model = kDir + "seed_b_keras2.h5";
    rememberImportOptions(model, {}, /*persist=*/false);
    MainWindow w(false);
    QVERIFY(!w.openModel(model, true));
    QVERIFY2(w.lastError().contains(QStringLiteral("vocabulary")), qPrintable(w.lastError()));
    QVERIFY2(w.lastError().contains(model), qPrintable(w.lastError()));
    const auto missing = lstmscope::keras::missing_parts(model.toStdString(), {});
    QVERIFY(missing.vocabulary);
    QVERIFY(!missing.architecture);
    QVERIFY(lstmscope::keras::missing_parts((kDir + "custom_keras2.weights.h5").toStdString(), {}).architecture);
}

void TestKerasOpen::perFeatureAttentionShowsFeaturesByTokens() {
    const QString model = kDir + "time_attention_keras2.h5";
    rememberImportOptions(model, vocabulary("vocab.txt"), false);
    MainWindow w(false);
    QVERIFY2(w.openModel(model, true), qPrintable(w.lastError()));
    w.setText(QStringLiteral("the service was slow"));
    w.document()->runNow();
    QVERIFY(w.document()->trace());
    QCOMPARE(w.attentionView()->shownNode(), QStringLiteral("attention_layer"));
    const lstmscope::Matrix& shown = w.attentionView()->shownMatrix();
    QCOMPARE(shown.rows(), 10);  // one row per BiLSTM feature
    QCOMPARE(shown.cols(), 12);  // over the 12 padded positions
    // A cell stands for its token (the column), never for a "token" read off the feature row.
    emit w.attentionView()->heatmap()->cellClicked(3, 11);
    QCOMPARE(w.attentionView()->highlightedToken(), 11);
    emit w.attentionView()->heatmap()->cellClicked(11, 2);
    QCOMPARE(w.attentionView()->highlightedToken(), 2);
}

// The engine's error names the node (ErrorParts::node): the model view marks
// that row, without parsing the message, and a good run clears the mark.
void TestKerasOpen::aRunThatFailsAtANodeMarksItInTheModelView() {
    const QString model = kDir + "time_attention_keras2.h5";
    lstmscope::ImportOptions o = vocabulary("vocab.txt");
    o.padding = "none";  // so a text of another length than 12 reaches the per-position weights
    rememberImportOptions(model, o, false);
    MainWindow w(false);
    QVERIFY2(w.openModel(model, true), qPrintable(w.lastError()));
    w.setText(QStringLiteral("the service was slow"));
    w.document()->runNow();
    QCOMPARE(w.document()->runErrorNode(), QStringLiteral("attention_layer"));
    QVERIFY2(w.document()->runError().contains(QStringLiteral("12 positions")), qPrintable(w.document()->runError()));
    QCOMPARE(w.modelView()->failingNode(), QStringLiteral("attention_layer"));
    QCOMPARE(w.modelView()->selectedNode(), QStringLiteral("attention_layer"));
    w.setText(QStringLiteral("the food was good the food was good the food was good"));
    w.document()->runNow();
    QVERIFY2(w.document()->trace() && !w.document()->stale(), qPrintable(w.document()->runError()));
    QVERIFY(w.modelView()->failingNode().isEmpty());
    rememberImportOptions(model, vocabulary("vocab.txt"), false);
}

void TestKerasOpen::commandLineOptionsOpenAKerasFile() {
    QTemporaryDir dir;
    const QString png = dir.filePath("keras.png");
    QProcess app;
    app.start(QStringLiteral(LSTMSCOPE_APP),
              {kDir + "seed_b_keras2.h5", "--tokenizer", kDir + "tokenizer.json", "--text", "the food was good",
               "--screenshot", png, "--size", "1200x800"});
    QVERIFY(app.waitForFinished(60000));
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    QVERIFY(QImage(png).width() == 1200);
    // Without the vocabulary the screenshot run fails and says what to give.
    QProcess bare;
    bare.start(QStringLiteral(LSTMSCOPE_APP), {kDir + "seed_b_keras2.h5", "--screenshot", png});
    QVERIFY(bare.waitForFinished(60000));
    QCOMPARE(bare.exitCode(), 2);
    QVERIFY(bare.readAllStandardError().contains("--tokenizer"));
}

QTEST_MAIN(TestKerasOpen)
#include "test_keras_open.moc"
