#include "engine/utf8.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace lstmscope {

namespace {

struct Range {
    char32_t first;
    char32_t last;
};

// `ranges` must be sorted by `first` and must not overlap.
template <size_t N>
bool in_ranges(const Range (&ranges)[N], char32_t cp) {
    const Range* it = std::upper_bound(std::begin(ranges), std::end(ranges), cp,
                                       [](char32_t c, const Range& r) { return c < r.first; });
    if (it == std::begin(ranges)) return false;
    --it;
    return cp <= it->last;
}

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Decodes the sequence starting at text[i]; returns its length (0 if the bytes
// there do not form a valid, shortest-form scalar value).
size_t decode_one(std::string_view text, size_t i, char32_t& cp) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const size_t left = text.size() - i;
    const unsigned char b0 = byte(0);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    size_t length = 0;
    // The allowed range of the second byte excludes overlong forms (E0, F0),
    // surrogates (ED) and values above U+10FFFF (F4) in one check.
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return 0;  // stray continuation byte, C0/C1 (always overlong) or F5..FF
    }
    if (left < length) return 0;
    if (byte(1) < lo || byte(1) > hi) return 0;
    for (size_t k = 2; k < length; ++k)
        if (!is_continuation(byte(k))) return 0;
    char32_t value = b0 & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) value = (value << 6) | (byte(k) & 0x3F);
    cp = value;
    return length;
}

// --- lowercase ---------------------------------------------------------------
// One entry maps either every code point of [first, last] (step 1) or every
// second one, starting at `first` (step 2: the alternating upper/lower pairs
// of the Latin, Greek and Cyrillic extension blocks), to cp + delta.
struct LowerRange {
    char32_t first;
    char32_t last;
    int32_t delta;
    int step;
};

constexpr int32_t to(char32_t target, char32_t source) {
    return static_cast<int32_t>(target) - static_cast<int32_t>(source);
}

