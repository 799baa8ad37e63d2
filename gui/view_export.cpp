#include "gui/view_export.h"

#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

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
            if (error) *error = path + QStringLiteral(": cannot write the SVG file");
            return false;
        }
        widget->render(&painter);
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
            if (error) *error = path + QStringLiteral(": cannot write the PDF file");
            return false;
        }
        widget->render(&painter);
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
        if (error) *error = path + QStringLiteral(": cannot write the image (unknown format or no permission)");
        return false;
    }
    return true;
}
