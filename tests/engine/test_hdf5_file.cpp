// The HDF5 reader under the Keras importer: every string encoding Keras 2
// and 3 wrote, numeric datasets converted to float, and damaged or foreign
// files refused with the file's name (tools/make_hdf5_fixtures.py).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/error.h"
#include "error_of.h"
#include "engine/keras/hdf5_file.h"

namespace lstmscope::keras {
namespace {

const std::string kData = std::string(LSTMSCOPE_TEST_DATA) + "/keras";

using lstmscope::testing::error_of;

TEST(Hdf5File, ReadsKerasStringAttributesInEveryEncoding) {
    const Hdf5File f(kData + "/encodings.h5");
    EXPECT_EQ(*f.string_attribute("/", "model_config"), "{\"class_name\": \"Functional\", \"config\": {\"name\": \"mé\"}}");
    EXPECT_EQ(*f.string_attribute("/", "keras_version"), "3.12.2");
    EXPECT_FALSE(f.string_attribute("/", "training_config"));
    EXPECT_EQ(f.string_list_attribute("/", "layer_names"), (std::vector<std::string>{"embedding", "bidirectional", "dense"}));
    EXPECT_EQ(f.string_list_attribute("/", "weight_names"), (std::vector<std::string>{"a:0", "b:0", "c:0"}));
    EXPECT_EQ(f.string_list_attribute("/model_weights/dense", "weight_names"),
              (std::vector<std::string>{"dense/kernel:0", "dense/bias:0"}));
    EXPECT_TRUE(f.string_list_attribute("/", "nothing").empty());
    EXPECT_NE(error_of([&] { f.string_attribute("/", "layer_names"); }).find("holds 3 strings, expected one"),
              std::string::npos);
}

TEST(Hdf5File, ListsGroupsAndReadsNumbersAsFloat) {
    const Hdf5File f(kData + "/encodings.h5");
    EXPECT_EQ(f.members("/model_weights/dense/dense"),
              (std::vector<std::string>{"bias:0", "half", "ints", "kernel:0"}));
    EXPECT_TRUE(f.is_group("/model_weights/dense"));
    EXPECT_TRUE(f.is_dataset("/model_weights/dense/dense/kernel:0"));
    EXPECT_FALSE(f.exists("/model_weights/nope/deeper"));
    const Hdf5Array k = f.read_array("/model_weights/dense/dense/kernel:0");
    EXPECT_EQ(k.shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(k.values, (std::vector<float>{0, 0.25f, 0.5f, 0.75f, 1.0f, 1.25f}));
    EXPECT_EQ(f.read_array("/model_weights/dense/dense/bias:0").values, (std::vector<float>{0.5f, -1.5f, 2.25f}));
    EXPECT_EQ(f.read_array("/model_weights/dense/dense/half").values, (std::vector<float>{1.5f, -0.25f}));
    EXPECT_EQ(f.read_array("/model_weights/dense/dense/ints").values, (std::vector<float>{1, -2, 3, 4}));
    const Hdf5Array s = f.read_array("/scalar");
    EXPECT_TRUE(s.shape.empty());
    EXPECT_EQ(s.values, (std::vector<float>{7.0f}));
    EXPECT_NE(error_of([&] { f.read_array("/model_weights/dense/dense/kernel:0", 5); }).find("more than 5 values"),
              std::string::npos);
    EXPECT_NE(error_of([&] { f.read_array("/model_weights/x"); }).find("dataset '/model_weights/x': does not exist"),
              std::string::npos);
    EXPECT_NE(error_of([&] { f.members("/scalar"); }).find("there is no group '/scalar'"), std::string::npos);
}

TEST(Hdf5File, RefusesDamagedAndForeignFilesByName) {
    EXPECT_NE(error_of([] { Hdf5File f(kData + "/truncated.h5"); }).find("truncated.h5: "), std::string::npos);
    EXPECT_EQ(error_of([] { Hdf5File f(kData + "/missing.h5"); }), kData + "/missing.h5: no such file");
    const std::string zip = (std::filesystem::temp_directory_path() / "lstmscope-not-hdf5.keras").string();
    std::ofstream(zip) << "PK\x03\x04 not an HDF5 file";
    EXPECT_NE(error_of([&] { Hdf5File f(zip); }).find("is not an HDF5 file"), std::string::npos);
    std::filesystem::remove(zip);
}

}  // namespace
}  // namespace lstmscope::keras
