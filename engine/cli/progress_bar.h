// A one-line progress report on standard error (count, rate, ETA), drawn
// only when standard error is a terminal, so that logs and pipes stay clean.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace lstmscope::cli {

class ProgressBar {
public:
    // `force`: draw even when standard error is not a terminal (tests).
    explicit ProgressBar(std::string what, bool force = false);
    ~ProgressBar();  // ends the line if anything was drawn
    void update(size_t done, size_t total);

    // "1,234/5,000 texts  812/s  ETA 0:05" for `done` of `total` after `seconds`.
    static std::string line(const std::string& what, size_t done, size_t total, double seconds);

private:
    std::string what_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace lstmscope::cli
