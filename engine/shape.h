// Value shapes as known at load time. The sequence length T is only known
// when text arrives, so a shape says "T rows" or "1 row" plus a fixed width;
// that is enough to check every node of a graph before any text is seen.
#pragma once

#include <string>

namespace lstmscope {

enum class Rows { Tokens, One };

struct Shape {
    Rows rows = Rows::Tokens;
    int cols = 0;

    friend bool operator==(const Shape&, const Shape&) = default;
    // "T x 128" or "1 x 2", as `lstmscope-cli info` prints it.
    std::string to_string() const {
        return std::string(rows == Rows::Tokens ? "T" : "1") + " x " + std::to_string(cols);
    }
};

}  // namespace lstmscope
