#!/usr/bin/python3
"""Bring your own PyTorch model: train a small BiLSTM + attention classifier
written as an ordinary nn.Module, export it to the lstmscope format, and let
lstmscope-cli check that the engine computes what PyTorch computed.

Run from the repository root (this is the README's example, verbatim below
this docstring; tests/models/exporter_roundtrip.py keeps the two equal):

    /usr/bin/python3 tools/examples/bring_your_own_model.py my_model
    build/lstmscope-cli trace my_model/my_model.json --text "not good at all"
"""
import sys

import torch
from torch import nn

sys.path.insert(0, "tools")                       # run from the repository root
import export_pytorch as xp                       # tools/export_pytorch.py
from lstmscope_format.tokenizer import Tokenizer  # the engine's tokenizer, in Python

torch.manual_seed(0)
out_dir = sys.argv[1] if len(sys.argv) > 1 else "my_model"

# 1. Text -> ids with the engine's own tokenizer, so training and lstmscope agree.
texts = ["good food", "great service", "i loved it", "not bad at all",
         "awful food", "bad service", "i hated it", "not good at all"]
labels = [1, 1, 1, 1, 0, 0, 0, 0]
words = sorted({t["text"] for s in texts
                for t in Tokenizer({"type": "word", "vocab": ["<unk>"], "unk": "<unk>"})
                .tokenize(s)["tokens"]})
tokenizer = {"type": "word", "lowercase": True, "vocab": ["<pad>", "<unk>"] + words,
             "unk": "<unk>"}
tok = Tokenizer(tokenizer)


# 2. Your model, with your own names for its parts.
class MyClassifier(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, 16)
        self.encoder = nn.LSTM(16, 16, batch_first=True, bidirectional=True)
        self.pool = xp.AttentionPool(32, score="tanh_proj", attn_dim=16)  # attention pooling
        self.head = nn.Linear(32, 2)

    def forward(self, ids):                     # ids: [batch, T]
        h, _ = self.encoder(self.embed(ids))    # [batch, T, 32]
        pooled, _ = self.pool(h)                # [batch, 1, 32]
        return torch.softmax(self.head(pooled), dim=-1)   # [batch, 1, 2]


model = MyClassifier(len(tokenizer["vocab"]))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for step in range(60):                          # texts one at a time: no padding to mask
    for text, y in zip(texts, labels):
        probs = model(torch.tensor([tok.ids(text)]))
        loss = -torch.log(probs[0, 0, y])
        opt.zero_grad()
        loss.backward()
        opt.step()

# 3. The graph in the format's terms: one node per part, wired as in forward().
nodes = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 16, "bidirectional": True},
    {"name": "att", "op": "attention_pool", "input": "lstm", "score": "tanh_proj"},
    {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"},
]

# 4. Export: weights renamed from your module names to the node names, checks
#    computed by your model, then `lstmscope-cli check` runs them in the engine.
path = xp.export(
    model, nodes, tokenizer, output="probs", out_dir=out_dir, stem="my_model",
    task="classification", labels=["negative", "positive"],
    name="My first exported model", description="Toy BiLSTM + attention pooling.",
    metadata={"trained_on": "8 toy sentences"},
    check_texts=["not good at all", "great food", "i loved the service"],
    rename={"embed": "emb", "encoder": "lstm", "pool": "att", "head": "probs"})
print("wrote", path)
