#include "gui/screenshot.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <QThread>
#include <QWidget>

bool renderScreenshot(QWidget& window, const QSize& size, const QString& path, QString* error) {
    window.setAttribute(Qt::WA_DontShowOnScreen, true);
    window.resize(size);
    window.show();
    // Layouts, queued replots and deferred label thinning all run from the
    // event loop; give them a few rounds.
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 300) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
    QPixmap pixmap(size);
    pixmap.fill(window.palette().color(QPalette::Window));
    window.render(&pixmap);
    if (!pixmap.save(path, "PNG")) {
        if (error) *error = QCoreApplication::translate("Screenshot", "%1: cannot write the PNG file").arg(path);
        return false;
    }
    return true;
}