// Checked against Python's str.lower() (single code point results) for every
// code point in these blocks; sorted by `first`.
constexpr LowerRange kLower[] = {
    // ASCII and Latin-1 (U+00D7 MULTIPLICATION SIGN is not a letter)
    {0x0041, 0x005A, 32, 1}, {0x00C0, 0x00D6, 32, 1}, {0x00D8, 0x00DE, 32, 1},
    // Latin Extended-A
    {0x0100, 0x012F, 1, 2}, {0x0130, 0x0130, to(0x0069, 0x0130), 1}, {0x0132, 0x0137, 1, 2},
    {0x0139, 0x0148, 1, 2}, {0x014A, 0x0177, 1, 2}, {0x0178, 0x0178, to(0x00FF, 0x0178), 1},
    {0x0179, 0x017E, 1, 2},
    // Latin Extended-B: the irregular letters of African and other orthographies
    {0x0181, 0x0181, to(0x0253, 0x0181), 1}, {0x0182, 0x0185, 1, 2},
    {0x0186, 0x0186, to(0x0254, 0x0186), 1}, {0x0187, 0x0187, 1, 1},
    {0x0189, 0x018A, to(0x0256, 0x0189), 1}, {0x018B, 0x018B, 1, 1},
    {0x018E, 0x018E, to(0x01DD, 0x018E), 1}, {0x018F, 0x018F, to(0x0259, 0x018F), 1},
    {0x0190, 0x0190, to(0x025B, 0x0190), 1}, {0x0191, 0x0191, 1, 1},
    {0x0193, 0x0193, to(0x0260, 0x0193), 1}, {0x0194, 0x0194, to(0x0263, 0x0194), 1},
    {0x0196, 0x0196, to(0x0269, 0x0196), 1}, {0x0197, 0x0197, to(0x0268, 0x0197), 1},
    {0x0198, 0x0198, 1, 1}, {0x019C, 0x019C, to(0x026F, 0x019C), 1},
    {0x019D, 0x019D, to(0x0272, 0x019D), 1}, {0x019F, 0x019F, to(0x0275, 0x019F), 1},
    {0x01A0, 0x01A5, 1, 2}, {0x01A6, 0x01A6, to(0x0280, 0x01A6), 1}, {0x01A7, 0x01A7, 1, 1},
    {0x01A9, 0x01A9, to(0x0283, 0x01A9), 1}, {0x01AC, 0x01AC, 1, 1},
    {0x01AE, 0x01AE, to(0x0288, 0x01AE), 1}, {0x01AF, 0x01AF, 1, 1},
    {0x01B1, 0x01B2, to(0x028A, 0x01B1), 1}, {0x01B3, 0x01B5, 1, 2},
    {0x01B7, 0x01B7, to(0x0292, 0x01B7), 1}, {0x01B8, 0x01B8, 1, 1}, {0x01BC, 0x01BC, 1, 1},
    {0x01C4, 0x01C4, 2, 1}, {0x01C5, 0x01C5, 1, 1}, {0x01C7, 0x01C7, 2, 1},
    {0x01C8, 0x01C8, 1, 1}, {0x01CA, 0x01CA, 2, 1}, {0x01CB, 0x01DC, 1, 2},
    {0x01DE, 0x01EF, 1, 2}, {0x01F1, 0x01F1, 2, 1}, {0x01F2, 0x01F4, 1, 2},
    {0x01F6, 0x01F6, to(0x0195, 0x01F6), 1}, {0x01F7, 0x01F7, to(0x01BF, 0x01F7), 1},
    {0x01F8, 0x021F, 1, 2}, {0x0220, 0x0220, to(0x019E, 0x0220), 1}, {0x0222, 0x0233, 1, 2},
    {0x023A, 0x023A, to(0x2C65, 0x023A), 1}, {0x023B, 0x023B, 1, 1},
    {0x023D, 0x023D, to(0x019A, 0x023D), 1}, {0x023E, 0x023E, to(0x2C66, 0x023E), 1},
    {0x0241, 0x0241, 1, 1}, {0x0243, 0x0243, to(0x0180, 0x0243), 1},
    {0x0244, 0x0244, to(0x0289, 0x0244), 1}, {0x0245, 0x0245, to(0x028C, 0x0245), 1},
    {0x0246, 0x024F, 1, 2},
    // Greek and Coptic
    {0x0370, 0x0373, 1, 2}, {0x0376, 0x0376, 1, 1}, {0x037F, 0x037F, to(0x03F3, 0x037F), 1},
    {0x0386, 0x0386, to(0x03AC, 0x0386), 1}, {0x0388, 0x038A, to(0x03AD, 0x0388), 1},
    {0x038C, 0x038C, to(0x03CC, 0x038C), 1}, {0x038E, 0x038F, to(0x03CD, 0x038E), 1},
    {0x0391, 0x03A1, 32, 1}, {0x03A3, 0x03AB, 32, 1}, {0x03CF, 0x03CF, to(0x03D7, 0x03CF), 1},
    {0x03D8, 0x03EF, 1, 2}, {0x03F4, 0x03F4, to(0x03B8, 0x03F4), 1}, {0x03F7, 0x03F7, 1, 1},
    {0x03F9, 0x03F9, to(0x03F2, 0x03F9), 1}, {0x03FA, 0x03FA, 1, 1},
    {0x03FD, 0x03FF, to(0x037B, 0x03FD), 1},
    // Cyrillic and Cyrillic Supplement
    {0x0400, 0x040F, 80, 1}, {0x0410, 0x042F, 32, 1}, {0x0460, 0x0481, 1, 2},
    {0x048A, 0x04BF, 1, 2}, {0x04C0, 0x04C0, 15, 1}, {0x04C1, 0x04CE, 1, 2},
    {0x04D0, 0x052F, 1, 2},
    // Armenian
    {0x0531, 0x0556, 48, 1},
    // Georgian (Asomtavruli to Nuskhuri)
    {0x10A0, 0x10C5, to(0x2D00, 0x10A0), 1}, {0x10C7, 0x10C7, to(0x2D27, 0x10C7), 1},
    {0x10CD, 0x10CD, to(0x2D2D, 0x10CD), 1},
    // Latin Extended Additional (Vietnamese and others); U+1E9E is the capital sharp s
    {0x1E00, 0x1E95, 1, 2}, {0x1E9E, 0x1E9E, to(0x00DF, 0x1E9E), 1}, {0x1EA0, 0x1EFF, 1, 2},
    // Greek Extended (polytonic)
    {0x1F08, 0x1F0F, -8, 1}, {0x1F18, 0x1F1D, -8, 1}, {0x1F28, 0x1F2F, -8, 1},
    {0x1F38, 0x1F3F, -8, 1}, {0x1F48, 0x1F4D, -8, 1}, {0x1F59, 0x1F5F, -8, 2},
    {0x1F68, 0x1F6F, -8, 1}, {0x1F88, 0x1F8F, -8, 1}, {0x1F98, 0x1F9F, -8, 1},
    {0x1FA8, 0x1FAF, -8, 1}, {0x1FB8, 0x1FB9, -8, 1}, {0x1FBA, 0x1FBB, to(0x1F70, 0x1FBA), 1},
    {0x1FBC, 0x1FBC, to(0x1FB3, 0x1FBC), 1}, {0x1FC8, 0x1FCB, to(0x1F72, 0x1FC8), 1},
    {0x1FCC, 0x1FCC, to(0x1FC3, 0x1FCC), 1}, {0x1FD8, 0x1FD9, -8, 1},
    {0x1FDA, 0x1FDB, to(0x1F76, 0x1FDA), 1}, {0x1FE8, 0x1FE9, -8, 1},
    {0x1FEA, 0x1FEB, to(0x1F7A, 0x1FEA), 1}, {0x1FEC, 0x1FEC, to(0x1FE5, 0x1FEC), 1},
    {0x1FF8, 0x1FF9, to(0x1F78, 0x1FF8), 1}, {0x1FFA, 0x1FFB, to(0x1F7C, 0x1FFA), 1},
    {0x1FFC, 0x1FFC, to(0x1FF3, 0x1FFC), 1},
    // Letterlike symbols that are letters: OHM, KELVIN and ANGSTROM signs
    {0x2126, 0x2126, to(0x03C9, 0x2126), 1}, {0x212A, 0x212A, to(0x006B, 0x212A), 1},
    {0x212B, 0x212B, to(0x00E5, 0x212B), 1}, {0x2132, 0x2132, to(0x214E, 0x2132), 1},
    // Roman numerals, circled Latin letters
    {0x2160, 0x216F, 16, 1}, {0x2183, 0x2183, 1, 1}, {0x24B6, 0x24CF, 26, 1},
    // Cyrillic Extended-B
    {0xA640, 0xA66D, 1, 2}, {0xA680, 0xA69B, 1, 2},
    // Fullwidth Latin
    {0xFF21, 0xFF3A, 32, 1},
    // Deseret
    {0x10400, 0x10427, 40, 1},
};

