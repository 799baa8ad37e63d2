#!/usr/bin/python3
"""Luong-style dot attention whose query is the final hidden state: Luong et
al. 2015, "Effective Approaches to Attention-based Neural Machine
Translation" (EMNLP 2015), the `dot` score of section 3.1, applied the way
text classifiers commonly do, with the encoder's last state as the query:

    q = [h_n(forward, top layer) ; h_n(backward, top layer)]
    score_t = h_t . q        a = softmax(score)        c = sum_t a_t h_t
    p = softmax(W [c ; q] + b)

A 2-layer BiLSTM; the query is torch.cat([h_n[-2], h_n[-1]], 1), the top
layer's two final states.

usage: /usr/bin/python3 tools/zoo/luong_final_query.py OUTDIR
"""

import sys

import torch
import torch.nn.functional as F
from torch import nn

import zoo_common as common
import export_pytorch as xp


class BiLSTMDotAttention(nn.Module):
    def __init__(self, vocab_size, emb_dim=16, hidden_dim=8, n_layers=2, output_dim=3,
                 dropout=0.2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim)
        self.rnn = nn.LSTM(emb_dim, hidden_dim, num_layers=n_layers, bidirectional=True,
                           batch_first=True, dropout=dropout)
        self.fc = nn.Linear(4 * hidden_dim, output_dim)
        self.dropout = nn.Dropout(dropout)

    @staticmethod
    def attention(output, query):                      # [B, T, 2H], [B, 2H]
        scores = torch.bmm(output, query.unsqueeze(2)).squeeze(2)     # [B, T]
        weights = F.softmax(scores, dim=1)
        context = torch.bmm(output.transpose(1, 2), weights.unsqueeze(2)).squeeze(2)
        return context, weights

    def forward(self, ids):                            # ids: [B, T]
        embedded = self.dropout(self.embedding(ids))
        output, (hidden, cell) = self.rnn(embedded)
        query = torch.cat([hidden[-2], hidden[-1]], dim=1)   # top layer, both directions
        context, _ = self.attention(output, query)
        return F.softmax(self.fc(self.dropout(torch.cat([context, query], dim=1))), dim=1)


TOKENIZER = common.word_tokenizer()
LABELS = ["negative", "neutral", "positive"]

NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 8, "num_layers": 2,
     "bidirectional": True},
    {"name": "final", "op": "pool", "input": "lstm", "mode": "final"},
    {"name": "context", "op": "attention", "query": "final", "key": "lstm", "score": "dot"},
    {"name": "joined", "op": "concat", "inputs": ["context", "final"]},
    {"name": "probs", "op": "dense", "input": "joined", "activation": "softmax"},
]
RENAME = {"embedding": "emb", "rnn": "lstm", "fc": "probs"}
TENSORS = {}
PREDICT = None
CHECK_TEXTS = common.ENGLISH_TEXTS[:2] + common.ENGLISH_TEXTS[3:4]


def build_model():
    torch.manual_seed(4)
    model = BiLSTMDotAttention(len(TOKENIZER["vocab"]), output_dim=len(LABELS))
    return common.randomize(model, seed=4).eval()   # loaded for inference


def export_model(out_dir, cli=None, check=True, tolerance=1e-5, quiet=False):
    return xp.export(build_model(), NODES, TOKENIZER, output="probs", out_dir=out_dir,
                     stem="luong_final_query", labels=LABELS,
                     name="Dot attention with the final state as query (Luong et al. 2015), "
                          "random weights",
                     description="2-layer BiLSTM; q = [h_n fwd ; h_n bwd]; a = softmax(H q); "
                                 "c = sum a h; softmax(W [c ; q] + b).",
                     metadata={"paper": "Luong et al. 2015, EMNLP, D15-1166",
                               "source": "tools/zoo/luong_final_query.py"},
                     check_texts=CHECK_TEXTS, rename=RENAME,
                     tolerance=tolerance, check=check, cli=cli, quiet=quiet)


if __name__ == "__main__":
    print("wrote", export_model(sys.argv[1] if len(sys.argv) > 1 else "zoo_models"))
