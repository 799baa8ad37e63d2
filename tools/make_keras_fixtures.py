#!/usr/bin/python3
"""Keras model files for tests/engine/test_keras_import.cpp, written with h5py
in the layouts Keras 2 / tf.keras and Keras 3 save (Keras itself cannot be
installed here), with the outputs Keras would compute, so the tests need no
Python. The layouts follow the three real files in ../shared/samples/keras
(root attributes model_config / keras_version / backend, a model_weights
group with one group per layer and a weight_names attribute; Keras 2 names
end in ":0", Keras 3 names do not; Keras 3 configs carry DTypePolicy dtypes,
batch_shape and __keras_tensor__ inbound nodes).

The expected outputs are computed here in NumPy from Keras' documented
formulas (keras/src/layers/rnn/lstm.py, gru.py, attention/*.py,
normalization/*.py), written out layer by layer, independently of the C++
engine; the LSTM is also checked against torch.nn.LSTM with mapped weights.

  seed_b_keras2.h5         seed B as Keras 2 saves it: Bidirectional(LSTM) ->
                           Permute -> Dot -> Activation(softmax) -> Dot ->
                           Concatenate -> TimeDistributed(Dense) (tagging)
  pool_gru_keras3.h5       Keras 3: Bidirectional(GRU) with attention pooling from
                           Dense(1) -> Softmax(axis=1) -> Permute -> Dot -> Flatten,
                           GlobalMaxPooling1D, Concatenate, Dense (LogShield's form)
  pool_gru.keras           the same model as a Keras 3 .keras zip: config.json,
                           metadata.json, model.weights.h5 with each layer under
                           layers/<class key>/vars (keras/src/saving/saving_lib.py)
  seed_a_keras3.h5         seed A's layers as a Keras 3 functional model:
                           Bidirectional(LSTM, hard_sigmoid), Dense,
                           MultiHeadAttention (called by keyword), Attention(use_scale),
                           LayerNormalization, GlobalAveragePooling1D, Dense(softmax)
  seed_a_subclassed.weights.h5  the same weights as a subclassed tf.keras model
  seed_a_subclassed.json   saves them (save_weights: layers named by class), with
                           a manifest of the graph whose nodes are named after them
  custom_keras2.h5         Keras 2 Sequential: LSTM(hard_sigmoid) -> a custom
                           AttentionLayer (tanh(xW + b) pooling) -> BatchNormalization -> Dense
  custom_keras2.weights.h5 the same saved with save_weights (no model_config), with
  custom_keras2.json       its model.to_json() architecture
  time_attention_keras2.h5 Keras 2 Sequential with a fixed input length: Bidirectional(LSTM)
                           -> a custom AttentionLayer with a time-step x time-step weight
                           (attention over time per feature, as jiahenghuang's) -> Dense
  additive_gru_keras2.h5   GRU(reset_after=False) -> Attention(score_mode concat,
                           use_scale) -> AdditiveAttention -> GlobalMaxPooling1D -> Dense
  vocab.txt, tokenizer.json  the vocabulary, as a text file and as Keras'
                           Tokenizer.to_json() (with an oov_token and num_words)
  attention_map.json       a custom-layer mapping file for AttentionLayer
  expected.json            per fixture: the texts, their ids and the outputs

usage: /usr/bin/python3 tools/make_keras_fixtures.py
"""

import json
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "data", "keras", "import")
RNG = np.random.default_rng(20261201)

WORDS = ["<pad>", "<oov>", "the", "food", "was", "good", "not", "service", "slow", "very", "but", "and",
         "i", "liked", "it", "bad", "great", "place", "staff", "rude"]
TEXTS = ["The food was good", "the service was very slow, but the food was great",
         "I liked it and the staff", "not good not bad zebra"]
V, E, H = len(WORDS), 6, 5
FIXED = 12


def ids_of(text):
    """Keras' Tokenizer: lowercase, filters to spaces, split; unknown -> oov (1)."""
    out = []
    for w in "".join(" " if c in '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n' else c for c in text.lower()).split(" "):
        if w:
            out.append(WORDS.index(w) if w in WORDS else 1)
    return out


def pad_pre(ids, n):
    return ([0] * (n - len(ids)) + ids)[-n:]


def w(*shape, scale=0.5):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


# ---- Keras' formulas in NumPy (float64) --------------------------------------------------------

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def hard_sigmoid2(x):
    return np.clip(0.2 * x + 0.5, 0, 1)


