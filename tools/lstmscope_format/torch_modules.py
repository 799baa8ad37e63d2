"""PyTorch modules for the format's ops that torch.nn does not have
(models/FORMAT.md). Their parameter names are the format's, so a model built
from them needs no renaming: AttentionPool (`attention_pool`, with `hops`),
Attention (`attention`), SeparateMultiheadAttention (`multihead_attention`
with separate projections), LearnedParameter (`parameter`), and
apply_activation (the `activation` functions)."""

import math

import torch
import torch.nn.functional as F
from torch import nn

from .op_tables import ExportError


def apply_activation(name, x):
    if name == "linear":
        return x
    if name == "relu":
        return torch.relu(x)
    if name == "tanh":
        return torch.tanh(x)
    if name == "sigmoid":
        return torch.sigmoid(x)
    if name == "softmax":
        return torch.softmax(x, dim=-1)
    if name == "log_softmax":
        return torch.log_softmax(x, dim=-1)
    if name == "gelu":
        return F.gelu(x)  # exact erf form, as the engine
    raise ExportError(f"unknown activation {name!r}")


class AttentionPool(nn.Module):
    """spec `attention_pool`: scores for every position, a softmax over the
    positions, weighted sums of the rows.

    score: "tanh_proj" (w . tanh(W h + b), HAN; needs attn_dim), "tanh"
    (w . tanh(h), Att-BLSTM), "linear" (w . h + b), "tanh_linear"
    (tanh(w . h + b)). hops r > 1 (Lin et al. 2017, "A structured
    self-attentive sentence embedding"): r rows of context weights, r
    softmaxes, r pooled rows.
    forward(h [B, T, D], mask [B, T] bool or None) returns (pooled [B, r, D],
    weights): weights [B, T] when hops is 1 (as before hops existed), else
    [B, r, T]."""

    def __init__(self, dim, score="tanh_proj", attn_dim=None, bias=True, hops=1):
        super().__init__()
        self.score = score
        self.hops = int(hops)
        if self.hops < 1:
            raise ExportError(f"AttentionPool: hops must be >= 1, not {hops!r}")
        if score == "tanh_proj":
            if attn_dim is None:
                raise ExportError("AttentionPool(score='tanh_proj') needs attn_dim")
            self.proj = nn.Linear(dim, attn_dim, bias=bias)
            self.context = nn.Linear(attn_dim, self.hops, bias=False)
        elif score == "tanh":
            self.context = nn.Linear(dim, self.hops, bias=False)
        elif score in ("linear", "tanh_linear"):
            self.context = nn.Linear(dim, self.hops, bias=bias)
        else:
            raise ExportError(f"AttentionPool: unknown score {score!r}")

    def forward(self, h, mask=None):
        if self.score == "tanh_proj":
            s = self.context(torch.tanh(self.proj(h)))
        elif self.score == "tanh":
            s = self.context(torch.tanh(h))
        elif self.score == "linear":
            s = self.context(h)
        else:
            s = torch.tanh(self.context(h))
        s = s.transpose(1, 2)  # [B, r, T]
        if mask is not None:
            s = s.masked_fill(~mask[:, None, :], float("-inf"))
        a = torch.softmax(s, dim=-1)
        pooled = torch.bmm(a, h)
        return pooled, (a[:, 0] if self.hops == 1 else a)


class LearnedParameter(nn.Module):
    """spec `parameter`: a learned R x D matrix (a query for attention over
    the tokens, a class embedding); `.weight` [R, D]. forward(batch) returns
    it as [batch, R, D]."""

    def __init__(self, rows, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(rows, dim) / math.sqrt(dim))

    def forward(self, batch=1):
        return self.weight.unsqueeze(0).expand(batch, -1, -1)


