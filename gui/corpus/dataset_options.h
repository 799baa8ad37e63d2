// The corpus window's inputs: the dataset file, its format and columns
// (corpus::InputOptions; a TSV/CSV header's "text" and "label" columns are
// picked by themselves, otherwise the user picks), and whether to test the
// attention's faithfulness and with how many permutations.
#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

#include "engine/corpus/corpus_input.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

class DatasetOptions : public QWidget {
    Q_OBJECT
public:
    // Everything the user chose, to rebuild the controls in another language.
    struct Choice {
        QString path;
        int format = 0;  // the format chooser's index
        bool header = true;
        QString textColumn, labelColumn;  // names as listed; empty label: none
        bool faithfulness = false;
        int permutations = 10;
    };

    explicit DatasetOptions(QWidget* parent = nullptr);

    // A dataset file: its format and columns are looked at, "text" and
    // "label" chosen when the header has them.
    void setPath(const QString& path);
    QString path() const;
    Choice choice() const;
    void setChoice(const Choice& choice);

    // What corpus::read_corpus needs; `ignoreLabels`: no label column chosen.
    lstmscope::corpus::InputOptions inputOptions(bool* ignoreLabels) const;
    QStringList columns() const { return columns_; }
    void setTextColumn(const QString& name);
    void setLabelColumn(const QString& name);  // empty: none
    bool faithfulness() const;
    void setFaithfulness(bool on);
    int permutations() const;
    // A file and a text column are chosen; otherwise problem() says what is missing.
    bool ready() const { return problem().isEmpty(); }
    QString problem() const;
    // problem(), or a warning that does not stop a run.
    QString hintText() const;

signals:
    void changed();
    void browseRequested();

private:
    void inspect();
    lstmscope::corpus::InputFormat format() const;

    QLineEdit* pathEdit_;
    QPushButton* browseButton_;
    QComboBox* formatBox_;
    QCheckBox* headerBox_;
    QComboBox* textBox_;
    QComboBox* labelBox_;
    QLabel* hint_;
    QCheckBox* faithfulnessBox_;
    QSpinBox* permutationsBox_;
    QStringList columns_;
    QString inspectError_;
    bool detectedText_ = false;
};
