#!/usr/bin/python3
"""The zoo round trip: every model of tools/zoo/ (papers' classifiers written
as ordinary PyTorch modules), exported as it is written, must run in the
engine as it runs in PyTorch.

For each model:
1. export_model() writes it (with its checks, tolerance 1e-5) and
   `lstmscope-cli check` must pass every check;
2. for its check texts and one more text, `lstmscope-cli trace` must give
   the output the PyTorch module gives, within 1e-5 (max abs diff printed),
   and, for the models whose forward also returns its attention weights,
   the same attention weights.
Last, the comparison must see a difference where there is one: a model whose
attention vector was changed after export must not match the trace; and the
README's walk-through quotes tools/zoo/han_word_attention.py verbatim.

usage: zoo_roundtrip.py --cli PATH/lstmscope-cli [--out WORKDIR]
Exits 1 if any model mismatches.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "zoo"))
import export_all  # noqa: E402  (puts tools/ on the path too)
from lstmscope_format.tokenizer import Tokenizer  # noqa: E402

TOLERANCE = 1e-5
# one text per model beyond its checks: other words, another length, an unknown word
EXTRA_TEXT = {"word": "the waiter was friendly but the soup was cold, zzz",
              "char": "菜很贵，服务一般。"}
# models whose forward returns (output, attention): the trace node that records it
ATTENTION_NODE = {"self_attentive": "att", "bigru_attention_zh": "att"}


def torch_run(zoo, model, text):
    """What the module itself computes for `text`: (output [rows, C], attention or None)."""
    ids = torch.tensor(Tokenizer(zoo.TOKENIZER).ids(text), dtype=torch.long)
    with torch.no_grad():
        y = zoo.PREDICT(model, ids) if zoo.PREDICT else model(ids.unsqueeze(0))
    attention = None
    if isinstance(y, tuple):
        y, attention = y[0], y[1][0]
    return y.reshape(-1, y.shape[-1]), attention


def engine_run(cli, path, text, nodes=()):
    """The trace of `text`: its output, and of the nodes only `nodes` (the
    output node's name when none are wanted: --nodes needs one)."""
    with open(path, encoding="utf-8") as f:
        wanted = list(nodes) or [json.load(f)["output"]]
    r = subprocess.run([cli, "trace", path, "--text", text, "--nodes", ",".join(wanted)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"lstmscope-cli trace failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def max_diff(engine_rows, torch_value):
    return (torch.tensor(engine_rows, dtype=torch.float32) - torch_value.float()).abs().max().item()


def roundtrip(name, cli, out_dir):
    zoo = export_all.load(name)
    path = zoo.export_model(out_dir, cli=cli, check=False, tolerance=TOLERANCE, quiet=True)
    r = subprocess.run([cli, "check", path], capture_output=True, text=True)
    n = len(zoo.CHECK_TEXTS)
    if r.returncode != 0 or f"{n} of {n} checks passed" not in r.stdout:
        raise AssertionError(f"lstmscope-cli check {path}:\n{(r.stdout + r.stderr).strip()}")
    model = zoo.build_model().eval()
    worst_out, worst_att = 0.0, None
    texts = list(zoo.CHECK_TEXTS) + [EXTRA_TEXT[zoo.TOKENIZER["type"]]]
    att_node = ATTENTION_NODE.get(name)
    for text in texts:
        expected, attention = torch_run(zoo, model, text)
        trace = engine_run(cli, path, text, [att_node] if att_node else ())
        worst_out = max(worst_out, max_diff(trace["output"]["value"], expected))
        if att_node:
            d = max_diff(trace["nodes"][att_node]["attention"], attention)
            worst_att = max(worst_att or 0.0, d)
    detail = f"output max |diff| {worst_out:.2e} over {len(texts)} texts"
    if worst_att is not None:
        detail += f", attention max |diff| {worst_att:.2e}"
    if worst_out > TOLERANCE or (worst_att or 0.0) > TOLERANCE:
        raise AssertionError(detail + f" > {TOLERANCE}")
    return path, detail


def comparison_sees_a_change(cli, path):
    """The engine's att_blstm against a PyTorch twin whose attention vector w
    was flipped: the outputs must differ by more than the tolerance, or the
    comparison above would pass anything."""
    zoo = export_all.load("att_blstm")
    model = zoo.build_model().eval()
    with torch.no_grad():
        model.w.neg_()
    text = zoo.CHECK_TEXTS[0]
    d = max_diff(engine_run(cli, path, text)["output"]["value"], torch_run(zoo, model, text)[0])
    if d <= TOLERANCE:
        raise AssertionError(f"a changed model still matches (max |diff| {d:.2e})")
    return f"a changed w differs by {d:.2e}"


def readme_quotes_zoo_verbatim(readme):
    """Every ```python block of the README that quotes a zoo file (names a
    class defined there, or its stem="...") is a verbatim part of that file."""
    blocks = [b.split("```", 1)[0] for b in readme.split("```python\n")[1:]]
    quoted = 0
    for name in export_all.MODELS:
        source = open(os.path.join(ROOT, "tools", "zoo", name + ".py"), encoding="utf-8").read()
        zoo = export_all.load(name)
        markers = [c for c, v in vars(zoo).items()
                   if isinstance(v, type) and v.__module__ == name] + [f'stem="{name}"']
        for block in blocks:
            if any(re.search(r"(?<![.\w])" + re.escape(m) + r"\b", block) for m in markers):
                quoted += 1
                if block not in source:
                    raise AssertionError(f"a README block differs from tools/zoo/{name}.py; "
                                         f"keep them equal:\n{block}")
    return f"{quoted} README block(s) quote the zoo" if quoted else \
        "README.md quotes no zoo file yet: not compared"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cli", required=True)
    p.add_argument("--out", help="work directory (default: a temporary one)")
    a = p.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory(prefix="zoo_roundtrip_") as tmp:
        out_dir = a.out or tmp
        os.makedirs(out_dir, exist_ok=True)
        failures, paths = [], {}
        for name in export_all.MODELS:
            try:
                paths[name], detail = roundtrip(name, a.cli, out_dir)
                print(f"ok   {name}: {detail}")
            except Exception as e:  # noqa: BLE001 - report every model, then exit 1
                failures.append(name)
                print(f"FAIL {name}: {type(e).__name__}: {e}")
        if "att_blstm" in paths:
            try:
                print(f"ok   the comparison sees a mismatch: "
                      f"{comparison_sees_a_change(a.cli, paths['att_blstm'])}")
            except Exception as e:  # noqa: BLE001
                failures.append("mismatch detection")
                print(f"FAIL the comparison sees a mismatch: {type(e).__name__}: {e}")
    try:
        readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
        print(f"ok   README == tools/zoo: {readme_quotes_zoo_verbatim(readme)}")
    except Exception as e:  # noqa: BLE001
        failures.append("README quotes")
        print(f"FAIL README == tools/zoo: {type(e).__name__}: {e}")
    if failures:
        print(f"{len(failures)} failed: {', '.join(failures)}")
        return 1
    print(f"all {len(export_all.MODELS)} zoo models match PyTorch within {TOLERANCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