def hard_sigmoid3(x):
    return np.clip(x + 3, 0, 6) / 6


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def lstm(x, k, r, b, gate=sigmoid):
    h = np.zeros(r.shape[0]); c = np.zeros(r.shape[0]); out = []
    n = r.shape[0]
    for t in range(len(x)):
        z = x[t] @ k + h @ r + b
        i, f, g, o = gate(z[:n]), gate(z[n:2 * n]), np.tanh(z[2 * n:3 * n]), gate(z[3 * n:])
        c = f * c + i * g
        h = o * np.tanh(c)
        out.append(h)
    return np.array(out)


def gru(x, k, r, b, reset_after):
    n = r.shape[0]; h = np.zeros(n); out = []
    for t in range(len(x)):
        if reset_after:
            mx = x[t] @ k + b[0]; mh = h @ r + b[1]
            z = sigmoid(mx[:n] + mh[:n]); rr = sigmoid(mx[n:2 * n] + mh[n:2 * n])
            hh = np.tanh(mx[2 * n:] + rr * mh[2 * n:])
        else:
            mx = x[t] @ k + b
            z = sigmoid(mx[:n] + h @ r[:, :n]); rr = sigmoid(mx[n:2 * n] + h @ r[:, n:2 * n])
            hh = np.tanh(mx[2 * n:] + (rr * h) @ r[:, 2 * n:])
        h = z * h + (1 - z) * hh
        out.append(h)
    return np.array(out)


def bidirectional(cell, x, fw, bw):
    f = cell(x, *fw)
    b = cell(x[::-1], *bw)[::-1]
    return np.concatenate([f, b], axis=1)


# ---- writing Keras files ----------------------------------------------------------------------

def k2_layer(cls, name, config, inbound):
    cfg = dict(config, name=name, trainable=True, dtype="float32")
    nodes = [[[l, 0, 0, {}] for l in inbound]] if inbound else []
    return {"class_name": cls, "config": cfg, "name": name, "inbound_nodes": nodes}


def k3_tensor(layer):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": [None, None], "dtype": "float32", "keras_history": [layer, 0, 0]}}


