// The teaching views: the step bar walks the computation and every view
// follows it; the cell view's numbers for a step are the trace's; the
// attention equation's weights are the recorded row; details are recorded
// only while a view that needs them is shown.
#include <QCheckBox>
#include <QComboBox>
#include <QRegularExpression>
#include <QtTest>

#include "engine/analysis/view_choice.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/teaching/attention_equation_view.h"
#include "gui/teaching/cell_diagram.h"
#include "gui/teaching/cell_view.h"
#include "gui/teaching/step_bar.h"
#include "gui/teaching/teaching_style.h"
#include "gui/views/attention_view.h"
#include "gui/workspace/selection.h"
#include "gui/workspace/step_context.h"
#include "gui_test_support.h"

namespace {

const QString kText = QStringLiteral("I loved the acting, but the plot was too long and very boring.");

// Every number in a line, in order ("−0.77" with a true minus included).
QList<double> numbersIn(QString line) {
    line.replace(QChar(0x2212), '-');
    // Subscripts are positions, not values: drop them first.
    line.remove(QRegularExpression(QStringLiteral("[\\x{2080}-\\x{208B}]+")));
    QList<double> out;
    QRegularExpression number(QStringLiteral("-?\\d+\\.\\d+(e-?\\d+)?"));
    for (auto it = number.globalMatch(line); it.hasNext();) out << it.next().captured(0).toDouble();
    return out;
}

// A printed number equals a recorded float to the two decimals the views
// print (small values get more digits, which is closer still).
bool shown(double printed, float recorded) { return std::abs(printed - double(recorded)) <= 0.005 + 1e-9; }

}  // namespace

class TestTeaching : public QObject {
    Q_OBJECT
private slots:
    void numberFormatIsReadable() {
        QCOMPARE(teaching::number(0.934), QStringLiteral("0.93"));
        QCOMPARE(teaching::number(-0.77, true), QStringLiteral("(\u22120.77)"));
        QCOMPARE(teaching::number(0.0012), QStringLiteral("0.0012"));
        QCOMPARE(teaching::subscript(17), QStringLiteral("\u2081\u2087"));
    }