// --- character classes ---------------------------------------------------------

// The White_Space property (PropList.txt).
constexpr Range kWhitespace[] = {
    {0x0009, 0x000D}, {0x0020, 0x0020}, {0x0085, 0x0085}, {0x00A0, 0x00A0},
    {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F},
    {0x205F, 0x205F}, {0x3000, 0x3000},
};

constexpr Range kCjkSingle[] = {
    {0x1100, 0x11FF},    // Hangul Jamo
    {0x2E80, 0x2FDF},    // CJK Radicals Supplement, Kangxi Radicals
    {0x3005, 0x3007},    // 々 〆 〇: ideographic iteration mark, closing mark, number zero
    {0x3021, 0x3029},    // Hangzhou numerals
    {0x3038, 0x303C},    // more Hangzhou numerals, vertical iteration marks
    {0x3040, 0x30FF},    // Hiragana, Katakana
    {0x3100, 0x31FF},    // Bopomofo, Hangul Compatibility Jamo, Kanbun, strokes, Katakana ext.
    {0x3400, 0x4DBF},    // CJK Extension A
    {0x4E00, 0x9FFF},    // CJK Unified Ideographs
    {0xA960, 0xA97F},    // Hangul Jamo Extended-A
    {0xAC00, 0xD7FF},    // Hangul Syllables, Hangul Jamo Extended-B
    {0xF900, 0xFAFF},    // CJK Compatibility Ideographs
    {0xFF66, 0xFF9F},    // halfwidth Katakana
    {0xFFA0, 0xFFDC},    // halfwidth Hangul
    {0x1B000, 0x1B16F},  // Kana Supplement, Kana Extended-A, Small Kana Extension
    {0x20000, 0x3FFFF},  // planes 2 and 3: CJK Extensions B-H, Compatibility Supplement
};

