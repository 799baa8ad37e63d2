// `lstmscope --screenshot out.png`: lay the window out at a given size
// offscreen, let every view finish drawing, and save exactly that many pixels.
#pragma once

#include <QSize>
#include <QString>

class QWidget;

bool renderScreenshot(QWidget& window, const QSize& size, const QString& path, QString* error);
