// The safetensors reader: every dtype's conversion to float32, every rejection
// (with the file and the tensor named), and robustness on damaged files.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/error.h"
#include "engine/safetensors.h"

namespace lstmscope {
namespace {

using Bytes = std::vector<unsigned char>;
const std::string kPath = "weights.safetensors";

// A file from a literal header and data area.
// (Bytes are pushed one by one: GCC 12 at -O3 warns falsely on vector::insert here.)
Bytes file_bytes(const std::string& header, const Bytes& data = {}) {
    Bytes out;
    const uint64_t n = header.size();
    for (int k = 0; k < 8; ++k) out.push_back(static_cast<unsigned char>(n >> (8 * k)));
    for (char c : header) out.push_back(static_cast<unsigned char>(c));
    for (unsigned char b : data) out.push_back(b);
    return out;
}

template <class T>
void put_le(Bytes& out, T value) {
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof(T));  // the test machine is little-endian, like the format
    for (unsigned char b : raw) out.push_back(b);
}

// Builds a well-formed file tensor by tensor, offsets computed.
struct Builder {
    nlohmann::json header = nlohmann::json::object();
    Bytes data;

    Builder& add(const std::string& name, const std::string& dtype, std::vector<int64_t> shape, const Bytes& raw) {
        header[name] = {{"dtype", dtype}, {"shape", shape}, {"data_offsets", {data.size(), data.size() + raw.size()}}};
        data.insert(data.end(), raw.begin(), raw.end());
        return *this;
    }
    Builder& f32(const std::string& name, std::vector<int64_t> shape, const std::vector<float>& values) {
        Bytes raw;
        for (float v : values) put_le(raw, v);
        return add(name, "F32", std::move(shape), raw);
    }
    Bytes bytes() const { return file_bytes(header.dump(), data); }
};

Bytes u16s(const std::vector<uint16_t>& values) {
    Bytes raw;
    for (uint16_t v : values) put_le(raw, v);
    return raw;
}

// Runs parse and returns the error message ("" if it did not throw).
std::string error_of(const Bytes& bytes) {
    try {
        WeightStore::parse(bytes, kPath);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

#define EXPECT_REJECTED(bytes, ...)                                                        \
    do {                                                                                   \
        const std::string message = error_of(bytes);                                       \
        ASSERT_FALSE(message.empty()) << "accepted";                                       \
        EXPECT_EQ(message.rfind(kPath + ": ", 0), 0u) << message;                          \
        for (const char* part : {__VA_ARGS__})                                             \
            EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message; \
    } while (0)

// --- conversion -----------------------------------------------------------------

TEST(Safetensors, ReadsF32WithShapeAndMetadata) {
    Builder b;
    b.f32("lstm.weight_ih_l0", {2, 3}, {1, -2, 3.5f, 0, 1e-30f, -7});
    b.header["__metadata__"] = {{"format", "pt"}, {"source", "test"}};
    WeightStore store = WeightStore::parse(b.bytes(), kPath);
    EXPECT_EQ(store.path(), kPath);
    ASSERT_TRUE(store.contains("lstm.weight_ih_l0"));
    const StoredTensor* t = store.find("lstm.weight_ih_l0");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(t->data, (std::vector<float>{1, -2, 3.5f, 0, 1e-30f, -7}));
    EXPECT_EQ(store.metadata().at("format"), "pt");
    EXPECT_EQ(store.metadata().at("source"), "test");
    EXPECT_EQ(store.tensors().size(), 1u);
    EXPECT_EQ(store.find("absent"), nullptr);
}

TEST(Safetensors, ConvertsF16IncludingSubnormals) {
    Builder b;
    b.add("h", "F16", {9},
          u16s({0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x03FF, 0x8000, 0x3555, 0x0400}));
    const auto store = WeightStore::parse(b.bytes(), kPath);
    const auto& d = store.tensors().at("h").data;
    ASSERT_EQ(d.size(), 9u);
    EXPECT_EQ(d[0], 1.0f);
    EXPECT_EQ(d[1], -2.0f);
    EXPECT_EQ(d[2], 0.5f);
    EXPECT_EQ(d[3], 65504.0f);
    EXPECT_EQ(d[4], std::ldexp(1.0f, -24));            // smallest subnormal
    EXPECT_EQ(d[5], std::ldexp(1023.0f, -24));         // largest subnormal
    EXPECT_EQ(d[6], 0.0f);
    EXPECT_TRUE(std::signbit(d[6]));                   // -0 keeps its sign
    EXPECT_EQ(d[7], 0.333251953125f);
    EXPECT_EQ(d[8], std::ldexp(1.0f, -14));            // smallest normal
}

TEST(Safetensors, ConvertsBF16) {
    Builder b;
    b.add("b", "BF16", {4}, u16s({0x3F80, 0xC040, 0x4049, 0x0001}));
    const auto store = WeightStore::parse(b.bytes(), kPath);
    const auto& d = store.tensors().at("b").data;
    EXPECT_EQ(d, (std::vector<float>{1.0f, -3.0f, 3.140625f, std::bit_cast<float>(uint32_t{0x00010000})}));
}

TEST(Safetensors, ConvertsF64ByNarrowing) {
    Bytes raw;
    for (double v : {0.1, -1e-3, 1e-50, 3.0e38}) put_le(raw, v);
    Builder b;
    b.add("d", "F64", {2, 2}, raw);
    const auto store = WeightStore::parse(b.bytes(), kPath);
    const auto& d = store.tensors().at("d").data;
    EXPECT_EQ(d, (std::vector<float>{0.1f, -1e-3f, static_cast<float>(1e-50), 3.0e38f}));
}

TEST(Safetensors, ZeroSizeAndScalarTensors) {
    Builder b;
    b.f32("a", {2}, {1, 2});
    b.add("empty", "F32", {0, 3}, {});
    b.f32("scalar", {}, {5});
    b.add("empty16", "F16", {4, 0}, {});
    const auto store = WeightStore::parse(b.bytes(), kPath);
    EXPECT_TRUE(store.tensors().at("empty").data.empty());
    EXPECT_EQ(store.tensors().at("empty").shape, (std::vector<int64_t>{0, 3}));
    EXPECT_EQ(store.tensors().at("scalar").data, std::vector<float>{5});
    EXPECT_TRUE(store.tensors().at("scalar").shape.empty());
}

TEST(Safetensors, EmptyHeaderAndPaddedHeaderAreFine) {
    EXPECT_TRUE(WeightStore::parse(file_bytes("{}"), kPath).tensors().empty());
    // Writers pad the header with spaces to an 8-byte boundary.
    Builder b;
    b.f32("x", {1}, {2});
    std::string header = b.header.dump() + "       ";
    EXPECT_EQ(WeightStore::parse(file_bytes(header, b.data), kPath).tensors().at("x").data, std::vector<float>{2});
}

TEST(Safetensors, DataAreaMayHaveGapsAndAnyOrder) {
    Bytes raw;
    put_le(raw, 7.0f);
    put_le(raw, 0.0f);
    put_le(raw, 9.0f);
    const std::string header =
        R"({"late": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]},
            "early": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})";
    const auto store = WeightStore::parse(file_bytes(header, raw), kPath);
    EXPECT_EQ(store.tensors().at("late").data, std::vector<float>{9});
    EXPECT_EQ(store.tensors().at("early").data, std::vector<float>{7});
}

TEST(Safetensors, UnusedListsTensorsNobodyAskedFor) {
    Builder b;
    b.f32("emb.weight", {1}, {1}).f32("lstm.bias_hh_l0", {1}, {2}).f32("stale.weight", {1}, {3});
    WeightStore store = WeightStore::parse(b.bytes(), kPath);
    EXPECT_EQ(store.unused(), (std::vector<std::string>{"emb.weight", "lstm.bias_hh_l0", "stale.weight"}));
    store.find("emb.weight")->used = true;
    store.find("lstm.bias_hh_l0")->used = true;
    EXPECT_EQ(store.unused(), std::vector<std::string>{"stale.weight"});
}

TEST(Safetensors, LoadReadsAFile) {
    Builder b;
    b.f32("w", {3}, {1, 2, 3});
    const auto path = std::filesystem::temp_directory_path() / "lstmscope_test_load.safetensors";
    {
        std::ofstream out(path, std::ios::binary);
        const Bytes bytes = b.bytes();
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    const auto store = WeightStore::load(path.string());
    EXPECT_EQ(store.tensors().at("w").data, (std::vector<float>{1, 2, 3}));
    EXPECT_EQ(store.path(), path.string());
    std::filesystem::remove(path);
}

TEST(Safetensors, LoadOfAMissingFileOrADirectoryNamesIt) {
    const std::string directory = std::filesystem::temp_directory_path().string();
    for (const std::string& path : {std::string("/nonexistent/dir/model.safetensors"), directory}) {
        try {
            WeightStore::load(path);
            FAIL() << "no error for " << path;
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
        }
    }
}

// --- rejections -----------------------------------------------------------------

TEST(SafetensorsRejects, FileShorterThanTheLength) {
    EXPECT_REJECTED(Bytes{}, "0 bytes", "too short");
    EXPECT_REJECTED((Bytes{2, 0, 0, 0, 0, 0, 0}), "7 bytes", "too short");
}

TEST(SafetensorsRejects, HeaderLengthBeyondTheFile) {
    Bytes bytes = file_bytes("{}");
    bytes[0] = 3;  // 3 > 2 bytes left
    EXPECT_REJECTED(bytes, "header length 3", "rest of the file (2 bytes)");
    Bytes huge = file_bytes("{}");
    for (int k = 0; k < 8; ++k) huge[static_cast<size_t>(k)] = 0xFF;
    EXPECT_REJECTED(huge, "header length 18446744073709551615");
}

TEST(SafetensorsRejects, HeaderNotJsonOrNotAnObject) {
    EXPECT_REJECTED(file_bytes("{\"a\": "), "safetensors header: not valid JSON (");
    EXPECT_REJECTED(file_bytes(""), "safetensors header: not valid JSON");
    EXPECT_REJECTED(file_bytes("[1, 2]"), "safetensors header: not a JSON object");
    EXPECT_REJECTED(file_bytes("\"text\""), "not a JSON object");
    EXPECT_REJECTED(file_bytes(std::string(100000, '[') + std::string(100000, ']')), "not valid JSON");
    // Invalid UTF-8 and a long string: the message stays valid UTF-8 and short.
    const std::string message = error_of(file_bytes("{\"" + std::string(5000, 'x') + "\xFF\": 1}"));
    EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
    EXPECT_LT(message.size(), 400u);
    EXPECT_EQ(message.find('\xFF'), std::string::npos);
}

TEST(SafetensorsRejects, DuplicateTensorName) {
    const std::string entry = R"({"dtype": "F32", "shape": [0], "data_offsets": [0, 0]})";
    EXPECT_REJECTED(file_bytes("{\"w\": " + entry + ", \"w\": " + entry + "}"), "'w' appears twice");
}

TEST(SafetensorsRejects, BadMetadata) {
    EXPECT_REJECTED(file_bytes(R"({"__metadata__": {"a": 1}})"), "'__metadata__'", "'a' is not a string");
    EXPECT_REJECTED(file_bytes(R"({"__metadata__": [1]})"), "'__metadata__' must be an object");
}

TEST(SafetensorsRejects, MalformedEntries) {
    EXPECT_REJECTED(file_bytes(R"({"lstm.w": 5})"), "tensor 'lstm.w'", "must be an object");
    EXPECT_REJECTED(file_bytes(R"({"lstm.w": {"shape": [0], "data_offsets": [0, 0]}})"), "tensor 'lstm.w'",
                    "field 'dtype' is missing");
    EXPECT_REJECTED(file_bytes(R"({"lstm.w": {"dtype": "F32", "data_offsets": [0, 0]}})"), "tensor 'lstm.w'",
                    "field 'shape' is missing");
    EXPECT_REJECTED(file_bytes(R"({"lstm.w": {"dtype": "F32", "shape": [0]}})"), "tensor 'lstm.w'",
                    "field 'data_offsets' is missing");
    EXPECT_REJECTED(file_bytes(R"({"lstm.w": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0], "x": 1}})"),
                    "tensor 'lstm.w'", "unknown field 'x'");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": 32, "shape": [0], "data_offsets": [0, 0]}})"), "tensor 'w'",
                    "'dtype' must be a string");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": "2x3", "data_offsets": [0, 0]}})"), "tensor 'w'",
                    "'shape' must be a list");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 0]}})"), "tensor 'w'",
                    "shape[0] must be a non-negative integer");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0, 0]}})"),
                    "tensor 'w'", "'data_offsets' must be a list [begin, end]");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [0], "data_offsets": {"a": 0}}})"),
                    "tensor 'w'", "'data_offsets' must be a list");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [0], "data_offsets": [0, "4"]}})"),
                    "tensor 'w'", "data_offsets[1] must be a non-negative integer");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [0], "data_offsets": [-4, 0]}})"),
                    "tensor 'w'", "data_offsets[0] is -4, negative");
}

