// Lessons and presentation mode: every bundled lesson reads, every scene
// plays (model, text, comparison, views, selection, step) and its model
// predicts what the scene expects; bad lesson files are refused naming the
// file, scene and field; a saved scene reads back the same; presentation
// mode scales the interface and takes the keyboard.
#include <QDir>
#include <QDockWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include "engine/analysis/view_choice.h"
#include "gui/main_window.h"
#include "gui/plots/plot_scale.h"
#include "gui/views/token_strip.h"
#include "gui/teaching/lesson.h"
#include "gui/teaching/presenter.h"
#include "gui/teaching/step_bar.h"
#include "gui/trace_labels.h"
#include "gui/views/prediction_view.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"
#include "gui/workspace/workspace.h"

namespace {

QString writeLesson(const QDir& dir, const QString& name, const QByteArray& json) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(json);
    return path;
}

}  // namespace

class TestLessons : public QObject {
    Q_OBJECT
private slots:
    void bundledLessonsAreAtLeastFourAndAllRead() {
        const auto lessons = bundledLessons();
        QVERIFY2(lessons.size() >= 4, qPrintable(bundledLessonsDirectory()));
        const QStringList files = QDir(bundledLessonsDirectory()).entryList({"*.json"});
        QCOMPARE(static_cast<int>(lessons.size()), files.size());  // none skipped as unreadable
        for (const auto& l : lessons) {
            QString error;
            const auto lesson = Lesson::load(l.path, &error);
            QVERIFY2(lesson, qPrintable(error));
            for (const auto& s : lesson->scenes) {
                QVERIFY2(QFileInfo::exists(s.model), qPrintable(l.path + ": " + s.model));
                QVERIFY2(!s.captionIn("en").isEmpty() && !s.captionIn("zh_CN").isEmpty() &&
                             s.caption.contains("zh_CN"),
                         qPrintable(l.path + ": every caption in English and Chinese"));
            }
        }
    }

    void everySceneOfEveryBundledLessonPlays() {
        MainWindow window(false);
        window.resize(1400, 900);
        for (const auto& l : bundledLessons()) {
            QVERIFY2(window.openLesson(l.path, true), qPrintable(window.lastError()));
            Presenter* p = window.presenter();
            const auto& lesson = *p->lesson();
            for (int k = 0; k < static_cast<int>(lesson.scenes.size()); ++k) {
                const LessonScene& s = lesson.scenes[static_cast<size_t>(k)];
                const QString where = QStringLiteral("%1 scene %2").arg(QFileInfo(l.path).fileName()).arg(k + 1);
                QVERIFY2(p->goToScene(k), qPrintable(where + ": " + window.lastError()));
                QCOMPARE(p->scene(), k);
                QCOMPARE(QFileInfo(window.document()->modelPath()).fileName(), QFileInfo(s.model).fileName());
                QCOMPARE(window.document()->text(), s.text);
                const lstmscope::Trace* trace = window.document()->trace();
                QVERIFY2(trace, qPrintable(where + ": " + window.document()->runError()));
                QCOMPARE(p->captionText(), s.captionIn("en"));
                if (!s.expect.isEmpty()) {
                    const int label = trace->argmax.at(0);
                    QVERIFY2(QString::fromStdString(trace->labels.at(static_cast<size_t>(label))) == s.expect,
                             qPrintable(where + ": the model predicts " + QString::fromStdString(trace->labels.at(label)) +
                                        " for '" + s.text + "', the lesson expects " + s.expect));
                }
                Workspace* ws = window.workspace();
                QCOMPARE(ws->mode() == Workspace::Mode::TwoTexts, !s.compareText.isEmpty());
                Selection* sel = window.selection();
                if (s.token >= 0) QCOMPARE(sel->token(), s.token);
                if (s.unit >= 0) QCOMPARE(sel->unit(), s.unit);
                // A lesson about a model's named unit (its card's
                // metadata.memory_unit) must select that unit: a retrained
                // model whose counter moved must not leave the lesson behind.
                const auto& meta = window.document()->model()->metadata;
                if (s.unit >= 0 && meta.is_object() && meta.contains("memory_unit"))
                    QVERIFY2(meta["memory_unit"].value("unit", -1) == s.unit,
                             qPrintable(where + ": the model's counting unit is " +
                                        QString::number(meta["memory_unit"].value("unit", -1)) + ", the lesson selects " +
                                        QString::number(s.unit)));
                if (!s.attention.isEmpty()) {
                    QCOMPARE(sel->attentionNode(), s.attention);
                    QVERIFY2(lstmscope::analysis::resolve_attention(*trace, s.attention.toStdString(), s.head).name ==
                                 s.attention.toStdString(),
                             qPrintable(where + ": no attention node " + s.attention));
                }
                if (!s.lstm.isEmpty()) QVERIFY(findGates(*trace, s.lstm, s.layer, sel->direction()));
                if (s.step >= 0) {
                    QVERIFY(sel->stepping());
                    const StepContext ctx = stepContext(window.document(), sel);
                    QVERIFY2(s.step == Lesson::kStepEnd || s.step < ctx.plan.size(),
                             qPrintable(where + ": step beyond the walk"));
                } else {
                    QVERIFY(!sel->stepping());
                }
                if (!s.views.isEmpty() && !ws->comparing())
                    for (const QString id : {"prediction", "attention", "gates", "cell", "equation"})
                        if (QDockWidget* dock = window.dock(id))
                            QCOMPARE(dock->isVisibleTo(&window), s.views.contains(id));
            }
            window.presenter()->closeLesson();
        }
    }