class Attention(nn.Module):
    """spec `attention`: S = score(q_i, k_j) (times `scale` if scale is not
    None; the scale is then a learnable parameter [1]), A = softmax over each
    row of S (optionally causal), output A V.

    score: "dot", "scaled_dot", "general" (q . W k; needs dq, dk),
    "additive" (v . tanh(Wq q + Wk k + b); needs dq, dk, attn_dim).
    forward(q [B,Tq,dq], k [B,Tk,dk], v [B,Tk,dv], key_mask [B,Tk] or None)
    returns (output [B,Tq,dv], weights [B,Tq,Tk])."""

    def __init__(self, score="dot", dq=None, dk=None, attn_dim=None, key_bias=True,
                 scale=None, causal=False):
        super().__init__()
        self.score = score
        self.causal = causal
        if score == "general":
            if dq is None or dk is None:
                raise ExportError("Attention(score='general') needs dq and dk")
            self.weight = nn.Parameter(torch.randn(dq, dk) / math.sqrt(dk))
        elif score == "additive":
            if dq is None or dk is None or attn_dim is None:
                raise ExportError("Attention(score='additive') needs dq, dk and attn_dim")
            self.query_proj = nn.Linear(dq, attn_dim, bias=False)
            self.key_proj = nn.Linear(dk, attn_dim, bias=key_bias)
            self.v = nn.Linear(attn_dim, 1, bias=False)
        elif score not in ("dot", "scaled_dot"):
            raise ExportError(f"Attention: unknown score {score!r}")
        if scale is not None:
            self.scale = nn.Parameter(torch.tensor([float(scale)]))
        else:
            self.scale = None

    def forward(self, q, k, v, key_mask=None):
        if self.score == "dot":
            S = torch.bmm(q, k.transpose(1, 2))
        elif self.score == "scaled_dot":
            S = torch.bmm(q, k.transpose(1, 2)) / math.sqrt(k.shape[-1])
        elif self.score == "general":
            S = torch.bmm(q, (k @ self.weight.T).transpose(1, 2))
        else:
            S = self.v(torch.tanh(self.query_proj(q)[:, :, None, :] +
                                  self.key_proj(k)[:, None, :, :]))[..., 0]
        if self.scale is not None:
            S = S * self.scale
        if key_mask is not None:
            S = S.masked_fill(~key_mask[:, None, :], float("-inf"))
        if self.causal:
            tq, tk = S.shape[1], S.shape[2]
            S = S.masked_fill(torch.triu(torch.ones(tq, tk, dtype=torch.bool,
                                                    device=S.device), 1), float("-inf"))
        A = torch.softmax(S, dim=-1)
        return torch.bmm(A, v), A


class SeparateMultiheadAttention(nn.Module):
    """spec `multihead_attention` with separate projections (q_proj, k_proj,
    v_proj, out_proj as nn.Linear), for a head_dim or output width that
    nn.MultiheadAttention cannot express."""

    def __init__(self, dq, num_heads, head_dim, dk=None, dv=None, out_dim=None, bias=True,
                 out_bias=True, causal=False):
        super().__init__()
        self.num_heads, self.head_dim, self.causal = num_heads, head_dim, causal
        inner = num_heads * head_dim
        self.q_proj = nn.Linear(dq, inner, bias=bias)
        self.k_proj = nn.Linear(dk or dq, inner, bias=bias)
        self.v_proj = nn.Linear(dv or dk or dq, inner, bias=bias)
        self.out_proj = nn.Linear(inner, out_dim or dq, bias=out_bias)

    def forward(self, q, k, v, key_mask=None):
        B, Tq, Tk, h, hd = q.shape[0], q.shape[1], k.shape[1], self.num_heads, self.head_dim
        Q = self.q_proj(q).view(B, Tq, h, hd).transpose(1, 2)
        K = self.k_proj(k).view(B, Tk, h, hd).transpose(1, 2)
        V = self.v_proj(v).view(B, Tk, h, hd).transpose(1, 2)
        S = Q @ K.transpose(-1, -2) / math.sqrt(hd)
        if key_mask is not None:
            S = S.masked_fill(~key_mask[:, None, None, :], float("-inf"))
        if self.causal:
            S = S.masked_fill(torch.triu(torch.ones(Tq, Tk, dtype=torch.bool), 1), float("-inf"))
        A = torch.softmax(S, dim=-1)
        O = (A @ V).transpose(1, 2).reshape(B, Tq, h * hd)
        return self.out_proj(O), A