def k3_layer(cls, name, config, args, kwargs=None, module="keras.layers"):
    cfg = dict(config, name=name, trainable=True,
               dtype={"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                      "registered_name": None})
    nodes = []
    if args is not None:
        a = [k3_tensor(args[0])] if len(args) == 1 else [[k3_tensor(l) for l in args]]
        kw = {k: k3_tensor(v) if isinstance(v, str) and v.startswith("@") is False and k in ("query", "value", "key")
              else v for k, v in (kwargs or {}).items()}
        nodes = [{"args": a if args else [], "kwargs": kw}]
    return {"module": module, "class_name": cls, "config": cfg, "registered_name": None, "name": name,
            "inbound_nodes": nodes}


def write_model(path, model_config, weights, version, weights_only=False):
    """weights: [(layer, [(name, array)])] in layer order."""
    with h5py.File(path, "w") as f:
        g = f if weights_only else f.create_group("model_weights")
        if not weights_only:
            f.attrs["model_config"] = json.dumps(model_config)
            f.attrs["keras_version"] = version
            f.attrs["backend"] = "tensorflow"
        names = [l for l, _ in weights]
        g.attrs["layer_names"] = np.array([n.encode() for n in names]) if version.startswith("2") else np.array(names, dtype=h5py.string_dtype())
        g.attrs["backend"] = "tensorflow"
        g.attrs["keras_version"] = version
        for layer, ws in weights:
            lg = g.create_group(layer)
            wn = [n for n, _ in ws]
            lg.attrs["weight_names"] = np.array([n.encode() for n in wn]) if version.startswith("2") else np.array(wn, dtype=h5py.string_dtype())
            for n, a in ws:
                lg.create_dataset(n, data=a)


def functional(name, layers, inputs, outputs, keras3):
    if keras3:
        return {"module": "keras", "class_name": "Functional", "registered_name": "Functional",
                "config": {"name": name, "trainable": True, "layers": layers,
                           "input_layers": [inputs, 0, 0], "output_layers": [outputs, 0, 0]}}
    return {"class_name": "Functional" if keras3 else "Model",
            "config": {"name": name, "layers": layers, "input_layers": [[inputs, 0, 0]],
                       "output_layers": [[outputs, 0, 0]]}}


# ---- the fixtures -----------------------------------------------------------------------------

def seed_b(expected):
    emb = w(V, E); C = 4
    fk, fr, fb = w(E, 4 * H), w(H, 4 * H), w(4 * H, scale=0.1)
    bk, br, bb = w(E, 4 * H), w(H, 4 * H), w(4 * H, scale=0.1)
    dk, db = w(4 * H, C), w(C, scale=0.1)
    L = [k2_layer("InputLayer", "input_1", {"batch_input_shape": [None, None], "sparse": False}, None),
         k2_layer("Embedding", "embedding", {"input_dim": V, "output_dim": E, "mask_zero": False}, ["input_1"]),
         k2_layer("Bidirectional", "bidirectional", {"merge_mode": "concat", "layer": {"class_name": "LSTM", "config": {
             "name": "lstm", "units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
             "return_sequences": True, "return_state": False, "go_backwards": False, "stateful": False}}},
                  ["embedding"]),
         k2_layer("Permute", "permute", {"dims": [2, 1]}, ["bidirectional"]),
         k2_layer("Dot", "dot", {"axes": [2, 1], "normalize": False}, ["bidirectional", "permute"]),
         k2_layer("Activation", "attention", {"activation": "softmax"}, ["dot"]),
         k2_layer("Dot", "dot_1", {"axes": [2, 1], "normalize": False}, ["attention", "bidirectional"]),
         k2_layer("Concatenate", "concatenate", {"axis": 2}, ["dot_1", "bidirectional"]),
         k2_layer("TimeDistributed", "time_distributed", {"layer": {"class_name": "Dense", "config": {
             "name": "dense", "units": C, "activation": "softmax", "use_bias": True}}}, ["concatenate"])]
    cfg = functional("seed_b", L, "input_1", "time_distributed", False)
    write_model(os.path.join(OUT, "seed_b_keras2.h5"), cfg, [
        ("input_1", []), ("embedding", [("embedding/embeddings:0", emb)]),
        ("bidirectional", [("bidirectional/forward_lstm/kernel:0", fk), ("bidirectional/forward_lstm/recurrent_kernel:0", fr),
                           ("bidirectional/forward_lstm/bias:0", fb), ("bidirectional/backward_lstm/kernel:0", bk),
                           ("bidirectional/backward_lstm/recurrent_kernel:0", br), ("bidirectional/backward_lstm/bias:0", bb)]),
        ("permute", []), ("dot", []), ("attention", []), ("dot_1", []), ("concatenate", []),
        ("time_distributed", [("time_distributed/kernel:0", dk), ("time_distributed/bias:0", db)])], "2.4.0")
    cases = []
    for text in TEXTS:
        ids = ids_of(text)
        x = emb[ids].astype(np.float64)
        s = bidirectional(lstm, x, (fk, fr, fb), (bk, br, bb))
        a = softmax(s @ s.T)
        out = softmax(np.concatenate([a @ s, s], axis=1) @ dk + db)
        cases.append({"text": text, "ids": ids, "output": out.tolist(), "attention": {"attention": a.tolist()}})
    expected["seed_b_keras2.h5"] = {"tokenizer": "tokenizer.json", "cases": cases}
    # The same LSTM through torch.nn.LSTM with mapped weights, as a second reference.
    import torch
    m = torch.nn.LSTM(E, H, batch_first=True, bidirectional=True)
    with torch.no_grad():
        m.weight_ih_l0.copy_(torch.tensor(fk.T)); m.weight_hh_l0.copy_(torch.tensor(fr.T))
        m.bias_ih_l0.copy_(torch.tensor(fb)); m.bias_hh_l0.zero_()
        m.weight_ih_l0_reverse.copy_(torch.tensor(bk.T)); m.weight_hh_l0_reverse.copy_(torch.tensor(br.T))
        m.bias_ih_l0_reverse.copy_(torch.tensor(bb)); m.bias_hh_l0_reverse.zero_()
        x = torch.tensor(emb[ids_of(TEXTS[1])]).unsqueeze(0)
        ref = m(x)[0][0].numpy()
    mine = bidirectional(lstm, emb[ids_of(TEXTS[1])].astype(np.float64), (fk, fr, fb), (bk, br, bb))
    assert np.abs(ref - mine).max() < 1e-5, "the NumPy Keras LSTM disagrees with torch.nn.LSTM"


def pool_gru(expected):
    emb = w(V, E)
    fw = (w(E, 3 * H), w(H, 3 * H), w(2, 3 * H, scale=0.1))
    bw = (w(E, 3 * H), w(H, 3 * H), w(2, 3 * H, scale=0.1))
    sk, sb = w(2 * H, 1), w(1, scale=0.1)
    d1k, d1b = w(4 * H, 8), w(8, scale=0.1)
    ok, ob = w(8, 1), w(1, scale=0.1)
    gru_cfg = {"module": "keras.layers", "class_name": "GRU", "registered_name": None, "config": {
        "name": "forward_gru", "units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
        "return_sequences": True, "return_state": False, "go_backwards": False, "stateful": False,
        "reset_after": True, "unroll": False}}
    L = [k3_layer("InputLayer", "ids", {"batch_shape": [None, FIXED], "sparse": False, "ragged": False}, None),
         k3_layer("Embedding", "emb", {"input_dim": V, "output_dim": E, "mask_zero": False}, ["ids"]),
         k3_layer("SpatialDropout1D", "drop", {"rate": 0.1}, ["emb"], {"training": False}),
         k3_layer("Bidirectional", "bigru", {"merge_mode": "concat", "layer": gru_cfg}, ["drop"], {"mask": None}),
         k3_layer("Dense", "attention_score", {"units": 1, "activation": "linear", "use_bias": True}, ["bigru"]),
         k3_layer("Softmax", "attention_weights", {"axis": 1}, ["attention_score"], {"mask": None}),
         k3_layer("Permute", "attention_transpose", {"dims": [2, 1]}, ["attention_weights"]),
         k3_layer("Dot", "attention_weighted_sum", {"axes": [2, 1], "normalize": False}, ["attention_transpose", "bigru"]),
         k3_layer("Flatten", "attention_context", {"data_format": "channels_last"}, ["attention_weighted_sum"]),
         k3_layer("GlobalMaxPooling1D", "max_context", {"data_format": "channels_last", "keepdims": False}, ["bigru"]),
         k3_layer("Concatenate", "context", {"axis": -1}, ["attention_context", "max_context"]),
         k3_layer("Dense", "hidden", {"units": 8, "activation": "relu", "use_bias": True}, ["context"]),
         k3_layer("Dropout", "dropout", {"rate": 0.2}, ["hidden"], {"training": False}),
         k3_layer("Dense", "output", {"units": 1, "activation": "sigmoid", "use_bias": True}, ["dropout"])]
    cfg = functional("pool_gru", L, "ids", "output", True)
    write_model(os.path.join(OUT, "pool_gru_keras3.h5"), cfg, [
        ("ids", []), ("emb", [("emb/embeddings", emb)]), ("drop", []),
        ("bigru", [("bigru/forward_gru/gru_cell/kernel", fw[0]), ("bigru/forward_gru/gru_cell/recurrent_kernel", fw[1]),
                   ("bigru/forward_gru/gru_cell/bias", fw[2]), ("bigru/backward_gru/gru_cell/kernel", bw[0]),
                   ("bigru/backward_gru/gru_cell/recurrent_kernel", bw[1]), ("bigru/backward_gru/gru_cell/bias", bw[2])]),
        ("attention_score", [("attention_score/kernel", sk), ("attention_score/bias", sb)]),
        ("attention_weights", []), ("attention_transpose", []), ("attention_weighted_sum", []),
        ("attention_context", []), ("max_context", []), ("context", []),
        ("hidden", [("hidden/kernel", d1k), ("hidden/bias", d1b)]), ("dropout", []),
        ("output", [("output/kernel", ok), ("output/bias", ob)])], "3.12.2")
    # The .keras zip: layers stored by the snake_case of their class,
    # numbered in layer order, not by their names.
    import io
    import zipfile
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_group("vars")
        keys = {}
        for layer in L:
            cls = {"InputLayer": "input_layer", "SpatialDropout1D": "spatial_dropout1d",
                   "GlobalMaxPooling1D": "global_max_pooling1d"}.get(layer["class_name"], layer["class_name"].lower())
            n = keys.get(cls, 0)
            keys[cls] = n + 1
            key = "layers/" + cls + ("_%d" % n if n else "")
            f.create_group(key + "/vars")
            if layer["name"] == "emb":
                f[key + "/vars/0"] = emb
            elif layer["name"] == "bigru":
                for side, ws in (("forward_layer", fw), ("backward_layer", bw)):
                    f.create_group(key + "/" + side + "/vars")
                    for i, a in enumerate(ws):
                        f[key + "/" + side + "/cell/vars/%d" % i] = a
            else:
                ws = {"attention_score": (sk, sb), "hidden": (d1k, d1b), "output": (ok, ob)}.get(layer["name"], ())
                for i, a in enumerate(ws):
                    f[key + "/vars/%d" % i] = a
    with zipfile.ZipFile(os.path.join(OUT, "pool_gru.keras"), "w") as z:
        for name, data in (("metadata.json", json.dumps({"keras_version": "3.12.2", "date_saved": "2026-12-01@10:00:00"})),
                           ("config.json", json.dumps(cfg)), ("model.weights.h5", buf.getvalue())):
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 10, 0, 0))
            z.writestr(info, data)
    cases = []
    for text in TEXTS:
        ids = pad_pre(ids_of(text), FIXED)
        x = emb[ids].astype(np.float64)
        s = bidirectional(lambda x, k, r, b: gru(x, k, r, b, True), x, fw, bw)
        a = softmax((s @ sk + sb)[:, 0])
        ctx = np.concatenate([a @ s, s.max(axis=0)])
        out = sigmoid(np.maximum(ctx @ d1k + d1b, 0) @ ok + ob)
        cases.append({"text": text, "ids": ids, "output": [out.tolist()], "attention": {"attention_weights": [a.tolist()]}})
    expected["pool_gru_keras3.h5"] = {"tokenizer": "vocab.txt", "cases": cases}
    expected["pool_gru.keras"] = {"tokenizer": "vocab.txt", "cases": cases}


