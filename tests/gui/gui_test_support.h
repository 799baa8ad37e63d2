// What the GUI tests share: the golden models, loading one into a Document
// with a text, and a long text for the 300-token cases.
#pragma once

#include <QString>
#include <QStringList>
#include <QtTest>

#include "gui/workspace/document.h"

namespace guitest {

inline QString golden(const QString& name) { return QStringLiteral(LSTMSCOPE_TEST_DATA "/golden/%1.json").arg(name); }

// Loads the model and runs it on `text` synchronously; fails the calling test otherwise.
inline void load(Document& doc, const QString& path, const QString& text) {
    doc.setText(text);
    QString error;
    QVERIFY2(doc.loadModel(path, &error), qPrintable(error));
    doc.runNow();
    QVERIFY2(doc.trace(), qPrintable(doc.runError()));
}

// 300 words of an ordinary review, for the long-text cases.
inline QString longText() {
    const QStringList words{"the",  "movie", "was",    "really", "good", "but", "the",
                            "plot", "was",   "boring", "and",    "too",  "long"};
    QStringList out;
    for (int k = 0; k < 300; ++k) out << words[k % words.size()];
    return out.join(' ');
}

}  // namespace guitest
