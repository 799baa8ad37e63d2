#!/usr/bin/python3
"""HAN word-level attention: Yang et al. 2016, "Hierarchical Attention
Networks for Document Classification" (NAACL 2016), section 2.2, the word
encoder and word attention, used on one sentence:

    h_it = [fwd_it ; bwd_it]                (a bidirectional RNN; an LSTM here)
    u_it = tanh(W_w h_it + b_w)
    alpha_it = softmax_t(u_it . u_w)        (u_w: the word context vector)
    s_i = sum_t alpha_it h_it

then a linear classifier on s_i (the model returns logits, for
nn.CrossEntropyLoss). As in most implementations the forward takes a padded
batch and its lengths, packs it for the RNN and masks the padding out of
the softmax; u_w is a bare parameter of shape [attn_dim, 1].

usage: /usr/bin/python3 tools/zoo/han_word_attention.py OUTDIR
"""

import sys

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import zoo_common as common
import export_pytorch as xp


class HANWordAttention(nn.Module):
    def __init__(self, vocab_size, emb_dim=16, word_hidden=10, attn_dim=14, num_classes=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=0)
        self.word_rnn = nn.LSTM(emb_dim, word_hidden, bidirectional=True, batch_first=True)
        self.word_fc = nn.Linear(2 * word_hidden, attn_dim)          # W_w, b_w
        self.u_w = nn.Parameter(torch.randn(attn_dim, 1))           # word context vector
        self.classifier = nn.Linear(2 * word_hidden, num_classes)

    def forward(self, ids, lengths):                  # ids: [B, T] padded, lengths: [B]
        emb = self.embedding(ids)
        packed = pack_padded_sequence(emb, lengths.cpu(), batch_first=True, enforce_sorted=False)
        h, _ = pad_packed_sequence(self.word_rnn(packed)[0], batch_first=True,
                                   total_length=ids.size(1))          # [B, T, 2 * hidden]
        u = torch.tanh(self.word_fc(h))                               # [B, T, attn_dim]
        scores = torch.matmul(u, self.u_w).squeeze(-1)                # [B, T]
        mask = torch.arange(ids.size(1), device=ids.device)[None, :] < lengths[:, None]
        alpha = F.softmax(scores.masked_fill(~mask, float("-inf")), dim=1)
        s = (alpha.unsqueeze(-1) * h).sum(dim=1)                      # [B, 2 * hidden]
        return self.classifier(s)


TOKENIZER = common.word_tokenizer()
LABELS = ["1 star", "2 stars", "4 stars", "5 stars"]

NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 10, "bidirectional": True},
    {"name": "att", "op": "attention_pool", "input": "lstm", "score": "tanh_proj"},
    {"name": "logits", "op": "dense", "input": "att", "activation": "linear"},
]
RENAME = {"embedding": "emb", "word_rnn": "lstm", "classifier": "logits"}
TENSORS = {"att.proj.weight": "word_fc.weight", "att.proj.bias": "word_fc.bias",
           "att.context.weight": ("u_w", lambda u: u.t())}    # [attn_dim, 1] -> [1, attn_dim]


def PREDICT(model, ids):
    """The forward takes (ids, lengths): one text is a batch of one."""
    return model(ids.unsqueeze(0), torch.tensor([ids.numel()]))


CHECK_TEXTS = common.ENGLISH_TEXTS[2:5]


def build_model():
    torch.manual_seed(3)
    model = HANWordAttention(len(TOKENIZER["vocab"]), num_classes=len(LABELS))
    return common.randomize(model, seed=3).eval()   # loaded for inference


def export_model(out_dir, cli=None, check=True, tolerance=1e-5, quiet=False):
    model = build_model()
    return xp.export(model, NODES, TOKENIZER, output="logits", out_dir=out_dir,
                     stem="han_word_attention", labels=LABELS,
                     name="HAN word attention (Yang et al. 2016), random weights",
                     description="BiLSTM word encoder, u = tanh(W h + b), "
                                 "alpha = softmax(u . u_w), s = sum alpha h, linear logits.",
                     metadata={"paper": "Yang et al. 2016, NAACL, N16-1174",
                               "source": "tools/zoo/han_word_attention.py"},
                     check_texts=CHECK_TEXTS, rename=RENAME, tensors=TENSORS,
                     predict=lambda ids: PREDICT(model, ids),
                     tolerance=tolerance, check=check, cli=cli, quiet=quiet)


if __name__ == "__main__":
    print("wrote", export_model(sys.argv[1] if len(sys.argv) > 1 else "zoo_models"))