    void badLessonsAreRefusedNamingTheField() {
        QTemporaryDir tmp;
        const QDir dir(tmp.path());
        const QByteArray head = R"({"format":"lstmscope-lesson","format_version":1,"title":"t","scenes":[)";
        struct Case {
            QByteArray scene;
            QString expected;
        };
        const Case cases[] = {
            {R"({"text":"x"})", "scene 1: field 'model': missing required field"},
            {R"({"model":"m.json","text":"x","step":-2})", "scene 1: field 'step'"},
            {R"({"model":"m.json","text":"x","step":"middle"})", "scene 1: field 'step'"},
            {R"({"model":"m.json","text":"x","views":["tokens","heatmap"]})", "scene 1: field 'views': unknown view"},
            {R"({"model":"m.json","text":"x","colour":"red"})", "scene 1: field 'colour': unknown field"},
            {R"({"model":"m.json","text":"x","caption":{"fr":"bonjour"}})", "field 'caption': unknown language 'fr'"},
            {R"({"model":"m.json","text":"x","selection":{"direction":"up"}})", "field 'selection': field 'direction'"},
            {R"({"model":"m.json","text":"x","compare":{"text":"a","model":"b.json"}})", "field 'compare'"},
        };
        for (const Case& c : cases) {
            const QString path = writeLesson(dir, "bad.json", head + c.scene + "]}");
            QString error;
            QVERIFY(!Lesson::load(path, &error));
            QVERIFY2(error.startsWith(path) && error.contains(c.expected), qPrintable(error + " / wanted " + c.expected));
        }
        QString error;
        QVERIFY(!Lesson::load(writeLesson(dir, "empty.json", R"({"format":"lstmscope-lesson","format_version":1,"title":"t","scenes":[]})"), &error));
        QVERIFY2(error.contains("field 'scenes'"), qPrintable(error));
        QVERIFY(!Lesson::load(writeLesson(dir, "nojson.json", "{ nope"), &error));
        QVERIFY2(error.contains("nojson.json: not a JSON object"), qPrintable(error));
        QVERIFY(!Lesson::load(dir.filePath("missing.json"), &error));
        QVERIFY2(error.contains("missing.json: cannot read"), qPrintable(error));
    }

