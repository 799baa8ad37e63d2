#!/usr/bin/python3
"""Export a PyTorch text model to the lstmscope model format
(models/FORMAT.md): NAME.json (manifest) + NAME.safetensors (weights).

Two ways to use it:

* Your own `torch.nn.Module` plus the list of manifest nodes that says how
  its parts are wired:

      import export_pytorch as xp
      xp.export(model, nodes, tokenizer, labels=[...], task="classification",
                output="probs", out_dir="models", stem="mine", check_texts=[...],
                rename={"encoder.rnn": "lstm"})   # only if names differ

  `check_texts` are tokenized with the engine's tokenizer
  (lstmscope_format.tokenizer), run through your model and stored as the
  manifest's `checks`; then `lstmscope-cli check` reruns them in the engine.

* `Graph` builds the node list and the torch modules together and
  `GraphModel` runs the node list in PyTorch exactly as the engine does
  (batched, with padding masked, so it can be trained); its state_dict
  already has the format's names. The training recipes in tools/train/ use it.

Mapping options (how `state_dict()` becomes the format's NODE.<tensor> names)

  names as they are   A tensor whose name starts with a node's name is kept:
                      a submodule `self.lstm = nn.LSTM(...)` gives lstm.weight_ih_l0.
  rename=             {module_prefix: node} moves a submodule under a node;
                        rename={"encoder": "lstm", "head": "probs"}
                      {module_prefix: [node, ...]} copies it under several nodes
                      (one module feeding two nodes):
                        rename={"shared_rnn": ["lstm_q", "lstm_d"]}
                      The longest matching prefix wins. A target may be a part of
                      a node: rename={"attn_fc": "att.proj", "ctx": "att.context"}.
  tensors=            {format_name: source}, one tensor at a time, for weights that
                      are not "one module per node"; wins over rename. source is
                        a state_dict key:  tensors={"att.context.weight": "w"}
                        (key, fn):         {"att.proj.weight": ("W1", lambda t: t.T)}
                        a callable:        {"lstm.bias_ih_l0": lambda sd: sd["b"][:64]}
  [D] -> [1, D]       A bare vector (an nn.Parameter(torch.randn(D)) context vector)
                      given for a matrix the op wants as [1, D] (dense .weight,
                      attention_pool context.weight / proj.weight, attention .weight /
                      v.weight, parameter .weight) is reshaped, with a note.
  predict=            What the checks call: by default module(ids) with ids a [1, T]
                      LongTensor; predict=lambda ids: model.classify(ids[None])["probs"]
                      (ids 1-D) for anything else. Command line:
                      --predict FILE.py:FUNCTION, called FUNCTION(module, ids).
  tuple outputs       A forward returning (output, attention, ...) is fine: the first
                      element is the output, with a note.
  check= / --no-check The export is checked by lstmscope-cli (check=True, the
                      default); with no CLI found that is an ExportError. check=False
                      (--no-check) writes an unchecked model knowingly.

Modules are checked too: an nn.GRU mapped to an `lstm` node, hidden sizes that
differ from the node, an LSTM with proj_size, ... are ExportErrors naming the
module, node and op. export() puts the module in eval mode and leaves it there.

Command (--help for all options):
  /usr/bin/python3 tools/export_pytorch.py --model mymodel.py:load --nodes nodes.json \\
      --tokenizer tokenizer.json --output probs --check-text "..." --out DIR/STEM
      exports the module that mymodel.load() returns (--state-dict FILE.pt to load
      weights into it, --rename encoder=lstm,... and --tensors att.context.weight=w
      to map names, --predict mymodel.py:predict, --labels a,b, --no-check).
  /usr/bin/python3 tools/export_pytorch.py --demo OUTDIR
      exports a small random model (a plain nn.Module with its own names,
      exported with a rename map) to OUTDIR/demo.json and checks it.
"""

import argparse
import json
import os
import sys

import torch
from torch import nn

_TOOLS = os.path.dirname(os.path.abspath(__file__))
if _TOOLS not in sys.path:
    sys.path.insert(0, _TOOLS)
# The names below are this module's API (tools/train, tests, examples and
# users import them from here); they live in lstmscope_format/.
from lstmscope_format.export_checks import (compute_checks, find_cli, require_cli,  # noqa: E402,F401
                                            run_cli_check)
