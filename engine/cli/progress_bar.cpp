#include "engine/cli/progress_bar.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace lstmscope::cli {
namespace {

std::string with_commas(size_t n) {
    // Built forwards rather than with insert(), which GCC 12 warns about
    // falsely (-Wrestrict).
    const std::string digits = std::to_string(n);
    std::string s;
    for (size_t k = 0; k < digits.size(); ++k) {
        if (k > 0 && (digits.size() - k) % 3 == 0) s += ',';
        s += digits[k];
    }
    return s;
}

std::string clock(double seconds) {
    const long s = std::lround(seconds);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::string what, bool force)
    : what_(std::move(what)), enabled_(force || isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()),
      last_(start_) {}

ProgressBar::~ProgressBar() {
    if (drawn_) std::cerr << '\n';
}

std::string ProgressBar::line(const std::string& what, size_t done, size_t total, double seconds) {
    std::string out = with_commas(done) + "/" + with_commas(total) + " " + what;
    if (seconds > 0 && done > 0) {
        const double rate = static_cast<double>(done) / seconds;
        out += "  " + with_commas(static_cast<size_t>(std::lround(rate))) + "/s";
        if (done < total) out += "  ETA " + clock(static_cast<double>(total - done) / rate);
        else out += "  " + clock(seconds);
    }
    return out;
}

void ProgressBar::update(size_t done, size_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    // Redrawn at most ten times a second, and always at the end.
    if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    std::cerr << '\r' << line(what_, done, total, seconds) << "\033[K" << std::flush;
    drawn_ = true;
}

}  // namespace lstmscope::cli
