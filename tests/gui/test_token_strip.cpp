// TokenStrip: chips in reading order, colouring sources, marks for unknown,
// dropped, truncated and padding tokens, and the two-way link with Selection.
#include <QApplication>
#include <QMouseEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QtTest>
#include <cmath>

#include "gui/trace_labels.h"
#include "gui/views/token_strip.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"
#include "gui/workspace/selection.h"

using Kind = TokenStrip::Chip::Kind;
using Source = TokenStrip::Source;

#include "gui_test_support.h"

using guitest::golden;
using guitest::load;
using guitest::longText;

namespace {

int countKind(const TokenStrip& strip, Kind kind) {
    int n = 0;
    for (const auto& c : strip.chips())
        if (c.kind == kind) ++n;
    return n;
}

}  // namespace

class TestTokenStrip : public QObject {
    Q_OBJECT
private slots:
    void noModelShowsPlaceholder();
    void loadingFillsChipsInOrder();
    void poolWeightsColourChips();
    void colorMapChoiceChangesColours();
    void attentionRowFollowsSelectedToken();
    void multiHeadAverage();
    void unitStatesUseDivergingMap();
    void unavailableSourceGivesHint();
    void selectionReachesStrip();
    void clickAndHoverWriteSelection();
    void unknownTokensMarked();
    void droppedTextInReadingOrder();
    void paddingCollapsesAndExpands();
    void truncatedTextShown();
    void chineseCharacters();
    void oneToken();
    void traceReplacedWhileHovering();
    void longTextScrollsToSelection();
};

void TestTokenStrip::noModelShowsPlaceholder() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    strip.resize(600, 200);
    QVERIFY(strip.chips().empty());
    QVERIFY(!strip.coloringAvailable());
    QVERIFY(!strip.chipColor(0).isValid());
    sel.setToken(3);  // no trace: nothing to crash on
    sel.setHoverToken(1);
    QCOMPARE(strip.selectedToken(), 3);
}

void TestTokenStrip::loadingFillsChipsInOrder() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("pool_tanh_proj"), "I loved the acting, but the plot was too long and very boring.");
    const auto& trace = *doc.trace();
    QCOMPARE(static_cast<size_t>(strip.chips().size()), trace.tokens.size());
    for (size_t k = 0; k < trace.tokens.size(); ++k) {
        QCOMPARE(strip.chips()[k].kind, Kind::Token);
        QCOMPARE(strip.chips()[k].token, static_cast<int>(k));
        QCOMPARE(strip.chips()[k].text, tokenLabel(trace.tokens[k]));
        QCOMPARE(strip.chipIndexOfToken(static_cast<int>(k)), static_cast<int>(k));
    }
    QCOMPARE(strip.chips()[1].text, QStringLiteral("loved"));
    // The strip grows with its text: more width, fewer lines.
    QVERIFY(strip.heightForWidth(200) > strip.heightForWidth(2000));
}

void TestTokenStrip::poolWeightsColourChips() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("pool_tanh_proj"), "I loved the acting, but the plot was too long.");
    // A model with an attention pool starts with its weights.
    QCOMPARE(strip.source(), Source::PoolWeights);
    QVERIFY(strip.coloringAvailable());
    const auto* pool = doc.trace()->find("att");
    QVERIFY(pool);
    const int T = static_cast<int>(doc.trace()->tokens.size());
    double top = 0;
    int best = 0;
    for (int t = 0; t < T; ++t) {
        QCOMPARE(strip.chipValue(t), static_cast<double>(pool->attention[0](0, t)));
        if (pool->attention[0](0, t) > top) {
            top = pool->attention[0](0, t);
            best = t;
        }
    }
    QCOMPARE(strip.rangeMax(), top);
    // Sequential map over [0, row max]: the largest weight gets the top colour.
    QCOMPARE(strip.chipColor(best), colorAt(ColorMap::Viridis, 1.0));
    QCOMPARE(strip.chipColor(0), colorAt(ColorMap::Viridis, strip.chipValue(0) / top));
    QVERIFY(strip.chipToolTip(best).contains(QString::number(top, 'f', 4)));
}

