// GatesView and UnitLinePlot: filled from a Document, following and writing
// the shared Selection, sorting units, fixed colour ranges, edge cases
// (no model, no LSTM, one token, a trace replaced while hovering), a GRU's own
// four heatmaps and lines, and the time budget for 256 units x 300 tokens.
#include <QComboBox>
#include <algorithm>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <qcustomplot.h>
#include <random>

#include "gui/plots/elided_label.h"
#include "gui/plots/heatmap_plot.h"
#include "gui/plots/unit_line_plot.h"
#include "gui/trace_labels.h"
#include "gui/views/gates_view.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"

using lstmscope::Direction;

namespace {

QString golden(const char* name) { return QStringLiteral(LSTMSCOPE_TEST_DATA "/golden/%1.json").arg(name); }

// Writes a model with one word-level LSTM of `hidden` units and random
// weights: the bundled test models have 6 to 8 units, far from the sizes the
// view must stay fast for. Returns the manifest path.
QString writeBigLstmModel(const QString& dir, int hidden, int vocabSize = 40, int embed = 16) {
    struct Tensor {
        QString name;
        QList<int> shape;
        std::vector<float> values;
    };
    std::mt19937 rng(7);
    // Big enough weights that some gates saturate and c leaves [-1, 1].
    std::normal_distribution<float> normal(0.0f, 0.35f);
    auto random = [&](const QString& name, QList<int> shape) {
        size_t n = 1;
        for (int s : shape) n *= static_cast<size_t>(s);
        Tensor t{name, shape, std::vector<float>(n)};
        for (float& v : t.values) v = normal(rng);
        return t;
    };
    std::vector<Tensor> tensors{random("emb.weight", {vocabSize, embed}),
                                random("lstm.weight_ih_l0", {4 * hidden, embed}),
                                random("lstm.weight_hh_l0", {4 * hidden, hidden}),
                                random("lstm.bias_ih_l0", {4 * hidden})};
    QJsonObject header;
    qint64 offset = 0;
    for (const Tensor& t : tensors) {
        const qint64 bytes = static_cast<qint64>(t.values.size() * sizeof(float));
        QJsonArray shape;
        for (int s : t.shape) shape.append(s);
        header[t.name] = QJsonObject{{"dtype", "F32"}, {"shape", shape}, {"data_offsets", QJsonArray{offset, offset + bytes}}};
        offset += bytes;
    }
    const QByteArray headerBytes = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QFile weights(dir + "/big.safetensors");
    if (!weights.open(QIODevice::WriteOnly)) return {};
    const quint64 length = static_cast<quint64>(headerBytes.size());
    for (int k = 0; k < 8; ++k) weights.putChar(static_cast<char>((length >> (8 * k)) & 0xff));
    weights.write(headerBytes);
    for (const Tensor& t : tensors)
        weights.write(reinterpret_cast<const char*>(t.values.data()), static_cast<qint64>(t.values.size() * sizeof(float)));
    weights.close();

    QJsonArray vocab{"<pad>", "<unk>"};
    for (int k = 2; k < vocabSize; ++k) vocab.append(QStringLiteral("w%1").arg(k));
    const QJsonObject manifest{
        {"format", "lstmscope-model"},
        {"format_version", 1},
        {"name", "big"},
        {"weights", "big.safetensors"},
        {"tokenizer", QJsonObject{{"type", "whitespace"}, {"vocab", vocab}, {"unk", "<unk>"}}},
        {"task", "regression"},
        {"output", "lstm"},
        {"nodes", QJsonArray{QJsonObject{{"name", "emb"}, {"op", "embedding"}, {"input", "tokens"}},
                             QJsonObject{{"name", "lstm"}, {"op", "lstm"}, {"input", "emb"}, {"hidden_size", hidden}}}},
    };
    QFile file(dir + "/big.json");
    if (!file.open(QIODevice::WriteOnly)) return {};
    file.write(QJsonDocument(manifest).toJson());
    return file.fileName();
}

QString bigText(int tokens, int vocabSize = 40) {
    QStringList words;
    for (int t = 0; t < tokens; ++t) words << QStringLiteral("w%1").arg(2 + (t * 7 + t / 5) % (vocabSize - 2));
    return words.join(' ');
}

const lstmscope::Matrix& matrixOf(const lstmscope::GateTrace& g, GatesView::Quantity q) {
    switch (q) {
    case GatesView::InputGate: return g.i;
    case GatesView::ForgetGate: return g.f;
    case GatesView::CellCandidate: return g.g;
    case GatesView::OutputGate: return g.o;
    case GatesView::CellState: return g.c;
    case GatesView::ResetGate: return g.r;
    case GatesView::UpdateGate: return g.z;
    case GatesView::NewCandidate: return g.n;
    default: return g.h;
    }
}

constexpr std::array<GatesView::Quantity, 6> kAll{GatesView::InputGate,  GatesView::ForgetGate, GatesView::CellCandidate,
                                                  GatesView::OutputGate, GatesView::CellState,  GatesView::HiddenState};
constexpr std::array<GatesView::Quantity, 4> kGru{GatesView::ResetGate, GatesView::UpdateGate, GatesView::NewCandidate,
                                                  GatesView::HiddenState};

// The name in a heatmap's header (its first label).
QString headerTitle(GatesView& view, GatesView::Quantity q) {
    const auto labels = view.heatmap(q)->parentWidget()->findChildren<ElidedLabel*>();
    return labels.isEmpty() ? QString() : labels.first()->fullText();
}

// The centre of heatmap cell (row, column) in the plot's coordinates.
QPoint cellCentre(HeatmapPlot* h, int row, int column) {
    QCustomPlot* p = h->customPlot();
    return QPoint(static_cast<int>(p->xAxis->coordToPixel(column)), static_cast<int>(p->yAxis->coordToPixel(row)));
}

}  // namespace

