// Reproducers for the findings of a fuzzing run (issue 12, "Findings of a
// fuzzing run against today's engine"): hostile manifests and texts must
// cost a short message and exit status 2, never a crash, an abort, or
// gigabytes of memory. Every input is generated here, small on disk (the
// large files are sparse), and every test runs well under a second.
//
// Where the unfixed engine would run out of memory slowly, the CLI runs
// under an address-space limit (RLIMIT_AS) so that it fails fast instead;
// sanitizer builds cannot run under one (ASan reserves terabytes of address
// space), so there the limit is left off and only the fixed behaviour is
// checked.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli_runner.h"
#include "engine/keras/hdf5_file.h"
#include "engine/model.h"
#include "engine/utf8.h"
#include "error_of.h"
#include "sanitizer_build.h"
#include "test_support.h"

namespace fs = std::filesystem;
using lstmscope::testing::CliResult;
using lstmscope::testing::error_of;
using lstmscope::testing::random_matrix;
using lstmscope::testing::tensor;
using lstmscope::testing::Tensors;
using nlohmann::json;

namespace {

using lstmscope::testing::kSanitized;

// Runs lstmscope-cli with its address space limited to `limit_bytes` (none
// in sanitizer builds) and standard input read from `stdin_path`.
CliResult run_cli_limited(const std::vector<std::string>& args, const fs::path& scratch, size_t limit_bytes,
                          const std::string& stdin_path = "/dev/null") {
    static int counter = 0;
    const std::string stem = "hostile-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const std::string out = (scratch / (stem + ".out")).string(), err = (scratch / (stem + ".err")).string();
    std::vector<std::string> all{LSTMSCOPE_CLI};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec.
        if (!kSanitized) {
            const rlimit limit{limit_bytes, limit_bytes};
            ::setrlimit(RLIMIT_AS, &limit);
        }
        const int in = ::open(stdin_path.c_str(), O_RDONLY);
        const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || e < 0) ::_exit(126);
        ::dup2(in, 0);
        ::dup2(o, 1);
        ::dup2(e, 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    CliResult r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    r.out = lstmscope::testing::slurp(out);
    r.err = lstmscope::testing::slurp(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

// Enough for every fixed behaviour below (the CLI needs ~40 MB), far too
// little for what the unfixed engine allocated (gigabytes).
constexpr size_t kLimit = size_t{1} << 30;

// The rejections' small valid model: embedding -> BiLSTM -> pooling -> softmax.
json base_manifest() {
    return json::parse(R"({
      "format": "lstmscope-model", "format_version": 1, "name": "hostile base",
      "weights": "model.safetensors",
      "tokenizer": {"type": "word", "vocab": ["<pad>", "<unk>", "good", "bad", "food", "service"], "unk": "<unk>"},
      "task": "classification", "labels": ["negative", "positive"], "output": "probs",
      "nodes": [
        {"name": "emb", "op": "embedding", "input": "tokens"},
        {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 3, "bidirectional": true},
        {"name": "pool", "op": "attention_pool", "input": "lstm", "score": "tanh"},
        {"name": "probs", "op": "dense", "input": "pool", "activation": "softmax"}
      ]
    })");
}

Tensors base_tensors(const std::string& recurrent_op = "lstm") {
    const int gates = recurrent_op == "gru" ? 9 : 12;
    Tensors t;
    t["emb.weight"] = tensor(random_matrix(6, 4, 1));
    for (const std::string sfx : {"", "_reverse"}) {
        t["lstm.weight_ih_l0" + sfx] = tensor(random_matrix(gates, 4, 2));
        t["lstm.weight_hh_l0" + sfx] = tensor(random_matrix(gates, 3, 3));
    }
    t["pool.context.weight"] = tensor(random_matrix(1, 6, 4));
    t["probs.weight"] = tensor(random_matrix(2, 6, 5));
    return t;
}

// `n` arrays inside each other, as manifest text.
std::string nested_arrays(size_t n) { return std::string(n, '[') + std::string(n, ']'); }

// The same as a json value, built without recursion (nlohmann 3.11 also
// destroys it without recursion).
json nested_array_value(size_t n) {
    json deep = json::array();
    for (size_t k = 0; k < n; ++k) {
        json outer = json::array();
        outer.push_back(std::move(deep));
        deep = std::move(outer);
    }
    return deep;
}

class Hostile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("lstmscope-hostile-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write_text(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
        return (dir_ / name).string();
    }
    // The manifest as given (text, so that it can hold what json cannot
    // build without recursion) next to the base weights.
    std::string write_model_text(const std::string& manifest, const Tensors& tensors = base_tensors()) {
        const auto bytes = lstmscope::testing::make_safetensors(tensors);
        std::ofstream(dir_ / "model.safetensors", std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        return write_text("model.json", manifest);
    }
    std::string write_model(const json& manifest, const Tensors& tensors = base_tensors()) {
        return write_model_text(manifest.dump(), tensors);
    }
    // A file of `size` bytes that takes no room on disk.
    std::string sparse_file(const std::string& name, uintmax_t size, const std::string& head = "") {
        write_text(name, head);
        fs::resize_file(dir_ / name, size);
        return (dir_ / name).string();
    }
    CliResult cli(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null") {
        return run_cli_limited(args, dir_, kLimit, stdin_path);
    }

    // Every rejection's contract, plus a message of reasonable length.
    static void expect_rejected(const CliResult& r, const std::vector<std::string>& must_name) {
        EXPECT_EQ(r.status, 2) << r.err.substr(0, 500);
        EXPECT_TRUE(r.out.empty()) << "stdout: " << r.out.substr(0, 200);
        for (const auto& s : must_name)
            EXPECT_NE(r.err.find(s), std::string::npos) << "'" << s << "' not in: " << r.err.substr(0, 500);
        EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err.substr(0, 500);
        EXPECT_EQ(r.err.find("out of memory"), std::string::npos) << r.err.substr(0, 500);
        EXPECT_LT(r.err.size(), 600u) << r.err.substr(0, 500);
    }

    fs::path dir_;
};

// --- Finding 1: error messages quoted whole values with json::dump(), which
// recurses once per level (a segfault at ~70,000 levels) and prints
// megabytes for a megabyte value.

TEST_F(Hostile, DeeplyNestedFormatValueIsRefused) {
    // The fuzzer's input: a 140 KB manifest whose "format" is 70,000 arrays deep.
    const std::string manifest = R"({"format": )" + nested_arrays(70000) + R"(, "format_version": 1})";
    const std::string model = write_model_text(manifest);
    expect_rejected(cli({"info", model}), {"model.json"});
    expect_rejected(cli({"trace", model, "--text", "good"}), {"model.json"});
}

TEST(HostileMessage, DeepValueIsQuotedAsAShortExcerpt) {
    // The same value reaching the message (a manifest built in code, as the
    // Keras importer does, is not bounded by the parser).
    json doc = base_manifest();
    doc["format"] = nested_array_value(200000);
    const std::string message = error_of([&] { lstmscope::Model::from_manifest(doc, "deep.json", std::nullopt); });
    EXPECT_EQ(message.rfind("deep.json: field 'format': must be \"lstmscope-model\", got [[[", 0), 0u) << message;
    EXPECT_LT(message.size(), 200u) << message;
}

TEST(HostileMessage, DeepNodeFieldIsQuotedAsAShortExcerpt) {
    json spec = {{"name", "lstm"}, {"op", "lstm"}, {"input", "x"}};
    spec["hidden_size"] = nested_array_value(200000);
    lstmscope::testing::NodeHarness h(std::move(spec), {{"x", lstmscope::Shape{lstmscope::Rows::Tokens, 4}}}, {});
    const std::string message = error_of([&] { h.build(); });
    EXPECT_EQ(message.rfind("test.json: node 'lstm': field 'hidden_size': must be an integer, got [[[", 0), 0u)
        << message;
    EXPECT_LT(message.size(), 200u) << message;
}

TEST(HostileMessage, LongAndInvalidValuesAreCutAndValidUtf8) {
    json doc = base_manifest();
    doc["format"] = std::string(1 << 20, 'x');
    std::string message = error_of([&] { lstmscope::Model::from_manifest(doc, "long.json", std::nullopt); });
    EXPECT_EQ(message.rfind("long.json: field 'format': must be \"lstmscope-model\", got \"xxx", 0), 0u) << message;
    EXPECT_NE(message.find("..."), std::string::npos) << message;
    EXPECT_LT(message.size(), 200u);
    // Invalid UTF-8 in a value built in code made dump() throw json's
    // type_error instead of the engine's Error.
    doc["format"] = std::string("\xff\xfe lstm");
    message = error_of([&] { lstmscope::Model::from_manifest(doc, "utf8.json", std::nullopt); });
    EXPECT_EQ(message.rfind("utf8.json: field 'format'", 0), 0u) << message;
    EXPECT_EQ(lstmscope::sanitize_utf8(message), message);
}

TEST_F(Hostile, LongNodeFieldValueIsCutInTheMessage) {
    json m = base_manifest();
    m["nodes"][1]["hidden_size"] = std::string(100000, '7');
    m["nodes"][1]["merge"] = std::string(100000, 'a');
    expect_rejected(cli({"trace", write_model(m), "--text", "good"}), {"model.json", "node 'lstm'", "'hidden_size'"});
    m["nodes"][1]["hidden_size"] = 3;
    expect_rejected(cli({"trace", write_model(m), "--text", "good"}), {"model.json", "node 'lstm'", "'merge'"});
}

// --- Finding 2: copying a deeply nested metadata object recursed once per
// level (~131,000 levels crashed): the manifest's depth is bounded when it
// is parsed.

TEST_F(Hostile, DeeplyNestedMetadataIsRefused) {
    json m = base_manifest();
    m["metadata"] = json::object();
    std::string text = m.dump();
    text.replace(text.find("\"metadata\":{}"), 13, "\"metadata\":{\"a\":" + nested_arrays(131000) + "}");
    expect_rejected(cli({"info", write_model_text(text)}), {"model.json", "256 levels"});
}

TEST_F(Hostile, NestedMetadataWithinTheBoundStillLoads) {
    json m = base_manifest();
    m["metadata"] = json::object();
    std::string text = m.dump();
    text.replace(text.find("\"metadata\":{}"), 13, "\"metadata\":{\"a\":" + nested_arrays(200) + "}");
    const CliResult r = cli({"info", write_model_text(text)});
    EXPECT_EQ(r.status, 0) << r.err;
}

// --- Finding 3: a number JSON cannot hold escaped the manifest reader as
// json's out_of_range and reached the CLI's "internal error", naming no file.

TEST_F(Hostile, NumberTooLargeForJsonNamesTheFile) {
    std::string text = base_manifest().dump();
    text.replace(text.find("\"format_version\":1"), 18, "\"format_version\":1e999");
    expect_rejected(cli({"info", write_model_text(text)}), {"model.json: ", "1e999"});
}

// --- Finding 4: num_layers: 16777216 allocated 2 GiB of empty layers before
// the first missing weight was found.

TEST_F(Hostile, HugeLayerCountStopsAtTheFirstMissingLayer) {
    for (const std::string op : {"lstm", "gru"}) {
        SCOPED_TRACE(op);
        json m = base_manifest();
        m["nodes"][1]["op"] = op;
        m["nodes"][1]["num_layers"] = 16777216;
        expect_rejected(cli({"info", write_model(m, base_tensors(op))}),
                        {"model.json", "node 'lstm'", "'lstm.weight_ih_l1'", "missing"});
    }
}

// --- Finding 5: padding to pad_to (up to 2^20) copied the pad entry once per
// token before the token limit was checked: a 2,000-byte entry took 2 GiB.

TEST_F(Hostile, PaddingBeyondTheTokenLimitIsRefusedBeforePadding) {
    json m = base_manifest();
    m["tokenizer"]["pad_to"] = 1 << 20;
    // The runner refuses before the tokenizer pads: the message names pad_to
    // (the padded count alone would not say why a short text is too long).
    expect_rejected(cli({"trace", write_model(m), "--text", "good food"}), {"--text", "pad_to", "20000"});
}

TEST_F(Hostile, PaddingThatWouldCopyALongPadEntryIsRefusedAtLoad) {
    json m = base_manifest();
    const std::string long_entry(2000, 'p');
    m["tokenizer"]["vocab"][5] = long_entry;
    m["tokenizer"]["pad"] = long_entry;
    m["tokenizer"]["pad_to"] = 1 << 20;
    // Even with the token limit raised past pad_to.
    expect_rejected(cli({"trace", write_model(m), "--text", "good food", "--max-tokens", "2000000"}),
                    {"model.json", "field 'tokenizer.pad'", "16 MiB"});
}

// --- Finding 6: an allocation failure in a BiLSTM/BiGRU direction escaped
// its thread (or destroyed a running std::thread): std::terminate, exit 134,
// instead of the CLI's "out of memory" and exit 2.

TEST_F(Hostile, OutOfMemoryInABidirectionalLayerIsReportedNotAborted) {
    if (kSanitized) GTEST_SKIP() << "needs an address-space limit, which sanitizers cannot run under";
    // 20,000 tokens through 64 units: each direction asks for ~50 MB of
    // gates and scratch, on its own thread (T * H * H far above the
    // threshold), under a limit that leaves less than that for both.
    const int H = 64;
    for (const std::string op : {"lstm", "gru"}) {
        SCOPED_TRACE(op);
        const int gates = (op == "gru" ? 3 : 4) * H;
        json m = base_manifest();
        m["nodes"][1]["op"] = op;
        m["nodes"][1]["hidden_size"] = H;
        m["nodes"][2]["op"] = "pool";
        m["nodes"][2]["mode"] = "mean";
        m["nodes"][2].erase("score");
        Tensors t;
        t["emb.weight"] = tensor(random_matrix(6, 4, 1));
        for (const std::string sfx : {"", "_reverse"}) {
            t["lstm.weight_ih_l0" + sfx] = tensor(random_matrix(gates, 4, 2, 0.1f));
            t["lstm.weight_hh_l0" + sfx] = tensor(random_matrix(gates, H, 3, 0.1f));
        }
        t["probs.weight"] = tensor(random_matrix(2, 2 * H, 5));
        const std::string model = write_model(m, t);
        std::string text;
        for (int k = 0; k < 20000; ++k) text += "good ";
        const std::string text_file = write_text("long.txt", text);
        const CliResult r =
            run_cli_limited({"trace", model, "--text-file", text_file, "--threads", "2"}, dir_, size_t{90} << 20);
        EXPECT_EQ(r.status, 2) << r.err.substr(0, 500);
        EXPECT_NE(r.err.find("out of memory"), std::string::npos) << r.err.substr(0, 500);
        EXPECT_TRUE(r.out.empty());
    }
}

// --- Finding 7: the manifest and --text-file were read whole, whatever they
// were (`info /dev/zero` grew until memory ran out).

TEST_F(Hostile, ManifestThatIsNotARegularFileIsRefused) {
    expect_rejected(cli({"info", "/dev/zero"}), {"/dev/zero", "not a regular file"});
    expect_rejected(cli({"info", dir_.string()}), {dir_.string(), "not a regular file"});
}

TEST_F(Hostile, ManifestOverTheSizeCapIsRefused) {
    const std::string big = sparse_file("big.json", (uintmax_t{256} << 20) + 1, "{\"format\": ");
    expect_rejected(cli({"info", big}), {"big.json", "256 MiB"});
}

TEST_F(Hostile, TextFileThatIsNotARegularFileIsRefused) {
    const std::string model = write_model(base_manifest());
    expect_rejected(cli({"trace", model, "--text-file", "/dev/zero"}), {"/dev/zero", "not a regular file"});
}

TEST_F(Hostile, TextOverTheSizeCapIsRefused) {
    const std::string model = write_model(base_manifest());
    const std::string big = sparse_file("big.txt", (uintmax_t{64} << 20) + 1, "good food ");
    expect_rejected(cli({"trace", model, "--text-file", big}), {"big.txt", "64 MiB"});
    // Standard input is read up to the cap, not to its end.
    expect_rejected(cli({"trace", model, "--text-file", "-"}, "/dev/zero"), {"standard input", "64 MiB"});
}

// The token limit alone does not bound memory: 64 heads on the bundled
// seed A weights record 64 x T x T weights, 2.3 GB at 3,000 tokens (102 GB
// at the 20,000-token limit). Refused at the node before it allocates,
// with the budget named, not "out of memory" (or worse) under the limit.
TEST_F(Hostile, AttentionOverTheMemoryBudgetIsRefusedAtItsNode) {
    const fs::path models = LSTMSCOPE_MODELS_DIR;
    std::ifstream in(models / "seed_a_sms_spam.json");
    json m = json::parse(in);
    m["weights"] = (models / "seed_a_sms_spam.safetensors").string();
    for (auto& node : m["nodes"])
        if (node["name"] == "mha") node["num_heads"] = 64;
    const std::string model = write_text("heads64.json", m.dump());
    std::string text;
    for (int k = 0; k < 1000; ++k) text += "free call now ";
    const std::string file = write_text("long.txt", text);
    expect_rejected(cli({"trace", model, "--text-file", file, "--memory-budget", "256"}),
                    {"long.txt", "node 'mha'", "memory budget of 0.2 GiB"});
    // The default budget (4 GiB) stops the stock 8-head model at 20,000 tokens.
    std::string longer;
    for (int k = 0; k < 6600; ++k) longer += "free call now ";  // 19,800 tokens
    for (auto& node : m["nodes"])
        if (node["name"] == "mha") node["num_heads"] = 8;
    const std::string stock = write_text("heads8.json", m.dump());
    expect_rejected(cli({"trace", stock, "--text-file", write_text("longer.txt", longer)}),
                    {"longer.txt", "node 'mha'", "4.0 GiB"});
    // Fewer rows recorded fit: the same text with one row per head.
    const CliResult ok = cli({"trace", model, "--text-file", file, "--memory-budget", "256", "--attention-rows", "0:1"});
    EXPECT_EQ(ok.status, 0) << ok.err.substr(0, 500);
}

// --- Found by tests/fuzz (keras_file; reproducers/keras_file/hdf5-global-
// heap-object-of-0-bytes-loops.h5): libhdf5 1.10 walks a global heap (where
// vlen strings such as model_config live) by its objects' declared sizes and
// loops forever on an object 0 that declares 0 bytes.

TEST(HostileHdf5, GlobalHeapObjectOfZeroBytesIsRefusedNotLoopedOn) {
    std::ifstream in(std::string(LSTMSCOPE_TEST_DATA) + "/keras/encodings.h5", std::ios::binary);
    std::vector<unsigned char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const std::string magic = "GCOL";
    const auto heap = std::search(bytes.begin(), bytes.end(), magic.begin(), magic.end());
    ASSERT_NE(heap, bytes.end());
    const auto le = [&](size_t at, int width) {
        uint64_t v = 0;
        for (int k = width - 1; k >= 0; --k) v = (v << 8) | bytes.at(at + static_cast<size_t>(k));
        return v;
    };
    // Past the 16-byte header, objects of 16-byte headers and 8-aligned
    // data up to object 0, the free space: it now declares 0 bytes.
    size_t pos = static_cast<size_t>(heap - bytes.begin()) + 16;
    while (le(pos, 2) != 0) pos += 16 + ((le(pos + 8, 8) + 7) & ~uint64_t{7});
    std::fill_n(bytes.begin() + static_cast<std::ptrdiff_t>(pos + 8), 8, 0);
    // Unfixed, the read never returns: a child gets 20 seconds.
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::alarm(20);
        const std::string message = error_of([&] {
            const auto f = lstmscope::keras::Hdf5File::from_memory(bytes, "heap.h5");
            f.string_attribute("/", "model_config");
        });
        ::_exit(message.rfind("heap.h5: the HDF5 global heap at byte 2048 is damaged", 0) == 0 ? 0 : 3);
    }
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0)
        << (WIFSIGNALED(raw) ? "killed by signal " + std::to_string(WTERMSIG(raw)) : "wrong or no error");
}

}  // namespace
