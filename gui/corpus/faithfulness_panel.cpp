#include "gui/corpus/faithfulness_panel.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>
#include <cmath>

#include "gui/corpus/faithfulness_plots.h"

namespace {

QString number(double v, int decimals) {
    return std::isfinite(v) ? QLocale().toString(v, 'f', decimals) : QStringLiteral("—");
}

QString percent(int64_t k, int64_t n) {
    return n > 0 ? QLocale().toString(100.0 * static_cast<double>(k) / static_cast<double>(n), 'f', 1)
                 : QStringLiteral("—");
}

QLabel* captionLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

}  // namespace

FaithfulnessPanel::FaithfulnessPanel(QWidget* parent) : QWidget(parent) {
    tau_ = new BandedHistogram(this);
    tauCaption_ = captionLabel(this);
    interventions_ = captionLabel(this);
    erasure_ = new StepCurvePlot(this);
    erasureCaption_ = captionLabel(this);
    auto* erasureTitle = new QLabel(tr("<b>Erasure curve</b> (Serrano &amp; Smith 2019): the tokens zeroed in "
                                       "the attention, most attended first, until the decision flips"),
                                    this);
    erasureTitle->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tau_, 3);
    layout->addWidget(tauCaption_);
    layout->addWidget(interventions_);
    layout->addSpacing(6);
    layout->addWidget(erasureTitle);
    layout->addWidget(erasure_, 2);
    layout->addWidget(erasureCaption_);
    setResults(nullptr);
}

QString FaithfulnessPanel::tauText() const { return tauCaption_->text(); }
QString FaithfulnessPanel::interventionText() const { return interventions_->text(); }
QString FaithfulnessPanel::erasureText() const { return erasureCaption_->text(); }

void FaithfulnessPanel::setResults(const CorpusResults* results) {
    const bool done = results && results->summary && results->state == CorpusResults::State::Done;
    const auto* summary = done ? &*results->summary : nullptr;
    QString message;
    if (!summary) message = tr("Run the corpus with “Test attention faithfulness” ticked to see these tests.");
    else if (summary->settings().attention_node.empty()) message = tr("This model has no attention to test.");
    else if (!summary->settings().faithfulness)
        message = tr("Tick “Test attention faithfulness” and run again: the tests cost about one run of the model "
                     "per token of each text.");
    if (!message.isEmpty()) {
        tau_->clearHistogram(message);
        erasure_->clearCurve(QString());
        tauCaption_->clear();
        interventions_->clear();
        erasureCaption_->clear();
        return;
    }
    const auto& f = summary->faithfulness();
    const QString node = QString::fromStdString(summary->settings().attention_node);

    // The range the papers report, shaded behind the corpus' histogram.
    const std::vector<BandedHistogram::Band> bands = {
        {kSstLow, kSstHigh, tr("SST: %1 to %2").arg(number(kSstLow, 2), number(kSstHigh, 2)), QColor(204, 121, 167, 70)},
        {kImdbLow, kImdbHigh, tr("IMDB: %1 to %2").arg(number(kImdbLow, 2), number(kImdbHigh, 2)),
         QColor(204, 121, 167, 130)},
    };
    const double mean = f.kendall_tau.mean();
    tau_->setHistogram(f.tau_histogram.low, f.tau_histogram.high, f.tau_histogram.counts, bands,
                       tr("Jain & Wallace 2019,\nBiLSTM + tanh attention:"), mean, tr("mean %1").arg(number(mean, 2)),
                       tr("Kendall τ: attention (%1) vs leave-one-out importance").arg(node), tr("texts"));
    tauCaption_->setText(
        tr("<b>Kendall τ</b> between the attention each token receives (node “%1”) and its leave-one-out "
           "importance (how much the output moves, in total variation distance, when the token is deleted), "
           "one τ per text: mean <b>%2</b> (95% interval %3 to %4) over %n text(s), %5 undefined (one token or "
           "constant). Shaded: the τ Jain &amp; Wallace (2019) report in their released results for a BiLSTM "
           "with tanh attention, %6 to %7 on SST and %8 to %9 on IMDB.",
           nullptr, static_cast<int>(f.kendall_tau.count))
            .arg(node.toHtmlEscaped(), number(mean, 3), number(f.kendall_tau.ci95_low(), 3),
                 number(f.kendall_tau.ci95_high(), 3))
            .arg(f.kendall_tau.skipped)
            .arg(number(kSstLow, 2), number(kSstHigh, 2), number(kImdbLow, 2), number(kImdbHigh, 2)) +
        (f.too_long > 0 ? QStringLiteral(" ") +
                              tr("%n text(s) over %1 tokens were not tested (one run of the model per token).", nullptr,
                                 static_cast<int>(f.too_long))
                                  .arg(summary->settings().faithfulness_max_tokens)
                        : QString()));

    interventions_->setText(
        tr("<b>Uniform attention</b>: mean output change (TVD) %1; the decision flips in %2% of texts (%3 of %4).")
            .arg(number(f.uniform_tvd.mean(), 3), percent(f.uniform_flips, f.texts))
            .arg(f.uniform_flips)
            .arg(f.texts) +
        QStringLiteral("<br>") +
        tr("<b>Permuted attention</b> (%1 random permutations per text): mean of each text's median TVD %2; the "
           "decision flips in %3% of the %4 runs.")
            .arg(summary->settings().permutations)
            .arg(number(f.permutation_median_tvd.mean(), 3), percent(f.permutation_flips, f.permutation_runs))
            .arg(f.permutation_runs) +
        QStringLiteral("<br>") +
        tr("<b>One weight zeroed</b>: the most attended token's, mean JS divergence %1, flips %2%; a random "
           "token's, %3, flips %4%.")
            .arg(number(f.top_js.mean(), 4), percent(f.top_flips, f.erasure_texts), number(f.random_js.mean(), 4),
                 percent(f.random_flips, f.erasure_texts)));

    // The erasure curve: the flip fractions' histogram added up, over every
    // text that had two tokens or more (those that never flip stay below 1).
    const auto& h = f.flip_fraction_histogram;
    std::vector<double> x{h.low}, y{0.0};
    int64_t flipped = 0;
    const double bin = h.counts.empty() ? 1 : (h.high - h.low) / static_cast<double>(h.counts.size());
    for (size_t k = 0; k < h.counts.size(); ++k) {
        flipped += h.counts[k];
        x.push_back(h.low + bin * static_cast<double>(k + 1));
        y.push_back(f.erasure_texts ? static_cast<double>(flipped) / static_cast<double>(f.erasure_texts) : 0.0);
    }
    if (f.erasure_texts == 0) {
        erasure_->clearCurve(tr("No text had two tokens or more."));
    } else {
        erasure_->setCurve(x, y, tr("fraction of the text's tokens zeroed, most attended first"),
                           tr("texts whose decision flipped"), QColor(0xD5, 0x5E, 0x00));
    }
    erasureCaption_->setText(
        tr("Flipped: %1 of %2 texts, after zeroing on average %3 of their tokens. <b>Never flipped: %4</b> (the "
           "decision held until one token was left).")
            .arg(flipped)
            .arg(f.erasure_texts)
            .arg(number(f.flip_fraction.mean(), 2))
            .arg(f.never_flipped));
}
