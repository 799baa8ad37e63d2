#!/usr/bin/python3
"""A BiGRU with HAN-style attention pooling over Chinese characters, as the
many "TextRNN + Attention" classifiers configured with rnn_type="gru" are:
the RNN is chosen by name, the attention is Yang et al. 2016's (NAACL 2016,
section 2.2), the GRU is Cho et al. 2014's (EMNLP 2014) as torch.nn.GRU
computes it:

    H = BiGRU(characters), 2 layers        u_t = tanh(W h_t + b)
    a = softmax(u_t . u)                   s = sum_t a_t h_t
    p = softmax(W_o s + b_o)

usage: /usr/bin/python3 tools/zoo/bigru_attention_zh.py OUTDIR
"""

import sys

import torch
import torch.nn.functional as F
from torch import nn

import zoo_common as common
import export_pytorch as xp


class Attention(nn.Module):
    def __init__(self, hidden_dim, attn_dim):
        super().__init__()
        self.W = nn.Linear(hidden_dim, attn_dim)
        self.u = nn.Linear(attn_dim, 1, bias=False)

    def forward(self, h):                                  # [B, T, D]
        scores = self.u(torch.tanh(self.W(h))).squeeze(-1)  # [B, T]
        alpha = F.softmax(scores, dim=-1)
        return torch.sum(alpha.unsqueeze(-1) * h, dim=1), alpha


class TextRNNAttention(nn.Module):
    def __init__(self, vocab_size, embed_dim=16, hidden_size=8, num_layers=2, num_classes=2,
                 attn_dim=10, rnn_type="lstm", dropout=0.1):
        super().__init__()
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[rnn_type]
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.rnn = rnn(embed_dim, hidden_size, num_layers=num_layers, bidirectional=True,
                       batch_first=True, dropout=dropout)
        self.attention = Attention(2 * hidden_size, attn_dim)
        self.fc = nn.Linear(2 * hidden_size, num_classes)

    def forward(self, ids):
        out, _ = self.rnn(self.embedding(ids))             # [B, T, 2 * hidden]
        sent, alpha = self.attention(out)
        return F.softmax(self.fc(sent), dim=-1), alpha


TOKENIZER = common.char_tokenizer()
LABELS = ["差评", "好评"]

NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "gru", "op": "gru", "input": "emb", "hidden_size": 8, "num_layers": 2,
     "bidirectional": True},
    {"name": "att", "op": "attention_pool", "input": "gru", "score": "tanh_proj"},
    {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"},
]
RENAME = {"embedding": "emb", "rnn": "gru", "fc": "probs"}
TENSORS = {"att.proj.weight": "attention.W.weight", "att.proj.bias": "attention.W.bias",
           "att.context.weight": "attention.u.weight"}
PREDICT = None                  # forward(ids) -> (probs, alpha): the exporter takes probs
CHECK_TEXTS = common.CHINESE_TEXTS[:3]


def build_model():
    torch.manual_seed(7)
    model = TextRNNAttention(len(TOKENIZER["vocab"]), num_classes=len(LABELS), rnn_type="gru")
    return common.randomize(model, seed=7).eval()   # loaded for inference


def export_model(out_dir, cli=None, check=True, tolerance=1e-5, quiet=False):
    return xp.export(build_model(), NODES, TOKENIZER, output="probs", out_dir=out_dir,
                     stem="bigru_attention_zh", labels=LABELS,
                     name="BiGRU + attention over Chinese characters, random weights",
                     description="2-layer BiGRU (rnn_type='gru'), u = tanh(W h + b), "
                                 "a = softmax(u . u_w), s = sum a h, softmax.",
                     metadata={"paper": "Yang et al. 2016, NAACL (attention); "
                                        "Cho et al. 2014, EMNLP (GRU)",
                               "source": "tools/zoo/bigru_attention_zh.py"},
                     check_texts=CHECK_TEXTS, rename=RENAME, tensors=TENSORS,
                     tolerance=tolerance, check=check, cli=cli, quiet=quiet)


if __name__ == "__main__":
    print("wrote", export_model(sys.argv[1] if len(sys.argv) > 1 else "zoo_models"))
