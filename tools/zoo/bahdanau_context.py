#!/usr/bin/python3
"""Additive context attention: Bahdanau et al. 2015, "Neural Machine
Translation by Jointly Learning to Align and Translate" (ICLR 2015), the
alignment model of section 3.1 / appendix A.1.2, e = v^T tanh(W s + U h),
as text classifiers use it with the encoder's final state s in the role of
the decoder state. W s + U h is one linear layer on [h_t ; s], as most code
writes it:

    e_t = v^T tanh(W_a [h_t ; s] + b_a)      a = softmax(e)
    c = sum_t a_t h_t                        p = softmax(W_o [c ; s] + b_o)

A one-layer BiLSTM; s = [h_n forward ; h_n backward].

usage: /usr/bin/python3 tools/zoo/bahdanau_context.py OUTDIR
"""

import sys

import torch
import torch.nn.functional as F
from torch import nn

import zoo_common as common
import export_pytorch as xp


class AdditiveAttention(nn.Module):
    def __init__(self, enc_dim, state_dim, attn_dim):
        super().__init__()
        self.attn = nn.Linear(enc_dim + state_dim, attn_dim)
        self.v = nn.Parameter(torch.rand(attn_dim))

    def forward(self, encoder_outputs, state):          # [B, T, enc], [B, state]
        T = encoder_outputs.size(1)
        state = state.unsqueeze(1).repeat(1, T, 1)      # the state joined to every position
        energy = torch.tanh(self.attn(torch.cat([encoder_outputs, state], dim=2)))
        scores = torch.matmul(energy, self.v)           # [B, T]
        weights = F.softmax(scores, dim=1)
        context = torch.bmm(weights.unsqueeze(1), encoder_outputs).squeeze(1)
        return context, weights


class BahdanauClassifier(nn.Module):
    def __init__(self, vocab_size, emb_dim=16, enc_hidden=9, attn_dim=11, n_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim)
        self.encoder = nn.LSTM(emb_dim, enc_hidden, bidirectional=True, batch_first=True)
        self.attention = AdditiveAttention(2 * enc_hidden, 2 * enc_hidden, attn_dim)
        self.out = nn.Linear(4 * enc_hidden, n_classes)

    def forward(self, ids):
        outputs, (h_n, _) = self.encoder(self.embedding(ids))
        final = torch.cat([h_n[0], h_n[1]], dim=1)      # [B, 2 * hidden]
        context, _ = self.attention(outputs, final)
        return F.softmax(self.out(torch.cat([context, final], dim=1)), dim=1)


TOKENIZER = common.word_tokenizer()
LABELS = ["negative", "positive"]

# The engine's attention_pool weighs the rows of its input, here [h_t ; s];
# since the weights sum to 1 its output is [c ; s], what the classifier reads.
NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 9, "bidirectional": True},
    {"name": "final", "op": "pool", "input": "lstm", "mode": "final"},
    {"name": "joined", "op": "concat", "inputs": ["lstm", "final"]},   # s repeated on every row
    {"name": "att", "op": "attention_pool", "input": "joined", "score": "tanh_proj"},
    {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"},
]
RENAME = {"embedding": "emb", "encoder": "lstm", "out": "probs"}
TENSORS = {"att.proj.weight": "attention.attn.weight", "att.proj.bias": "attention.attn.bias",
           "att.context.weight": "attention.v"}          # [attn_dim], taken as [1, attn_dim]
PREDICT = None
CHECK_TEXTS = common.ENGLISH_TEXTS[:1] + common.ENGLISH_TEXTS[3:5]


def build_model():
    torch.manual_seed(5)
    model = BahdanauClassifier(len(TOKENIZER["vocab"]), n_classes=len(LABELS))
    return common.randomize(model, seed=5).eval()   # loaded for inference


def export_model(out_dir, cli=None, check=True, tolerance=1e-5, quiet=False):
    return xp.export(build_model(), NODES, TOKENIZER, output="probs", out_dir=out_dir,
                     stem="bahdanau_context", labels=LABELS,
                     name="Additive context attention (Bahdanau et al. 2015), random weights",
                     description="BiLSTM; e = v^T tanh(W [h_t ; s] + b) with s the final "
                                 "state; c = sum a h; softmax(W_o [c ; s] + b_o).",
                     metadata={"paper": "Bahdanau et al. 2015, ICLR, arXiv:1409.0473",
                               "source": "tools/zoo/bahdanau_context.py"},
                     check_texts=CHECK_TEXTS, rename=RENAME, tensors=TENSORS,
                     tolerance=tolerance, check=check, cli=cli, quiet=quiet)


if __name__ == "__main__":
    print("wrote", export_model(sys.argv[1] if len(sys.argv) > 1 else "zoo_models"))
