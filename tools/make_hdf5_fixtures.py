#!/usr/bin/python3
"""Small HDF5 files for tests/engine/test_hdf5_file.cpp, written with h5py
(Debian's python3-h5py) in the encodings Keras 2 and Keras 3 use, and
committed to tests/data/keras/ so the tests need no Python:

  encodings.h5   a variable-length str attribute (Keras 3's model_config), a
                 fixed-length bytes array (Keras 2's layer_names), a list split
                 over name0/name1 (Keras past 64 KB), nested groups, and float16,
                 float32, float64 and int32 datasets with known values
  truncated.h5   the first half of encodings.h5 (a broken download)
  lazy_errors.h5 objects that fail only when asked for: a string dataset, an
                 integer attribute, beside a float dataset that reads fine

and for the Keras 3 readers (tests/engine/test_keras_archive.cpp,
test_keras3_weights.cpp, test_keras_yaml.cpp). keras and TensorFlow are not
needed: the weights layout is written by hand the way Keras' saving code
writes it (keras/src/saving/saving_lib.py: each layer under the snake_case
name of its class, numbered in layer order, variables at vars/0, vars/1, ...,
sub-layers under their attribute names):

  keras3_functional.keras   a model.save() zip: metadata.json, config.json (a
                            Keras 3 Functional: Input -> Embedding ->
                            Bidirectional(LSTM) -> Dense "out") and
                            model.weights.h5 in the Keras 3 layout
  keras3_truncated.keras    its first 60% (the central directory is lost)
  keras3_no_weights.keras   config.json and metadata.json only
  keras3_no_config.keras    model.weights.h5 and metadata.json only
  keras3_layers.weights.h5  a Keras 3 save_weights() file of a Sequential
                            (Dense, Dense, MultiHeadAttention, LayerNormalization,
                            BatchNormalization, LSTM, a custom layer with 12 vars)
  keras3_named.weights.h5   recent Keras: a "name" attribute on each vars group
  keras213.weights.h5       tf.keras 2.13: _layer_checkpoint_dependencies, where
                            a layer with weights used up two numbers
  pyyaml_config.yml         yaml.dump (PyYAML, as model.to_yaml() did) of a
                            Keras-2-like config with tuples, a TensorFlow
                            _ListWrapper, floats, big ints and strings PyYAML quotes
  pyyaml_config_double.yml  yaml.dump of that YAML text (the jiahenghuang case)
  pyyaml_config.json        json.dumps of the same config: what both must become

Every variable is filled with 100 * (its number in weight_names order) + 0,
1, 2, ..., so the tests can tell the order from the first value.

usage: /usr/bin/python3 tools/make_hdf5_fixtures.py
"""

import io
import json
import os
import zipfile

import h5py
import numpy as np
import yaml

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "data", "keras")


