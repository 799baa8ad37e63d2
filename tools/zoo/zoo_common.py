"""What the zoo models share: the vocabularies they were "trained" with, the
texts they are checked on, and seeded random weights.

The zoo's models are not trained (tools/zoo/README.md): they exist to show
that a model written the way papers' code is written exports as it is and
runs in lstmscope exactly as in PyTorch. Random weights do that as well as
trained ones, provided they are large enough that every softmax and gate is
far from uniform; `randomize` sees to that.
"""

import os
import sys

import torch

ZOO_DIR = os.path.dirname(os.path.abspath(__file__))
TOOLS_DIR = os.path.dirname(ZOO_DIR)
if TOOLS_DIR not in sys.path:
    sys.path.insert(0, TOOLS_DIR)

from lstmscope_format.tokenizer import split  # noqa: E402

# English reviews: enough words that the check texts have few unknowns.
ENGLISH_TEXTS = [
    "The food was good but the service was awful.",
    "not bad at all",
    "I loved it, great food and a friendly waiter!",
    "Terrible. The soup was cold and the bread was stale, never again.",
    "an average place: nothing special, nothing wrong",
]

# Chinese reviews, read one character at a time.
CHINESE_TEXTS = [
    "这家餐厅的菜很好吃，服务也很好。",
    "不好吃，太贵了",
    "服务员态度很差，再也不来了！",
    "还行吧，一般般",
]


def word_tokenizer(texts=ENGLISH_TEXTS, extra=()):
    """A word tokenizer (models/FORMAT.md) whose vocabulary is every word of
    `texts` (lowercased) plus `extra`: <pad> is id 0 and <unk> id 1, as in
    most published preprocessing scripts."""
    words = sorted({w for t in texts for w in split("word", t)} | set(extra))
    return {"type": "word", "lowercase": True, "vocab": ["<pad>", "<unk>"] + words,
            "unk": "<unk>"}


def char_tokenizer(texts=CHINESE_TEXTS):
    """A character tokenizer: one token per character, white space skipped."""
    chars = sorted({c for t in texts for c in split("char", t)})
    return {"type": "char", "vocab": ["<pad>", "<unk>"] + chars, "unk": "<unk>"}


def randomize(model, seed, scale=0.5):
    """Every parameter drawn from N(0, scale^2) with a fixed seed, so that a
    model's weights (and the checks computed from them) are the same on every
    run and its attention weights are far from uniform."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * scale)
    return model


def lstm_layer_tensors(prefix, layer, node, bidirectional=True):
    """{format name: state_dict key} moving layer `layer` of the nn.LSTM/GRU
    at `prefix` to layer 0 of the format node `node`: a stacked RNN whose top
    layer's directions are merged other than by concatenation becomes one
    node per layer (the format merges the directions of every layer of a
    node, nn.LSTM only concatenates them)."""
    out = {}
    for suffix in ([""] + (["_reverse"] if bidirectional else [])):
        for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            out[f"{node}.{kind}_l0{suffix}"] = f"{prefix}.{kind}_l{layer}{suffix}"
    return out