// Punctuation, symbols, controls and format characters at U+00A0 and above
// (the ASCII range is handled directly). Blocks that are wholly punctuation or
// symbols are listed whole; elsewhere the common punctuation of each script.
constexpr Range kNotWord[] = {
    {0x0080, 0x009F},    // C1 controls
    {0x00A1, 0x00A9},    // ¡ ¢ £ ¤ ¥ ¦ § ¨ ©
    {0x00AB, 0x00B1},    // « ¬ soft hyphen ® ¯ ° ±
    {0x00B4, 0x00B4},    // ´
    {0x00B6, 0x00B8},    // ¶ · ¸
    {0x00BB, 0x00BB},    // »
    {0x00BF, 0x00BF},    // ¿
    {0x00D7, 0x00D7},    // ×
    {0x00F7, 0x00F7},    // ÷
    {0x02C2, 0x02C5},    // spacing modifier symbols
    {0x02D2, 0x02DF},
    {0x02E5, 0x02EB},
    {0x02ED, 0x02ED},
    {0x02EF, 0x02FF},
    {0x0375, 0x0375},    // Greek: lower numeral sign, question mark, tonos, ano teleia
    {0x037E, 0x037E},
    {0x0384, 0x0385},
    {0x0387, 0x0387},
    {0x055A, 0x055F},    // Armenian punctuation
    {0x0589, 0x058A},
    {0x058D, 0x058F},
    {0x05BE, 0x05BE},    // Hebrew maqaf, paseq, sof pasuq, nun hafukha, geresh, gershayim
    {0x05C0, 0x05C0},
    {0x05C3, 0x05C3},
    {0x05C6, 0x05C6},
    {0x05F3, 0x05F4},
    {0x0600, 0x060F},    // Arabic number signs, comma, date separator, signs
    {0x061B, 0x061B},    // Arabic semicolon, letter mark, question mark
    {0x061C, 0x061C},
    {0x061D, 0x061F},
    {0x066A, 0x066D},    // Arabic percent, decimal/thousands separators, five pointed star
    {0x06D4, 0x06D4},    // Arabic full stop
    {0x06DD, 0x06DE},
    {0x06E9, 0x06E9},
    {0x06FD, 0x06FE},
    {0x0700, 0x070F},    // Syriac punctuation
    {0x0964, 0x0965},    // Devanagari danda, double danda, abbreviation sign
    {0x0970, 0x0970},
    {0x0E3F, 0x0E3F},    // Thai baht, fongman, angkhankhu, khomut
    {0x0E4F, 0x0E4F},
    {0x0E5A, 0x0E5B},
    {0x0F04, 0x0F12},    // Tibetan marks
    {0x0F3A, 0x0F3D},
    {0x104A, 0x104F},    // Myanmar punctuation
    {0x10FB, 0x10FB},    // Georgian paragraph separator
    {0x1360, 0x1368},    // Ethiopic punctuation
    {0x166D, 0x166E},    // Canadian syllabics chi sign, full stop
    {0x169B, 0x169C},    // Ogham feather marks
    {0x16EB, 0x16ED},    // Runic punctuation
    {0x17D4, 0x17D6},    // Khmer punctuation and currency
    {0x17D8, 0x17DB},
    {0x1800, 0x180A},    // Mongolian punctuation
    {0x180E, 0x180E},
    {0x2000, 0x206F},    // General Punctuation (incl. zero-width and bidi format characters)
    {0x20A0, 0x20CF},    // Currency Symbols
    {0x2190, 0x2BFF},    // Arrows, Mathematical Operators, Technical, Box Drawing, ..., Misc Symbols and Arrows
    {0x2E00, 0x2E7F},    // Supplemental Punctuation
    {0x3000, 0x303F},    // CJK Symbols and Punctuation (CJK singles are tested first)
    {0x3200, 0x33FF},    // Enclosed CJK Letters and Months, CJK Compatibility
    {0x4DC0, 0x4DFF},    // Yijing Hexagram Symbols
    {0xA700, 0xA721},    // modifier tone letters
    {0xD800, 0xDFFF},    // surrogates (never produced by decode_utf8)
    {0xFD3E, 0xFD3F},    // ornate parentheses
    {0xFE00, 0xFE1F},    // variation selectors, vertical forms
    {0xFE30, 0xFE6F},    // CJK Compatibility Forms, Small Form Variants
    {0xFEFF, 0xFEFF},    // byte order mark
    {0xFF00, 0xFF0F},    // fullwidth punctuation (not letters or digits)
    {0xFF1A, 0xFF20},
    {0xFF3B, 0xFF40},
    {0xFF5B, 0xFF65},
    {0xFFE0, 0xFFFF},    // fullwidth symbols, specials (incl. U+FFFD)
    {0x1D000, 0x1D0FF},  // Byzantine and Western musical symbols
    {0x1D100, 0x1D24F},
    {0x1F000, 0x1FBFF},  // Mahjong, dominos, cards, enclosed, emoji, pictographs, legacy computing
    {0xE0000, 0xE01EF},  // tags, variation selectors supplement
};

