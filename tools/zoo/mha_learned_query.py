#!/usr/bin/python3
"""Attention pooling with a learned query through nn.MultiheadAttention
(Vaswani et al. 2017, "Attention Is All You Need", section 3.2.2): one
trained query vector attends over the BiLSTM states with 4 heads, the
"pooling by multi-head attention" of Lee et al. 2019 (Set Transformer,
PMA with one seed vector) on an LSTM encoder:

    q: a bare parameter [1, 1, D]        pooled = MultiHead(q, H, H)    (1 x D)
    log p = log_softmax(W pooled + b)

nn.MultiheadAttention is used in its default [T, B, D] layout, the LSTM in
[B, T, D]; the output is log-probabilities, for nn.NLLLoss.

usage: /usr/bin/python3 tools/zoo/mha_learned_query.py OUTDIR
"""

import sys

import torch
import torch.nn.functional as F
from torch import nn

import zoo_common as common
import export_pytorch as xp


class LSTMAttentionPooling(nn.Module):
    def __init__(self, vocab_size, emb_dim=16, hidden=8, num_heads=4, num_classes=3):
        super().__init__()
        d_model = 2 * hidden
        self.embed = nn.Embedding(vocab_size, emb_dim)
        self.lstm = nn.LSTM(emb_dim, hidden, batch_first=True, bidirectional=True)
        self.query = nn.Parameter(torch.randn(1, 1, d_model))    # [L=1, B=1, D]
        self.pool = nn.MultiheadAttention(d_model, num_heads)    # [T, B, D] inputs
        self.classifier = nn.Linear(d_model, num_classes)

    def forward(self, ids):                               # ids: [B, T]
        h, _ = self.lstm(self.embed(ids))                 # [B, T, D]
        h = h.transpose(0, 1)                             # [T, B, D]
        q = self.query.expand(-1, h.size(1), -1)          # [1, B, D]
        pooled, _ = self.pool(q, h, h)                    # [1, B, D]
        return F.log_softmax(self.classifier(pooled.squeeze(0)), dim=-1)


TOKENIZER = common.word_tokenizer()
LABELS = ["complaint", "praise", "question"]

NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 8, "bidirectional": True},
    {"name": "query", "op": "parameter"},                                   # 1 x D
    {"name": "pooled", "op": "multihead_attention", "query": "query", "key": "lstm",
     "num_heads": 4},
    {"name": "log_probs", "op": "dense", "input": "pooled", "activation": "log_softmax"},
]
RENAME = {"embed": "emb", "pool": "pooled", "classifier": "log_probs"}
TENSORS = {"query.weight": "query"}                  # [1, 1, D], taken as the [1, D] matrix
PREDICT = None
CHECK_TEXTS = common.ENGLISH_TEXTS[:2] + common.ENGLISH_TEXTS[4:5]


def build_model():
    torch.manual_seed(6)
    model = LSTMAttentionPooling(len(TOKENIZER["vocab"]), num_classes=len(LABELS))
    return common.randomize(model, seed=6).eval()   # loaded for inference


def export_model(out_dir, cli=None, check=True, tolerance=1e-5, quiet=False):
    return xp.export(build_model(), NODES, TOKENIZER, output="log_probs", out_dir=out_dir,
                     stem="mha_learned_query", labels=LABELS,
                     name="BiLSTM + multi-head attention with a learned query, random weights",
                     description="BiLSTM; a trained query attends over the states with "
                                 "nn.MultiheadAttention (4 heads); linear, log_softmax.",
                     metadata={"paper": "Vaswani et al. 2017 (multi-head attention); "
                                        "Lee et al. 2019, ICML (pooling by attention)",
                               "source": "tools/zoo/mha_learned_query.py"},
                     check_texts=CHECK_TEXTS, rename=RENAME, tensors=TENSORS,
                     tolerance=tolerance, check=check, cli=cli, quiet=quiet)


if __name__ == "__main__":
    print("wrote", export_model(sys.argv[1] if len(sys.argv) > 1 else "zoo_models"))
