#!/usr/bin/python3
"""Att-BLSTM: Zhou et al. 2016, "Attention-Based Bidirectional Long
Short-Term Memory Networks for Relation Classification" (ACL 2016).

The paper's equations (section 3.3), H being the BiLSTM output whose two
directions are added element-wise (h_i = fwd_i + bwd_i, section 3.2):

    M = tanh(H)                 alpha = softmax(w^T M)
    r = H alpha^T               h* = tanh(r)
    p = softmax(W h* + b)

w is a bare parameter of size H (the LSTM width). Here on sentence
classification with a 2-layer BiLSTM, as in the usual re-implementations.

usage: /usr/bin/python3 tools/zoo/att_blstm.py OUTDIR
"""

import sys

import torch
import torch.nn.functional as F
from torch import nn

import zoo_common as common
import export_pytorch as xp


class AttBLSTM(nn.Module):
    def __init__(self, vocab_size, emb_dim=16, hidden_size=12, num_layers=2, num_classes=3,
                 dropout=0.3):
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=0)
        self.emb_dropout = nn.Dropout(dropout)
        self.lstm = nn.LSTM(emb_dim, hidden_size, num_layers=num_layers, bidirectional=True,
                            batch_first=True, dropout=dropout)
        self.lstm_dropout = nn.Dropout(dropout)
        self.w = nn.Parameter(torch.randn(hidden_size))   # the attention vector w
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden_size, num_classes)

    def attention(self, H):                             # H: [B, T, hidden]
        M = torch.tanh(H)
        alpha = F.softmax(torch.matmul(M, self.w), dim=1)              # [B, T]
        r = torch.bmm(H.transpose(1, 2), alpha.unsqueeze(2)).squeeze(2)  # [B, hidden]
        return torch.tanh(r), alpha

    def forward(self, ids):                             # ids: [B, T]
        x = self.emb_dropout(self.embedding(ids))
        out, _ = self.lstm(x)                           # [B, T, 2 * hidden]
        out = self.lstm_dropout(out)
        H = out[:, :, :self.hidden_size] + out[:, :, self.hidden_size:]   # sum the directions
        h_star, _ = self.attention(H)
        logits = self.fc(self.dropout(h_star))
        return F.softmax(logits, dim=-1)


TOKENIZER = common.word_tokenizer()
LABELS = ["negative", "neutral", "positive"]
HIDDEN = 12

# nn.LSTM concatenates the directions between its layers and the model sums
# them only at the top, so the two layers are two nodes: layer 0 with
# `concat`, layer 1 (fed by it) with `sum`.
NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm_l0", "op": "lstm", "input": "emb", "hidden_size": HIDDEN,
     "bidirectional": True},
    {"name": "lstm_l1", "op": "lstm", "input": "lstm_l0", "hidden_size": HIDDEN,
     "bidirectional": True, "merge": "sum"},
    {"name": "att", "op": "attention_pool", "input": "lstm_l1", "score": "tanh"},
    {"name": "h_star", "op": "activation", "input": "att", "function": "tanh"},
    {"name": "probs", "op": "dense", "input": "h_star", "activation": "softmax"},
]
RENAME = {"embedding": "emb", "fc": "probs"}
TENSORS = {**common.lstm_layer_tensors("lstm", 0, "lstm_l0"),
           **common.lstm_layer_tensors("lstm", 1, "lstm_l1"),
           "att.context.weight": "w"}          # [hidden], taken as [1, hidden]
PREDICT = None                                 # forward(ids) returns the probabilities
CHECK_TEXTS = common.ENGLISH_TEXTS[:3]


def build_model():
    torch.manual_seed(1)
    model = AttBLSTM(len(TOKENIZER["vocab"]), hidden_size=HIDDEN, num_classes=len(LABELS))
    return common.randomize(model, seed=1).eval()   # loaded for inference


def export_model(out_dir, cli=None, check=True, tolerance=1e-5, quiet=False):
    return xp.export(build_model(), NODES, TOKENIZER, output="probs", out_dir=out_dir,
                     stem="att_blstm", labels=LABELS,
                     name="Att-BLSTM (Zhou et al. 2016), random weights",
                     description="2-layer BiLSTM, directions summed, attention "
                                 "alpha = softmax(w^T tanh(H)), h* = tanh(H alpha), softmax.",
                     metadata={"paper": "Zhou et al. 2016, ACL, P16-2034",
                               "source": "tools/zoo/att_blstm.py"},
                     check_texts=CHECK_TEXTS, rename=RENAME, tensors=TENSORS,
                     tolerance=tolerance, check=check, cli=cli, quiet=quiet)


if __name__ == "__main__":
    print("wrote", export_model(sys.argv[1] if len(sys.argv) > 1 else "zoo_models"))
