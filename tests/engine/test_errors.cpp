// Errors carry their parts (file, node, field or tensor, kind, and for the
// text errors a code with its numbers), and the message is made of them:
// callers read the parts, never parse the message.
#include <gtest/gtest.h>

#include "engine/error.h"
#include "engine/model.h"
#include "engine/runner.h"
#include "test_support.h"

namespace lstmscope {
namespace {

using testing::NodeHarness;

template <class F>
Error caught(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "no error thrown";
    return Error("(no error)");
}

TEST(Errors, MessageIsComposedFromTheParts) {
    ErrorParts p;
    p.file = "m.json";
    p.node = "attn";
    p.field = "heads";
    EXPECT_STREQ(Error(p, "must be positive").what(), "m.json: node 'attn': field 'heads': must be positive");
    p.field.clear();
    p.tensor = "attn.weight";
    EXPECT_STREQ(Error(p, "missing").what(), "m.json: node 'attn': tensor 'attn.weight': missing");
    EXPECT_STREQ(Error(ErrorKind::weights, "w.safetensors", "too short").what(), "w.safetensors: too short");
    // A text error before its source is known, and after.
    ErrorParts t;
    t.kind = ErrorKind::text;
    const Error e(t, "the text has no tokens");
    EXPECT_STREQ(e.what(), "text: the text has no tokens");
    const Error named = e.in_file("review.txt");
    EXPECT_STREQ(named.what(), "review.txt: the text has no tokens");
    EXPECT_EQ(named.kind(), ErrorKind::text);
    EXPECT_EQ(named.detail(), "the text has no tokens");
}

TEST(Errors, HostileNamesAreQuotedShortInTheMessageButKeptWholeInTheParts) {
    ErrorParts p;
    p.file = "m.json";
    p.node = std::string(100000, 'n');
    const Error e(p, "bad");
    EXPECT_LT(std::string(e.what()).size(), 400u);
    EXPECT_EQ(e.parts().node.size(), 100000u);
}

TEST(Errors, NodeFieldErrorsNameFileNodeAndField) {
    NodeHarness h({{"name", "pool"}, {"op", "pool"}, {"input", "x"}, {"mode", "median"}},
                  {{"x", Shape{Rows::Tokens, 4}}}, {});
    const Error e = caught([&] { h.build(); });
    EXPECT_EQ(e.kind(), ErrorKind::model);
    EXPECT_EQ(e.parts().file, "test.json");
    EXPECT_EQ(e.parts().node, "pool");
    EXPECT_EQ(e.parts().field, "mode");
    EXPECT_TRUE(e.parts().tensor.empty());
    EXPECT_EQ(std::string(e.what()).rfind("test.json: node 'pool': field 'mode': ", 0), 0u) << e.what();
}

TEST(Errors, MissingWeightsNameTheTensor) {
    // (No stray field: an unknown field is reported before the weights.)
    NodeHarness h({{"name", "out"}, {"op", "dense"}, {"input", "x"}}, {{"x", Shape{Rows::One, 4}}}, {});
    const Error e = caught([&] { h.build(); });
    EXPECT_EQ(e.kind(), ErrorKind::weights);
    EXPECT_EQ(e.parts().node, "out");
    EXPECT_EQ(e.parts().tensor, "out.weight");
    EXPECT_NE(std::string(e.what()).find("tensor 'out.weight': "), std::string::npos) << e.what();
}

TEST(Errors, SafetensorsProblemsNameTheTensor) {
    auto bytes = testing::make_safetensors({{"w", testing::TensorData{{2}, {1.0f, 2.0f}}}});
    // Make the second value a NaN: its four bytes are the file's last.
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(bytes.data() + bytes.size() - 4, &nan, 4);
    const Error e = caught([&] { WeightStore::parse(bytes, "w.safetensors"); });
    EXPECT_EQ(e.kind(), ErrorKind::weights);
    EXPECT_EQ(e.parts().file, "w.safetensors");
    EXPECT_EQ(e.parts().tensor, "w");
    const Error truncated = caught([&] { WeightStore::parse({1, 2, 3}, "w.safetensors"); });
    EXPECT_EQ(truncated.parts().file, "w.safetensors");
    EXPECT_TRUE(truncated.parts().tensor.empty());
}

TEST(Errors, ManifestProblemsNameTheFieldOrNode) {
    const std::string file = std::string(LSTMSCOPE_MODELS_DIR) + "/sentiment_en_lstm_last.json";
    const Model good = Model::load(file);
    nlohmann::json doc = nlohmann::json::parse(R"({"format": "lstmscope-model", "format_version": 2})");
    const Error version = caught([&] { Model::from_manifest(doc, "m.json", std::nullopt); });
    EXPECT_EQ(version.parts().file, "m.json");
    EXPECT_EQ(version.parts().field, "format_version");
    EXPECT_TRUE(version.parts().node.empty());
    const Error missing = caught([] { Model::load("/nonexistent/m.json"); });
    EXPECT_EQ(missing.parts().file, "/nonexistent/m.json");
    EXPECT_EQ(missing.kind(), ErrorKind::model);
    (void)good;
}

TEST(Errors, TextErrorsCarryTheirCodeAndNumbers) {
    const Model model = Model::load(std::string(LSTMSCOPE_MODELS_DIR) + "/sentiment_en_lstm_last.json");
    const Error empty = caught([&] { run(model, "   "); });
    EXPECT_EQ(empty.kind(), ErrorKind::text);
    EXPECT_EQ(empty.parts().code, ErrorCode::empty_text);
    EXPECT_TRUE(empty.parts().file.empty());
    EXPECT_EQ(std::string(empty.what()).rfind("text: ", 0), 0u) << empty.what();

    RunOptions small;
    small.max_tokens = 3;
    const Error many = caught([&] { run(model, "the food was very good", small); });
    EXPECT_EQ(many.parts().code, ErrorCode::too_many_tokens);
    EXPECT_EQ(many.parts().count, 5);
    EXPECT_EQ(many.parts().limit, 3);
}

TEST(Errors, RunErrorsAtANodeNameIt) {
    // feature_attention holds weights for a fixed number of positions; a
    // text of another length fails at run time, at this node.
    const Matrix w = testing::random_matrix(3, 3, 1);
    NodeHarness h({{"name", "fa"}, {"op", "feature_attention"}, {"input", "x"}}, {{"x", Shape{Rows::Tokens, 2}}},
                  {{"fa.weight", testing::tensor(w)}});
    const BuiltOp op = h.build();
    const Matrix x = testing::random_matrix(4, 2, 2);
    const Error e = caught([&] { testing::run_op(*op.op, {&x}); });
    EXPECT_EQ(e.parts().file, "test.json");
    EXPECT_EQ(e.parts().node, "fa");
    EXPECT_NE(std::string(e.what()).find("exactly 3 positions but the text has 4 tokens"), std::string::npos)
        << e.what();
}

}  // namespace
}  // namespace lstmscope
