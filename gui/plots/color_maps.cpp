#include "gui/plots/color_maps.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>
#include <cmath>

namespace {

struct Stop {
    double t;
    unsigned rgb;
};

// Samples of matplotlib's viridis, magma and cividis (CC0, van der Walt &
// Smith / Nuñez et al.), every 1/8; linear interpolation between them stays
// within a few units of the originals.
constexpr std::array<Stop, 9> kViridis{{{0.000, 0x440154}, {0.125, 0x472d7b}, {0.250, 0x3b528b},
                                        {0.375, 0x2c728e}, {0.500, 0x21918c}, {0.625, 0x28ae80},
                                        {0.750, 0x5ec962}, {0.875, 0xaadc32}, {1.000, 0xfde725}}};
// Magma stops at its 0.875 sample (a light apricot): its last eighth runs to
// a near-white cream that vanishes on the white plot background, so that
// the strongest values looked like missing ones. The eight samples below are
// magma's 0, 1/8, ..., 7/8, spread over [0, 1].
constexpr std::array<Stop, 8> kMagma{{{0.0 / 7, 0x000004}, {1.0 / 7, 0x1c1044}, {2.0 / 7, 0x4f127b},
                                      {3.0 / 7, 0x812581}, {4.0 / 7, 0xb5367a}, {5.0 / 7, 0xe55064},
                                      {6.0 / 7, 0xfb8761}, {7.0 / 7, 0xfec287}}};
constexpr std::array<Stop, 9> kCividis{{{0.000, 0x00224e}, {0.125, 0x123570}, {0.250, 0x3b496c},
                                        {0.375, 0x575d6d}, {0.500, 0x707173}, {0.625, 0x8a8678},
                                        {0.750, 0xa59c74}, {0.875, 0xc3b369}, {1.000, 0xfee838}}};
// A blue-white-red diverging map (ColorBrewer RdBu, reversed so that
// negative is blue), white at 0.5 so that zero reads as "nothing".
constexpr std::array<Stop, 9> kDiverging{{{0.000, 0x053061}, {0.125, 0x2166ac}, {0.250, 0x4393c3},
                                          {0.375, 0x92c5de}, {0.500, 0xf7f7f7}, {0.625, 0xf4a582},
                                          {0.750, 0xd6604d}, {0.875, 0xb2182b}, {1.000, 0x67001f}}};

template <size_t N>
QColor interpolate(const std::array<Stop, N>& stops, double t) {
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
    size_t k = 1;
    while (k + 1 < N && stops[k].t < t) ++k;
    const Stop& a = stops[k - 1];
    const Stop& b = stops[k];
    const double u = (t - a.t) / (b.t - a.t);
    auto channel = [u](unsigned x, unsigned y, int shift) {
        const double va = (x >> shift) & 0xff, vb = (y >> shift) & 0xff;
        return static_cast<int>(std::lround(va + (vb - va) * u));
    };
    return QColor(channel(a.rgb, b.rgb, 16), channel(a.rgb, b.rgb, 8), channel(a.rgb, b.rgb, 0));
}

}  // namespace

QStringList sequentialColorMapNames() { return {"viridis", "magma", "cividis"}; }

ColorMap sequentialColorMapFromName(const QString& name) {
    if (name == QLatin1String("magma")) return ColorMap::Magma;
    if (name == QLatin1String("cividis")) return ColorMap::Cividis;
    return ColorMap::Viridis;
}

QString colorMapName(ColorMap map) {
    switch (map) {
    case ColorMap::Viridis: return "viridis";
    case ColorMap::Magma: return "magma";
    case ColorMap::Cividis: return "cividis";
    case ColorMap::Diverging: return "diverging";
    }
    return "viridis";
}

QString colorMapDisplayName(ColorMap map) {
    // The sequential maps keep their names (matplotlib's, known as such in
    // every language), but a translation may add to them.
    switch (map) {
    case ColorMap::Viridis: return QCoreApplication::translate("ColorMaps", "viridis");
    case ColorMap::Magma: return QCoreApplication::translate("ColorMaps", "magma");
    case ColorMap::Cividis: return QCoreApplication::translate("ColorMaps", "cividis");
    case ColorMap::Diverging: return QCoreApplication::translate("ColorMaps", "diverging");
    }
    return colorMapName(map);
}

QColor colorAt(ColorMap map, double t) {
    switch (map) {
    case ColorMap::Viridis: return interpolate(kViridis, t);
    case ColorMap::Magma: return interpolate(kMagma, t);
    case ColorMap::Cividis: return interpolate(kCividis, t);
    case ColorMap::Diverging: return interpolate(kDiverging, t);
    }
    return Qt::black;
}

QColor plotBackgroundColor() { return Qt::white; }

QColor textColorOn(const QColor& background) {
    // Relative luminance (sRGB weights); 0.5 splits dark from light well enough for labels.
    const double y = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return y > 0.5 ? Qt::black : Qt::white;
}