void TestTokenStrip::colorMapChoiceChangesColours() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("pool_tanh_proj"), "great movie");
    strip.setSequentialColorMap(ColorMap::Magma);
    QCOMPARE(strip.sequentialColorMap(), ColorMap::Magma);
    QCOMPARE(strip.chipColor(0), colorAt(ColorMap::Magma, strip.chipValue(0) / strip.rangeMax()));
    strip.setSequentialColorMap(ColorMap::Diverging);  // not a sequential map: ignored
    QCOMPARE(strip.sequentialColorMap(), ColorMap::Magma);
}

void TestTokenStrip::attentionRowFollowsSelectedToken() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("seed_b"), "I loved the acting, but the plot was too long.");
    QCOMPARE(strip.source(), Source::AttentionRow);  // no pool: self-attention
    sel.setAttention("attn", 0);
    QVERIFY(!strip.coloringAvailable());
    QVERIFY(strip.hintText().contains("Click a token"));
    sel.setToken(3);
    QVERIFY(strip.coloringAvailable());
    const auto& m = doc.trace()->find("attn")->attention[0];
    for (int k = 0; k < m.cols(); ++k) QCOMPARE(strip.chipValue(k), static_cast<double>(m(3, k)));
    sel.setToken(5);
    QCOMPARE(strip.chipValue(0), static_cast<double>(m(5, 0)));
    sel.setToken(-1);
    QVERIFY(!strip.coloringAvailable());
    QCOMPARE(strip.chipColor(0), strip.chipColor(1));  // neutral
}

void TestTokenStrip::multiHeadAverage() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("seed_a"), "I loved the acting, but the plot was too long.");
    strip.setSource(Source::AttentionRow);
    sel.setToken(2);
    sel.setAttention("mha", 3);
    const auto& heads = doc.trace()->find("mha")->attention;
    QCOMPARE(strip.chipValue(4), static_cast<double>(heads[3](2, 4)));
    // Heads are numbered from 1 in every view (head index 3 is "head 4");
    // the strip's caption said "head 3" before.
    QVERIFY2(strip.chipToolTip(4).contains("head 4"), qPrintable(strip.chipToolTip(4)));
    sel.setAttention("mha", -1);
    double mean = 0;
    for (const auto& h : heads) mean += h(2, 4);
    mean /= static_cast<double>(heads.size());
    // One head average for every view (engine/analysis), kept in float.
    QVERIFY(std::abs(strip.chipValue(4) - mean) < 1e-6);
    // A pool ignores the token: its single row.
    sel.setAttention("pool_does_not_exist", 0);  // unknown node: falls back to the first attention
    QVERIFY(strip.coloringAvailable());
}

void TestTokenStrip::unitStatesUseDivergingMap() {
    Document doc;
    Selection sel;  // a bare selection: no pane sets first choices or clamps
    TokenStrip strip(&doc, &sel);
    load(doc, golden("seed_b"), "I loved the acting, but the plot was too long.");
    strip.setSource(Source::HiddenState);
    QVERIFY(!strip.coloringAvailable());
    QVERIFY(strip.hintText().contains("unit"));
    sel.setLstm("lstm", 0, lstmscope::Direction::Backward);
    sel.setUnit(2);
    QVERIFY(strip.coloringAvailable());
    const auto* gates = findGates(*doc.trace(), "lstm", 0, lstmscope::Direction::Backward);
    QVERIFY(gates);
    QCOMPARE(strip.chipValue(1), static_cast<double>(gates->h(1, 2)));
    QCOMPARE(strip.chipColor(1), colorAt(ColorMap::Diverging, (gates->h(1, 2) + 1) / 2));
    QCOMPARE(strip.rangeMax(), 1.0);
    strip.setSource(Source::CellState);
    for (int t = 0; t < gates->c.rows(); ++t) {
        const double c = gates->c(t, 2);
        QCOMPARE(strip.chipValue(t), c);  // exact, for the tooltip
        QCOMPARE(strip.chipColor(t), colorAt(ColorMap::Diverging, (std::clamp(c, -1.0, 1.0) + 1) / 2));
    }
    sel.setUnit(999);  // out of range for this node
    QVERIFY(!strip.coloringAvailable());
    strip.setSource(Source::None);
    QVERIFY(!strip.coloringAvailable());
    QVERIFY(strip.hintText().isEmpty());
}

