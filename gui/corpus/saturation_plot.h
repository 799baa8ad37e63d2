// Gate saturation as Karpathy, Johnson & Fei-Fei (2015) plot it: one dot
// per unit, x the fraction of steps the gate was below 0.1 (left
// saturated), y the fraction above 0.9 (right saturated); the dots lie in
// the triangle x + y <= 1. Numbers and labels only; QCustomPlot stays in
// the .cpp. A click on a dot reports its unit.
#pragma once

#include <QColor>
#include <QPoint>
#include <QString>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QLabel;
class QStackedLayout;

class SaturationPlot : public QWidget {
    Q_OBJECT
public:
    explicit SaturationPlot(QWidget* parent = nullptr);

    // x[u] and y[u] of every unit u, in [0, 1]; `gateName` names the axes.
    void setPoints(const std::vector<double>& x, const std::vector<double>& y, const QString& gateName,
                   const QColor& color);
    void clearPoints(const QString& message);
    void setSelectedUnit(int unit);  // ringed; -1 for none

    int pointCount() const { return static_cast<int>(x_.size()); }
    double pointX(int unit) const { return x_.at(static_cast<size_t>(unit)); }
    double pointY(int unit) const { return y_.at(static_cast<size_t>(unit)); }
    int selectedUnit() const { return selected_; }
    QString message() const;
    // The unit whose dot is nearest `pos` (widget coordinates) within a few
    // pixels, or -1; and where a unit's dot is drawn.
    int unitAt(const QPoint& pos) const;
    QPoint pointPosition(int unit) const;
    QString toolTipText(int unit) const;

signals:
    void unitClicked(int unit);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QStackedLayout* stack_;
    QLabel* placeholder_;
    QCustomPlot* plot_;
    QCPGraph* dots_ = nullptr;
    QCPGraph* ring_ = nullptr;
    std::vector<double> x_, y_;
    QString gateName_;
    int selected_ = -1;
};
