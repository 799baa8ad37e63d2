// Keras 3 .keras zips read with libzip, and the model.weights.h5 inside
// opened from memory: entries found, limits enforced, and truncated, foreign
// or tampered archives refused with the file and entry named
// (tools/make_hdf5_fixtures.py writes the fixtures).
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "engine/error.h"
#include "engine/keras/hdf5_file.h"
#include "engine/keras/keras_archive.h"
#include "engine/keras/keras_config.h"
#include "error_of.h"

namespace lstmscope::keras {
namespace {

const std::string kData = std::string(LSTMSCOPE_TEST_DATA) + "/keras";
const std::string kZip = kData + "/keras3_functional.keras";

using lstmscope::testing::error_of;

std::vector<unsigned char> bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A copy of `bytes` in the temp directory, removed when the test ends.
class TempFile {
public:
    TempFile(const std::string& name, const std::vector<unsigned char>& bytes)
        : path_((std::filesystem::temp_directory_path() / ("lstmscope-" + name)).string()) {
        std::ofstream(path_, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                     static_cast<std::streamsize>(bytes.size()));
    }
    ~TempFile() { std::filesystem::remove(path_); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// The offset of the central directory record of `entry` ("PK\1\2").
size_t central_record(const std::vector<unsigned char>& zip, const std::string& entry) {
    for (size_t at = 0; at + 46 + entry.size() <= zip.size(); ++at)
        if (std::memcmp(&zip[at], "PK\x01\x02", 4) == 0 && std::memcmp(&zip[at + 46], entry.data(), entry.size()) == 0)
            return at;
    ADD_FAILURE() << "no central directory record for " << entry;
    return 0;
}

TEST(KerasArchive, ReadsConfigMetadataAndWeights) {
    const KerasArchive a = read_keras_archive(kZip);
    const ModelConfig m = parse_model_config(a.config_json, kZip);
    EXPECT_EQ(m.class_name, "Functional");
    ASSERT_EQ(m.layers.size(), 4u);
    EXPECT_EQ(m.find("bilstm")->calls[0], (std::vector<TensorRef>{{"embedding", 0, 0}}));
    EXPECT_NE(a.metadata_json.find("\"keras_version\": \"3.12.2\""), std::string::npos);
    ASSERT_EQ(a.weights_h5.size(), 23360u);
    EXPECT_EQ(std::memcmp(a.weights_h5.data(), "\x89HDF\r\n\x1a\n", 8), 0);
    EXPECT_TRUE(looks_like_zip(kZip));
    EXPECT_FALSE(looks_like_zip(kData + "/encodings.h5"));
    EXPECT_FALSE(looks_like_zip(kData + "/missing.keras"));
}

TEST(Hdf5FromMemory, OpensTheWeightsInsideTheZipInPlace) {
    const std::string name = kZip + "!model.weights.h5";
    Hdf5File f = Hdf5File::from_memory(read_keras_archive(kZip).weights_h5, name);
    EXPECT_EQ(f.path(), name);
    // Two images open at once stay two files, and a moved file still reads.
    const Hdf5File g = Hdf5File::from_memory(read_keras_archive(kZip).weights_h5, "second");
    const Hdf5File moved = std::move(f);
    const Hdf5Array e = moved.read_array("/layers/embedding/vars/0");
    EXPECT_EQ(e.shape, (std::vector<int64_t>{7, 3}));
    EXPECT_EQ(e.values[4], 4.0f);
    EXPECT_EQ(g.read_array("/layers/dense/vars/1").values, (std::vector<float>{800, 801}));
    EXPECT_EQ(moved.members("/layers"),
              (std::vector<std::string>{"bidirectional", "dense", "embedding", "input_layer"}));
    EXPECT_EQ(error_of([&] { moved.read_array("/layers/nope"); }),
              name + ": dataset '/layers/nope': does not exist");
}

TEST(Hdf5FromMemory, RefusesDamagedImagesByName) {
    std::vector<unsigned char> image = read_keras_archive(kZip).weights_h5;
    image.resize(image.size() / 2);
    EXPECT_EQ(error_of([&] { Hdf5File::from_memory(image, "half.h5"); }),
              "half.h5: the HDF5 file cannot be opened (damaged or truncated)");
    EXPECT_EQ(error_of([] { Hdf5File::from_memory({}, "empty.h5"); }),
              "empty.h5: is not an HDF5 file (no HDF5 signature; damaged or truncated?)");
    EXPECT_EQ(error_of([] { Hdf5File::from_memory(bytes_of(kZip), "zip.h5"); }),
              "zip.h5: is not an HDF5 file (no HDF5 signature; damaged or truncated?)");
}

TEST(KerasArchive, RefusesMissingEntriesAndForeignFilesByName) {
    const std::string no_weights = kData + "/keras3_no_weights.keras";
    EXPECT_EQ(error_of([&] { read_keras_archive(no_weights); }),
              no_weights + ": the .keras archive has no 'model.weights.h5' (the model's weights)");
    const std::string no_config = kData + "/keras3_no_config.keras";
    EXPECT_EQ(error_of([&] { read_keras_archive(no_config); }),
              no_config + ": the .keras archive has no 'config.json' (the model's architecture); "
                          "is it a Keras 3 model.save() file?");
    const std::string truncated = kData + "/keras3_truncated.keras";
    EXPECT_TRUE(looks_like_zip(truncated));
    EXPECT_EQ(error_of([&] { read_keras_archive(truncated); }),
              truncated + ": is not a readable zip archive, so not a .keras file (libzip: Not a zip archive); "
                          "a truncated download looks like this too");
    const std::string h5 = kData + "/encodings.h5";
    EXPECT_NE(error_of([&] { read_keras_archive(h5); }).find(h5 + ": is not a readable zip archive"), std::string::npos);
    EXPECT_EQ(error_of([] { read_keras_archive(kData + "/missing.keras"); }), kData + "/missing.keras: no such file");
}

TEST(KerasArchive, EnforcesSizeLimits) {
    EXPECT_EQ(error_of([] { read_keras_archive(kZip, {.max_json_bytes = 100}); }),
              kZip + ": 'config.json' is 2454 bytes uncompressed, more than the 100 allowed");
    EXPECT_EQ(error_of([] { read_keras_archive(kZip, {.max_weights_bytes = 1000}); }),
              kZip + ": 'model.weights.h5' is 23360 bytes uncompressed, more than the 1000 allowed");
}

TEST(KerasArchive, RefusesEntriesThatLieAboutTheirSizeOrAreDamaged) {
    // The directory says config.json is 2000 bytes; 2454 come out.
    std::vector<unsigned char> zip = bytes_of(kZip);
    const size_t record = central_record(zip, "config.json");
    const uint32_t stated = 2000;
    std::memcpy(&zip[record + 24], &stated, 4);  // uncompressed size, little-endian
    const TempFile lying("lying.keras", zip);
    EXPECT_NE(error_of([&] { read_keras_archive(lying.path()); }).find(lying.path() + ": 'config.json' "),
              std::string::npos);

    // A byte of model.weights.h5's compressed data flipped: zlib or the CRC catches it.
    zip = bytes_of(kZip);
    const size_t weights = central_record(zip, "model.weights.h5");
    uint32_t local = 0;
    std::memcpy(&local, &zip[weights + 42], 4);
    zip[local + 30 + std::strlen("model.weights.h5") + 200] ^= 0x55;
    const TempFile damaged("damaged.keras", zip);
    const std::string message = error_of([&] { read_keras_archive(damaged.path()); });
    EXPECT_NE(message.find(damaged.path() + ": 'model.weights.h5' "), std::string::npos) << message;
    EXPECT_NE(message.find("libzip: "), std::string::npos) << message;
}

}  // namespace
}  // namespace lstmscope::keras
