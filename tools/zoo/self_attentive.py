#!/usr/bin/python3
"""Structured self-attentive sentence embedding: Lin et al. 2017, "A
Structured Self-Attentive Sentence Embedding" (ICLR 2017).

H (T x 2u) is the BiLSTM output. r attention hops, each a distribution over
the tokens (section 2):

    A = softmax(W_s2 tanh(W_s1 H^T))        (r x T, softmax over the tokens)
    M = A H                                 (r x 2u, the sentence embedding)

M is flattened and classified by a 2-layer MLP (ReLU). The forward returns
(probabilities, A), as the paper's code does for its penalization term
||A A^T - I||_F^2 (a training loss, not needed here).

usage: /usr/bin/python3 tools/zoo/self_attentive.py OUTDIR
"""

import sys

import torch
import torch.nn.functional as F
from torch import nn

import zoo_common as common
import export_pytorch as xp


class StructuredSelfAttention(nn.Module):
    def __init__(self, vocab_size, emb_dim=16, lstm_hidden=10, d_a=12, r=30, mlp_hidden=24,
                 num_classes=2, dropout=0.5):
        super().__init__()
        self.r = r
        self.embeddings = nn.Embedding(vocab_size, emb_dim)
        self.bilstm = nn.LSTM(emb_dim, lstm_hidden, bidirectional=True)   # [T, B, *] layout
        self.W_s1 = nn.Linear(2 * lstm_hidden, d_a, bias=False)
        self.W_s2 = nn.Linear(d_a, r, bias=False)
        self.fc = nn.Linear(r * 2 * lstm_hidden, mlp_hidden)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(mlp_hidden, num_classes)

    def forward(self, ids):                              # ids: [B, T]
        emb = self.embeddings(ids).transpose(0, 1)       # [T, B, E]
        H, _ = self.bilstm(emb)
        H = H.transpose(0, 1)                            # [B, T, 2u]
        A = self.W_s2(torch.tanh(self.W_s1(H)))          # [B, T, r]
        A = F.softmax(A, dim=1).transpose(1, 2)          # [B, r, T]: each hop sums to 1
        M = torch.bmm(A, H)                              # [B, r, 2u]
        hidden = F.relu(self.fc(M.view(M.size(0), -1)))  # flattened, hop 0 first
        probs = F.softmax(self.out(self.drop(hidden)), dim=1)
        return probs, A


TOKENIZER = common.word_tokenizer()
LABELS = ["negative", "positive"]
HOPS = 30

NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 10, "bidirectional": True},
    # r hops: proj = W_s1 [d_a, 2u], context = W_s2 [r, d_a]; output r x 2u = M
    {"name": "att", "op": "attention_pool", "input": "lstm", "score": "tanh_proj", "hops": HOPS},
    {"name": "flat", "op": "flatten", "input": "att"},
    {"name": "mlp", "op": "dense", "input": "flat", "activation": "relu"},
    {"name": "probs", "op": "dense", "input": "mlp", "activation": "softmax"},
]
RENAME = {"embeddings": "emb", "bilstm": "lstm", "fc": "mlp", "out": "probs"}
TENSORS = {"att.proj.weight": "W_s1.weight", "att.context.weight": "W_s2.weight"}
PREDICT = None                   # forward(ids) -> (probs, A): the exporter takes probs
CHECK_TEXTS = common.ENGLISH_TEXTS[1:4]


def build_model():
    torch.manual_seed(2)
    model = StructuredSelfAttention(len(TOKENIZER["vocab"]), r=HOPS, num_classes=len(LABELS))
    common.randomize(model, seed=2)
    with torch.no_grad():
        model.fc.weight.mul_(0.1)    # 600 inputs: keeps the MLP's outputs short of saturating
    return model.eval()   # loaded for inference


def export_model(out_dir, cli=None, check=True, tolerance=1e-5, quiet=False):
    return xp.export(build_model(), NODES, TOKENIZER, output="probs", out_dir=out_dir,
                     stem="self_attentive", labels=LABELS,
                     name="Structured self-attentive embedding (Lin et al. 2017), random weights",
                     description=f"BiLSTM, {HOPS} attention hops A = softmax(W_s2 tanh(W_s1 H^T)), "
                                 "M = A H flattened, MLP, softmax.",
                     metadata={"paper": "Lin et al. 2017, ICLR, arXiv:1703.03130",
                               "source": "tools/zoo/self_attentive.py"},
                     check_texts=CHECK_TEXTS, rename=RENAME, tensors=TENSORS,
                     tolerance=tolerance, check=check, cli=cli, quiet=quiet)


if __name__ == "__main__":
    print("wrote", export_model(sys.argv[1] if len(sys.argv) > 1 else "zoo_models"))