TEST(SafetensorsRejects, NegativeDimension) {
    EXPECT_REJECTED(file_bytes(R"({"emb.weight": {"dtype": "F32", "shape": [2, -3], "data_offsets": [0, 0]}})"),
                    "tensor 'emb.weight'", "shape[1] is -3, negative");
}

TEST(SafetensorsRejects, ShapeProductOverflow) {
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 0]}})"),
                    "tensor 'w'", "product overflows");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F64", "shape": [2305843009213693952], "data_offsets": [0, 0]}})"),
                    "tensor 'w'", "product overflows");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [18446744073709551615], "data_offsets": [0, 0]}})"),
                    "tensor 'w'", "too large");
}

TEST(SafetensorsRejects, UnsupportedDtype) {
    EXPECT_REJECTED(file_bytes(R"({"lstm.weight_ih_l0": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}})",
                               Bytes(8)),
                    "tensor 'lstm.weight_ih_l0': dtype 'I64' is not supported (F32, F16, BF16, F64)");
}

TEST(SafetensorsRejects, OffsetsOutOfOrderOrOutsideTheData) {
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})", Bytes(8)),
                    "tensor 'w'", "begin is after end");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})", Bytes(8)),
                    "tensor 'w'", "outside the data area (8 bytes");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [0], "data_offsets": [9, 9]}})", Bytes(8)),
                    "tensor 'w'", "outside the data area");
    EXPECT_REJECTED(
        file_bytes(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 18446744073709551615]}})", Bytes(8)),
        "tensor 'w'", "too large");
}