class TestGatesView : public QObject {
    Q_OBJECT

private:
    struct Fixture {
        Pane pane_{Pane::Side::A};
        Document& document = *pane_.document();
        Selection& selection = *pane_.selection();
        GatesView view{&document, &selection};
        Fixture() { view.resize(1200, 800); }
        bool load(const QString& path, const QString& text) {
            QString error;
            document.setText(text);
            if (!document.loadModel(path, &error)) {
                qWarning() << error;
                return false;
            }
            document.runNow();
            return document.trace() != nullptr;
        }
        const lstmscope::GateTrace* gates() const {
            return findGates(*document.trace(), view.currentNode(), view.currentLayer(), view.currentDirection());
        }
    };

private slots:
    void noModelShowsPlaceholder() {
        Fixture f;
        QVERIFY(f.view.placeholderVisible());
        QVERIFY(f.view.placeholderText().contains("Open a model"));
        QVERIFY(f.view.linePlot()->placeholderVisible());
    }

    void modelWithoutLstmShowsPlaceholder() {
        Fixture f;
        QVERIFY(f.load(golden("dense_activations"), "good movie"));
        QVERIFY(f.view.placeholderVisible());
        QVERIFY(f.view.placeholderText().contains("no recurrent layer (LSTM or GRU)"));
        // Selecting things does not wake the view up or crash it.
        f.selection.setToken(0);
        f.selection.setUnit(3);
        QVERIFY(f.view.placeholderVisible());
        QCOMPARE(f.view.highlightedToken(), -1);
    }

