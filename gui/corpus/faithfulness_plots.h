// The two plots of the faithfulness page, numbers and labels only
// (QCustomPlot stays in the .cpp): a histogram with shaded reference bands
// and a marked value (the corpus' Kendall tau against the range the papers
// report), and a rising step curve (the erasure curve).
#pragma once

#include <QColor>
#include <QString>
#include <QWidget>
#include <cstdint>
#include <vector>

class QCustomPlot;
class QLabel;
class QStackedLayout;

class BandedHistogram : public QWidget {
    Q_OBJECT
public:
    struct Band {
        double low = 0, high = 0;
        QString label;
        QColor color;
    };
    explicit BandedHistogram(QWidget* parent = nullptr);

    // counts over equal bins of [low, high]; the bands shaded behind, their
    // labels (on their colour, under `bandsTitle`) in the top left corner;
    // `marker` (NaN: none) a value drawn as a vertical line with `markerLabel`.
    void setHistogram(double low, double high, const std::vector<int64_t>& counts, const std::vector<Band>& bands,
                      const QString& bandsTitle, double marker, const QString& markerLabel, const QString& valueName,
                      const QString& countName);
    void clearHistogram(const QString& message);

    const std::vector<int64_t>& counts() const { return counts_; }
    int bandCount() const { return static_cast<int>(bands_.size()); }
    QString message() const;

private:
    QStackedLayout* stack_;
    QLabel* placeholder_;
    QCustomPlot* plot_;
    std::vector<int64_t> counts_;
    std::vector<Band> bands_;
};

class StepCurvePlot : public QWidget {
    Q_OBJECT
public:
    explicit StepCurvePlot(QWidget* parent = nullptr);

    // Points (x[k], y[k]) joined by a line with dots; both axes [0, 1].
    void setCurve(const std::vector<double>& x, const std::vector<double>& y, const QString& xName,
                  const QString& yName, const QColor& color);
    void clearCurve(const QString& message);

    int pointCount() const { return static_cast<int>(x_.size()); }
    double pointX(int k) const { return x_.at(static_cast<size_t>(k)); }
    double pointY(int k) const { return y_.at(static_cast<size_t>(k)); }
    QString message() const;

private:
    QStackedLayout* stack_;
    QLabel* placeholder_;
    QCustomPlot* plot_;
    std::vector<double> x_, y_;
};