// The Cased property (Lowercase or Uppercase or Lt), generated from Python's
// unicodedata (Unicode 14) for the final sigma rule.
constexpr Range kCased[] = {
    {0x0041, 0x005A}, {0x0061, 0x007A}, {0x00AA, 0x00AA}, {0x00B5, 0x00B5}, {0x00BA, 0x00BA},
    {0x00C0, 0x00D6}, {0x00D8, 0x00F6}, {0x00F8, 0x01BA}, {0x01BC, 0x01BF}, {0x01C4, 0x0293},
    {0x0295, 0x02B8}, {0x02C0, 0x02C1}, {0x02E0, 0x02E4}, {0x0345, 0x0345}, {0x0370, 0x0373},
    {0x0376, 0x0377}, {0x037A, 0x037D}, {0x037F, 0x037F}, {0x0386, 0x0386}, {0x0388, 0x038A},
    {0x038C, 0x038C}, {0x038E, 0x03A1}, {0x03A3, 0x03F5}, {0x03F7, 0x0481}, {0x048A, 0x052F},
    {0x0531, 0x0556}, {0x0560, 0x0588}, {0x10A0, 0x10C5}, {0x10C7, 0x10C7}, {0x10CD, 0x10CD},
    {0x10D0, 0x10FA}, {0x10FD, 0x10FF}, {0x13A0, 0x13F5}, {0x13F8, 0x13FD}, {0x1C80, 0x1C88},
    {0x1C90, 0x1CBA}, {0x1CBD, 0x1CBF}, {0x1D00, 0x1DBF}, {0x1E00, 0x1F15}, {0x1F18, 0x1F1D},
    {0x1F20, 0x1F45}, {0x1F48, 0x1F4D}, {0x1F50, 0x1F57}, {0x1F59, 0x1F59}, {0x1F5B, 0x1F5B},
    {0x1F5D, 0x1F5D}, {0x1F5F, 0x1F7D}, {0x1F80, 0x1FB4}, {0x1FB6, 0x1FBC}, {0x1FBE, 0x1FBE},
    {0x1FC2, 0x1FC4}, {0x1FC6, 0x1FCC}, {0x1FD0, 0x1FD3}, {0x1FD6, 0x1FDB}, {0x1FE0, 0x1FEC},
    {0x1FF2, 0x1FF4}, {0x1FF6, 0x1FFC}, {0x2071, 0x2071}, {0x207F, 0x207F}, {0x2090, 0x209C},
    {0x2102, 0x2102}, {0x2107, 0x2107}, {0x210A, 0x2113}, {0x2115, 0x2115}, {0x2119, 0x211D},
    {0x2124, 0x2124}, {0x2126, 0x2126}, {0x2128, 0x2128}, {0x212A, 0x212D}, {0x212F, 0x2134},
    {0x2139, 0x2139}, {0x213C, 0x213F}, {0x2145, 0x2149}, {0x214E, 0x214E}, {0x2160, 0x217F},
    {0x2183, 0x2184}, {0x24B6, 0x24E9}, {0x2C00, 0x2CE4}, {0x2CEB, 0x2CEE}, {0x2CF2, 0x2CF3},
    {0x2D00, 0x2D25}, {0x2D27, 0x2D27}, {0x2D2D, 0x2D2D}, {0xA640, 0xA66D}, {0xA680, 0xA69D},
    {0xA722, 0xA787}, {0xA78B, 0xA78E}, {0xA790, 0xA7CA}, {0xA7D0, 0xA7D1}, {0xA7D3, 0xA7D3},
    {0xA7D5, 0xA7D9}, {0xA7F5, 0xA7F6}, {0xA7F8, 0xA7FA}, {0xAB30, 0xAB5A}, {0xAB5C, 0xAB68},
    {0xAB70, 0xABBF}, {0xFB00, 0xFB06}, {0xFB13, 0xFB17}, {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A},
    {0x10400, 0x1044F}, {0x104B0, 0x104D3}, {0x104D8, 0x104FB}, {0x10570, 0x1057A}, {0x1057C, 0x1058A},
    {0x1058C, 0x10592}, {0x10594, 0x10595}, {0x10597, 0x105A1}, {0x105A3, 0x105B1}, {0x105B3, 0x105B9},
    {0x105BB, 0x105BC}, {0x10780, 0x10780}, {0x10783, 0x10785}, {0x10787, 0x107B0}, {0x107B2, 0x107BA},
    {0x10C80, 0x10CB2}, {0x10CC0, 0x10CF2}, {0x118A0, 0x118DF}, {0x16E40, 0x16E7F}, {0x1D400, 0x1D454},
    {0x1D456, 0x1D49C}, {0x1D49E, 0x1D49F}, {0x1D4A2, 0x1D4A2}, {0x1D4A5, 0x1D4A6}, {0x1D4A9, 0x1D4AC},
    {0x1D4AE, 0x1D4B9}, {0x1D4BB, 0x1D4BB}, {0x1D4BD, 0x1D4C3}, {0x1D4C5, 0x1D505}, {0x1D507, 0x1D50A},
    {0x1D50D, 0x1D514}, {0x1D516, 0x1D51C}, {0x1D51E, 0x1D539}, {0x1D53B, 0x1D53E}, {0x1D540, 0x1D544},
    {0x1D546, 0x1D546}, {0x1D54A, 0x1D550}, {0x1D552, 0x1D6A5}, {0x1D6A8, 0x1D6C0}, {0x1D6C2, 0x1D6DA},
    {0x1D6DC, 0x1D6FA}, {0x1D6FC, 0x1D714}, {0x1D716, 0x1D734}, {0x1D736, 0x1D74E}, {0x1D750, 0x1D76E},
    {0x1D770, 0x1D788}, {0x1D78A, 0x1D7A8}, {0x1D7AA, 0x1D7C2}, {0x1D7C4, 0x1D7CB}, {0x1DF00, 0x1DF09},
    {0x1DF0B, 0x1DF1E}, {0x1E900, 0x1E943}, {0x1F130, 0x1F149}, {0x1F150, 0x1F169}, {0x1F170, 0x1F189},
};