    void loadingFillsSixHeatmaps() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "I loved the acting, but the plot was too long."));
        QVERIFY(!f.view.placeholderVisible());
        // The first LSTM is chosen and written to the shared selection.
        QCOMPARE(f.view.currentNode(), QString("lstm"));
        QCOMPARE(f.selection.lstmNode(), QString("lstm"));
        QCOMPARE(f.view.currentLayer(), 0);
        QCOMPARE(f.view.currentDirection(), Direction::Forward);
        QVERIFY(f.view.directionChooser()->isEnabled());  // BiLSTM
        QVERIFY(!f.view.layerChooser()->isEnabled());     // one layer
        const auto* gates = f.gates();
        QVERIFY(gates);
        const int tokens = static_cast<int>(f.document.trace()->tokens.size());
        for (auto q : kAll) {
            HeatmapPlot* h = f.view.heatmap(q);
            QCOMPARE(h->rowCount(), 6);
            QCOMPARE(h->columnCount(), tokens);
            // Units down, tokens across.
            for (int r = 0; r < 6; ++r)
                for (int t = 0; t < tokens; ++t) QCOMPARE(h->valueAt(r, t), double(matrixOf(*gates, q)(t, r)));
        }
        QVERIFY(f.view.heatmap(GatesView::InputGate)->toolTipText(2, 1).contains("unit 2"));
        QVERIFY(f.view.heatmap(GatesView::InputGate)->toolTipText(2, 1).contains("'loved'"));
    }

    void defaultIsLastLayerAndUnidirectionalDisablesDirection() {
        Fixture f;
        QVERIFY(f.load(golden("lstm_3layer"), "the movie was good"));
        QCOMPARE(f.view.currentLayer(), 2);
        QCOMPARE(f.selection.layer(), 2);
        QCOMPARE(f.view.layerChooser()->count(), 3);
        QVERIFY(f.view.layerChooser()->isEnabled());
        QVERIFY(!f.view.directionChooser()->isEnabled());
        // A backward direction asked for by someone else is shown as forward,
        // without writing back (views never correct shared state).
        f.selection.setLstm("lstm", 1, Direction::Backward);
        QCOMPARE(f.view.currentDirection(), Direction::Forward);
        QCOMPARE(f.selection.direction(), Direction::Backward);
        QCOMPARE(f.view.currentLayer(), 1);
        QCOMPARE(f.view.layerChooser()->currentIndex(), 1);
        // Out-of-range layers are clamped, in the view only.
        f.selection.setLstm("lstm", 7, Direction::Forward);
        QCOMPARE(f.view.currentLayer(), 2);
        QCOMPARE(f.selection.layer(), 7);
    }

    void choosersWriteTheSelection() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "great movie"));
        QSignalSpy spy(&f.selection, &Selection::lstmChanged);
        f.view.directionChooser()->setCurrentIndex(1);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(f.selection.direction(), Direction::Backward);
        QCOMPARE(f.view.currentDirection(), Direction::Backward);
        const auto* backward = findGates(*f.document.trace(), "lstm", 0, Direction::Backward);
        QCOMPARE(f.view.heatmap(GatesView::HiddenState)->valueAt(3, 1), double(backward->h(1, 3)));

        // And the selection drives the choosers.
        f.selection.setLstm("lstm", 0, Direction::Forward);
        QCOMPARE(f.view.directionChooser()->currentIndex(), 0);
    }

    void selectionReachesTheView() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "I loved the acting, but the plot was too long."));
        f.selection.setToken(3);
        for (auto q : kAll) QCOMPARE(f.view.heatmap(q)->highlightedColumn(), 3);
        QCOMPARE(f.view.highlightedToken(), 3);
        // A new model starts on the unit whose h varies most, so the line plot is never empty at first.
        const auto* first = f.gates();
        int best = 0;
        for (int u = 1; u < first->h.cols(); ++u)
            if (GatesView::hiddenVariance(*first, u) > GatesView::hiddenVariance(*first, best)) best = u;
        QCOMPARE(f.selection.unit(), best);
        QVERIFY(!f.view.linePlot()->placeholderVisible());
        // Without a unit the plot says what to click.
        f.selection.setUnit(-1);
        QVERIFY(f.view.linePlot()->placeholderVisible());
        QVERIFY(f.view.linePlot()->placeholderText().contains("Click a unit row"));

        f.selection.setUnit(4);
        for (auto q : kAll) QCOMPARE(f.view.heatmap(q)->highlightedRow(), 4);
        QCOMPARE(f.view.highlightedUnit(), 4);
        UnitLinePlot* line = f.view.linePlot();
        QVERIFY(!line->placeholderVisible());
        QCOMPARE(line->unit(), 4);
        QCOMPARE(line->markerToken(), 3);
        const auto* gates = f.gates();
        QCOMPARE(line->pointCount(), static_cast<int>(gates->h.rows()));
        for (int t = 0; t < line->pointCount(); ++t) {
            QCOMPARE(line->valueAt(GatesView::CellState, t), double(gates->c(t, 4)));
            QCOMPARE(line->valueAt(GatesView::ForgetGate, t), double(gates->f(t, 4)));
        }
        QVERIFY(line->yLower() <= -1.0 && line->yUpper() >= 1.0);

        f.selection.setToken(-1);
        QCOMPARE(f.view.highlightedToken(), -1);
        QCOMPARE(line->markerToken(), -1);
        f.selection.setUnit(-1);
        QCOMPARE(f.view.highlightedUnit(), -1);
        QVERIFY(line->placeholderVisible());
        // A unit this LSTM does not have selects nothing here.
        f.selection.setUnit(99);
        QCOMPARE(f.view.highlightedUnit(), -1);
        QVERIFY(line->placeholderVisible());
    }

    void clicksWriteTheSelection() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "I loved the acting, but the plot was too long."));
        f.view.setUnitOrder(GatesView::UnitOrder::Variance);
        HeatmapPlot* c = f.view.heatmap(GatesView::CellState);
        emit c->cellClicked(1, 5);
        QCOMPARE(f.selection.token(), 5);
        QCOMPARE(f.selection.unit(), f.view.rowUnits()[1]);  // the unit shown in row 1, not unit 1
        emit c->rowLabelClicked(0);
        QCOMPARE(f.selection.unit(), f.view.rowUnits()[0]);
        QCOMPARE(f.selection.token(), 5);
        emit c->columnLabelClicked(2);
        QCOMPARE(f.selection.token(), 2);
        emit c->cellHovered(3, 7);
        QCOMPARE(f.selection.hoverToken(), 7);
        emit c->cellHovered(-1, -1);
        QCOMPARE(f.selection.hoverToken(), -1);
        emit f.view.linePlot()->tokenClicked(6);
        QCOMPARE(f.selection.token(), 6);

        // A real click on a cell of the h heatmap.
        f.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.view));
        HeatmapPlot* h = f.view.heatmap(GatesView::HiddenState);
        h->customPlot()->replot();
        QTest::mouseClick(h->customPlot(), Qt::LeftButton, {}, cellCentre(h, 3, 4));
        QCOMPARE(f.selection.token(), 4);
        QCOMPARE(f.selection.unit(), f.view.rowUnits()[3]);
        QCOMPARE(f.view.highlightedUnit(), f.view.rowUnits()[3]);
    }

    void sortingReordersRowsAndKeepsTheSelectedUnit() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "I loved the acting, but the plot was too long and very boring."));
        const auto* gates = f.gates();
        f.selection.setUnit(2);
        f.view.setUnitOrder(GatesView::UnitOrder::Variance);
        QCOMPARE(f.view.orderChooser()->currentIndex(), 1);
        const auto rows = f.view.rowUnits();
        QCOMPARE(static_cast<int>(rows.size()), 6);
        for (size_t r = 1; r < rows.size(); ++r)
            QVERIFY(GatesView::hiddenVariance(*gates, rows[r - 1]) >= GatesView::hiddenVariance(*gates, rows[r]));
        QCOMPARE(f.view.heatmap(GatesView::HiddenState)->highlightedRow(), f.view.rowOfUnit(2));
        QCOMPARE(f.view.highlightedUnit(), 2);
        // Row r shows unit rows[r], with its label.
        QCOMPARE(f.view.heatmap(GatesView::HiddenState)->valueAt(0, 3), double(gates->h(3, rows[0])));
        QVERIFY(f.view.heatmap(GatesView::HiddenState)->toolTipText(0, 3).contains(QString("unit %1").arg(rows[0])));

        f.view.orderChooser()->setCurrentIndex(2);
        QCOMPARE(f.view.unitOrder(), GatesView::UnitOrder::Saturation);
        const auto sat = f.view.rowUnits();
        for (size_t r = 1; r < sat.size(); ++r)
            QVERIFY(GatesView::saturation(*gates, sat[r - 1]) >= GatesView::saturation(*gates, sat[r]));

        f.view.setUnitOrder(GatesView::UnitOrder::Index);
        for (int r = 0; r < 6; ++r) QCOMPARE(f.view.rowUnits()[r], r);
    }

    void sortKeysByHand() {
        lstmscope::GateTrace g;
        g.i = g.f = g.g = g.o = g.c = g.h = lstmscope::Matrix::Constant(4, 2, 0.5f);
        // Unit 0: h = 1, -1, 1, -1 -> variance 1; |h| > 0.9 at every token.
        // Its i is 0.95 at two tokens, its f 0.05 at one, its o stays at 0.5.
        for (int t = 0; t < 4; ++t) g.h(t, 0) = t % 2 ? -1.0f : 1.0f;
        g.i(0, 0) = g.i(1, 0) = 0.95f;
        g.f(2, 0) = 0.05f;
        QCOMPARE(GatesView::hiddenVariance(g, 0), 1.0);
        QCOMPARE(GatesView::hiddenVariance(g, 1), 0.0);
        // (2 + 1 + 0 + 4) saturated of 4 quantities x 4 tokens.
        QCOMPARE(GatesView::saturation(g, 0), 7.0 / 16.0);
        QCOMPARE(GatesView::saturation(g, 1), 0.0);
    }

    void cellStateRangeIsFixedPerNode() {
        QCOMPARE(GatesView::cellStateLimitFor(0.3), 1.0);
        QCOMPARE(GatesView::cellStateLimitFor(1.0), 1.0);
        QCOMPARE(GatesView::cellStateLimitFor(1.2), 2.0);
        QCOMPARE(GatesView::cellStateLimitFor(2.5), 3.0);
        QCOMPARE(GatesView::cellStateLimitFor(4.0), 5.0);
        QCOMPARE(GatesView::cellStateLimitFor(40.0), 5.0);

        QTemporaryDir dir;
        Fixture f;
        QVERIFY(f.load(writeBigLstmModel(dir.path(), 32), bigText(200)));
        double maxAbsC = 0;
        for (const auto& g : f.document.trace()->find("lstm")->gates) maxAbsC = std::max(maxAbsC, double(g.c.cwiseAbs().maxCoeff()));
        QVERIFY2(maxAbsC > 1.0, "the generated model should drive c beyond ±1");
        const double limit = f.view.cellStateLimit();
        QCOMPARE(limit, GatesView::cellStateLimitFor(maxAbsC));
        // A short text with small c values does not shrink the range...
        f.document.setText("w2");
        f.document.runNow();
        QCOMPARE(f.view.cellStateLimit(), limit);
        // ...but a new model starts afresh.
        QVERIFY(f.load(golden("seed_b"), "good"));
        QCOMPARE(f.view.cellStateLimit(), 1.0);
    }

    void headingsAndColourMap() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "good"));
        QCOMPARE(f.view.sequentialColorMap(), ColorMap::Viridis);
        f.view.setSequentialColorMap(ColorMap::Magma);
        QCOMPARE(f.view.sequentialColorMap(), ColorMap::Magma);
        // Line colours are six distinct ones.
        QSet<QRgb> colours;
        for (int q = 0; q < 6; ++q) colours.insert(UnitLinePlot::quantityColor(q).rgb());
        QCOMPARE(colours.size(), 6);
        // Legend names in the line plot: an LSTM's six; h drawn last.
        f.selection.setUnit(0);
        QCustomPlot* p = f.view.linePlot()->customPlot();
        QCOMPARE(p->legend->itemCount(), 6);
        QCOMPARE(p->graph(0)->name(), QString("i: input gate"));
        QCOMPARE(p->graph(p->graphCount() - 1)->name(), QString("h: hidden state"));
        QStringList legend;
        for (int k = 0; k < p->legend->itemCount(); ++k)
            legend << static_cast<QCPPlottableLegendItem*>(p->legend->item(k))->plottable()->name();
        QCOMPARE(legend, QStringList({"i: input gate", "f: forget gate", "g: cell candidate", "o: output gate",
                                      "c: cell state", "h: hidden state"}));
    }

    void columnsStayAligned() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "I loved the acting, but the plot was too long and very boring."));
        f.selection.setUnit(1);
        // The user zooms one heatmap (both axes, as the wheel does) ...
        HeatmapPlot* source = f.view.heatmap(GatesView::ForgetGate);
        source->setVisibleColumns(2.5, 7.5);
        source->setVisibleRows(0.5, 3.5);
        emit source->visibleRangeChanged();
        // ... and all six follow on both axes: the unit rows stay lined up
        // (the wheel used to zoom the unit axis of one heatmap only).
        for (auto q : kAll) {
            QCOMPARE(f.view.heatmap(q)->visibleColumnLower(), 2.5);
            QCOMPARE(f.view.heatmap(q)->visibleColumnUpper(), 7.5);
            QCOMPARE(f.view.heatmap(q)->visibleRowLower(), 0.5);
            QCOMPARE(f.view.heatmap(q)->visibleRowUpper(), 3.5);
        }
        QCOMPARE(f.view.linePlot()->visibleTokenLower(), 2.5);
        QCOMPARE(f.view.linePlot()->visibleTokenUpper(), 7.5);
        // And the line plot leads as well.
        f.view.linePlot()->customPlot()->xAxis->setRange(0.5, 4.5);
        QCOMPARE(f.view.heatmap(GatesView::HiddenState)->visibleColumnUpper(), 4.5);
    }

    void gridFollowsTheShape() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "I loved the acting, but the plot was too long."));
        f.view.resize(1400, 900);
        f.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.view));
        QCOMPARE(f.view.gridColumns(), 3);
        f.view.resize(500, 2400);  // a tall, narrow dock
        QTRY_COMPARE(f.view.gridColumns(), 2);
        f.view.resize(1400, 900);
        QTRY_COMPARE(f.view.gridColumns(), 3);
    }

    // A GRU (two layers, bidirectional): its own four heatmaps r, z, n, h
    // with its own names, no c, its four lines, and the same linking.
    void gruShowsItsOwnFourHeatmaps() {
        Fixture f;
        f.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.view));
        QVERIFY(f.load(golden("gru_2layer_bi"), "I loved the acting, but the plot was too long."));
        QVERIFY(!f.view.placeholderVisible());
        QCOMPARE(f.view.cellKind(), GatesView::CellKind::Gru);
        QCOMPARE(f.view.currentNode(), QString("gru"));
        QCOMPARE(f.selection.lstmNode(), QString("gru"));
        QCOMPARE(f.view.currentLayer(), 1);  // the last layer, as for an LSTM
        QCOMPARE(f.view.layerChooser()->count(), 2);
        QVERIFY(f.view.directionChooser()->isEnabled());
        QCOMPARE(f.view.nodeChooser()->currentText(), QString("gru"));
        QCOMPARE(f.view.nodeChooserLabel(), QString("&GRU"));
        for (auto q : kGru) QVERIFY(f.view.quantityShown(q));
        for (auto q : {GatesView::InputGate, GatesView::ForgetGate, GatesView::CellCandidate, GatesView::OutputGate,
                       GatesView::CellState}) {
            QVERIFY(!f.view.quantityShown(q));
            QVERIFY(!f.view.heatmap(q)->isVisible());
            QCOMPARE(f.view.heatmap(q)->rowCount(), 0);
        }
        QCOMPARE(headerTitle(f.view, GatesView::ResetGate), QString("r: reset gate"));
        QCOMPARE(headerTitle(f.view, GatesView::UpdateGate), QString("z: update gate"));
        QCOMPARE(headerTitle(f.view, GatesView::NewCandidate), QString("n: candidate"));
        QCOMPARE(headerTitle(f.view, GatesView::HiddenState), QString("h: hidden state"));
        // Two rows of two (r z above, n h below), or one row of four when the
        // view is wide and short.
        f.view.resize(600, 1800);
        QTRY_COMPARE(f.view.gridColumns(), 2);
        f.view.resize(2400, 700);
        QTRY_COMPARE(f.view.gridColumns(), 4);
        f.view.resize(600, 1800);
        QTRY_COMPARE(f.view.gridColumns(), 2);
        f.view.resize(1200, 800);
        const auto* gates = f.gates();
        QVERIFY(gates);
        const int tokens = static_cast<int>(f.document.trace()->tokens.size());
        for (auto q : kGru) {
            HeatmapPlot* h = f.view.heatmap(q);
            QVERIFY(h->isVisible());
            QCOMPARE(h->rowCount(), 5);
            QCOMPARE(h->columnCount(), tokens);
            for (int r = 0; r < 5; ++r)
                for (int t = 0; t < tokens; ++t) QCOMPARE(h->valueAt(r, t), double(matrixOf(*gates, q)(t, r)));
        }
        QVERIFY(f.view.heatmap(GatesView::UpdateGate)->toolTipText(2, 1).contains("'loved'"));
        QVERIFY(f.view.heatmap(GatesView::UpdateGate)->toolTipText(2, 1).contains("z"));

        // Selection links: a click on z selects token and unit, every GRU
        // heatmap and the line plot follow.
        emit f.view.heatmap(GatesView::UpdateGate)->cellClicked(3, 4);
        QCOMPARE(f.selection.token(), 4);
        QCOMPARE(f.selection.unit(), 3);
        for (auto q : kGru) {
            QCOMPARE(f.view.heatmap(q)->highlightedColumn(), 4);
            QCOMPARE(f.view.heatmap(q)->highlightedRow(), 3);
        }
        QCOMPARE(f.view.highlightedToken(), 4);
        QCOMPARE(f.view.highlightedUnit(), 3);
        emit f.view.heatmap(GatesView::ResetGate)->cellHovered(0, 6);
        QCOMPARE(f.selection.hoverToken(), 6);
        UnitLinePlot* line = f.view.linePlot();
        QCOMPARE(line->cellKind(), GatesView::CellKind::Gru);
        QCOMPARE(line->unit(), 3);
        QCOMPARE(line->markerToken(), 4);
        for (auto q : kGru) QVERIFY(line->lineShown(q));
        for (auto q : {GatesView::InputGate, GatesView::CellState}) QVERIFY(!line->lineShown(q));
        for (int t = 0; t < line->pointCount(); ++t) {
            QCOMPARE(line->valueAt(GatesView::ResetGate, t), double(gates->r(t, 3)));
            QCOMPARE(line->valueAt(GatesView::UpdateGate, t), double(gates->z(t, 3)));
            QCOMPARE(line->valueAt(GatesView::NewCandidate, t), double(gates->n(t, 3)));
            QCOMPARE(line->valueAt(GatesView::HiddenState, t), double(gates->h(t, 3)));
        }
        QCustomPlot* p = line->customPlot();
        QStringList legend;
        for (int k = 0; k < p->legend->itemCount(); ++k)
            legend << static_cast<QCPPlottableLegendItem*>(p->legend->item(k))->plottable()->name();
        QCOMPARE(legend, QStringList({"r: reset gate", "z: update gate", "n: candidate", "h: hidden state"}));
        QCOMPARE(line->yLower(), -1.06);  // no c to widen the axis
        f.view.grab();

        // The layer and direction choosers write the selection.
        f.view.layerChooser()->setCurrentIndex(0);
        f.view.directionChooser()->setCurrentIndex(1);
        QCOMPARE(f.selection.layer(), 0);
        QCOMPARE(f.selection.direction(), Direction::Backward);
        const auto* backward = findGates(*f.document.trace(), "gru", 0, Direction::Backward);
        QCOMPARE(f.view.heatmap(GatesView::NewCandidate)->valueAt(1, 2), double(backward->n(2, 1)));

        // Sorting works on a GRU's gates (r, z and h).
        f.view.setUnitOrder(GatesView::UnitOrder::Saturation);
        const auto sat = f.view.rowUnits();
        for (size_t r = 1; r < sat.size(); ++r)
            QVERIFY(GatesView::saturation(*backward, sat[r - 1]) >= GatesView::saturation(*backward, sat[r]));
        f.view.setUnitOrder(GatesView::UnitOrder::Index);

        // An LSTM model afterwards brings the six back, and the GRU's go.
        QVERIFY(f.load(golden("seed_b"), "good movie"));
        QCOMPARE(f.view.cellKind(), GatesView::CellKind::Lstm);
        QCOMPARE(f.view.nodeChooserLabel(), QString("&LSTM"));
        for (auto q : kAll) QVERIFY(f.view.heatmap(q)->isVisible());
        for (auto q : {GatesView::ResetGate, GatesView::UpdateGate, GatesView::NewCandidate}) {
            QVERIFY(!f.view.heatmap(q)->isVisible());
            QCOMPARE(f.view.heatmap(q)->rowCount(), 0);
        }
        QCOMPARE(f.view.linePlot()->customPlot()->legend->itemCount(), 6);
    }

    void gruStepThroughBlanksWhatIsNotComputed() {
        Fixture f;
        QVERIFY(f.load(golden("gru_uni"), "the plot was too long and very boring"));
        const int T = static_cast<int>(f.document.trace()->tokens.size());
        f.selection.setUnit(1);
        f.selection.setStep(2);  // the third timestep of the forward GRU
        for (auto q : kGru) {
            HeatmapPlot* h = f.view.heatmap(q);
            for (int t = 0; t < T; ++t) QCOMPARE(std::isnan(h->valueAt(1, t)), t > 2);
        }
        QCOMPARE(f.view.highlightedToken(), 2);
        QVERIFY(std::isnan(f.view.linePlot()->valueAt(GatesView::UpdateGate, 3)));
        QCOMPARE(f.view.linePlot()->valueAt(GatesView::UpdateGate, 2), double(f.gates()->z(2, 1)));
        f.selection.setStep(-1);
        QVERIFY(!std::isnan(f.view.heatmap(GatesView::HiddenState)->valueAt(1, T - 1)));
    }

    void gruSortKeysByHand() {
        lstmscope::GateTrace g;
        g.r = g.z = g.n = g.h = lstmscope::Matrix::Constant(4, 2, 0.5f);
        // Unit 0: |h| > 0.9 at every token, r 0.95 at two, z 0.05 at one.
        for (int t = 0; t < 4; ++t) g.h(t, 0) = t % 2 ? -1.0f : 1.0f;
        g.r(0, 0) = g.r(1, 0) = 0.95f;
        g.z(2, 0) = 0.05f;
        // (2 + 1 + 4) saturated of 3 quantities (r, z, h) x 4 tokens.
        QCOMPARE(GatesView::saturation(g, 0), 7.0 / 12.0);
        QCOMPARE(GatesView::saturation(g, 1), 0.0);
        QCOMPARE(GatesView::hiddenVariance(g, 0), 1.0);
    }

    void oneTokenTrace() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "good"));
        QCOMPARE(f.view.heatmap(GatesView::CellState)->columnCount(), 1);
        emit f.view.heatmap(GatesView::CellState)->cellClicked(0, 0);
        QCOMPARE(f.selection.token(), 0);
        QCOMPARE(f.selection.unit(), 0);
        QCOMPARE(f.view.linePlot()->pointCount(), 1);
        f.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.view));
        f.view.grab();  // paints without tripping over a one-column axis
    }

    void traceReplacedWhileHovering() {
        Fixture f;
        QVERIFY(f.load(golden("seed_b"), "I loved the acting, but the plot was too long and very boring."));
        f.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.view));
        f.selection.setToken(12);
        f.selection.setUnit(5);
        HeatmapPlot* h = f.view.heatmap(GatesView::HiddenState);
        h->customPlot()->replot();
        QTest::mouseMove(h->customPlot(), cellCentre(h, 5, 12));
        QCoreApplication::processEvents();
        f.document.setText("good");
        f.document.runNow();
        QCOMPARE(h->columnCount(), 1);
        QCOMPARE(f.view.highlightedToken(), 0);  // token 12 is gone: the pane clamps to the last token
        QTest::mouseMove(h->customPlot(), cellCentre(h, 0, 0));
        QCoreApplication::processEvents();
        QCOMPARE(f.view.linePlot()->pointCount(), 1);
        f.view.grab();
        f.document.setText("I loved the acting, but the plot was too long and very boring.");
        f.document.runNow();
        QCOMPARE(f.view.highlightedToken(), 0);
    }

    void modelChangeAndSelectionClear() {
        Fixture f;
        QVERIFY(f.load(golden("lstm_3layer"), "good movie"));
        QCOMPARE(f.view.currentLayer(), 2);
        f.selection.clear();
        // Nothing chosen: the view shows the fallback and writes nothing.
        QVERIFY(f.selection.lstmNode().isEmpty());
        QCOMPARE(f.view.currentNode(), QString("lstm"));
        QCOMPARE(f.view.currentLayer(), 2);
        QVERIFY(f.load(golden("seed_b"), "good movie"));
        QCOMPARE(f.view.currentLayer(), 0);  // seed_b has one layer
        QCOMPARE(f.view.layerChooser()->count(), 1);
        QVERIFY(f.load(golden("dense_activations"), "good movie"));
        QVERIFY(f.view.placeholderVisible());
        QVERIFY(f.load(golden("seed_b"), "good movie"));
        QVERIFY(!f.view.placeholderVisible());
    }

    void chineseTokensLabelTheColumns() {
        Fixture f;
        QVERIFY(f.load(golden("tok_char_chinese"), QString::fromUtf8("这家酒店的服务很好")));
        QCOMPARE(f.view.heatmap(GatesView::InputGate)->columnCount(), 9);
        QVERIFY(f.view.heatmap(GatesView::InputGate)->toolTipText(0, 2).contains(QString::fromUtf8("'酒'")));
    }

    // A large LSTM (256 units x 300 tokens) re-sorts and repaints every
    // matrix. How fast is the keystroke benchmark's business (bench/, the
    // README's "Keystroke latency"), not a wall-clock limit here, which a
    // loaded CI machine or a sanitizer build would trip.
    void bigLstmResortsEveryMatrix() {
        QTemporaryDir dir;
        Fixture f;
        QVERIFY(f.load(writeBigLstmModel(dir.path(), 256), bigText(300)));
        f.view.resize(1400, 900);
        f.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.view));
        QCOMPARE(f.view.heatmap(GatesView::HiddenState)->rowCount(), 256);
        QCOMPARE(f.view.heatmap(GatesView::HiddenState)->columnCount(), 300);
        f.selection.setUnit(17);
        f.selection.setToken(150);
        for (auto order : {GatesView::UnitOrder::Variance, GatesView::UnitOrder::Saturation, GatesView::UnitOrder::Index}) {
            f.view.setUnitOrder(order);
            for (auto q : kAll) f.view.heatmap(q)->customPlot()->replot(QCustomPlot::rpImmediateRefresh);
            f.view.linePlot()->customPlot()->replot(QCustomPlot::rpImmediateRefresh);
            // Every unit shown once, in a permutation; index order is 0..255.
            std::vector<int> units = f.view.rowUnits();
            QCOMPARE(int(units.size()), 256);
            if (order == GatesView::UnitOrder::Index) QVERIFY(std::is_sorted(units.begin(), units.end()));
            std::sort(units.begin(), units.end());
            QVERIFY(std::adjacent_find(units.begin(), units.end()) == units.end());
            QCOMPARE(units.front(), 0);
            QCOMPARE(units.back(), 255);
        }
        QCOMPARE(f.selection.unit(), 17);  // re-sorting keeps the selected unit
    }
};

QTEST_MAIN(TestGatesView)
#include "test_gates_view.moc"