from lstmscope_format.graph_builder import Graph  # noqa: E402,F401
from lstmscope_format.graph_model import WEIGHTED_OPS, GraphModel  # noqa: E402,F401
from lstmscope_format.manifest import make_manifest, write_model  # noqa: E402
from lstmscope_format.module_checks import check_node_modules  # noqa: E402
from lstmscope_format.op_tables import ACTIVATIONS, ExportError  # noqa: E402,F401
from lstmscope_format.tokenizer import Tokenizer  # noqa: E402,F401
from lstmscope_format.torch_modules import (Attention, AttentionPool,  # noqa: E402,F401
                                            LearnedParameter, SeparateMultiheadAttention,
                                            apply_activation)
from lstmscope_format.weight_mapping import map_tensors  # noqa: E402

ROOT = os.path.dirname(_TOOLS)


def export(module, nodes, tokenizer, output, out_dir, stem, task="classification", labels=None,
           name=None, description="", metadata=None, check_texts=(), rename=None, tensors=None,
           predict=None, tolerance=1e-4, check=True, cli=None, quiet=False):
    """Write OUT_DIR/STEM.json + OUT_DIR/STEM.safetensors and return the
    manifest path.

    module: a torch.nn.Module (a GraphModel, or your own model whose
      submodules carry the node names or are mapped to them).
    rename: {module_prefix: node | [node, ...]}; tensors: {format_name:
      state_dict key | (key, fn) | callable(state_dict)} (module docstring,
      "Mapping options"). Tensors of no node are left out, with a note.
    nodes, output, task, labels, tokenizer: the manifest's fields (the
      tokenizer dict with its vocab, exactly as the model was trained).
    check_texts: texts whose outputs, as the module computes them, become
      the manifest's `checks`. predict(ids_1d LongTensor) -> output overrides
      the default call module(ids[None]), which must return what the output
      node gives (e.g. probabilities, not logits); a tuple gives its first
      element.
    check: run `lstmscope-cli check` on the result and raise ExportError if
      it fails or if no CLI is found (check=False writes it unchecked).
    The module is left in eval mode. Notes go to stderr unless quiet."""
    def note(text):
        if not quiet:
            print(f"export: {text}", file=sys.stderr)

    if not isinstance(module, nn.Module):
        raise ExportError(f"module is a {type(module).__name__}, not a torch.nn.Module")
    cli_path = require_cli(cli) if check and check_texts else None
    mapping = map_tensors(module.state_dict(), nodes, rename, tensors, note)
    check_node_modules(module, nodes, mapping.sources)
    if mapping.unused:
        note(f"left out tensors that belong to no node: {', '.join(mapping.unused)}")
    if module.training:
        # Restoring training mode afterwards would switch dropout on in every
        # submodule, including ones shared with a model in use elsewhere.
        note(f"the module ({type(module).__name__}) was in training mode; it is put in eval "
             "mode for the checks and left there")
    module.eval()
    checks = compute_checks(module, tokenizer, list(check_texts), task, predict, tolerance,
                            note) if check_texts else None
    manifest = make_manifest(name=name or stem, description=description, tokenizer=tokenizer,
                             task=task, labels=labels, output=output, nodes=nodes,
                             metadata=metadata, checks=checks)
    path = write_model(out_dir, stem, manifest,
                       {k: v.numpy() for k, v in mapping.tensors.items()})
    if cli_path:
        ok, text = run_cli_check(path, cli_path)
        if not quiet:
            print(text, file=sys.stderr)
        if not ok:
            raise ExportError(f"lstmscope-cli check failed for {path}:\n{text}")
    return path


# --------------------------------------------------------------------------
# demo: somebody's own model, with its own submodule names

class DemoClassifier(nn.Module):
    """A typical hand-written BiLSTM + attention classifier."""

    def __init__(self, vocab_size, emb_dim=16, hidden=12, heads=4, classes=3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, emb_dim)
        self.encoder = nn.LSTM(emb_dim, hidden, batch_first=True, bidirectional=True)
        self.self_attn = nn.MultiheadAttention(2 * hidden, heads, batch_first=True)
        self.norm = nn.LayerNorm(2 * hidden)
        self.pool = AttentionPool(2 * hidden, score="tanh_proj", attn_dim=8)
        self.head = nn.Linear(2 * hidden, classes)

    def forward(self, ids):                      # ids: [batch, T]
        h, _ = self.encoder(self.embed(ids))
        a, _ = self.self_attn(h, h, h)
        x = self.norm(h + a)
        pooled, _ = self.pool(x)
        return torch.softmax(self.head(pooled), dim=-1)   # [batch, 1, classes]


