#!/usr/bin/python3
"""A second, independent reference for the Keras fixtures: builds each one in
TensorFlow.js (the npm package @tensorflow/tfjs implements Keras' layers in
JavaScript and builds models from the same Keras JSON), sets the weights
from the .h5 file, runs the fixture's texts and compares the outputs with
tests/data/keras/import/expected.json (which tools/make_keras_fixtures.py
computes in NumPy from Keras' documented formulas, and which the engine
tests check lstmscope against).

tfjs covers all of seed_b_keras2.h5 (Bidirectional LSTM, Permute, Dot,
Activation, Concatenate, TimeDistributed Dense): its outputs and attention
are compared. It has no Attention, AdditiveAttention or MultiHeadAttention
layer and no GRU with reset_after=True (the Keras 2.3+ default), so of
additive_gru_keras2.h5 only the GRU(reset_after=False) is built, and its
per-token output is compared with lstmscope's `gru` node (lstmscope-cli
trace); the other fixtures are checked against the NumPy reference only.

A check, never a dependency: run it by hand after changing the fixtures.
  mkdir -p /tmp/tfjs && cd /tmp/tfjs && npm install --ignore-scripts @tensorflow/tfjs
  /usr/bin/python3 tools/check_keras_with_tfjs.py --node-modules /tmp/tfjs/node_modules
"""

import argparse
import json
import os
import subprocess
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), "tests", "data", "keras", "import")
# fixture: (the layer whose output is compared, the last layer built)
FIXTURES = {"seed_b_keras2.h5": ("attention", None), "additive_gru_keras2.h5": ("gru", "gru")}


def keras2_dialect(node):
    """Keras 3 config pieces as Keras 2 writes them."""
    if isinstance(node, list):
        return [keras2_dialect(n) for n in node]
    if not isinstance(node, dict):
        return node
    if node.get("class_name") == "DTypePolicy":
        return node["config"]["name"]
    out = {}
    for key, value in node.items():
        if key in ("module", "registered_name"):
            continue
        if key == "batch_shape":
            key = "batch_input_shape"
        if key == "inbound_nodes" and value and isinstance(value[0], dict):
            nodes = []
            for call in value:
                refs = []

                def collect(v):
                    if isinstance(v, dict) and v.get("class_name") == "__keras_tensor__":
                        refs.append(v["config"]["keras_history"] + [{}])
                    elif isinstance(v, list):
                        for x in v:
                            collect(x)
                collect(call["args"])
                nodes.append(refs)
            out[key] = nodes
            continue
        if key in ("input_layers", "output_layers") and value and isinstance(value[0], str):
            value = [value]
        out[key] = keras2_dialect(value)
    if out.get("class_name") == "Functional":
        out["class_name"] = "Model"
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--node-modules", required=True, help="a node_modules folder with @tensorflow/tfjs")
    ap.add_argument("--cli", default=os.path.join(os.path.dirname(HERE), "build", "lstmscope-cli"))
    args = ap.parse_args()
    expected = json.load(open(os.path.join(DATA, "expected.json")))
    job = {}
    for name, (attention, last) in FIXTURES.items():
        with h5py.File(os.path.join(DATA, name), "r") as f:
            config = keras2_dialect(json.loads(f.attrs["model_config"]))
            if last:  # only the layers tfjs has
                names = [l["name"] for l in config["config"]["layers"]]
                config["config"]["layers"] = config["config"]["layers"][: names.index(last) + 1]
                config["config"]["output_layers"] = [[last, 0, 0]]
            weights = {}
            for layer in f["model_weights"].attrs["layer_names"]:
                layer = layer.decode() if isinstance(layer, bytes) else layer
                g = f["model_weights"][layer]
                names = [n.decode() if isinstance(n, bytes) else n for n in g.attrs["weight_names"]]
                weights[layer] = [{"shape": list(g[n].shape), "values": np.asarray(g[n]).ravel().tolist()} for n in names]
        job[name] = {"config": config, "weights": weights, "attention": attention,
                     "ids": [c["ids"] for c in expected[name]["cases"]]}
        job[name]["weights"] = {k: v for k, v in job[name]["weights"].items()
                                if k in [l["name"] for l in config["config"]["layers"]]}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "job.json")
        json.dump(job, open(path, "w"))
        env = dict(os.environ, NODE_PATH=args.node_modules)
        out = subprocess.run(["node", os.path.join(HERE, "check_keras_with_tfjs.cjs"), path], env=env,
                             stdout=subprocess.PIPE, text=True, check=True).stdout
    results = json.loads(out)
    worst = 0.0
    for name, runs in results.items():
        layer, last = FIXTURES[name]
        tokenizer = os.path.join(DATA, expected[name]["tokenizer"])
        for case, run in zip(expected[name]["cases"], runs):
            if last is None:
                d_out = np.abs(np.array(run["output"]).reshape(-1) - np.array(case["output"]).reshape(-1)).max()
                want = np.array(case["attention"][layer]).reshape(-1)
                what = "NumPy reference"
            else:
                trace = json.loads(subprocess.run(
                    [args.cli, "trace", os.path.join(DATA, name), "--tokenizer", tokenizer, "--tokenizer-type", "keras",
                     "--text", case["text"], "--nodes", layer], stdout=subprocess.PIPE, text=True, check=True).stdout)
                want = np.array(trace["nodes"][layer]["value"]).reshape(-1)
                d_out = 0.0
                what = "lstmscope"
            d_att = np.abs(np.array(run["attention"]).reshape(-1) - want).max()
            worst = max(worst, d_out, d_att)
            print("%-24s %-52r vs %-15s output %.2e  %s %.2e" % (name, case["text"], what, d_out, layer, d_att))
    print("largest difference: %.2e" % worst)
    if worst > 1e-5:
        raise SystemExit("tfjs disagrees")


if __name__ == "__main__":
    main()