TEST(SafetensorsRejects, SizeNotMatchingShape) {
    EXPECT_REJECTED(file_bytes(R"({"dense.bias": {"dtype": "F16", "shape": [3], "data_offsets": [0, 8]}})", Bytes(8)),
                    "tensor 'dense.bias'", "hold 8 bytes but shape [3] needs 6");
    EXPECT_REJECTED(file_bytes(R"({"w": {"dtype": "F32", "shape": [2, 0], "data_offsets": [0, 4]}})", Bytes(8)),
                    "tensor 'w'", "needs 0");
}

TEST(SafetensorsRejects, OverlappingTensors) {
    const std::string header =
        R"({"b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]},
            "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
            "z": {"dtype": "F32", "shape": [0], "data_offsets": [2, 2]}})";
    EXPECT_REJECTED(file_bytes(header, Bytes(12)), "tensors 'a' and 'b' overlap", "[0, 8)", "[4, 12)");
    // A range inside a long one is caught even when a short one lies between.
    const std::string nested =
        R"({"long": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
            "short": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
            "inner": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}})";
    EXPECT_REJECTED(file_bytes(nested, Bytes(16)), "overlap");
}

TEST(SafetensorsRejects, NonFiniteValuesNameTheIndex) {
    Builder f16;
    f16.add("h", "F16", {3}, u16s({0x3C00, 0x7C00, 0}));
    EXPECT_REJECTED(f16.bytes(), "tensor 'h'", "flat index 1", "not finite (inf)");
    Builder f16nan;
    f16nan.add("h", "F16", {2}, u16s({0x7E00, 0}));
    EXPECT_REJECTED(f16nan.bytes(), "tensor 'h'", "flat index 0", "(nan)");
    Builder bf16;
    bf16.add("b", "BF16", {2, 2}, u16s({0, 0, 0, 0xFF80}));
    EXPECT_REJECTED(bf16.bytes(), "tensor 'b'", "flat index 3", "(-inf)");
    Builder f32;
    f32.f32("lstm.weight_hh_l0", {2}, {1, std::numeric_limits<float>::quiet_NaN()});
    EXPECT_REJECTED(f32.bytes(), "tensor 'lstm.weight_hh_l0'", "flat index 1", "not finite");
    Bytes raw;
    put_le(raw, 1.0);
    put_le(raw, 1e300);
    Builder f64;
    f64.add("d", "F64", {2}, raw);
    EXPECT_REJECTED(f64.bytes(), "tensor 'd'", "flat index 1", "does not fit in float32");
    Bytes inf;
    put_le(inf, -std::numeric_limits<double>::infinity());
    Builder f64inf;
    f64inf.add("d", "F64", {1}, inf);
    EXPECT_REJECTED(f64inf.bytes(), "tensor 'd'", "flat index 0", "(-inf)");
}

