// Small models written on the fly for the GUI tests (a manifest and its
// safetensors in a temporary folder), for shapes the golden models lack:
// an attention whose query is one row, a pool over a tokenizer that keeps
// white space. Random weights, fixed seed: the tests check what the views
// show against the trace, never against fixed numbers.
#pragma once

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/safetensors_writer.h"

namespace tinymodel {

class Writer {
public:
    explicit Writer(unsigned seed = 11) : rng_(seed) {}

    // A tensor of normal(0, scale) values.
    void random(const std::string& name, std::vector<int64_t> shape, float scale = 0.8f) {
        size_t n = 1;
        for (int64_t s : shape) n *= static_cast<size_t>(s);
        std::normal_distribution<float> normal(0.0f, scale);
        lstmscope::StoredTensor t;
        t.shape = std::move(shape);
        t.data.resize(n);
        for (float& v : t.data) v = normal(rng_);
        tensors_[name] = std::move(t);
    }

    // Writes NAME.json and NAME.safetensors into `dir`; returns the manifest's path.
    QString write(const QString& dir, const QString& name, const QJsonObject& tokenizer, const QJsonArray& nodes,
                  const QString& output) {
        lstmscope::write_safetensors((dir + "/" + name + ".safetensors").toStdString(), tensors_);
        const QJsonObject manifest{{"format", "lstmscope-model"},
                                   {"format_version", 1},
                                   {"name", name},
                                   {"weights", name + ".safetensors"},
                                   {"tokenizer", tokenizer},
                                   {"task", "regression"},
                                   {"output", output},
                                   {"nodes", nodes}};
        QFile file(dir + "/" + name + ".json");
        if (!file.open(QIODevice::WriteOnly)) return {};
        file.write(QJsonDocument(manifest).toJson());
        return file.fileName();
    }

private:
    std::mt19937 rng_;
    std::map<std::string, lstmscope::StoredTensor> tensors_;
};

inline QJsonArray wordVocab() {
    return QJsonArray{"<pad>", "<unk>", "the", "movie", "was", "good", "but", "plot", "boring", "and", "long"};
}

inline QJsonObject wordTokenizer() {
    return QJsonObject{{"type", "word"}, {"vocab", wordVocab()}, {"unk", "<unk>"}};
}

// embedding -> lstm (sequence) -> pool last (1 x H) as the query of an
// attention (`multihead`: a multihead_attention of two heads) over the LSTM's
// states: one query row, T keys.
inline QString oneQueryModel(const QString& dir, bool multihead) {
    const int v = static_cast<int>(wordVocab().size()), d = 6, h = 8;
    Writer w;
    w.random("emb.weight", {v, d});
    w.random("lstm.weight_ih_l0", {4 * h, d});
    w.random("lstm.weight_hh_l0", {4 * h, h});
    w.random("lstm.bias_ih_l0", {4 * h});
    QJsonObject attention{{"name", "attn"}, {"query", "last"}, {"key", "lstm"}};
    if (multihead) {
        attention["op"] = "multihead_attention";
        attention["num_heads"] = 2;
        w.random("attn.in_proj_weight", {3 * h, h}, 1.5f);
        w.random("attn.in_proj_bias", {3 * h});
        w.random("attn.out_proj.weight", {h, h});
        w.random("attn.out_proj.bias", {h});
    } else {
        attention["op"] = "attention";
        attention["score"] = "general";
        w.random("attn.weight", {h, h}, 2.0f);
    }
    const QJsonArray nodes{
        QJsonObject{{"name", "emb"}, {"op", "embedding"}, {"input", "tokens"}},
        QJsonObject{{"name", "lstm"}, {"op", "lstm"}, {"input", "emb"}, {"hidden_size", h}},
        QJsonObject{{"name", "last"}, {"op", "pool"}, {"input", "lstm"}, {"mode", "last"}},
        attention,
    };
    return w.write(dir, multihead ? "one_query_mha" : "one_query_attn", wordTokenizer(), nodes, "attn");
}

// embedding -> lstm of `hidden` units -> pool last: a model whose run is
// slow on purpose (W_hh of 4 hidden x hidden floats is read once per token:
// 16 MB at hidden = 1024, about 1 ms a token here), for tests of what the
// window does while a run lasts.
inline QString slowLstmModel(const QString& dir, int hidden) {
    const int v = static_cast<int>(wordVocab().size()), d = 8;
    Writer w(31);
    w.random("emb.weight", {v, d});
    w.random("lstm.weight_ih_l0", {4 * hidden, d}, 0.3f);
    w.random("lstm.weight_hh_l0", {4 * hidden, hidden}, 0.02f);
    const QJsonArray nodes{
        QJsonObject{{"name", "emb"}, {"op", "embedding"}, {"input", "tokens"}},
        QJsonObject{{"name", "lstm"}, {"op", "lstm"}, {"input", "emb"}, {"hidden_size", hidden}},
        QJsonObject{{"name", "last"}, {"op", "pool"}, {"input", "lstm"}, {"mode", "last"}},
    };
    return w.write(dir, QStringLiteral("slow_lstm_%1").arg(hidden), wordTokenizer(), nodes, "last");
}

// embedding -> lstm -> attention_pool with `hops` hops (Lin et al. 2017:
// A = softmax(W_s2 tanh(W_s1 H^T)), r rows) -> flatten: an r x T attention.
inline QString multiHopModel(const QString& dir, int hops) {
    const int v = static_cast<int>(wordVocab().size()), d = 6, h = 8, a = 5;
    Writer w(23);
    w.random("emb.weight", {v, d});
    w.random("lstm.weight_ih_l0", {4 * h, d});
    w.random("lstm.weight_hh_l0", {4 * h, h});
    w.random("lstm.bias_ih_l0", {4 * h});
    w.random("pool.proj.weight", {a, h}, 1.5f);
    w.random("pool.context.weight", {hops, a}, 2.0f);
    const QJsonArray nodes{
        QJsonObject{{"name", "emb"}, {"op", "embedding"}, {"input", "tokens"}},
        QJsonObject{{"name", "lstm"}, {"op", "lstm"}, {"input", "emb"}, {"hidden_size", h}},
        QJsonObject{{"name", "pool"}, {"op", "attention_pool"}, {"input", "lstm"}, {"hops", hops}},
        QJsonObject{{"name", "flat"}, {"op", "flatten"}, {"input", "pool"}},
    };
    return w.write(dir, QStringLiteral("multi_hop_%1").arg(hops), wordTokenizer(), nodes, "flat");
}

// A learned query of `rows` rows (a parameter) attending over the LSTM's
// states: rows x T weights whose rows are not tokens, whatever T is.
inline QString learnedQueryModel(const QString& dir, int rows) {
    const int v = static_cast<int>(wordVocab().size()), d = 6, h = 8;
    Writer w(31);
    w.random("emb.weight", {v, d});
    w.random("lstm.weight_ih_l0", {4 * h, d});
    w.random("lstm.weight_hh_l0", {4 * h, h});
    w.random("lstm.bias_ih_l0", {4 * h});
    w.random("q.weight", {rows, h}, 2.0f);
    const QJsonArray nodes{
        QJsonObject{{"name", "emb"}, {"op", "embedding"}, {"input", "tokens"}},
        QJsonObject{{"name", "lstm"}, {"op", "lstm"}, {"input", "emb"}, {"hidden_size", h}},
        QJsonObject{{"name", "q"}, {"op", "parameter"}},
        QJsonObject{{"name", "attn"}, {"op", "attention"}, {"query", "q"}, {"key", "lstm"}, {"score", "dot"}},
        QJsonObject{{"name", "flat"}, {"op", "flatten"}, {"input", "attn"}},
    };
    return w.write(dir, QStringLiteral("learned_query_%1").arg(rows), wordTokenizer(), nodes, "flat");
}

// keras_char (every code point a token, white space included) -> embedding
// -> a self-attention over the characters and an attention_pool: white-space
// tokens on every axis.
inline QString whitespaceCharModel(const QString& dir) {
    const QJsonArray vocab{"<pad>", "<unk>", " ", "\n", "\t", "a", "b", "c", "d"};
    const int v = static_cast<int>(vocab.size()), d = 6;
    Writer w;
    w.random("emb.weight", {v, d});
    w.random("pool.context.weight", {1, d}, 1.5f);
    w.random("pool.context.bias", {1});
    const QJsonArray nodes{
        QJsonObject{{"name", "emb"}, {"op", "embedding"}, {"input", "tokens"}},
        QJsonObject{{"name", "self"}, {"op", "attention"}, {"query", "emb"}, {"score", "dot"}},
        QJsonObject{{"name", "pool"}, {"op", "attention_pool"}, {"input", "self"}, {"score", "linear"}},
    };
    const QJsonObject tokenizer{{"type", "keras_char"}, {"vocab", vocab}, {"unk", "<unk>"}, {"lowercase", false}};
    return w.write(dir, "whitespace_chars", tokenizer, nodes, "pool");
}

}  // namespace tinymodel
