"""Write an lstmscope model (models/FORMAT.md): NAME.json + NAME.safetensors."""

import json
import os

from . import safetensors_io

FORMAT = "lstmscope-model"
FORMAT_VERSION = 1

_ORDER = ("format", "format_version", "name", "description", "weights", "tokenizer",
          "task", "labels", "output", "nodes", "metadata", "checks")


def _scalar(v):
    return v is None or isinstance(v, (str, int, float, bool))


def _flat_list(v):
    return isinstance(v, list) and all(_scalar(x) or (isinstance(x, list) and all(map(_scalar, x)))
                                       for x in v)


def _inline(v):
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))


def dumps(value, width=100, _indent=0):
    """JSON text for people: lists of numbers or strings (a vocabulary, a
    check's output) on one line, small objects (a node) on one line, the
    rest one item a line."""
    if _scalar(value) or _flat_list(value):
        return _inline(value)
    if isinstance(value, dict) and all(_scalar(x) or _flat_list(x) for x in value.values()):
        text = _inline(value)
        if len(text) + 2 * _indent <= width:
            return text
    pad, inner = "  " * _indent, "  " * (_indent + 1)
    if isinstance(value, dict):
        items = [f"{inner}{_inline(k)}: {dumps(v, width, _indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}" if items else "{}"
    items = [inner + dumps(v, width, _indent + 1) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]" if items else "[]"


def make_manifest(name, tokenizer, task, output, nodes, description="", labels=None,
                  metadata=None, checks=None, weights=None):
    """A manifest dict with the fields in the spec's order. `weights` is filled
    in by write_model when left None."""
    m = {"format": FORMAT, "format_version": FORMAT_VERSION, "name": name,
         "description": description, "weights": weights, "tokenizer": tokenizer,
         "task": task}
    if labels is not None:
        m["labels"] = list(labels)
    m["output"] = output
    m["nodes"] = nodes
    if metadata is not None:
        m["metadata"] = metadata
    if checks:
        m["checks"] = checks
    return m


def write_model(directory, stem, manifest, tensors, dtype="F32", st_metadata=None):
    """Write DIRECTORY/STEM.json and DIRECTORY/STEM.safetensors; the manifest's
    `weights` is set to the safetensors file name. Returns the manifest path."""
    os.makedirs(directory, exist_ok=True)
    manifest = dict(manifest)
    manifest["format"] = FORMAT
    manifest["format_version"] = FORMAT_VERSION
    manifest["weights"] = stem + ".safetensors"
    ordered = {k: manifest[k] for k in _ORDER if k in manifest}
    ordered.update({k: v for k, v in manifest.items() if k not in ordered})
    safetensors_io.write(os.path.join(directory, stem + ".safetensors"), tensors,
                         dtype=dtype, metadata=st_metadata)
    path = os.path.join(directory, stem + ".json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(dumps(ordered) + "\n")
    return path