    void savedSceneReadsBackTheSame() {
        MainWindow window(false);
        const QString lessonPath = bundledLessons().at(0).path;
        QVERIFY(window.openLesson(lessonPath, true));
        window.presenter()->goToScene(2);  // stepping with cell phases, unit 10
        const LessonScene before = window.presenter()->currentScene();
        QTemporaryDir tmp;
        Lesson lesson;
        lesson.title.insert("en", "mine");
        lesson.scenes.push_back(before);
        QString error;
        const QString path = QDir(tmp.path()).filePath("mine.json");
        QVERIFY2(lesson.save(path, &error), qPrintable(error));
        const auto back = Lesson::load(path, &error);
        QVERIFY2(back, qPrintable(error));
        const LessonScene& after = back->scenes.at(0);
        QCOMPARE(QFileInfo(after.model).fileName(), QFileInfo(before.model).fileName());
        QVERIFY(QFileInfo::exists(after.model));  // a bundled model is stored by name and found again
        QCOMPARE(after.text, before.text);
        QCOMPARE(after.views, before.views);
        QCOMPARE(after.unit, before.unit);
        QCOMPARE(after.step, before.step);
        QCOMPARE(after.cellPhases, before.cellPhases);
        QCOMPARE(after.caption, before.caption);
    }

    void presentationModeScalesAndTakesTheKeyboard() {
        MainWindow window(false);
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openLesson(bundledLessons().at(0).path, true));
        Presenter* p = window.presenter();
        const double base = QApplication::font().pointSizeF();
        p->setScale(2.0);
        p->setPresenting(true);
        QCOMPARE(QApplication::font().pointSizeF(), base * 2.0);
        window.activateWindow();
        QApplication::setActiveWindow(&window);
        window.setFocus();
        Selection* sel = window.selection();
        QVERIFY(!sel->stepping());
        QTest::keyClick(&window, Qt::Key_Space);
        QCOMPARE(sel->step(), 0);
        QTest::keyClick(&window, Qt::Key_Right);
        QCOMPARE(sel->step(), 1);
        QTest::keyClick(&window, Qt::Key_Left);
        QCOMPARE(sel->step(), 0);
        QTest::keyClick(&window, Qt::Key_End);
        QCOMPARE(sel->step(), stepContext(window.document(), sel).plan.size() - 1);
        QTest::keyClick(&window, Qt::Key_PageDown);
        QCOMPARE(p->scene(), 1);
        QTest::keyClick(&window, Qt::Key_PageUp);
        QCOMPARE(p->scene(), 0);
        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(!p->presenting());
        QCOMPARE(QApplication::font().pointSizeF(), base);
    }

    // Presentation mode scales the whole picture, not only the type: chips
    // are measured again (before, their text was clipped at 2x), plots'
    // tick labels and colour scales grow, and pens follow lineScale().
    void presentationScalesChipsPlotsAndLines() {
        MainWindow window(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openLesson(bundledLessons().at(1).path, true));  // attention pooling
        QApplication::processEvents();
        TokenStrip* strip = nullptr;
        for (TokenStrip* s : window.findChildren<TokenStrip*>())
            if (s->isVisible()) strip = s;
        QVERIFY(strip);
        QVERIFY(strip->chipRect(0).width() > 0);
        const int chipBefore = strip->chipRect(0).width();
        const int chipHeightBefore = strip->chipRect(0).height();
        QMap<QCustomPlot*, double> tickBefore;
        for (QCustomPlot* plot : window.findChildren<QCustomPlot*>())
            tickBefore[plot] = plot->yAxis->tickLabelFont().pointSizeF();
        QVERIFY(!tickBefore.isEmpty());

        Presenter* p = window.presenter();
        p->setScale(2.0);
        p->setPresenting(true);
        QApplication::processEvents();
        QCOMPARE(lineScale(), 2.0);
        QVERIFY2(strip->chipRect(0).width() >= chipBefore * 17 / 10,
                 qPrintable(QStringLiteral("chip %1 -> %2 px").arg(chipBefore).arg(strip->chipRect(0).width())));
        QVERIFY(strip->chipRect(0).height() >= chipHeightBefore * 17 / 10);
        for (auto it = tickBefore.begin(); it != tickBefore.end(); ++it)
            QCOMPARE(it.key()->yAxis->tickLabelFont().pointSizeF(), it.value() * 2.0);

        p->setPresenting(false);
        QApplication::processEvents();
        QCOMPARE(lineScale(), 1.0);
        QCOMPARE(strip->chipRect(0).width(), chipBefore);
        for (auto it = tickBefore.begin(); it != tickBefore.end(); ++it)
            QCOMPARE(it.key()->yAxis->tickLabelFont().pointSizeF(), it.value());
    }
};

QTEST_MAIN(TestLessons)
#include "test_lessons.moc"