DEMO_NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 12, "bidirectional": True},
    {"name": "mha", "op": "multihead_attention", "query": "lstm", "num_heads": 4},
    {"name": "res", "op": "add", "inputs": ["lstm", "mha"]},
    {"name": "ln", "op": "layer_norm", "input": "res"},
    {"name": "att", "op": "attention_pool", "input": "ln", "score": "tanh_proj"},
    {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"},
]
DEMO_RENAME = {"embed": "emb", "encoder": "lstm", "self_attn": "mha", "norm": "ln",
               "pool": "att", "head": "probs"}


def demo(out_dir, check=True, cli=None):
    torch.manual_seed(0)
    vocab = ["<pad>", "<unk>", "the", "food", "was", "good", "but", "service", "awful", "not",
             "bad", "great", "."]
    tokenizer = {"type": "word", "lowercase": True, "vocab": vocab, "unk": "<unk>"}
    model = DemoClassifier(len(vocab))
    return export(model, DEMO_NODES, tokenizer, output="probs", out_dir=out_dir, stem="demo",
                  task="classification", labels=["negative", "neutral", "positive"],
                  name="export_pytorch.py demo (random weights)",
                  description="A random BiLSTM + self-attention + attention pooling classifier "
                              "exported from a plain nn.Module with a rename map.",
                  check_texts=["The food was good but the service was awful.",
                               "not bad", "great great great food"],
                  rename=DEMO_RENAME, check=check, cli=cli)


_LOADED = {}  # file path -> its module, so --model and --predict share one


def _load_callable(spec, option="--model"):
    """'path/to/file.py:function' or 'package.module:function' -> the function."""
    import importlib
    import importlib.util
    where, _, attr = spec.rpartition(":")
    if not where or not attr:
        raise ExportError(f"{option} wants FILE.py:FUNCTION or MODULE:FUNCTION, not {spec!r}")
    if where.endswith(".py"):
        path = os.path.abspath(where)
        if path not in _LOADED:
            if not os.path.isfile(path):
                raise ExportError(f"{option}: no file {where!r}")
            sys.path.insert(0, os.path.dirname(path))
            loader = importlib.util.spec_from_file_location(
                f"user_model_{len(_LOADED)}", path)
            mod = importlib.util.module_from_spec(loader)
            loader.loader.exec_module(mod)
            _LOADED[path] = mod
        mod = _LOADED[path]
    else:
        mod = importlib.import_module(where)
    fn = getattr(mod, attr, None)
    if not callable(fn):
        raise ExportError(f"{option}: {where} has no function {attr!r}")
    return fn


def _read_json(path, key=None):
    with open(path, encoding="utf-8") as f:
        value = json.load(f)
    if key and isinstance(value, dict) and key in value:  # a whole manifest works too
        value = value[key]
    return value


def parse_rename(values):
    """['a=x,b=y+z', 'a=w'] -> {'a': ['x', 'w'], 'b': ['y', 'z']} (one node
    stays a str): '+' or a repeated prefix sends a module to several nodes."""
    out = {}
    for value in values:
        for pair in filter(None, value.split(",")):
            prefix, sep, nodes = pair.partition("=")
            if not sep or not prefix or not nodes:
                raise ExportError(f"--rename wants PREFIX=NODE[+NODE...], not {pair!r}")
            out.setdefault(prefix, []).extend(nodes.split("+"))
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def parse_tensors(values):
    """--tensors values -> {format_name: state_dict key}: each value is a
    JSON file holding that object, or FORMAT=KEY pairs joined by commas."""
    out = {}
    for value in values:
        if value.endswith(".json") or os.path.isfile(value):
            mapping = _read_json(value)
            if not isinstance(mapping, dict) or \
                    not all(isinstance(v, str) for v in mapping.values()):
                raise ExportError(f"--tensors {value}: the file must hold a JSON object "
                                  "{format_name: state_dict_key}")
            out.update(mapping)
            continue
        for pair in filter(None, value.split(",")):
            fmt, sep, key = pair.partition("=")
            if not sep or not fmt or not key:
                raise ExportError(f"--tensors wants FORMAT=KEY or FILE.json, not {pair!r}")
            out[fmt] = key
    return out


HELP_EPILOG = """mapping options (module docstring and README, "Bring your own PyTorch model"):
  --rename encoder=lstm,head=probs      a module prefix moved under a node
  --rename shared_rnn=lstm_q+lstm_d     copied under two nodes (also: repeat the prefix)
  --rename attn_fc=att.proj             a module as a part of a node
  --tensors att.context.weight=pool.w   one state_dict tensor as one format tensor;
                                        a [D] vector for a [1, D] matrix is reshaped
  --tensors map.json                    the same from a JSON object {format: key}
                                        (a transform (slice, transpose) needs the
                                        Python API: tensors={name: (key, fn)})
  --predict mymodel.py:predict          the checks call predict(module, ids), ids 1-D:
                                        def predict(module, ids):
                                            return torch.softmax(module(ids[None]), -1)
  a forward returning a tuple           its first element is the output
  --no-check                            write the model without lstmscope-cli check

example:
  /usr/bin/python3 tools/export_pytorch.py --model mymodel.py:load \\
      --nodes nodes.json --tokenizer tokenizer.json --output probs \\
      --labels negative,positive --rename encoder=lstm,head=probs \\
      --check-text 'not good at all' --check-text 'great food' --out models/mine
  /usr/bin/python3 tools/export_pytorch.py --demo /tmp/demo
"""


