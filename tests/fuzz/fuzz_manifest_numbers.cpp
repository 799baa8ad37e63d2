// Target 3, structure-aware: a valid golden model (manifest and weights)
// with its numbers replaced. The input is read as instructions: byte 0
// picks the model; then every 3 bytes pick a slot (a number of the
// manifest, a numeric field a node or the tokenizer may have but does not,
// a number of the safetensors header, the header's length, the run's token
// limit) and a value from a table of edge values (zero, negative, 2^31-1,
// 2^63-1, 1e308, ...). Byte-level fuzzing rarely produces such values in
// the right places; this target does on every input.
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model.h"
#include "engine/runner.h"
#include "fuzz_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace lstmscope;

namespace {

struct Base {
    json manifest;
    json header;                     // the safetensors header, parsed
    std::vector<unsigned char> data; // the tensor bytes after the header
};

// Slots: a JSON pointer into the manifest or the header (the document says
// which), or the header length / token limit.
enum class Doc { Manifest, Header, HeaderLength, MaxTokens };
struct Slot {
    Doc doc;
    json::json_pointer at;
};

const json kValues = json::array({0, -1, 1, 2, 3, 7, 64, 255, 256, 65535, 65536, 1 << 20, 1 << 24,
                                  std::numeric_limits<int32_t>::max(), int64_t{1} << 31,
                                  std::numeric_limits<int32_t>::min(), int64_t{1} << 32, int64_t{1} << 53,
                                  std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                                  std::numeric_limits<uint64_t>::max(), 1e308, -1e308, 0.5, -0.5, 1e-308,
                                  3.0, -0.0});

// Numeric fields the format knows (models/FORMAT.md), set even where the
// base model leaves them to their defaults.
const char* const kNodeFields[] = {"hidden_size", "num_layers", "num_heads", "head_dim", "eps", "scale"};

void collect_numbers(const json& value, const json::json_pointer& at, Doc doc, std::vector<Slot>& out) {
    if (value.is_number()) out.push_back({doc, at});
    else if (value.is_object())
        for (const auto& [key, v] : value.items()) collect_numbers(v, at / key, doc, out);
    else if (value.is_array())
        for (size_t k = 0; k < value.size(); ++k) collect_numbers(value[k], at / k, doc, out);
}

std::vector<Slot> slots_of(const Base& base) {
    std::vector<Slot> slots{{Doc::HeaderLength, json::json_pointer()}, {Doc::MaxTokens, json::json_pointer()}};
    collect_numbers(base.manifest, json::json_pointer(), Doc::Manifest, slots);
    collect_numbers(base.header, json::json_pointer(), Doc::Header, slots);
    slots.push_back({Doc::Manifest, json::json_pointer("/tokenizer/pad_to")});
    for (size_t k = 0; k < base.manifest["nodes"].size(); ++k)
        for (const char* field : kNodeFields)
            slots.push_back({Doc::Manifest, json::json_pointer("/nodes/" + std::to_string(k) + "/" + field)});
    return slots;
}

Base read_base(const std::string& stem) {
    Base base;
    base.manifest = json::parse(fuzz::read_whole(fuzz::source_path("tests/data/golden/" + stem + ".json")));
    const std::string bytes = fuzz::read_whole(fuzz::source_path("tests/data/golden/" + stem + ".safetensors"));
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);  // little-endian machine
    base.header = json::parse(bytes.substr(8, n));
    base.data.assign(bytes.begin() + 8 + static_cast<std::ptrdiff_t>(n), bytes.end());
    return base;
}

struct Bases {
    std::vector<Base> models;
    std::vector<std::vector<Slot>> slots;
};

const Bases& bases() {
    static const Bases all = [] {
        Bases b;
        // One of each kind of node and tokenizer, padding included.
        for (const char* stem : {"seed_a", "seed_b", "gru_2layer_bi", "lstm_3layer", "mha_separate_head_dim_causal",
                                 "mha_kdim", "layer_norm_add_concat", "pools", "pool_tanh_proj", "dense_activations",
                                 "pad_pre", "pad_post", "tok_char_chinese", "tok_keras", "tok_whitespace",
                                 "attn_additive_kv", "lstm_return_last_bi", "dtype_f16", "unk_drop"}) {
            b.models.push_back(read_base(stem));
            b.slots.push_back(slots_of(b.models.back()));
        }
        return b;
    }();
    return all;
}

std::vector<unsigned char> safetensors_bytes(const json& header, const std::vector<unsigned char>& data,
                                             const json* length) {
    const std::string text = header.dump();
    uint64_t n = text.size();
    if (length) n = length->is_number_unsigned() ? length->get<uint64_t>()
                    : length->is_number_integer() ? static_cast<uint64_t>(length->get<int64_t>())
                                                  : static_cast<uint64_t>(length->get<double>() >= 0 ? 1 : 0);
    std::vector<unsigned char> out(8);
    for (int k = 0; k < 8; ++k) out[static_cast<size_t>(k)] = static_cast<unsigned char>(n >> (8 * k));
    out.insert(out.end(), text.begin(), text.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const Bases& all = bases();
    const size_t which = data[0] % all.models.size();
    const Base& base = all.models[which];
    const std::vector<Slot>& slots = all.slots[which];

    json manifest = base.manifest, header = base.header;
    const json* length = nullptr;
    RunOptions options = fuzz::short_run();
    for (size_t k = 1; k + 3 <= size; k += 3) {
        const Slot& slot = slots[(size_t{data[k]} << 8 | data[k + 1]) % slots.size()];
        const json& value = kValues[data[k + 2] % kValues.size()];
        switch (slot.doc) {
            case Doc::Manifest: manifest[slot.at] = value; break;
            case Doc::Header: header[slot.at] = value; break;
            case Doc::HeaderLength: length = &value; break;
            case Doc::MaxTokens:
                // The caller's limit, kept within what a short run affords.
                if (value.is_number_integer() && value.get<int64_t>() <= 2048)
                    options.max_tokens = static_cast<int>(value.get<int64_t>());
                break;
        }
    }
    fuzz::tolerate([&] {
        WeightStore weights = WeightStore::parse(safetensors_bytes(header, base.data, length), "fuzz.safetensors");
        const Model model = Model::from_manifest(manifest, "fuzz.json", std::move(weights));
        fuzz::tolerate([&] { run(model, "the food was good but the service was slow .", options); });
    });
    return 0;
}