// Case_Ignorable near the cased scripts (Mn, Me, Cf, Lm, Sk and the word-break
// MidLetter/MidNumLet/Single_Quote characters): combining marks, modifier
// letters and symbols, apostrophes, period, colon, format characters.
constexpr Range kCaseIgnorable[] = {
    {0x0027, 0x0027}, {0x002E, 0x002E}, {0x003A, 0x003A}, {0x005E, 0x005E}, {0x0060, 0x0060},
    {0x00A8, 0x00A8}, {0x00AD, 0x00AD}, {0x00AF, 0x00AF}, {0x00B4, 0x00B4}, {0x00B7, 0x00B8},
    {0x02B0, 0x036F}, {0x0374, 0x0375}, {0x037A, 0x037A}, {0x0384, 0x0385}, {0x0387, 0x0387},
    {0x0483, 0x0489}, {0x0559, 0x0559}, {0x055F, 0x055F}, {0x1AB0, 0x1AFF}, {0x1D2C, 0x1D6A},
    {0x1D78, 0x1D78}, {0x1D9B, 0x1DFF}, {0x1FBD, 0x1FBD}, {0x1FBF, 0x1FC1}, {0x1FCD, 0x1FCF},
    {0x1FDD, 0x1FDF}, {0x1FED, 0x1FEF}, {0x1FFD, 0x1FFE}, {0x200B, 0x200F}, {0x2018, 0x2019},
    {0x2024, 0x2024}, {0x2027, 0x2027}, {0x202A, 0x202E}, {0x2060, 0x2064}, {0x2066, 0x206F},
    {0x2071, 0x2071}, {0x207F, 0x207F}, {0x2090, 0x209C}, {0x20D0, 0x20F0}, {0xFE00, 0xFE0F},
    {0xFE13, 0xFE13}, {0xFE20, 0xFE2F}, {0xFE52, 0xFE52}, {0xFE55, 0xFE55}, {0xFEFF, 0xFEFF},
    {0xFF07, 0xFF07}, {0xFF0E, 0xFF0E}, {0xFF1A, 0xFF1A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
    {0xE0100, 0xE01EF},
};

template <class T, size_t N>
constexpr bool sorted_and_disjoint(const T (&ranges)[N]) {
    for (size_t k = 0; k < N; ++k) {
        if (ranges[k].last < ranges[k].first) return false;
        if (k > 0 && ranges[k].first <= ranges[k - 1].last) return false;
    }
    return true;
}
// The binary searches above rely on this.
static_assert(sorted_and_disjoint(kLower));
static_assert(sorted_and_disjoint(kWhitespace));
static_assert(sorted_and_disjoint(kCjkSingle));
static_assert(sorted_and_disjoint(kNotWord));
static_assert(sorted_and_disjoint(kCased));
static_assert(sorted_and_disjoint(kCaseIgnorable));

// Unicode's Final_Sigma condition, as CPython evaluates it: skipping case-
// ignorable characters, a cased letter comes before position i and none after.
bool is_final_sigma(std::u32string_view text, size_t i) {
    size_t j = i;
    while (j > 0 && in_ranges(kCaseIgnorable, text[j - 1])) --j;
    if (j == 0 || !in_ranges(kCased, text[j - 1])) return false;
    size_t k = i + 1;
    while (k < text.size() && in_ranges(kCaseIgnorable, text[k])) ++k;
    return k == text.size() || !in_ranges(kCased, text[k]);
}

}  // namespace

