#!/usr/bin/python3
"""Behaviour suites of the sentiment models (CheckList style): short texts
written for the suite, each with the label a reader expects, grouped by
capability (plain, negation, contrast, intensifier, filler, lesson).

The suites live in tests/models/behaviour/sentiment_{en,zh}.tsv (a header
line, then capability <TAB> expected label <TAB> text). The recipes measure
them after training and write the result into the manifest
(metadata.behaviour_suite) and the card; tests/models/test_behaviour.cpp
measures them again in the engine.

  /usr/bin/python3 tools/train/behaviour.py models/NAME.json [SUITE.tsv]
      runs a bundled model (in PyTorch) on its suite and prints every text.
"""

import json
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

SUITE_DIR = os.path.join(c.ROOT, "tests", "models", "behaviour")
# rows that must all be right (the texts the lessons use); the rest counts
# towards the pass rate only
MUST = ("lesson",)
MIN_RATE = 0.85


def suite_path(lang):
    return os.path.join(SUITE_DIR, f"sentiment_{lang}.tsv")


def load_suite(path):
    """[{"capability", "expected", "text"}] in file order."""
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = lines[0].split("\t")
    if header != ["capability", "expected", "text"]:
        raise SystemExit(f"{path}: header must be capability<TAB>expected<TAB>text")
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise SystemExit(f"{path}:{n}: expected 3 tab-separated columns")
        rows.append({"capability": parts[0], "expected": parts[1], "text": parts[2]})
    return rows


def normalize(text):
    """The form in which training texts are compared with suite texts:
    lowercase, runs of white space as one space, final punctuation dropped."""
    t = re.sub(r"\s+", " ", text.lower()).strip()
    return t.rstrip(".!?。！？ ")


def suite_texts(lang):
    return {normalize(r["text"]) for r in load_suite(suite_path(lang))}


def predict(model, tokenizer, labels, texts):
    """[(label, [probabilities])] for each text, one text at a time, as the
    engine runs it."""
    tok = c.Tokenizer(tokenizer)
    out = []
    model.eval()
    with torch.no_grad():
        for text in texts:
            p = model(torch.tensor(tok.ids(text)))[0, 0]
            out.append((labels[int(p.argmax())], [float(x) for x in p]))
    return out


def run_suite(model, tokenizer, labels, rows):
    """rows with "predicted", "probs" and "ok" added."""
    preds = predict(model, tokenizer, labels, [r["text"] for r in rows])
    return [{**r, "predicted": lab, "probs": p, "ok": lab == r["expected"]}
            for r, (lab, p) in zip(rows, preds)]


def summary(results, file_name):
    """The dict stored as metadata.behaviour_suite."""
    passed = sum(r["ok"] for r in results)
    caps = {}
    for r in results:
        k = caps.setdefault(r["capability"], {"passed": 0, "total": 0})
        k["total"] += 1
        k["passed"] += r["ok"]
    return {"file": file_name, "passed": passed, "total": len(results),
            "rate": round(passed / len(results), 4), "by_capability": caps,
            "failed": [r["text"] for r in results if not r["ok"]]}


def report(results, labels, out=print):
    for r in results:
        probs = " ".join(f"{lab} {p:.3f}" for lab, p in zip(labels, r["probs"]))
        out(f"  {'ok ' if r['ok'] else 'BAD'} {r['capability']:<11} {r['expected']:<8} "
            f"{r['text']}  [{probs}]")
    s = summary(results, "")
    out(f"  suite: {s['passed']}/{s['total']} ({100 * s['passed'] / s['total']:.1f}%)  " +
        ", ".join(f"{k} {v['passed']}/{v['total']}" for k, v in s["by_capability"].items()))
    return s


def card_text(s, held_out):
    """The sentence the cards print next to the held-out accuracy."""
    caps = ", ".join(f"{k} {v['passed']}/{v['total']}" for k, v in s["by_capability"].items())
    text = (f"**Behaviour suite: {s['passed']}/{s['total']} "
            f"({100 * s['passed'] / s['total']:.1f}%)** "
            f"(`{s['file']}`: {caps}), next to the held-out accuracy of "
            f"{100 * held_out:.1f}%. The suite's sentences were written for it (none is in the "
            "data, none is trained on); a row is right when the arg-max label is the expected "
            "one.")
    if s["failed"]:
        text += " Wrong: " + "; ".join(f"\"{c.md_escape(t)}\"" for t in s["failed"]) + "."
    else:
        text += " Every sentence is right."
    return text


# --------------------------------------------------------------------------
# a bundled model back in PyTorch (for measuring models already in models/)

def load_bundled(manifest_path):
    """(GraphModel, tokenizer, labels) rebuilt from a manifest and its
    safetensors (the ops the sentiment models use)."""
    from lstmscope_format import safetensors_io as st
    with open(manifest_path, encoding="utf-8") as f:
        man = json.load(f)
    weights = st.read(os.path.join(os.path.dirname(manifest_path), man["weights"]))
    vocab = weights[[k for k in weights if k.endswith(".weight") and
                     man["nodes"][0]["name"] + "." in k][0]].shape[0]
    g = c.xp.Graph(vocab)
    for n in man["nodes"]:
        op, name = n["op"], n["name"]
        if op == "embedding":
            g.embedding(name, weights[name + ".weight"].shape[1])
        elif op == "lstm":
            g.lstm(name, n["input"], n["hidden_size"], num_layers=n.get("num_layers"),
                   bidirectional=n.get("bidirectional"), merge=n.get("merge"),
                   ret=n.get("return"))
        elif op == "dense":
            g.dense(name, n["input"], weights[name + ".weight"].shape[0],
                    activation=n.get("activation"), bias=name + ".bias" in weights)
        elif op == "attention":
            g.attention(name, n["query"], n.get("key"), n.get("value"), score=n.get("score"),
                        causal=n.get("causal"))
        elif op == "attention_pool":
            g.attention_pool(name, n["input"], score=n.get("score"))
        elif op == "concat":
            g.concat(name, n["inputs"])
        elif op == "pool":
            g.pool(name, n["input"], n["mode"])
        elif op == "activation":
            g.activation(name, n["input"], n["function"])
        elif op == "dropout":
            g.dropout(name, n["input"])
        else:
            raise SystemExit(f"{manifest_path}: op {op} not supported here")
    model = g.model(man["output"])
    state = {k: torch.tensor(v) for k, v in weights.items()}
    model.load_state_dict(state, strict=True)
    model.eval()
    return model, man["tokenizer"], man["labels"], man


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    model, tokenizer, labels, man = load_bundled(argv[0])
    lang = "zh" if man["tokenizer"]["type"] == "char" else "en"
    rows = load_suite(argv[1] if len(argv) > 1 else suite_path(lang))
    for ex in man.get("metadata", {}).get("examples", []):
        if "label" in ex:
            rows.append({"capability": "example", "expected": ex["label"], "text": ex["text"]})
    print(argv[0])
    report(run_suite(model, tokenizer, labels, rows), labels)


if __name__ == "__main__":
    c.setup(0)
    main(sys.argv[1:])
