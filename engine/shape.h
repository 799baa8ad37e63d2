// Value shapes as known at load time. The sequence length T is only known
// when text arrives, so a shape says "T rows", "1 row" or a fixed number of
// rows (the r hops of a multi-hop attention pooling, the rows of a learned
// parameter) plus a fixed width; that is enough to check every node of a
// graph before any text is seen.
#pragma once

#include <string>

namespace lstmscope {

// Fixed: `count` rows, count > 1 (a single row is always One, so that "one
// row" has one spelling and the checks for a vector stay one comparison).
enum class Rows { Tokens, One, Fixed };

struct Shape {
    Rows rows = Rows::Tokens;
    int cols = 0;
    int count = 0;  // the number of rows when rows == Fixed, else 0

    friend bool operator==(const Shape&, const Shape&) = default;
    // The number of rows when it does not depend on the text (1 or count).
    int fixed_rows() const { return rows == Rows::One ? 1 : rows == Rows::Fixed ? count : 0; }
    // The same number of rows: both T, or the same fixed count.
    bool same_rows(const Shape& other) const { return rows == other.rows && count == other.count; }
    // "T x 128", "1 x 2" or "30 x 512", as `lstmscope-cli info` prints it.
    std::string rows_text() const {
        return rows == Rows::Tokens ? std::string("T") : std::to_string(fixed_rows());
    }
    std::string to_string() const { return rows_text() + " x " + std::to_string(cols); }
};

// The shape of `rows` fixed rows (One for a single row).
inline Shape fixed_shape(int rows, int cols) {
    return rows == 1 ? Shape{Rows::One, cols, 0} : Shape{Rows::Fixed, cols, rows};
}

}  // namespace lstmscope
