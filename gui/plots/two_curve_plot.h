// Two series over one set of token labels, one line per side in that side's
// badge colour: the same LSTM unit on the two texts of a pinned pair, with
// the gaps (words one text lacks) left open. Knows nothing of panes or
// documents; QCustomPlot stays inside the .cpp.
#pragma once

#include <QColor>
#include <QStringList>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QLabel;
class QStackedLayout;

class TwoCurvePlot : public QWidget {
    Q_OBJECT
public:
    explicit TwoCurvePlot(QWidget* parent = nullptr);

    // One value per label and side; NaN leaves a gap.
    void setSeries(const QStringList& labels, const std::vector<double>& a, const std::vector<double>& b,
                   const QString& nameA, const QString& nameB, const QColor& colorA, const QColor& colorB,
                   const QString& valueName);
    void clearSeries(const QString& message);

    int pointCount() const { return static_cast<int>(a_.size()); }
    double valueA(int k) const { return a_.at(k); }
    double valueB(int k) const { return b_.at(k); }
    QString message() const;

private:
    QStackedLayout* stack_;
    QLabel* placeholder_;
    QCustomPlot* plot_;
    std::vector<double> a_, b_;
};
