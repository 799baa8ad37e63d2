"""What the exporter tests (exporter_roundtrip.py, exporter_options.py) share:
tools/ on the import path, a small vocabulary and its tokenizer, a few check
texts, named steps that report every failure before the script exits, and
random weights spread enough that softmaxes and gates are far from uniform."""

import os
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

torch.set_num_threads(1)

VOCAB = ["<pad>", "<unk>", "the", "food", "was", "good", "but", "service", "awful", "not",
         "bad", "great", ".", ",", "i", "loved", "it"]
TOK = {"type": "word", "lowercase": True, "vocab": VOCAB, "unk": "<unk>"}
TEXTS = ["The food was good but the service was awful.", "not bad", "great"]
failures = []


def step(name, fn):
    try:
        fn()
        print(f"ok   {name}")
    except Exception as e:  # noqa: BLE001 - report every failure, then exit 1
        failures.append(name)
        print(f"FAIL {name}: {type(e).__name__}: {e}")


def randomize(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.6)
    return model