std::u32string decode_utf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        char32_t cp = 0;
        const size_t n = decode_one(text, i, cp);
        if (n == 0) {
            out.push_back(kReplacementChar);
            ++i;
        } else {
            out.push_back(cp);
            i += n;
        }
    }
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
    const auto put = [&](uint32_t b) { out.push_back(static_cast<char>(b)); };
    if (cp < 0x80) {
        put(cp);
    } else if (cp < 0x800) {
        put(0xC0 | (cp >> 6));
        put(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        put(0xE0 | (cp >> 12));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    } else {
        put(0xF0 | (cp >> 18));
        put(0x80 | ((cp >> 12) & 0x3F));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    }
}

std::string encode_utf8(std::u32string_view cps) {
    std::string out;
    out.reserve(cps.size());
    for (char32_t cp : cps) append_utf8(out, cp);
    return out;
}

std::string sanitize_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        char32_t cp = 0;
        const size_t n = decode_one(text, i, cp);
        if (n == 0) {
            append_utf8(out, kReplacementChar);
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

char32_t to_lower(char32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    const LowerRange* it = std::upper_bound(std::begin(kLower), std::end(kLower), cp,
                                            [](char32_t c, const LowerRange& r) { return c < r.first; });
    if (it == std::begin(kLower)) return cp;
    --it;
    if (cp > it->last) return cp;
    if (it->step == 2 && (cp - it->first) % 2 != 0) return cp;
    return static_cast<char32_t>(static_cast<int32_t>(cp) + it->delta);
}

void append_lowercase(std::string& out, std::u32string_view text, size_t i) {
    const char32_t cp = text[i];
    if (cp == 0x0130) {  // SpecialCasing's one unconditional two-code-point lowercase
        out += "i\xCC\x87";  // i, U+0307 COMBINING DOT ABOVE
    } else if (cp == 0x03A3) {
        append_utf8(out, is_final_sigma(text, i) ? 0x03C2 : 0x03C3);
    } else {
        append_utf8(out, to_lower(cp));
    }
}

bool is_whitespace(char32_t cp) { return in_ranges(kWhitespace, cp); }

bool is_cjk_single(char32_t cp) { return cp >= 0x1100 && in_ranges(kCjkSingle, cp); }

bool is_word_char(char32_t cp) {
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               cp == '\'' || cp == '_';
    }
    if (cp > 0x10FFFF) return false;
    return !is_whitespace(cp) && !is_cjk_single(cp) && !in_ranges(kNotWord, cp);
}

}  // namespace lstmscope
