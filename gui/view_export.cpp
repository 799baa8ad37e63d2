#include "gui/view_export.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

namespace {

// Vector export paints the widget tree by hand. QWidget::render() leans on
// the painter's clip to hide what a scroll area has scrolled out of view,
// and the SVG paint engine drops clips (the model view's long text landed
// over the status bar). So each widget is painted on its own, without its
// children; a widget its ancestors cut off is painted as a picture of its
// visible part, which needs no clip; the rest stays vector.
void paintTree(QPainter& painter, QWidget* w, const QPoint& offset, const QRect& visible) {
    const QRect full(offset, w->size());
    const QRect shown = full & visible;
    if (shown.isEmpty()) return;
    if (shown != full) {
        const QPixmap part = w->grab(QRect(shown.topLeft() - offset, shown.size()));
        painter.drawPixmap(shown.topLeft(), part);
        return;
    }
    painter.save();
    painter.translate(offset);
    w->render(&painter, QPoint(), QRegion(), QWidget::DrawWindowBackground);
    painter.restore();
    for (QObject* child : w->children()) {
        auto* c = qobject_cast<QWidget*>(child);
        if (!c || c->isWindow() || !c->isVisible()) continue;
        paintTree(painter, c, offset + c->pos(), shown);
    }
}

void paintVector(QPainter& painter, QWidget* widget) {
    paintTree(painter, widget, QPoint(0, 0), QRect(QPoint(0, 0), widget->size()));
}

}  // namespace

bool exportWidget(QWidget* widget, const QString& path, QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize size = widget->size();
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(widget->windowTitle());
        svg.setDescription(QStringLiteral("exported by lstmscope"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            if (error) *error = QCoreApplication::translate("ViewExport", "%1: cannot write the SVG file").arg(path);
            return false;
        }
        paintVector(painter, widget);
        painter.end();
        return true;
    }
    if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(path);
        pdf.setPageSize(QPageSize(QSizeF(size) * 0.75, QPageSize::Point));  // 96 dpi pixels as points
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(96);
        QPainter painter;
        if (!painter.begin(&pdf)) {
            if (error) *error = QCoreApplication::translate("ViewExport", "%1: cannot write the PDF file").arg(path);
            return false;
        }
        paintVector(painter, widget);
        painter.end();
        return true;
    }
    // PNG (and anything else Qt can write): rendered at twice the size so
    // it stays sharp on slides.
    QPixmap pixmap(size * 2);
    pixmap.setDevicePixelRatio(2);
    pixmap.fill(widget->palette().color(QPalette::Window));
    widget->render(&pixmap);
    if (!pixmap.save(path)) {
        if (error)
            *error = QCoreApplication::translate("ViewExport", "%1: cannot write the image (unknown format or no permission)")
                         .arg(path);
        return false;
    }
    return true;
}

QString defaultExportFileName(const QString& modelName, const QString& view, bool compare) {
    QString stem = modelName.isEmpty() ? QStringLiteral("lstmscope") : modelName;
    if (compare) stem += QStringLiteral("-compare");
    if (!view.isEmpty()) stem += QStringLiteral("-") + view;
    for (QChar& c : stem)
        if (c.isSpace() || QStringLiteral("/\\:*?\"<>|").contains(c)) c = QLatin1Char('_');
    return stem + QStringLiteral(".png");
}
