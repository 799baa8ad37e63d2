"""The benchmark model shared by tools/bench_vs_torch.py and
tools/bench_vs_onnxruntime.py, and its export to lstmscope's format.

Embedding(vocab, emb) -> BiLSTM (layers, hidden) -> multi-head self-attention
(nn.MultiheadAttention, 2*hidden wide) over the BiLSTM output -> attention
pooling (tanh_proj, att wide) -> Dense(classes, softmax). The defaults are
bench_vs_torch's model: E=128, H=256, 2 layers, 8 heads.
"""

import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lstmscope_format import manifest as mf  # noqa: E402


class BenchModel(nn.Module):
    def __init__(self, vocab=1000, emb=128, hidden=256, layers=2, heads=8, att=128, classes=2):
        super().__init__()
        self.vocab, self.hidden, self.layers, self.heads, self.classes = vocab, hidden, layers, heads, classes
        self.emb = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, num_layers=layers, bidirectional=True, batch_first=True)
        self.mha = nn.MultiheadAttention(2 * hidden, heads, batch_first=True)
        self.pool_proj = nn.Linear(2 * hidden, att)
        self.pool_context = nn.Linear(att, 1, bias=False)
        self.probs = nn.Linear(2 * hidden, classes)

    def forward(self, ids):
        """The probabilities only (what bench_vs_torch times)."""
        h, _ = self.lstm(self.emb(ids))
        m, _ = self.mha(h, h, h, need_weights=False)
        return self._pool_and_classify(m)[0]

    def forward_all(self, ids):
        """(probabilities [B, classes], per-head attention [B, heads, T, T],
        pooling weights [B, T], BiLSTM output [B, T, 2H]): what lstmscope's
        trace records besides the gates and cell states."""
        h, _ = self.lstm(self.emb(ids))
        m, attention = self.mha(h, h, h, need_weights=True, average_attn_weights=False)
        probs, pool = self._pool_and_classify(m)
        return probs, attention, pool, h

    def _pool_and_classify(self, m):
        scores = self.pool_context(torch.tanh(self.pool_proj(m))).squeeze(-1)
        a = torch.softmax(scores, dim=1)
        pooled = torch.bmm(a.unsqueeze(1), m).squeeze(1)
        return torch.softmax(self.probs(pooled), dim=-1), a


def export(model, directory, texts, vocab, description="random weights, for tools/bench_vs_torch.py"):
    """Write DIRECTORY/bench.json + .safetensors with one self-check per text
    (PyTorch's output, tolerance 1e-4); returns the manifest path."""
    tensors = {}
    for k, v in model.state_dict().items():
        name = k.replace("pool_proj.", "pool.proj.").replace("pool_context.", "pool.context.")
        tensors[name] = v
    tok = {"type": "whitespace", "lowercase": False, "vocab": vocab, "unk": None}
    nodes = [
        {"name": "emb", "op": "embedding", "input": "tokens"},
        {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": model.hidden, "num_layers": model.layers,
         "bidirectional": True},
        {"name": "mha", "op": "multihead_attention", "query": "lstm", "num_heads": model.heads},
        {"name": "pool", "op": "attention_pool", "input": "mha", "score": "tanh_proj"},
        {"name": "probs", "op": "dense", "input": "pool", "activation": "softmax"},
    ]
    checks = []
    with torch.no_grad():
        for text in texts:
            ids = torch.tensor([[vocab.index(w) for w in text.split()]])
            checks.append({"text": text, "output": model(ids).tolist(), "tolerance": 1e-4})
    title = f"bench: BiLSTM {model.layers}x{model.hidden} + MHA {model.heads} heads + attention pooling"
    labels = ["a", "b"] if model.classes == 2 else [f"c{k}" for k in range(model.classes)]
    manifest = mf.make_manifest(title, tok, "classification", "probs", nodes, labels=labels, checks=checks,
                                description=description)
    return mf.write_model(directory, "bench", manifest, tensors)
