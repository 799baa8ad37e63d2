// Compares two JSON documents, numbers within an absolute tolerance, and
// describes the first difference by its path ("nodes.lstm.gates[1].c[3][0]").
#pragma once

#include <cmath>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace lstmscope::testing {

struct JsonDiff {
    std::string path;
    std::string message;
};

struct JsonCompareStats {
    double max_abs_error = 0;
    long numbers = 0;
};

inline std::optional<JsonDiff> compare_json(const nlohmann::json& actual, const nlohmann::json& expected,
                                            double tolerance, JsonCompareStats& stats, const std::string& path = "") {
    if (expected.is_number() && actual.is_number()) {
        const double a = actual.get<double>(), e = expected.get<double>();
        const double d = std::abs(a - e);
        ++stats.numbers;
        stats.max_abs_error = std::max(stats.max_abs_error, d);
        if (!(d <= tolerance))
            return JsonDiff{path, "got " + actual.dump() + ", expected " + expected.dump() + " (|diff| " +
                                      std::to_string(d) + ")"};
        return std::nullopt;
    }
    if (actual.type() != expected.type())
        return JsonDiff{path, "type differs: got " + actual.dump().substr(0, 80) + ", expected " +
                                  expected.dump().substr(0, 80)};
    if (expected.is_array()) {
        if (actual.size() != expected.size())
            return JsonDiff{path, "length " + std::to_string(actual.size()) + ", expected " +
                                      std::to_string(expected.size())};
        for (size_t k = 0; k < expected.size(); ++k)
            if (auto d = compare_json(actual[k], expected[k], tolerance, stats, path + "[" + std::to_string(k) + "]"))
                return d;
        return std::nullopt;
    }
    if (expected.is_object()) {
        for (const auto& [key, value] : expected.items()) {
            if (!actual.contains(key)) return JsonDiff{path + "." + key, "missing"};
            if (auto d = compare_json(actual[key], value, tolerance, stats, path + "." + key)) return d;
        }
        for (const auto& [key, value] : actual.items())
            if (!expected.contains(key)) return JsonDiff{path + "." + key, "not expected"};
        return std::nullopt;
    }
    if (actual != expected) return JsonDiff{path, "got " + actual.dump() + ", expected " + expected.dump()};
    return std::nullopt;
}

}  // namespace lstmscope::testing