TEST(SafetensorsRejects, NonAsciiNamesAreShownAsUtf8) {
    std::string header = R"({"bad\u00e9": {"dtype": "X", "shape": [0], "data_offsets": [0, 0]}})";
    EXPECT_REJECTED(file_bytes(header), "tensor 'bad\xC3\xA9'", "dtype 'X'");
}

// --- robustness -----------------------------------------------------------------

// Every prefix and many random corruptions of a valid file either load or
// throw Error; nothing else (run under the sanitizers to catch bad reads).
TEST(SafetensorsRobustness, DamagedFilesNeverCrash) {
    Builder b;
    b.f32("lstm.weight_ih_l0", {2, 2}, {1, 2, 3, 4});
    b.add("h", "F16", {2}, u16s({0x3C00, 0x0001}));
    b.header["__metadata__"] = {{"k", "v"}};
    const Bytes good = b.bytes();
    for (size_t n = 0; n <= good.size(); ++n) {
        const Bytes prefix(good.begin(), good.begin() + static_cast<ptrdiff_t>(n));
        try {
            WeightStore::parse(prefix, kPath);
        } catch (const Error&) {
        }
    }
    std::mt19937 rng(1234);
    for (int round = 0; round < 3000; ++round) {
        Bytes bad = good;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < flips; ++k) bad[rng() % bad.size()] = static_cast<unsigned char>(rng());
        try {
            WeightStore::parse(bad, kPath);
        } catch (const Error&) {
        }
    }
}

}  // namespace
}  // namespace lstmscope