def seed_a(expected):
    emb = w(V, E); D = 8; heads, kd = 2, 3; C = 3
    fw = (w(E, 4 * H), w(H, 4 * H), w(4 * H, scale=0.1))
    bw = (w(E, 4 * H), w(H, 4 * H), w(4 * H, scale=0.1))
    pk, pb = w(2 * H, D), w(D, scale=0.1)
    qk, qb, kk, kb, vk, vb = w(D, heads, kd), w(heads, kd), w(D, heads, kd), w(heads, kd), w(D, heads, kd), w(heads, kd)
    ok, ob = w(heads, kd, D), w(D, scale=0.1)
    scale = np.array(0.7, dtype=np.float32)
    gamma, beta = (1 + w(D, scale=0.1)), w(D, scale=0.1)
    ck, cb = w(D, C), w(C, scale=0.1)
    lstm_cfg = {"module": "keras.layers", "class_name": "LSTM", "registered_name": None, "config": {
        "name": "forward_lstm", "units": H, "activation": "tanh", "recurrent_activation": "hard_sigmoid",
        "use_bias": True, "return_sequences": True, "return_state": False, "go_backwards": False,
        "stateful": False, "unroll": False}}
    L = [k3_layer("InputLayer", "ids", {"batch_shape": [None, None], "sparse": False, "ragged": False}, None),
         k3_layer("Embedding", "emb", {"input_dim": V, "output_dim": E, "mask_zero": True}, ["ids"]),
         k3_layer("Bidirectional", "bilstm", {"merge_mode": "concat", "layer": lstm_cfg}, ["emb"]),
         k3_layer("Dense", "proj", {"units": D, "activation": "tanh", "use_bias": True}, ["bilstm"]),
         k3_layer("MultiHeadAttention", "mha", {"num_heads": heads, "key_dim": kd, "value_dim": kd, "dropout": 0.0,
                                                "use_bias": True, "output_shape": None, "attention_axes": None},
                  [], {"query": "proj", "value": "proj"}),
         k3_layer("Attention", "attention", {"use_scale": True, "score_mode": "dot", "dropout": 0.0}, ["mha", "proj"]),
         k3_layer("LayerNormalization", "norm", {"axis": -1, "epsilon": 0.001, "center": True, "scale": True,
                                                 "rms_scaling": False}, ["attention"]),
         k3_layer("GlobalAveragePooling1D", "avg", {"data_format": "channels_last", "keepdims": False}, ["norm"]),
         k3_layer("Dense", "classes", {"units": C, "activation": "softmax", "use_bias": True}, ["avg"])]
    # MultiHeadAttention is called by keyword: its tensors are in kwargs only.
    L[4]["inbound_nodes"] = [{"args": [], "kwargs": {"query": k3_tensor("proj"), "value": k3_tensor("proj")}}]
    cfg = functional("seed_a", L, "ids", "classes", True)
    write_model(os.path.join(OUT, "seed_a_keras3.h5"), cfg, [
        ("ids", []), ("emb", [("emb/embeddings", emb)]),
        ("bilstm", [("bilstm/forward_lstm/lstm_cell/kernel", fw[0]), ("bilstm/forward_lstm/lstm_cell/recurrent_kernel", fw[1]),
                    ("bilstm/forward_lstm/lstm_cell/bias", fw[2]), ("bilstm/backward_lstm/lstm_cell/kernel", bw[0]),
                    ("bilstm/backward_lstm/lstm_cell/recurrent_kernel", bw[1]), ("bilstm/backward_lstm/lstm_cell/bias", bw[2])]),
        ("proj", [("proj/kernel", pk), ("proj/bias", pb)]),
        ("mha", [("mha/query/kernel", qk), ("mha/query/bias", qb), ("mha/key/kernel", kk), ("mha/key/bias", kb),
                 ("mha/value/kernel", vk), ("mha/value/bias", vb), ("mha/attention_output/kernel", ok),
                 ("mha/attention_output/bias", ob)]),
        ("attention", [("attention/scale", scale)]),
        ("norm", [("norm/gamma", gamma), ("norm/beta", beta)]), ("avg", []),
        ("classes", [("classes/kernel", ck), ("classes/bias", cb)])], "3.12.2")
    cases = []
    for text in TEXTS:
        ids = ids_of(text)
        x = emb[ids].astype(np.float64)
        s = bidirectional(lambda x, k, r, b: lstm(x, k, r, b, hard_sigmoid3), x, fw, bw)
        p = np.tanh(s @ pk + pb)
        q = np.einsum("td,dhk->htk", p, qk) + qb[:, None, :]
        k = np.einsum("td,dhk->htk", p, kk) + kb[:, None, :]
        v = np.einsum("td,dhk->htk", p, vk) + vb[:, None, :]
        a = softmax(np.einsum("hqk,hsk->hqs", q / np.sqrt(kd), k))
        o = np.einsum("hqs,hsk->qhk", a, v)
        m = np.einsum("qhk,hkd->qd", o, ok) + ob
        att = softmax(float(scale) * (m @ p.T))
        y = att @ p
        mu, var = y.mean(axis=1, keepdims=True), y.var(axis=1, keepdims=True)
        y = (y - mu) / np.sqrt(var + 1e-3) * gamma + beta
        out = softmax(y.mean(axis=0) @ ck + cb)
        cases.append({"text": text, "ids": ids, "output": [out.tolist()],
                      "attention": {"mha": a.tolist(), "attention": att.tolist()}})
    expected["seed_a_keras3.h5"] = {"tokenizer": "tokenizer.json", "cases": cases}
    # Seed A as written: a subclassed model, saved with save_weights (tf.keras
    # 2: the weights file's layers are named after their classes), opened
    # through a manifest whose nodes carry the Keras layers' names.
    write_model(os.path.join(OUT, "seed_a_subclassed.weights.h5"), None, [
        ("embedding", [("embedding/embeddings:0", emb)]),
        ("bidirectional", [("bidirectional/forward_lstm/kernel:0", fw[0]),
                           ("bidirectional/forward_lstm/recurrent_kernel:0", fw[1]),
                           ("bidirectional/forward_lstm/bias:0", fw[2]),
                           ("bidirectional/backward_lstm/kernel:0", bw[0]),
                           ("bidirectional/backward_lstm/recurrent_kernel:0", bw[1]),
                           ("bidirectional/backward_lstm/bias:0", bw[2])]),
        ("dense", [("dense/kernel:0", pk), ("dense/bias:0", pb)]),
        ("multi_head_attention", [("multi_head_attention/query/kernel:0", qk), ("multi_head_attention/query/bias:0", qb),
                                  ("multi_head_attention/key/kernel:0", kk), ("multi_head_attention/key/bias:0", kb),
                                  ("multi_head_attention/value/kernel:0", vk), ("multi_head_attention/value/bias:0", vb),
                                  ("multi_head_attention/attention_output/kernel:0", ok),
                                  ("multi_head_attention/attention_output/bias:0", ob)]),
        ("attention", [("attention/scale:0", scale)]),
        ("layer_normalization", [("layer_normalization/gamma:0", gamma), ("layer_normalization/beta:0", beta)]),
        ("dense_1", [("dense_1/kernel:0", ck), ("dense_1/bias:0", cb)])], "2.15.0", weights_only=True)
    manifest = {
        "format": "lstmscope-model", "format_version": 1, "name": "seed_a_subclassed",
        "weights": "seed_a_subclassed.weights.h5",
        "tokenizer": {"type": "keras", "vocab": WORDS, "unk": "<oov>", "pad": "<pad>"},
        "task": "classification", "output": "dense_1",
        "nodes": [
            {"name": "embedding", "op": "embedding", "input": "tokens"},
            {"name": "bidirectional", "op": "lstm", "input": "embedding", "hidden_size": H, "bidirectional": True,
             "gate_activation": "hard_sigmoid_keras3"},
            {"name": "dense", "op": "dense", "input": "bidirectional", "activation": "tanh"},
            {"name": "multi_head_attention", "op": "multihead_attention", "query": "dense", "key": "dense",
             "value": "dense", "num_heads": heads, "head_dim": kd},
            {"name": "attention", "op": "attention", "query": "multi_head_attention", "key": "dense", "value": "dense",
             "score": "dot"},
            {"name": "layer_normalization", "op": "layer_norm", "input": "attention", "eps": 0.001},
            {"name": "average", "op": "pool", "input": "layer_normalization", "mode": "mean"},
            {"name": "dense_1", "op": "dense", "input": "average", "activation": "softmax"}]}
    with open(os.path.join(OUT, "seed_a_subclassed.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def custom(expected):
    emb = w(V, E); C = 2
    k, r, b = w(E, 4 * H), w(H, 4 * H), w(4 * H, scale=0.1)
    aw, ab = w(H, 1), w(1, scale=0.1)
    gamma, beta, mean, var = 1 + w(H, scale=0.1), w(H, scale=0.1), w(H, scale=0.1), 0.5 + np.abs(w(H, scale=0.3))
    dk, db = w(H, C), w(C, scale=0.1)
    layers = [
        {"class_name": "Embedding", "config": {"name": "embedding", "input_dim": V, "output_dim": E,
                                               "batch_input_shape": [None, None], "mask_zero": False, "dtype": "float32"}},
        {"class_name": "LSTM", "config": {"name": "lstm", "units": H, "activation": "tanh",
                                          "recurrent_activation": "hard_sigmoid", "use_bias": True,
                                          "return_sequences": True, "return_state": False, "go_backwards": False}},
        {"class_name": "AttentionLayer", "config": {"name": "attention_layer", "trainable": True}},
        {"class_name": "BatchNormalization", "config": {"name": "batch_normalization", "axis": -1, "epsilon": 0.001,
                                                        "center": True, "scale": True}},
        {"class_name": "Dense", "config": {"name": "dense", "units": C, "activation": "softmax", "use_bias": True}}]
    cfg = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers},
           "keras_version": "2.3.1", "backend": "tensorflow"}
    weights = [("embedding", [("embedding/embeddings:0", emb)]),
               ("lstm", [("lstm/kernel:0", k), ("lstm/recurrent_kernel:0", r), ("lstm/bias:0", b)]),
               ("attention_layer", [("attention_layer/att_weight:0", aw), ("attention_layer/att_bias:0", ab)]),
               ("batch_normalization", [("batch_normalization/gamma:0", gamma), ("batch_normalization/beta:0", beta),
                                        ("batch_normalization/moving_mean:0", mean),
                                        ("batch_normalization/moving_variance:0", var)]),
               ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])]
    write_model(os.path.join(OUT, "custom_keras2.h5"), cfg, weights, "2.3.1")
    write_model(os.path.join(OUT, "custom_keras2.weights.h5"), None, weights, "2.3.1", weights_only=True)
    with open(os.path.join(OUT, "custom_keras2.json"), "w") as f:
        json.dump(cfg, f)
    cases = []
    for text in TEXTS:
        ids = ids_of(text)
        s = lstm(emb[ids].astype(np.float64), k, r, b, hard_sigmoid2)
        a = softmax(np.tanh(s @ aw + ab)[:, 0])
        y = a @ s
        y = (y - mean) / np.sqrt(var + 1e-3) * gamma + beta
        out = softmax(y @ dk + db)
        cases.append({"text": text, "ids": ids, "output": [out.tolist()], "attention": {"attention_layer": [a.tolist()]}})
    expected["custom_keras2.h5"] = {"tokenizer": "vocab.txt", "cases": cases}


