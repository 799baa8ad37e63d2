#include "gui/pane_widget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include "gui/stale_marker.h"
#include "gui/views/gates_view.h"
#include "gui/views/view_registry.h"
#include "gui/workspace/document.h"
#include "gui/workspace/pane.h"

PaneWidget::PaneWidget(Pane* pane, bool ownText, QWidget* parent) : QWidget(parent), pane_(pane) {
    setObjectName(QStringLiteral("pane%1").arg(pane->badge()));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);

    // Title: the badge in the pane's colour (the comparison plots reuse it)
    // and the model's name.
    auto* header = new QHBoxLayout;
    header->setSpacing(8);
    badge_ = new QLabel(pane->badge(), this);
    const int size = fontMetrics().height() + 8;
    badge_->setFixedSize(size, size);
    badge_->setAlignment(Qt::AlignCenter);
    badge_->setStyleSheet(QStringLiteral("background: %1; color: white; font-weight: bold; border-radius: %2px;")
                              .arg(pane->color().name())
                              .arg(size / 2));
    title_ = new QLabel(this);
    QFont bold = title_->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    title_->setFont(bold);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header->addWidget(badge_);
    header->addWidget(title_);
    if (ownText) {
        textEdit_ = new QLineEdit(this);
        textEdit_->setObjectName("textB");
        textEdit_->setText(pane->document()->text());
        textEdit_->setPlaceholderText(tr("Text B: edit it to see what the change does"));
        textEdit_->setToolTip(tr("Pane B's own text, compared with the main text on the same model"));
        connect(textEdit_, &QLineEdit::textEdited, this, &PaneWidget::textEdited);
        header->addWidget(textEdit_, 1);
    } else {
        header->addStretch(1);
    }
    if (pane->side() == Pane::Side::B) {
        close_ = new QToolButton(this);
        close_->setText(tr("Close B"));
        close_->setToolTip(tr("Back to one model (File > Close comparison)"));
        connect(close_, &QToolButton::clicked, this, &PaneWidget::closeRequested);
        header->addWidget(close_);
    }
    layout->addLayout(header);

    sections_ = new QSplitter(Qt::Vertical, this);
    sections_->setChildrenCollapsible(false);
    top_ = new QSplitter(Qt::Horizontal, sections_);
    top_->setChildrenCollapsible(false);
    sections_->addWidget(top_);
    for (const auto& spec : viewSpecs()) {
        if (!spec.inComparePane) continue;
        QWidget* view = spec.create(pane, this);
        view->setObjectName(spec.id + pane->badge());
        views_.insert(spec.id, view);
        if (spec.id == QLatin1String("tokens") || spec.id == QLatin1String("prediction")) top_->addWidget(view);
        else sections_->addWidget(view);
    }
    if (QWidget* tokens = views_.value("tokens")) tokens->setMinimumHeight(60);
    if (auto* gates = qobject_cast<GatesView*>(views_.value("gates"))) gates->setCompact(true);
    top_->setStretchFactor(0, 3);
    top_->setStretchFactor(1, 2);
    layout->addWidget(sections_, 1);
    setStacked(false);

    new StaleMarker(pane->document(), views_.values(), [this](const QString& suffix) {
        staleSuffix_ = suffix;
        updateTitle();
    }, this);
    connect(pane->document(), &Document::modelChanged, this, &PaneWidget::updateTitle);
    updateTitle();
}

void PaneWidget::setStacked(bool stacked) {
    sections_->setOrientation(stacked ? Qt::Horizontal : Qt::Vertical);
    top_->setOrientation(stacked ? Qt::Vertical : Qt::Horizontal);
    // Tokens and prediction need little room, the gates the most.
    const int n = sections_->count();
    QList<int> sizes;
    for (int k = 0; k < n; ++k) sizes << (k == 0 ? 2 : k == n - 1 ? 5 : 3);
    const int total = stacked ? std::max(600, sections_->width()) : std::max(600, sections_->height());
    int sum = 0;
    for (int s : sizes) sum += s;
    for (int& s : sizes) s = s * total / sum;
    sections_->setSizes(sizes);
}

QString PaneWidget::titleText() const { return title_->text(); }

void PaneWidget::updateTitle() {
    const QString name = pane_->modelName();
    title_->setText((name.isEmpty() ? tr("No model") : name) + staleSuffix_);
    title_->setToolTip(pane_->document()->modelPath());
}