    void detailsAreRecordedOnlyWhileAViewWantsThem() {
        Document doc;
        guitest::load(doc, guitest::golden("lstm_bi_concat"), kText);
        QVERIFY(!doc.traceHasDetails());
        QVERIFY(doc.trace()->find("lstm")->gates[0].pre_input.size() == 0);
        Selection sel;
        auto* view = new CellView(&doc, &sel);
        view->resize(900, 600);
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view));
        QTRY_VERIFY(doc.traceHasDetails());
        QVERIFY(!view->placeholderVisible());
        view->hide();
        QVERIFY(!doc.detailsWanted());
        delete view;
        QVERIFY(!doc.detailsWanted());
    }

    void cellViewNumbersAreTheTracesForEveryStep() {
        Document doc;
        guitest::load(doc, guitest::golden("lstm_bi_concat"), kText);
        Selection sel;
        CellView view(&doc, &sel);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(doc.traceHasDetails());
        for (const auto dir : {lstmscope::Direction::Forward, lstmscope::Direction::Backward}) {
            sel.setLstm("lstm", 0, dir);
            sel.setUnit(2);
            const auto* g = doc.trace()->find("lstm")->gates[dir == lstmscope::Direction::Forward ? 0 : 1].i.data()
                                ? &doc.trace()->find("lstm")->gates[dir == lstmscope::Direction::Forward ? 0 : 1]
                                : nullptr;
            QVERIFY(g);
            const StepContext ctx0 = stepContext(&doc, &sel);
            const int T = static_cast<int>(g->i.rows());
            for (int step = 0; step < T; ++step) {
                sel.setStep(step);
                const StepContext ctx = stepContext(&doc, &sel);
                const int t = ctx.reveal.current_token;
                QCOMPARE(view.shownToken(), t);
                QCOMPARE(view.shownUnit(), 2);
                const QStringList lines = view.diagram()->equationLines();
                QCOMPARE(lines.size(), 6);
                // f, i, g, o lines end with the gate's value; c and h lines with the state.
                auto last = [&](int line) { return numbersIn(lines[line]).last(); };
                QVERIFY2(shown(last(0), g->f(t, 2)), qPrintable(QString::number(last(0))));
                QVERIFY2(shown(last(1), g->i(t, 2)), qPrintable(QString::number(last(1))));
                QVERIFY2(shown(last(2), g->g(t, 2)), qPrintable(QString::number(last(2))));
                QVERIFY2(shown(last(4), g->o(t, 2)), qPrintable(QString::number(last(4))));
                QVERIFY2(shown(last(5), g->h(t, 2)), qPrintable(QString::number(last(5))));
                QVERIFY2(shown(last(3), g->c(t, 2)), qPrintable(QString::number(last(3))));
                // The parts of f's pre-activation are the recorded ones.
                const QList<double> f = numbersIn(lines[0]);
                const int H = static_cast<int>(g->i.cols());
                QVERIFY2(shown(f[0], g->pre_input(t, H + 2)), qPrintable(QString::number(f[0])));
                QVERIFY2(shown(f[1], g->pre_recurrent(t, H + 2)), qPrintable(QString::number(f[1])));
                QVERIFY2(shown(f[2], g->bias(H + 2)), qPrintable(QString::number(f[2])));
                // c_t = f c_{t-1} + i g uses the previous token's recorded c.
                const QList<double> c = numbersIn(lines[3]);
                const int prev = dir == lstmscope::Direction::Forward ? t - 1 : t + 1;
                const double cPrev = (prev < 0 || prev >= T) ? 0.0 : g->c(prev, 2);
                QVERIFY2(shown(c[1], cPrev), qPrintable(QString::number(c[1])));
            }
            Q_UNUSED(ctx0);
        }
        sel.setStep(-1);
        sel.setToken(3);
        QCOMPARE(view.shownToken(), 3);
        // For looking at the view by hand: LSTMSCOPE_SHOT_DIR=/tmp build/test_teaching
        if (qEnvironmentVariableIsSet("LSTMSCOPE_SHOT_DIR")) {
            sel.setCellPhases(true);
            sel.setStep(9);
            view.grab().save(qEnvironmentVariable("LSTMSCOPE_SHOT_DIR") + "/cell_view.png");
        }
    }

    // The diagram's shapes come from a cached picture; the numbers on it
    // must still be the current data's, and the whole must look as drawn
    // without the cache (what SVG and PDF export get).
    void cachedCellDiagramShowsTheCurrentNumbers() {
        auto dataFor = [](float value, int phase) {
            CellDiagram::Data d;
            for (int g = 0; g < 4; ++g) {
                d.eq.input[g] = 0.1f * value, d.eq.recurrent[g] = 0.2f, d.eq.bias[g] = -0.1f;
                d.eq.z[g] = value, d.eq.value[g] = value / 2;
            }
            d.eq.c_prev = 0.5f, d.eq.c = value, d.eq.tanh_c = value / 3, d.eq.h = value / 4, d.eq.h_prev = 0.3f;
            d.eq.forget_term = 0.25f, d.eq.input_term = value / 5;
            d.position = 4, d.prevPosition = 3, d.token = QStringLiteral("good"), d.phase = phase;
            return d;
        };
        auto picture = [](const CellDiagram::Data& data) {
            CellDiagram fresh;
            fresh.resize(800, 560);
            fresh.setData(data);
            return fresh.grab().toImage();
        };
        auto uncached = [](const CellDiagram::Data& data) {
            CellDiagram fresh;
            fresh.setCachesShapes(false);
            fresh.resize(800, 560);
            fresh.setData(data);
            return fresh.grab().toImage();
        };
        CellDiagram d;
        d.resize(800, 560);
        d.setData(dataFor(0.8f, -1));
        const QImage first = d.grab().toImage();
        d.setData(dataFor(-0.6f, -1));  // same shapes, new numbers
        const QImage second = d.grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
        QVERIFY(first.convertToFormat(QImage::Format_ARGB32_Premultiplied) != second);
        QCOMPARE(second, picture(dataFor(-0.6f, -1)).convertToFormat(QImage::Format_ARGB32_Premultiplied));
        d.setData(dataFor(-0.6f, lstmscope::analysis::PhaseForget));  // another stage: other shapes lit
        QCOMPARE(d.grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied),
                 picture(dataFor(-0.6f, lstmscope::analysis::PhaseForget)).convertToFormat(QImage::Format_ARGB32_Premultiplied));
        // Against the drawing without the cache (as vector export paints):
        // antialiased edges blended in another order may differ by a few
        // levels; nothing may be missing or moved.
        const QImage direct = uncached(dataFor(-0.6f, -1)).convertToFormat(QImage::Format_RGB32);
        const QImage viaCache = second.convertToFormat(QImage::Format_RGB32);
        QCOMPARE(direct.size(), viaCache.size());
        int worst = 0, differing = 0;
        for (int y = 0; y < direct.height(); ++y)
            for (int x = 0; x < direct.width(); ++x) {
                const QRgb a = direct.pixel(x, y), b = viaCache.pixel(x, y);
                const int diff = std::max({std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                                           std::abs(qBlue(a) - qBlue(b))});
                worst = std::max(worst, diff);
                differing += diff > 24;
            }
        if (qEnvironmentVariableIsSet("LSTMSCOPE_SHOT_DIR")) {
            direct.save(qEnvironmentVariable("LSTMSCOPE_SHOT_DIR") + "/cell_direct.png");
            viaCache.save(qEnvironmentVariable("LSTMSCOPE_SHOT_DIR") + "/cell_cached.png");
        }
        QVERIFY2(differing == 0, qPrintable(QStringLiteral("%1 pixels differ by more than 24 levels (worst %2)")
                                                 .arg(differing)
                                                 .arg(worst)));
    }

    void cellPhasesLightTheirEquations() {
        Document doc;
        guitest::load(doc, guitest::golden("lstm_uni"), kText);
        Selection sel;
        CellView view(&doc, &sel);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(doc.traceHasDetails());
        sel.setCellPhases(true);
        sel.setStep(0);  // forget stage of the first token
        QCOMPARE(view.diagram()->data().phase, 0);
        QVERIFY(view.diagram()->lineLit(0));
        QVERIFY(!view.diagram()->lineLit(3));
        sel.setStep(2);  // update stage
        QVERIFY(view.diagram()->lineLit(3));
        QVERIFY(!view.diagram()->lineLit(0));
        // Whole timesteps light everything.
        sel.setCellPhases(false);
        sel.setStep(1);
        for (int k = 0; k < 6; ++k) QVERIFY(view.diagram()->lineLit(k));
    }

    void attentionEquationWeightsAreTheRecordedRow() {
        Document doc;
        guitest::load(doc, guitest::golden("seed_a"), kText);
        Selection sel;
        AttentionEquationView view(&doc, &sel);
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(doc.traceHasDetails());
        sel.setAttention("attn", 0);
        sel.setToken(4);
        QVERIFY(!view.placeholderVisible());
        QCOMPARE(view.shownRow(), 4);
        const auto& a = doc.trace()->find("attn")->attention[0];
        QStringList rows = view.lines().filter(" | ");
        QVERIFY(rows.size() > 1);
        rows.removeFirst();  // the header
        QCOMPARE(rows.size(), view.topCount());
        double previous = 2;
        for (const QString& r : rows) {
            const QStringList cells = r.split(" | ");
            const int key = cells[0].section(' ', 0, 0).toInt() - 1;
            const double w = cells[3].toDouble();
            QVERIFY2(shown(w, a(4, key)), qPrintable(QString::number(w)));
            QVERIFY(w <= previous);  // largest first
            previous = w;
        }
        if (qEnvironmentVariableIsSet("LSTMSCOPE_SHOT_DIR"))
            view.grab().save(qEnvironmentVariable("LSTMSCOPE_SHOT_DIR") + "/equation_view.png");
        // Multi-head: the equation is per head; the average opens head 1.
        sel.setAttention("mha", -1);
        QCOMPARE(view.shownHead(), 0);
        QVERIFY(view.headingText().contains("1"));
    }

    // While the walk computes an attention node row by row, the attention
    // view outlines the row being computed (before, it kept outlining the
    // selected token, unrelated to the step).
    void attentionViewOutlinesTheRowBeingComputed() {
        Document doc;
        guitest::load(doc, guitest::golden("seed_a"), kText);
        Selection sel;
        AttentionView view(&doc, &sel);
        view.resize(700, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        sel.setAttention("attn", 0);
        sel.setToken(1);
        const int attn = static_cast<int>(doc.trace()->find("attn") - doc.trace()->nodes.data());
        const StepContext ctx = stepContext(&doc, &sel);
        int checked = 0;
        for (int k = 0; k < ctx.plan.size() && checked < 3; ++k) {
            const auto& st = ctx.plan.steps[static_cast<size_t>(k)];
            if (st.kind != lstmscope::analysis::ComputationStep::Kind::AttentionRow || st.node != attn) continue;
            if (st.token == 1) continue;  // a row other than the selected token's
            sel.setStep(k);
            QCOMPARE(view.heatmap()->highlightedRow(), st.token);
            QCOMPARE(view.heatmap()->highlightedColumn(), -1);
            ++checked;
        }
        QCOMPARE(checked, 3);
        sel.setStep(-1);  // not stepping: the selected token again
        QCOMPARE(view.heatmap()->highlightedRow(), 1);
        QCOMPARE(view.heatmap()->highlightedColumn(), 1);
    }

    void stepBarWalksAndEveryStepIsReachableByKeys() {
        Document doc;
        guitest::load(doc, guitest::golden("seed_a"), kText);
        Selection sel;
        StepBar bar(&doc, &sel);
        bar.show();
        const int n = stepContext(&doc, &sel).plan.size();
        QVERIFY(n > 10);
        QVERIFY(!sel.stepping());
        bar.next();
        QCOMPARE(sel.step(), 0);
        QVERIFY(bar.stepText().contains(QStringLiteral("1")));
        bar.last();
        QCOMPARE(sel.step(), n - 1);
        bar.next();  // stays at the end
        QCOMPARE(sel.step(), n - 1);
        bar.first();
        QCOMPARE(sel.step(), 0);
        QTest::keyClick(&bar, Qt::Key_Right);
        QCOMPARE(sel.step(), 1);
        QTest::keyClick(&bar, Qt::Key_End);
        QCOMPARE(sel.step(), n - 1);
        QTest::keyClick(&bar, Qt::Key_Left);
        QCOMPARE(sel.step(), n - 2);
        QTest::keyClick(&bar, Qt::Key_Escape);
        QVERIFY(!sel.stepping());
        // Playing reaches the end and stops there (a short text, the fastest speed).
        doc.setText("Great movie!");
        doc.runNow();
        auto* speed = bar.findChild<QComboBox*>();
        QVERIFY(speed);
        speed->setCurrentIndex(speed->count() - 1);
        const int steps = stepContext(&doc, &sel).plan.size();
        bar.togglePlay();
        QVERIFY(bar.playing());
        QTRY_VERIFY_WITH_TIMEOUT(!bar.playing(), 5000 + steps * bar.interval());
        QCOMPARE(sel.step(), steps - 1);
    }

    // A GRU: the step bar walks its timesteps (the chosen layer and
    // direction, backward right to left), names its stages, and the cell
    // view shows its equations with the recorded numbers under a note that
    // the diagram is for LSTMs.
    void stepBarWalksGruTimesteps() {
        Document doc;
        guitest::load(doc, guitest::golden("gru_2layer_bi"), kText);
        Selection sel;
        sel.setLstm("gru", 1, lstmscope::Direction::Backward);
        StepBar bar(&doc, &sel);
        bar.show();
        const int T = static_cast<int>(doc.trace()->tokens.size());
        const StepContext ctx = stepContext(&doc, &sel);
        QCOMPARE(ctx.plan.op, lstmscope::OpKind::Gru);
        QCOMPARE(ctx.plan.size(), T + 1);  // every timestep, then the tagger
        bar.first();
        QCOMPARE(stepContext(&doc, &sel).reveal.current_token, T - 1);
        QVERIFY2(bar.stepText().contains(QStringLiteral("gru, layer 1 backward: token 1 of %1").arg(T)),
                 qPrintable(bar.stepText()));
        for (int k = 1; k < T; ++k) {
            bar.next();
            QCOMPARE(stepContext(&doc, &sel).reveal.current_token, T - 1 - k);
        }
        bar.next();  // the dense tagger, after the walk
        QVERIFY2(bar.stepText().contains(QStringLiteral("tags")), qPrintable(bar.stepText()));
        // Stages: the GRU's names.
        auto* box = bar.findChild<QCheckBox*>();
        QVERIFY(box && box->isEnabled());
        box->setChecked(true);
        bar.first();
        QVERIFY2(bar.stepText().endsWith(QStringLiteral("reset gate r")), qPrintable(bar.stepText()));
        bar.next();
        QVERIFY2(bar.stepText().endsWith(QStringLiteral("update gate z")), qPrintable(bar.stepText()));
        bar.next();
        QVERIFY2(bar.stepText().endsWith(QStringLiteral("candidate n")), qPrintable(bar.stepText()));
        bar.next();
        QVERIFY2(bar.stepText().endsWith(QStringLiteral("new state h")), qPrintable(bar.stepText()));
    }

    void cellViewShowsGruEquationsWithTheTracesNumbers() {
        Document doc;
        guitest::load(doc, guitest::golden("gru_2layer_bi"), kText);
        Selection sel;
        CellView view(&doc, &sel);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (const auto dir : {lstmscope::Direction::Forward, lstmscope::Direction::Backward}) {
            sel.setLstm("gru", 0, dir);
            sel.setUnit(3);
            const auto* g = &doc.trace()->find("gru")->gates[dir == lstmscope::Direction::Forward ? 0 : 1];
            const int T = static_cast<int>(g->h.rows());
            for (int step = 0; step < T; ++step) {
                sel.setStep(step);
                const int t = stepContext(&doc, &sel).reveal.current_token;
                QVERIFY(!view.placeholderVisible());
                QCOMPARE(view.shownToken(), t);
                QCOMPARE(view.shownUnit(), 3);
                QVERIFY(view.diagram()->data().gru);
                QVERIFY(view.diagram()->noteText().contains(QStringLiteral("drawn for LSTMs")));
                const QStringList lines = view.diagram()->equationLines();
                QCOMPARE(lines.size(), 4);
                QVERIFY(lines[0].startsWith('r') && lines[1].startsWith('z') && lines[2].startsWith('n') &&
                        lines[3].startsWith('h'));
                auto last = [&](int line) { return numbersIn(lines[line]).last(); };
                QVERIFY2(shown(last(0), g->r(t, 3)), qPrintable(lines[0]));
                QVERIFY2(shown(last(1), g->z(t, 3)), qPrintable(lines[1]));
                QVERIFY2(shown(last(2), g->n(t, 3)), qPrintable(lines[2]));
                // h = (1 − z) × n + z × h_prev, with every number filled in.
                const QList<double> h = numbersIn(lines[3]);
                QCOMPARE(h.size(), 5);
                const int prev = dir == lstmscope::Direction::Forward ? t - 1 : t + 1;
                const double hPrev = prev < 0 || prev >= T ? 0.0 : g->h(prev, 3);
                QVERIFY(shown(h[0], g->z(t, 3)) && shown(h[1], g->n(t, 3)) && shown(h[2], g->z(t, 3)));
                QVERIFY2(shown(h[3], float(hPrev)), qPrintable(lines[3]));
                QVERIFY2(shown(h[4], g->h(t, 3)), qPrintable(lines[3]));
            }
        }
        QVERIFY(view.headingText().contains(QStringLiteral("gru, layer 0")));
        // Stages light their equation: r, z, n, h.
        sel.setCellPhases(true);
        sel.setStep(1);
        QCOMPARE(view.diagram()->data().phase, int(lstmscope::analysis::PhaseUpdateGate));
        QVERIFY(view.diagram()->lineLit(1));
        QVERIFY(!view.diagram()->lineLit(0) && !view.diagram()->lineLit(3));
        view.grab();  // paints
        // reset_after = false writes r inside the recurrent product.
        guitest::load(doc, guitest::golden("gru_reset_before_bi"), kText);
        sel.clear();
        sel.setStep(-1);
        sel.setToken(2);
        QVERIFY(!view.placeholderVisible());
        QVERIFY2(view.diagram()->equationLines().at(2).contains(QStringLiteral("U·(r")),
                 qPrintable(view.diagram()->equationLines().at(2)));
    }

    void switchingToCellStagesKeepsTheTimestep() {
        Document doc;
        guitest::load(doc, guitest::golden("seed_a"), kText);
        Selection sel;
        StepBar bar(&doc, &sel);
        sel.setStep(3);
        const int token = stepContext(&doc, &sel).reveal.current_token;
        // The bar's checkbox maps the step onto the first stage of the same timestep.
        auto* box = bar.findChild<QCheckBox*>();
        QVERIFY(box);
        box->setChecked(true);
        QCOMPARE(stepContext(&doc, &sel).reveal.current_token, token);
        QCOMPARE(stepContext(&doc, &sel).reveal.phase, 0);
    }
};

QTEST_MAIN(TestTeaching)
#include "test_teaching.moc"