def time_attention(expected):
    emb = w(V, E); C = 3
    fw = (w(E, 4 * H), w(H, 4 * H), w(4 * H, scale=0.1))
    bw = (w(E, 4 * H), w(H, 4 * H), w(4 * H, scale=0.1))
    aw, ab = w(FIXED, FIXED), w(FIXED, scale=0.1)
    dk, db = w(2 * H, C), w(C, scale=0.1)
    layers = [
        {"class_name": "Embedding", "config": {"name": "embedding", "input_dim": V, "output_dim": E, "input_length": FIXED,
                                               "batch_input_shape": [None, FIXED], "mask_zero": False}},
        {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "concat", "layer": {
            "class_name": "LSTM", "config": {"name": "lstm", "units": H, "activation": "tanh",
                                             "recurrent_activation": "sigmoid", "use_bias": True,
                                             "return_sequences": True}}}},
        {"class_name": "AttentionLayer", "config": {"name": "attention_layer"}},
        {"class_name": "Dense", "config": {"name": "dense", "units": C, "activation": "softmax", "use_bias": True}}]
    cfg = {"class_name": "Sequential", "config": {"name": "time_attention", "layers": layers}}
    write_model(os.path.join(OUT, "time_attention_keras2.h5"), cfg, [
        ("embedding", [("embedding/embeddings:0", emb)]),
        ("bidirectional", [("bidirectional/forward_lstm/kernel:0", fw[0]), ("bidirectional/forward_lstm/recurrent_kernel:0", fw[1]),
                           ("bidirectional/forward_lstm/bias:0", fw[2]), ("bidirectional/backward_lstm/kernel:0", bw[0]),
                           ("bidirectional/backward_lstm/recurrent_kernel:0", bw[1]), ("bidirectional/backward_lstm/bias:0", bw[2])]),
        ("attention_layer", [("attention_layer/att_weight:0", aw), ("attention_layer/att_bias:0", ab)]),
        ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], "2.2.4-tf")
    cases = []
    for text in TEXTS:
        ids = pad_pre(ids_of(text), FIXED)
        s = bidirectional(lstm, emb[ids].astype(np.float64), fw, bw)  # T x D
        a = softmax(np.tanh(s.T @ aw + ab), axis=1)                   # D x T: per feature, over time
        y = (a * s.T).sum(axis=1)
        out = softmax(y @ dk + db)
        cases.append({"text": text, "ids": ids, "output": [out.tolist()], "attention": {"attention_layer": a.tolist()}})
    expected["time_attention_keras2.h5"] = {"tokenizer": "vocab.txt", "cases": cases}