def main():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "encodings.h5")
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = '{"class_name": "Functional", "config": {"name": "m\u00e9"}}'
        f.attrs["keras_version"] = "3.12.2"
        f.attrs["layer_names"] = np.array([b"embedding", b"bidirectional", b"dense"], dtype="S13")
        f.attrs["weight_names0"] = np.array([b"a:0", b"b:0"])
        f.attrs["weight_names1"] = np.array([b"c:0"])
        g = f.create_group("model_weights/dense/dense")
        f["model_weights/dense"].attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
        g["kernel:0"] = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
        g["bias:0"] = np.array([0.5, -1.5, 2.25], dtype=np.float64)
        g["half"] = np.array([1.5, -0.25], dtype=np.float16)
        g["ints"] = np.array([[1, -2], [3, 4]], dtype=np.int32)
        f["scalar"] = np.float32(7.0)
    data = open(path, "rb").read()
    with open(os.path.join(OUT, "truncated.h5"), "wb") as f:
        f.write(data[: len(data) // 2])
    print("wrote", path)
    write_lazy_errors()
    write_keras3_zips()
    write_keras3_weights()
    write_pyyaml()


def write_lazy_errors():
    path = os.path.join(OUT, "lazy_errors.h5")
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = "{}"
        f.attrs["epochs"] = np.int32(3)
        f["weights/kernel"] = np.array([1.0, 2.0, 3.0], dtype=np.float32)
        f["weights/names"] = np.array(["a", "b"], dtype=h5py.string_dtype())
    print("wrote", path)


def numbered(counter, shape):
    """The next variable: 100 * its order + 0, 1, 2, ... (float32)."""
    counter[0] += 1
    n = int(np.prod(shape)) if shape else 1
    return (100 * counter[0] + np.arange(n, dtype=np.float32)).reshape(shape)


def put_vars(f, group, counter, shapes):
    """A layer's own variables, vars/0, vars/1, ... (save_own_variables);
    an empty vars group for a layer without any (older Keras 3 wrote one)."""
    g = f.create_group(group + "/vars")
    for i, shape in enumerate(shapes):
        g[str(i)] = numbered(counter, shape)
    return g


def lstm_cell_shapes(inputs, units):
    return [(inputs, 4 * units), (units, 4 * units), (4 * units,)]


def keras3_tensor(layer):
    return {"class_name": "__keras_tensor__", "config": {"shape": None, "dtype": "float32",
                                                         "keras_history": [layer, 0, 0]}}


def keras3_layer(class_name, name, config, inbound):
    config = dict(config, name=name, trainable=True,
                  dtype={"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                         "registered_name": None})
    return {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None,
            "name": name,
            "inbound_nodes": [{"args": [keras3_tensor(inbound)], "kwargs": {}}] if inbound else []}


def functional_config():
    lstm = {"module": "keras.layers", "class_name": "LSTM", "registered_name": None,
            "config": {"name": "forward_lstm", "units": 2, "activation": "tanh",
                       "recurrent_activation": "sigmoid", "use_bias": True, "return_sequences": False,
                       "go_backwards": False, "unit_forget_bias": True}}
    backward = json.loads(json.dumps(lstm))
    backward["config"].update(name="backward_lstm", go_backwards=True)
    layers = [
        {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None, "name": "ids",
         "config": {"batch_shape": [None, 5], "dtype": "int32", "sparse": False, "name": "ids"},
         "inbound_nodes": []},
        keras3_layer("Embedding", "embedding", {"input_dim": 7, "output_dim": 3, "mask_zero": False}, "ids"),
        keras3_layer("Bidirectional", "bilstm", {"merge_mode": "concat", "layer": lstm, "backward_layer": backward},
                     "embedding"),
        keras3_layer("Dense", "out", {"units": 2, "activation": "softmax", "use_bias": True}, "bilstm"),
    ]
    return {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
            "config": {"name": "tiny", "trainable": True, "layers": layers,
                       "input_layers": [["ids", 0, 0]], "output_layers": [["out", 0, 0]]},
            "build_config": {"input_shape": None}}


def functional_weights():
    """model.weights.h5 as Keras 3.3 writes it for functional_config()."""
    buffer = io.BytesIO()
    counter = [-1]
    with h5py.File(buffer, "w") as f:
        f.create_group("vars")  # the model's own (none)
        put_vars(f, "layers/input_layer", counter, [])
        put_vars(f, "layers/embedding", counter, [(7, 3)])
        put_vars(f, "layers/bidirectional", counter, [])
        for side in ("forward_layer", "backward_layer"):  # written backward first (by name); read forward first
            put_vars(f, "layers/bidirectional/" + side, counter, [])
            put_vars(f, "layers/bidirectional/%s/cell" % side, counter, lstm_cell_shapes(3, 2))
        put_vars(f, "layers/dense", counter, [(4, 2), (2,)])
        put_vars(f, "optimizer", counter, [()])
    return buffer.getvalue()


def write_zip(path, entries):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries:  # a fixed date: the same bytes on every run
            z.writestr(zipfile.ZipInfo(name, date_time=(2025, 12, 1, 7, 42, 0)), data, zipfile.ZIP_DEFLATED)
    print("wrote", path)


def write_keras3_zips():
    metadata = json.dumps({"keras_version": "3.12.2", "date_saved": "2025-12-01@07:42:00"})
    config = json.dumps(functional_config())
    weights = functional_weights()
    path = os.path.join(OUT, "keras3_functional.keras")
    write_zip(path, [("metadata.json", metadata), ("config.json", config), ("model.weights.h5", weights)])
    data = open(path, "rb").read()
    with open(os.path.join(OUT, "keras3_truncated.keras"), "wb") as f:
        f.write(data[: len(data) * 6 // 10])
    write_zip(os.path.join(OUT, "keras3_no_weights.keras"), [("metadata.json", metadata), ("config.json", config)])
    write_zip(os.path.join(OUT, "keras3_no_config.keras"), [("metadata.json", metadata), ("model.weights.h5", weights)])


def write_keras3_weights():
    counter = [-1]
    path = os.path.join(OUT, "keras3_layers.weights.h5")
    with h5py.File(path, "w") as f:
        f.create_group("vars")
        put_vars(f, "layers/dense", counter, [(4, 3), (3,)])      # Dense "hidden"
        put_vars(f, "layers/dense_1", counter, [(3, 4), (4,)])    # Dense "dense": not layers/dense
        put_vars(f, "layers/multi_head_attention", counter, [])
        for part in ("query_dense", "key_dense", "value_dense", "output_dense"):
            shapes = [(2, 4), (4,)] if part == "output_dense" else [(4, 2, 2), (2, 2)]
            put_vars(f, "layers/multi_head_attention/" + part, counter, shapes)
        put_vars(f, "layers/layer_normalization", counter, [(4,), (4,)])
        put_vars(f, "layers/batch_normalization", counter, [(4,)] * 4)
        put_vars(f, "layers/lstm", counter, [])
        put_vars(f, "layers/lstm/cell", counter, lstm_cell_shapes(4, 1))
        put_vars(f, "layers/many_vars", counter, [(1,)] * 12)     # custom ManyVars: vars/10 after vars/9
    print("wrote", path)

    counter = [-1]
    path = os.path.join(OUT, "keras3_named.weights.h5")
    with h5py.File(path, "w") as f:
        for key, name in (("dense", "second"), ("dense_1", "first")):
            put_vars(f, "layers/" + key, counter, [(2, 2), (2,)]).attrs["name"] = name
    print("wrote", path)

    counter = [-1]
    path = os.path.join(OUT, "keras213.weights.h5")
    with h5py.File(path, "w") as f:
        f.create_group("vars")
        put_vars(f, "_layer_checkpoint_dependencies/dense", counter, [(2, 2), (2,)])    # Dense "a"
        put_vars(f, "_layer_checkpoint_dependencies/dropout", counter, [])               # Dropout "drop"
        put_vars(f, "_layer_checkpoint_dependencies/dense_2", counter, [(2, 1), (1,)])  # Dense "b"
    print("wrote", path)


class _ListWrapper(list):
    """Stands in for TensorFlow's tracking wrapper around a layer's list
    attributes (BatchNormalization's axis), which to_yaml() wrote as a
    !!python/object/new: object with listitems and state."""


_ListWrapper.__module__ = "tensorflow.python.training.tracking.data_structures"


def yaml_config():
    axis = _ListWrapper([1])
    axis._storage = [1]
    axis._non_append_mutation = False
    return {"class_name": "Sequential", "keras_version": "2.2.4-tf", "backend": "tensorflow", "config": {
        "name": "sequential", "layers": [
            {"class_name": "Embedding", "config": {
                "name": "embedding", "batch_input_shape": (None, 30), "input_dim": 1040, "output_dim": 200,
                "mask_zero": False, "embeddings_regularizer": None, "dtype": "float32",
                "note": "\u4e2d\u6587, with: a colon", "quoted": ["yes", "No", "on", "1.0", "null", "~", "",
                                                             "0x10", "1_000", "2021-01-01", "true"]}},
            {"class_name": "BatchNormalizationV2", "config": {
                "name": "batch_normalization_v2", "axis": axis, "epsilon": 0.001, "momentum": 0.99,
                "small": 1e-05, "big": 1e20, "negative": -0.5, "ints": [0, -3, 42, 2 ** 70],
                "plain_e": "1e-05", "center": True, "scale": False}},
            {"class_name": "Dense", "config": {"name": "dense", "units": 6, "activation": "softmax"}},
        ]}}


def plain(value):
    """What model.to_json() gives for the same config: tuples and wrapped lists as lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def write_pyyaml():
    text = yaml.dump(yaml_config())  # the default Dumper: python/tuple and python/object/new tags
    assert "!!python/tuple" in text and "!!python/object/new:" in text
    for name, data in (("pyyaml_config.yml", text), ("pyyaml_config_double.yml", yaml.dump(text)),
                       ("pyyaml_config.json", json.dumps(plain(yaml_config()), indent=1, sort_keys=True) + "\n")):
        with open(os.path.join(OUT, name), "w") as f:
            f.write(data)
        print("wrote", os.path.join(OUT, name))


if __name__ == "__main__":
    main()