void TestTokenStrip::unavailableSourceGivesHint() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("lstm_uni"), "great movie");
    QCOMPARE(strip.source(), Source::HiddenState);  // no attention at all
    strip.setSource(Source::AttentionRow);
    sel.setToken(0);
    QVERIFY(!strip.coloringAvailable());
    QVERIFY(strip.hintText().contains("no attention"));
    strip.setSource(Source::PoolWeights);
    QVERIFY(strip.hintText().contains("attention_pool"));
    QCOMPARE(strip.chipColor(0), strip.chipColor(1));

    load(doc, golden("mha_1head"), "great movie");  // no LSTM
    strip.setSource(Source::CellState);
    sel.setUnit(0);
    QVERIFY(!strip.coloringAvailable());
    QVERIFY(strip.hintText().contains("no LSTM"));
}

void TestTokenStrip::selectionReachesStrip() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("seed_a"), "great movie, really good");
    sel.setToken(2);
    sel.setHoverToken(1);
    QCOMPARE(strip.selectedToken(), 2);
    QCOMPARE(strip.hoveredToken(), 1);
    sel.setHoverToken(-1);
    QCOMPARE(strip.hoveredToken(), -1);
}

void TestTokenStrip::clickAndHoverWriteSelection() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    strip.resize(700, 200);
    strip.show();
    QVERIFY(QTest::qWaitForWindowExposed(&strip));
    load(doc, golden("seed_a"), "I loved the acting, but the plot was too long.");
    QApplication::processEvents();
    const QRect r = strip.chipRect(3);
    QVERIFY(r.isValid());
    QTest::mouseClick(strip.chipArea(), Qt::LeftButton, {}, r.center());
    QCOMPARE(sel.token(), 3);
    QCOMPARE(strip.selectedToken(), 3);

    QMouseEvent move(QEvent::MouseMove, QPointF(strip.chipRect(5).center()),
                     strip.chipArea()->mapToGlobal(QPointF(strip.chipRect(5).center())), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(strip.chipArea(), &move);
    QCOMPARE(sel.hoverToken(), 5);
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(strip.chipArea(), &leave);
    QCOMPARE(sel.hoverToken(), -1);

    // The tooltip names the token, its id, its span and the value.
    const QString tip = strip.chipToolTip(3);
    QVERIFY(tip.contains("acting"));
    QVERIFY(tip.contains(QStringLiteral("id %1").arg(doc.trace()->tokens[3].id)));
    QVERIFY(tip.contains(
        QStringLiteral("characters %1–%2").arg(doc.trace()->tokens[3].start).arg(doc.trace()->tokens[3].end)));
}

void TestTokenStrip::unknownTokensMarked() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("unk_token"), "The xyzzy movie was gr8");
    const int unk = *doc.model()->tokenizer.unk_id;
    int unknown = 0;
    for (const auto& chip : strip.chips()) {
        QCOMPARE(chip.unknown, doc.trace()->tokens[chip.token].id == unk);
        if (chip.unknown) {
            ++unknown;
            QVERIFY(strip.chipToolTip(strip.chipIndexOfToken(chip.token)).contains("unknown"));
        }
    }
    QCOMPARE(unknown, 2);
    QCOMPARE(strip.chips()[1].text, QStringLiteral("xyzzy"));
    QVERIFY(strip.chips()[1].unknown);
}

void TestTokenStrip::droppedTextInReadingOrder() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("unk_drop"), "The xyzzy movie was gr8, NOT boring_stuff... ok?");
    QCOMPARE(countKind(strip, Kind::Dropped), 4);
    const auto& chips = strip.chips();
    QCOMPARE(chips[0].text, QStringLiteral("the"));
    QCOMPARE(chips[1].kind, Kind::Dropped);
    QCOMPARE(chips[1].text, QStringLiteral("xyzzy"));
    QCOMPARE(chips[2].text, QStringLiteral("movie"));
    for (size_t k = 1; k < chips.size(); ++k) QVERIFY(chips[k - 1].start < chips[k].start);  // reading order
    QVERIFY(strip.chipToolTip(1).contains("dropped"));
    QVERIFY(!strip.chipColor(-1).isValid());
}