def additive_gru(expected):
    emb = w(V, E); C = 2
    k, r, b = w(E, 3 * H), w(H, 3 * H), w(3 * H, scale=0.1)
    scale, csw = np.array(0.8, dtype=np.float32), np.array(1.3, dtype=np.float32)
    ascale = w(H, scale=0.7)
    dk, db = w(H, C), w(C, scale=0.1)
    L = [k2_layer("InputLayer", "input_1", {"batch_input_shape": [None, None]}, None),
         k2_layer("Embedding", "embedding", {"input_dim": V, "output_dim": E, "mask_zero": False}, ["input_1"]),
         k2_layer("GRU", "gru", {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
                                 "return_sequences": True, "reset_after": False}, ["embedding"]),
         k2_layer("Attention", "attention", {"use_scale": True, "score_mode": "concat", "causal": False}, ["gru", "gru"]),
         k2_layer("AdditiveAttention", "additive_attention", {"use_scale": True, "causal": False},
                  ["attention", "gru"]),
         k2_layer("GlobalMaxPooling1D", "global_max_pooling1d", {"data_format": "channels_last"}, ["additive_attention"]),
         k2_layer("Dense", "dense", {"units": C, "activation": "softmax", "use_bias": True}, ["global_max_pooling1d"])]
    cfg = functional("additive_gru", L, "input_1", "dense", False)
    write_model(os.path.join(OUT, "additive_gru_keras2.h5"), cfg, [
        ("input_1", []), ("embedding", [("embedding/embeddings:0", emb)]),
        ("gru", [("gru/gru_cell/kernel:0", k), ("gru/gru_cell/recurrent_kernel:0", r), ("gru/gru_cell/bias:0", b)]),
        ("attention", [("attention/scale:0", scale), ("attention/concat_score_weight:0", csw)]),
        ("additive_attention", [("additive_attention/scale:0", ascale)]), ("global_max_pooling1d", []),
        ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], "2.9.0")
    cases = []
    for text in TEXTS:
        ids = ids_of(text)
        s = gru(emb[ids].astype(np.float64), k, r, b, False)
        a1 = softmax(float(csw) * np.tanh(float(scale) * (s[:, None, :] + s[None, :, :])).sum(axis=2))
        y1 = a1 @ s
        a2 = softmax((ascale * np.tanh(y1[:, None, :] + s[None, :, :])).sum(axis=2))
        y2 = a2 @ s
        out = softmax(y2.max(axis=0) @ dk + db)
        cases.append({"text": text, "ids": ids, "output": [out.tolist()],
                      "attention": {"attention": a1.tolist(), "additive_attention": a2.tolist()}})
    expected["additive_gru_keras2.h5"] = {"tokenizer": "tokenizer.json", "cases": cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "vocab.txt"), "w") as f:
        f.write("\n".join(WORDS) + "\n")
    index = {word: i for i, word in enumerate(WORDS) if i > 0}
    tok = {"class_name": "Tokenizer", "config": {
        "num_words": V, "filters": '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n', "lower": True, "split": " ",
        "char_level": False, "oov_token": "<oov>", "document_count": 4,
        "word_index": json.dumps(index), "index_word": json.dumps({str(i): wd for wd, i in index.items()})}}
    with open(os.path.join(OUT, "tokenizer.json"), "w") as f:
        json.dump(tok, f)
    with open(os.path.join(OUT, "attention_map.json"), "w") as f:
        json.dump({"layers": {"AttentionLayer": {"op": "attention_pool", "score": "tanh_linear",
                                                 "weights": {"context.weight": "att_weight",
                                                             "context.bias": "att_bias"}}}}, f, indent=2)
    expected = {}
    seed_b(expected)
    pool_gru(expected)
    seed_a(expected)
    custom(expected)
    additive_gru(expected)
    time_attention(expected)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