def _arguments():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=HELP_EPILOG)
    p.add_argument("--demo", metavar="OUTDIR",
                   help="export a small random model to OUTDIR/demo.json and check it")
    p.add_argument("--model", metavar="FILE.py:FUNCTION",
                   help="a function that returns your nn.Module (weights loaded, or see "
                        "--state-dict)")
    p.add_argument("--state-dict", metavar="FILE.pt", help="load these weights (torch.save of "
                                                           "state_dict()) into the module")
    p.add_argument("--nodes", metavar="JSON", help="the node list (or a manifest holding one)")
    p.add_argument("--tokenizer", metavar="JSON",
                   help="the tokenizer object with its vocab (or a manifest holding one)")
    p.add_argument("--output", help="the node whose value is the prediction")
    p.add_argument("--task", default="classification",
                   choices=("classification", "tagging", "regression"))
    p.add_argument("--labels", help="comma-separated names of the output columns")
    p.add_argument("--rename", action="append", default=[], metavar="PREFIX=NODE[+NODE],...",
                   help="map module prefixes to node names; NODE+NODE copies the module "
                        "under both (repeatable)")
    p.add_argument("--tensors", action="append", default=[], metavar="FORMAT=KEY,...|FILE.json",
                   help="map single state_dict tensors to format tensor names, as pairs or a "
                        "JSON object in a file (repeatable)")
    p.add_argument("--predict", metavar="FILE.py:FUNCTION",
                   help="what the checks call: FUNCTION(module, ids) with ids a 1-D LongTensor, "
                        "returning the output node's value (default: module(ids[None]))")
    p.add_argument("--check-text", action="append", default=[], metavar="TEXT",
                   help="a text to store as a check (repeatable; at least one)")
    p.add_argument("--name", help="the model's display name")
    p.add_argument("--description", default="")
    p.add_argument("--out", metavar="DIR/STEM", help="write DIR/STEM.json + DIR/STEM.safetensors")
    p.add_argument("--cli", help="the lstmscope-cli to check with (default: $LSTMSCOPE_CLI, "
                                 "build/lstmscope-cli, or the PATH)")
    p.add_argument("--no-check", action="store_true",
                   help="do not run lstmscope-cli check (without it, a missing CLI is an error)")
    return p


def _export_command(args, p):
    missing = [f for f in ("nodes", "tokenizer", "output", "out") if not getattr(args, f)]
    if missing or not args.check_text:
        p.error("--model needs --nodes, --tokenizer, --output, --out and at least one "
                "--check-text")
    module = _load_callable(args.model)()
    if not isinstance(module, nn.Module):
        raise ExportError(f"--model {args.model} returned a {type(module).__name__}, "
                          "not a torch.nn.Module")
    if args.state_dict:
        module.load_state_dict(torch.load(args.state_dict, map_location="cpu"))
    predict = None
    if args.predict:
        fn = _load_callable(args.predict, "--predict")
        predict = lambda ids: fn(module, ids)  # noqa: E731
    out_dir, stem = os.path.split(args.out)
    return export(module, _read_json(args.nodes, "nodes"), _read_json(args.tokenizer, "tokenizer"),
                  output=args.output, out_dir=out_dir or ".", stem=stem, task=args.task,
                  labels=args.labels.split(",") if args.labels else None, name=args.name,
                  description=args.description, check_texts=args.check_text,
                  rename=parse_rename(args.rename), tensors=parse_tensors(args.tensors),
                  predict=predict, check=False)


def main(argv=None):
    p = _arguments()
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    if not (args.demo or args.model):
        p.print_help()
        return 2
    try:
        cli = None if args.no_check else require_cli(args.cli)
        path = demo(args.demo, check=False) if args.demo else _export_command(args, p)
    except ExportError as e:
        print(f"export_pytorch: {e}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    if cli is None:
        print("export_pytorch: not checked (--no-check)", file=sys.stderr)
        return 0
    ok, text = run_cli_check(path, cli)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