void TestTokenStrip::paddingCollapsesAndExpands() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("pad_pre"), "Great movie xyzzy!");
    QVERIFY(!strip.paddingShown());
    const auto& chips = strip.chips();
    QCOMPARE(chips.front().kind, Kind::PadGroup);  // pre padding first
    QCOMPARE(chips.front().count, 4);
    QCOMPARE(chips.front().text, QStringLiteral("⟨pad⟩ ×4"));
    QCOMPARE(strip.chipIndexOfToken(0), 0);
    QCOMPARE(strip.chipIndexOfToken(3), 0);
    QCOMPARE(static_cast<int>(chips.size()), 1 + 4);
    strip.setPaddingShown(true);
    QCOMPARE(static_cast<int>(strip.chips().size()), 8);
    QCOMPARE(countKind(strip, Kind::PadGroup), 0);
    strip.setPaddingShown(false);

    load(doc, golden("pad_post"), "Great movie!");
    QCOMPARE(strip.chips().back().kind, Kind::PadGroup);  // post padding last
    QCOMPARE(strip.chips().back().count, 6);
}

void TestTokenStrip::truncatedTextShown() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("pad_pre"), "I loved the acting, but the plot was too long and very boring.");
    QVERIFY(!doc.trace()->truncated.empty());
    QCOMPARE(countKind(strip, Kind::Truncated), static_cast<int>(doc.trace()->truncated.size()));
    QCOMPARE(strip.chips().front().kind, Kind::Truncated);  // pre: the front was cut
    QCOMPARE(strip.chips().front().text, QStringLiteral("i"));
    QVERIFY(strip.chipToolTip(0).contains("cut by pad_to"));
    QCOMPARE(countKind(strip, Kind::Token), 8);
}

void TestTokenStrip::chineseCharacters() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("tok_char_chinese"), QStringLiteral("这家酒店的服务很好，但是房间太小了。"));
    QCOMPARE(static_cast<int>(strip.chips().size()), 18);
    QCOMPARE(strip.chips()[0].text, QStringLiteral("这"));
    QCOMPARE(strip.chips()[17].text, QStringLiteral("。"));
}

void TestTokenStrip::oneToken() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    load(doc, golden("pool_tanh_proj"), "great");
    QCOMPARE(static_cast<int>(strip.chips().size()), 1);
    QCOMPARE(strip.chipColor(0), colorAt(ColorMap::Viridis, 1.0));  // weight 1 of 1
    sel.setToken(0);
    QCOMPARE(strip.selectedToken(), 0);
}

void TestTokenStrip::traceReplacedWhileHovering() {
    Document doc;
    Selection sel;  // a bare selection: no pane sets first choices or clamps
    TokenStrip strip(&doc, &sel);
    strip.resize(500, 200);
    strip.show();
    load(doc, golden("seed_a"), longText());
    sel.setToken(250);
    sel.setHoverToken(260);
    QCOMPARE(strip.hoveredToken(), 260);
    strip.setSource(Source::AttentionRow);
    QVERIFY(strip.coloringAvailable());
    doc.setText("great movie!");
    doc.runNow();
    QCOMPARE(static_cast<int>(strip.chips().size()), 3);
    QVERIFY(!strip.chipColor(260).isValid());
    QVERIFY(!strip.coloringAvailable());  // token 250 has no attention row now
    strip.repaint();                      // paints with stale indices without crashing
    QApplication::processEvents();
}

void TestTokenStrip::longTextScrollsToSelection() {
    Pane pane_{Pane::Side::A};
    Document& doc = *pane_.document();
    Selection& sel = *pane_.selection();
    TokenStrip strip(&doc, &sel);
    strip.resize(600, 180);
    strip.show();
    QVERIFY(QTest::qWaitForWindowExposed(&strip));
    // (How fast is the keystroke benchmark's business, bench/.)
    load(doc, golden("long_300"), longText());
    QApplication::processEvents();
    QCOMPARE(static_cast<int>(strip.chips().size()), 300);
    auto* scroll = strip.findChild<QScrollArea*>();
    QVERIFY(scroll);
    QCOMPARE(scroll->verticalScrollBar()->value(), 0);
    sel.setToken(299);
    QTRY_VERIFY(scroll->verticalScrollBar()->value() > 0);  // the chip is scrolled into view
    const QRect r = strip.chipRect(strip.chipIndexOfToken(299));
    const QRect visible(QPoint(0, scroll->verticalScrollBar()->value()), scroll->viewport()->size());
    QVERIFY(visible.contains(r.center()));
}

QTEST_MAIN(TestTokenStrip)
#include "test_token_strip.moc"
