#!/usr/bin/python3
"""Golden files for the engine's correctness tests.

Builds small models out of torch.nn modules, one per op and option of
models/FORMAT.md, and writes for each case CASE into tests/data/golden/:

  CASE.json + CASE.safetensors   the model (a valid manifest + its weights)
  CASE.expected.json             {"runs": [TRACE, ...]}: the trace
                                 (models/FORMAT.md, "The trace") of 2-3 texts

and index.json = {"cases": [...]}. Weights are float32 (or rounded through
F16/BF16 for the cases stored that way); the reference values are computed
in float64 from exactly the saved weights and written rounded to float32.
Every LSTM direction is computed step by step (to record the gates) and
checked against nn.LSTM; every multi-head attention computed by hand is
checked against nn.MultiheadAttention where torch has the same layout.

Run: /usr/bin/python3 tools/make_golden.py   (deterministic; a few seconds)
"""

import json
import math
import os
import random
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lstmscope_format import safetensors_io  # noqa: E402
from lstmscope_format.manifest import make_manifest, write_model  # noqa: E402
from lstmscope_format.tokenizer import Tokenizer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "data", "golden")
TOL = 1e-10  # float64 reference vs torch module, both float64

torch.set_num_threads(1)


# --------------------------------------------------------------------------
# numerics

def act_fn(name):
    return {
        "linear": lambda x: x,
        "relu": torch.relu,
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "softmax": lambda x: torch.softmax(x, dim=-1),
        "gelu": lambda x: F.gelu(x),  # exact erf form, torch's default
    }[name]


def hard_sigmoid(x):
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


def lstm_direction(x, w_ih, w_hh, b_ih, b_hh, gate, reverse):
    """One LSTM layer and direction, step by step (spec 'lstm'); every state
    recorded at the row of the token it was computed for."""
    T = x.shape[0]
    H = w_hh.shape[1]
    # The pre-activation in the three parts `trace --details` records.
    pre_input = x @ w_ih.T
    bias = torch.zeros(4 * H, dtype=x.dtype)
    if b_ih is not None:
        bias = bias + b_ih
    if b_hh is not None:
        bias = bias + b_hh
    pre_recurrent = torch.zeros(T, 4 * H, dtype=x.dtype)
    pre = pre_input + bias
    s = torch.sigmoid if gate == "sigmoid" else hard_sigmoid
    h = torch.zeros(H, dtype=x.dtype)
    c = torch.zeros(H, dtype=x.dtype)
    rec = {k: torch.zeros(T, H, dtype=x.dtype) for k in "ifgoch"}
    rec["pre_input"], rec["pre_recurrent"], rec["bias"] = pre_input, pre_recurrent, bias
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        pre_recurrent[t] = w_hh @ h
        z = pre[t] + pre_recurrent[t]
        i = s(z[0:H])
        f = s(z[H:2 * H])
        g = torch.tanh(z[2 * H:3 * H])
        o = s(z[3 * H:4 * H])
        c = f * c + i * g
        h = o * torch.tanh(c)
        for k, v in zip("ifgoch", (i, f, g, o, c, h)):
            rec[k][t] = v
    return rec


def gru_direction(x, w_ih, w_hh, b_ih, b_hh, gate, reverse, reset_after):
    """One GRU layer and direction, step by step (spec 'gru', gate rows r, z,
    n); every state recorded at the row of the token it was computed for."""
    T = x.shape[0]
    H = w_hh.shape[1]
    b_ih = b_ih if b_ih is not None else torch.zeros(3 * H, dtype=x.dtype)
    b_hh = b_hh if b_hh is not None else torch.zeros(3 * H, dtype=x.dtype)
    s = torch.sigmoid if gate == "sigmoid" else hard_sigmoid
    h = torch.zeros(H, dtype=x.dtype)
    rec = {k: torch.zeros(T, H, dtype=x.dtype) for k in "rznh"}
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        gi = w_ih @ x[t] + b_ih
        r = s(gi[0:H] + w_hh[0:H] @ h + b_hh[0:H])
        z = s(gi[H:2 * H] + w_hh[H:2 * H] @ h + b_hh[H:2 * H])
        if reset_after:
            n = torch.tanh(gi[2 * H:] + r * (w_hh[2 * H:] @ h + b_hh[2 * H:]))
        else:
            n = torch.tanh(gi[2 * H:] + w_hh[2 * H:] @ (r * h) + b_hh[2 * H:])
        h = (1 - z) * n + z * h
        for k, v in zip("rznh", (r, z, n, h)):
            rec[k][t] = v
    return rec


def check_preactivations(what, m, x, ref, recs, bias):
    """The recorded parts add up to the pre-activation nn.LSTM's own states
    give: F.linear(x_t, W_ih, b_ih) + F.linear(h_prev, W_hh, b_hh), with
    h_prev taken from nn.LSTM's output (zero at a direction's first step)."""
    H = m.hidden_size
    for d, (_, r) in enumerate(recs):
        sfx = "_reverse" if d else ""
        h_seq = ref[:, d * H:(d + 1) * H]
        zero = torch.zeros(1, H, dtype=x.dtype)
        h_prev = torch.cat([h_seq[1:], zero]) if d else torch.cat([zero, h_seq[:-1]])
        w_ih, w_hh = getattr(m, "weight_ih_l0" + sfx), getattr(m, "weight_hh_l0" + sfx)
        b_ih = getattr(m, "bias_ih_l0" + sfx) if bias else None
        b_hh = getattr(m, "bias_hh_l0" + sfx) if bias else None
        torch_pre = F.linear(x, w_ih, b_ih) + F.linear(h_prev, w_hh, b_hh)
        check_close(f"{what} {'backward' if d else 'forward'} pre-activations",
                    r["pre_input"] + r["pre_recurrent"] + r["bias"], torch_pre)


def merge_dirs(a, b, mode):
    if mode == "concat":
        return torch.cat([a, b], dim=-1)
    if mode == "sum":
        return a + b
    if mode == "mul":
        return a * b
    if mode == "ave":
        return (a + b) / 2
    raise ValueError(mode)


def causal_mask(tq, tk):
    return torch.triu(torch.ones(tq, tk, dtype=torch.bool), diagonal=1)


def masked_scores(S, causal):
    return S.masked_fill(causal_mask(*S.shape), float("-inf")) if causal else S


def masked_softmax(S, causal):
    return torch.softmax(masked_scores(S, causal), dim=-1)


def mha_by_hand(q, k, v, Wq, bq, Wk, bk, Wv, bv, Wo, bo, heads, hd, causal):
    def proj(x, W, b):
        y = x @ W.T
        return y + b if b is not None else y
    Q, K, V = proj(q, Wq, bq), proj(k, Wk, bk), proj(v, Wv, bv)
    outs, attn, scores = [], [], []
    for h in range(heads):
        sl = slice(h * hd, (h + 1) * hd)
        S = masked_scores(Q[:, sl] @ K[:, sl].T / math.sqrt(hd), causal)
        A = torch.softmax(S, dim=-1)
        attn.append(A)
        scores.append(S)
        outs.append(A @ V[:, sl])
    return proj(torch.cat(outs, dim=-1), Wo, bo), torch.stack(attn), torch.stack(scores)


def check_close(what, a, b, tol=TOL):
    d = (a - b).abs().max().item() if a.numel() else 0.0
    if not d < tol:
        raise AssertionError(f"{what}: reference differs from torch by {d}")


# --------------------------------------------------------------------------
# graph builder: manifest nodes + torch modules + float64 reference

class Graph:
    def __init__(self, seed):
        torch.manual_seed(seed)
        self.nodes = []        # manifest node dicts
        self.width = {}        # node name -> output width
        self.parts = []        # (node name, module, export fn)
        self.steps = []        # (node name, op, compute fn)

    def _add(self, node, width, module, compute, export=None):
        name = node["name"]
        assert name not in self.width and name != "tokens"
        self.nodes.append(node)
        self.width[name] = width
        if module is not None:
            self.parts.append((name, module, export or (lambda m: dict(m.state_dict()))))
        self.steps.append((name, node["op"], compute))
        return name

    @staticmethod
    def _opt(node, **fields):
        for k, v in fields.items():
            if v is not None:
                node[k] = v
        return node

    # ---- ops -------------------------------------------------------------

    def embedding(self, name, vocab_size, dim, scale=1.0):
        m = nn.Embedding(vocab_size, dim)
        with torch.no_grad():
            m.weight.mul_(scale)
        node = {"name": name, "op": "embedding", "input": "tokens"}

        def compute(env):
            out = m(env["tokens"])
            check_close(name, out, m.weight[env["tokens"]])
            return out, {}
        return self._add(node, dim, m, compute)

    @staticmethod
    def _layer_stack(cls, in0, H, L, bi, mode, bias, scale):
        """One single-layer nn.LSTM / nn.GRU per layer: for merge != concat,
        layer k+1 reads the merged output of layer k, which a stacked module
        cannot do. Returns the layers, the output width, their container and
        the export function naming layer k's weights _l{k}."""
        layers = []
        w = in0
        for _ in range(L):
            layers.append(cls(w, H, batch_first=True, bidirectional=bi, bias=bias))
            w = 2 * H if (bi and mode == "concat") else H
        with torch.no_grad():
            for m in layers:
                for p in m.parameters():
                    p.mul_(scale)

        def export(_):
            t = {}
            for k, m in enumerate(layers):
                for key, v in m.state_dict().items():
                    t[key.replace("_l0", f"_l{k}")] = v
            return t
        return layers, w, nn.ModuleList(layers), export

    def lstm(self, name, inp, hidden, num_layers=None, bidirectional=None, merge=None,
             ret=None, gate_activation=None, bias=True, scale=1.0):
        L = num_layers or 1
        bi = bool(bidirectional)
        mode = merge or "concat"
        gate = gate_activation or "sigmoid"
        H = hidden
        node = {"name": name, "op": "lstm", "input": inp, "hidden_size": H}
        self._opt(node, num_layers=num_layers, bidirectional=bidirectional, merge=merge,
                  gate_activation=gate_activation)
        if ret is not None:
            node["return"] = ret
        in0 = self.width[inp]
        layers, out_w, container, export = self._layer_stack(nn.LSTM, in0, H, L, bi, mode, bias,
                                                             scale)

        def compute(env):
            x0 = env[inp]
            x = x0
            T = x.shape[0]
            gates = []
            for k, m in enumerate(layers):
                recs = [("forward", lstm_direction(
                    x, m.weight_ih_l0, m.weight_hh_l0,
                    m.bias_ih_l0 if bias else None, m.bias_hh_l0 if bias else None,
                    gate, reverse=False))]
                if bi:
                    recs.append(("backward", lstm_direction(
                        x, m.weight_ih_l0_reverse, m.weight_hh_l0_reverse,
                        m.bias_ih_l0_reverse if bias else None,
                        m.bias_hh_l0_reverse if bias else None, gate, reverse=True)))
                if gate == "sigmoid":
                    ref, (hn, cn) = m(x.unsqueeze(0))
                    ref = ref[0]
                    check_preactivations(f"{name} layer {k}", m, x, ref, recs, bias)
                    check_close(f"{name} layer {k} forward", recs[0][1]["h"], ref[:, :H])
                    check_close(f"{name} layer {k} forward c_n", recs[0][1]["c"][T - 1], cn[0, 0])
                    if bi:
                        check_close(f"{name} layer {k} backward", recs[1][1]["h"], ref[:, H:])
                        check_close(f"{name} layer {k} backward c_n", recs[1][1]["c"][0], cn[1, 0])
                for d, r in recs:
                    g = {"layer": k, "direction": d}
                    g.update({key: r[key] for key in list("ifgoch") + ["pre_input", "pre_recurrent", "bias"]})
                    gates.append(g)
                fwd = recs[0][1]["h"]
                x = merge_dirs(fwd, recs[1][1]["h"], mode) if bi else fwd
            if gate == "sigmoid" and mode == "concat" and L > 1:
                # the whole stack against one stacked nn.LSTM with the same weights
                full = nn.LSTM(in0, H, num_layers=L, batch_first=True, bidirectional=bi,
                               bias=bias).double()
                full.load_state_dict({k2: v.double() for k2, v in export(None).items()})
                ref, _ = full(x0.unsqueeze(0))
                check_close(f"{name} stacked", x, ref[0])
            if (ret or "sequence") == "last":
                last_f = gates[-2 if bi else -1]["h"][T - 1:T]
                x = merge_dirs(last_f, gates[-1]["h"][0:1], mode) if bi else last_f
            return x, {"gates": gates}
        return self._add(node, out_w, container, compute, export)

    def gru(self, name, inp, hidden, num_layers=None, bidirectional=None, merge=None, ret=None,
            gate_activation=None, bias=True, reset_after=None, scale=1.0):
        L = num_layers or 1
        bi = bool(bidirectional)
        mode = merge or "concat"
        gate = gate_activation or "sigmoid"
        after = True if reset_after is None else reset_after
        H = hidden
        node = {"name": name, "op": "gru", "input": inp, "hidden_size": H}
        self._opt(node, num_layers=num_layers, bidirectional=bidirectional, merge=merge,
                  gate_activation=gate_activation, reset_after=reset_after)
        if ret is not None:
            node["return"] = ret
        layers, out_w, container, export = self._layer_stack(nn.GRU, self.width[inp], H, L, bi, mode,
                                                             bias, scale)

        def compute(env):
            x = env[inp]
            T = x.shape[0]
            gates = []
            for k, m in enumerate(layers):
                sfxs = ["", "_reverse"] if bi else [""]
                recs = []
                for d, sfx in enumerate(sfxs):
                    recs.append(("backward" if d else "forward", gru_direction(
                        x, getattr(m, "weight_ih_l0" + sfx), getattr(m, "weight_hh_l0" + sfx),
                        getattr(m, "bias_ih_l0" + sfx) if bias else None,
                        getattr(m, "bias_hh_l0" + sfx) if bias else None, gate, d == 1, after)))
                if gate == "sigmoid" and after:
                    # nn.GRU computes exactly the reset_after = true form
                    ref, hn = m(x.unsqueeze(0))
                    check_close(f"{name} layer {k} forward", recs[0][1]["h"], ref[0][:, :H])
                    check_close(f"{name} layer {k} forward h_n", recs[0][1]["h"][T - 1], hn[0, 0])
                    if bi:
                        check_close(f"{name} layer {k} backward", recs[1][1]["h"], ref[0][:, H:])
                        check_close(f"{name} layer {k} backward h_n", recs[1][1]["h"][0], hn[1, 0])
                for d, r in recs:
                    g = {"layer": k, "direction": d, "cell": "gru"}
                    g.update({key: r[key] for key in "rznh"})
                    gates.append(g)
                fwd = recs[0][1]["h"]
                x = merge_dirs(fwd, recs[1][1]["h"], mode) if bi else fwd
            if (ret or "sequence") == "last":
                last_f = gates[-2 if bi else -1]["h"][T - 1:T]
                x = merge_dirs(last_f, gates[-1]["h"][0:1], mode) if bi else last_f
            return x, {"gates": gates}
        return self._add(node, out_w, container, compute, export)

    def dense(self, name, inp, out, activation=None, bias=True, scale=None):
        if scale is None:  # wider logits so that output heads are not near-uniform
            scale = 3.0 if activation == "softmax" else 1.0
        m = nn.Linear(self.width[inp], out, bias=bias)
        with torch.no_grad():
            m.weight.mul_(scale)
        node = self._opt({"name": name, "op": "dense", "input": inp}, activation=activation)
        f = act_fn(activation or "linear")

        def compute(env):
            return f(m(env[inp])), {}
        return self._add(node, out, m, compute)

    def activation(self, name, inp, function):
        node = {"name": name, "op": "activation", "input": inp, "function": function}
        f = act_fn(function)
        return self._add(node, self.width[inp], None, lambda env: (f(env[inp]), {}))

    def dropout(self, name, inp):
        node = {"name": name, "op": "dropout", "input": inp}
        return self._add(node, self.width[inp], None, lambda env: (env[inp], {}))

    def concat(self, name, inputs):
        node = {"name": name, "op": "concat", "inputs": list(inputs)}
        return self._add(node, sum(self.width[i] for i in inputs), None,
                         lambda env: (torch.cat([env[i] for i in inputs], dim=-1), {}))

    def add(self, name, inputs):
        assert len({self.width[i] for i in inputs}) == 1
        node = {"name": name, "op": "add", "inputs": list(inputs)}

        def compute(env):
            out = env[inputs[0]]
            for i in inputs[1:]:
                out = out + env[i]
            return out, {}
        return self._add(node, self.width[inputs[0]], None, compute)

    def layer_norm(self, name, inp, eps=None):
        D = self.width[inp]
        m = nn.LayerNorm(D, eps=eps if eps is not None else 1e-5)
        with torch.no_grad():
            m.weight.copy_(1.0 + 0.3 * torch.randn(D))
            m.bias.copy_(0.2 * torch.randn(D))
        node = self._opt({"name": name, "op": "layer_norm", "input": inp}, eps=eps)

        def compute(env):
            x = env[inp]
            mu = x.mean(-1, keepdim=True)
            var = ((x - mu) ** 2).mean(-1, keepdim=True)
            mine = (x - mu) / torch.sqrt(var + m.eps) * m.weight + m.bias
            out = m(x)
            check_close(name, mine, out)
            return out, {}
        return self._add(node, D, m, compute)

    def pool(self, name, inp, mode):
        node = {"name": name, "op": "pool", "input": inp, "mode": mode}

        def compute(env):
            x = env[inp]
            out = {"mean": lambda: x.mean(0, keepdim=True),
                   "max": lambda: x.max(0, keepdim=True).values,
                   "first": lambda: x[0:1],
                   "last": lambda: x[-1:]}[mode]()
            return out, {}
        return self._add(node, self.width[inp], None, compute)

    def attention(self, name, query, key=None, value=None, score=None, causal=None,
                  scale=None, units=None, key_bias=True):
        kname = key or query
        vname = value or kname
        dq, dk, dv = self.width[query], self.width[kname], self.width[vname]
        # The spec gives attention no default score: the manifest always names it.
        sc = score or "dot"
        score = sc
        node = {"name": name, "op": "attention", "query": query}
        self._opt(node, key=key, value=value, score=score, causal=causal)
        m = nn.Module()
        if sc == "general":
            m.weight = nn.Parameter(torch.randn(dq, dk) / math.sqrt(dk))
        elif sc == "additive":
            m.query_proj = nn.Linear(dq, units, bias=False)
            m.key_proj = nn.Linear(dk, units, bias=key_bias)
            m.v = nn.Linear(units, 1, bias=False)
            with torch.no_grad():
                m.v.weight.mul_(3.0)
        if scale is not None:
            m.scale = nn.Parameter(torch.tensor([float(scale)]))
        has_weights = len(list(m.parameters())) > 0

        def compute(env):
            q, k, v = env[query], env[kname], env[vname]
            if sc == "dot":
                S = q @ k.T
            elif sc == "scaled_dot":
                S = q @ k.T / math.sqrt(dk)
            elif sc == "general":
                S = q @ (k @ m.weight.T).T
            else:  # additive: S_ij = v . tanh(Wq q_i + Wk k_j + b)
                S = m.v(torch.tanh(m.query_proj(q)[:, None, :] + m.key_proj(k)[None, :, :]))[..., 0]
            if scale is not None:
                S = S * m.scale
            A = masked_softmax(S, bool(causal))
            return A @ v, {"attention": A, "scores": masked_scores(S, bool(causal))}
        return self._add(node, dv, m if has_weights else None, compute)

    def attention_pool(self, name, inp, score=None, units=None, bias=True, scale=1.0):
        D = self.width[inp]
        sc = score or "tanh_proj"
        node = self._opt({"name": name, "op": "attention_pool", "input": inp}, score=score)
        m = nn.Module()
        if sc == "tanh_proj":
            m.proj = nn.Linear(D, units, bias=bias)
            m.context = nn.Linear(units, 1, bias=False)
        elif sc == "tanh":
            m.context = nn.Linear(D, 1, bias=False)
        else:  # linear, tanh_linear
            m.context = nn.Linear(D, 1, bias=bias)
        with torch.no_grad():
            m.context.weight.mul_(scale)

        def compute(env):
            h = env[inp]
            if sc == "tanh_proj":
                s = m.context(torch.tanh(m.proj(h)))
            elif sc == "tanh":
                s = m.context(torch.tanh(h))
            elif sc == "linear":
                s = m.context(h)
            else:
                s = torch.tanh(m.context(h))
            a = torch.softmax(s[:, 0], dim=0)
            return (a[None, :] @ h), {"attention": a[None, :], "scores": s[:, 0][None, :]}
        return self._add(node, D, m, compute)

    def mha(self, name, query, key=None, value=None, num_heads=1, layout="packed",
            head_dim=None, out_dim=None, causal=None, bias=True, q_bias=True, out_bias=True):
        """layout: 'packed' (nn.MultiheadAttention, in_proj_weight), 'kdim'
        (nn.MultiheadAttention with kdim/vdim != embed_dim: separate q/k/v
        weights), 'separate' (by hand, explicit head_dim, own output width)."""
        kname = key or query
        vname = value or kname
        dq, dk, dv = self.width[query], self.width[kname], self.width[vname]
        h = num_heads
        node = {"name": name, "op": "multihead_attention", "query": query}
        self._opt(node, key=key, value=value)
        node["num_heads"] = h
        self._opt(node, head_dim=head_dim, causal=causal)
        is_causal = bool(causal)
        if layout in ("packed", "kdim"):
            E = dq
            if layout == "packed":
                assert dk == E and dv == E
                m = nn.MultiheadAttention(E, h, batch_first=True, bias=bias)
            else:
                m = nn.MultiheadAttention(E, h, batch_first=True, bias=bias, kdim=dk, vdim=dv)
            with torch.no_grad():
                if bias:  # torch initialises these biases to zero
                    m.in_proj_bias.copy_(0.2 * torch.randn(3 * E))
                    m.out_proj.bias.copy_(0.2 * torch.randn(E))
            hd = E // h
            out_w = E

            def export(mod):
                sd = dict(mod.state_dict())
                if layout == "packed":
                    return sd
                t = {"q_proj.weight": sd["q_proj_weight"], "k_proj.weight": sd["k_proj_weight"],
                     "v_proj.weight": sd["v_proj_weight"], "out_proj.weight": sd["out_proj.weight"]}
                if bias:
                    b = sd["in_proj_bias"]
                    t["q_proj.bias"], t["k_proj.bias"], t["v_proj.bias"] = b[:E], b[E:2 * E], b[2 * E:]
                    t["out_proj.bias"] = sd["out_proj.bias"]
                return t

            def weights():
                if layout == "packed":
                    W = m.in_proj_weight
                    Wq, Wk, Wv = W[:E], W[E:2 * E], W[2 * E:]
                else:
                    Wq, Wk, Wv = m.q_proj_weight, m.k_proj_weight, m.v_proj_weight
                if bias:
                    b = m.in_proj_bias
                    bq, bk, bv = b[:E], b[E:2 * E], b[2 * E:]
                else:
                    bq = bk = bv = None
                return Wq, bq, Wk, bk, Wv, bv, m.out_proj.weight, m.out_proj.bias
        else:
            hd = head_dim
            out_w = out_dim
            m = nn.Module()
            m.q_proj = nn.Linear(dq, h * hd, bias=q_bias)
            m.k_proj = nn.Linear(dk, h * hd, bias=bias)
            m.v_proj = nn.Linear(dv, h * hd, bias=bias)
            m.out_proj = nn.Linear(h * hd, out_dim, bias=out_bias)
            export = None

            def weights():
                return (m.q_proj.weight, m.q_proj.bias, m.k_proj.weight, m.k_proj.bias,
                        m.v_proj.weight, m.v_proj.bias, m.out_proj.weight, m.out_proj.bias)

        def compute(env):
            q, k, v = env[query], env[kname], env[vname]
            Wq, bq, Wk, bk, Wv, bv, Wo, bo = weights()
            out, A, S = mha_by_hand(q, k, v, Wq, bq, Wk, bk, Wv, bv, Wo, bo, h, hd, is_causal)
            if layout != "separate":
                mask = causal_mask(q.shape[0], k.shape[0]) if is_causal else None
                ref, ref_w = m(q[None], k[None], v[None], need_weights=True,
                               average_attn_weights=False, attn_mask=mask)
                check_close(f"{name} output", out, ref[0])
                check_close(f"{name} weights", A, ref_w[0])
            return out, {"attention": A, "scores": S}
        return self._add(node, out_w, m, compute, export)


# --------------------------------------------------------------------------
# output helpers

def f32(x):
    """Nested lists of floats that print as the shortest float32 round-trip text."""
    a = np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x, dtype=np.float32)
    if a.ndim == 0:
        return float(str(a[()]))
    # Minus infinity (a masked score) is null, as the engine prints it.
    flat = [float(str(v)) if np.isfinite(v) else None for v in a.ravel()]
    if a.ndim == 1:
        return flat
    out = flat
    for dim in reversed(a.shape[1:]):
        out = [out[i:i + dim] for i in range(0, len(out), dim)]
    return out


def preactivation_json(gt):
    """`trace --details`'s split of one direction's pre-activations, per gate."""
    H = gt["i"].shape[1]
    return {name: {"input": f32(gt["pre_input"][:, k * H:(k + 1) * H]),
                   "recurrent": f32(gt["pre_recurrent"][:, k * H:(k + 1) * H]),
                   "bias": f32(gt["bias"][k * H:(k + 1) * H])}
            for k, name in enumerate("ifgo")}


class Case:
    def __init__(self, name, description, graph, tokenizer, task, output, texts,
                 labels=None, dtype="F32", checks=0):
        self.name = name
        self.description = description
        self.graph = graph
        self.tokenizer = tokenizer
        self.task = task
        self.output = output
        self.texts = texts
        self.labels = labels
        self.dtype = dtype
        self.checks = checks   # number of texts (from the first) to store as manifest checks


def run_case(case):
    g = case.graph
    tok = Tokenizer(case.tokenizer)
    # 1. round the weights to what the stored dtype holds, then export
    tensors = {}
    with torch.no_grad():
        for name, module, _ in g.parts:
            for p in module.parameters():
                p.data = torch.from_numpy(safetensors_io.round_to_dtype(p.data.float(), case.dtype))
        for name, module, export in g.parts:
            for k, v in export(module).items():
                full = f"{name}.{k}"
                assert full not in tensors, full
                tensors[full] = v.detach().float().numpy().copy()
    # 2. float64 reference from the very same weights
    for _, module, _ in g.parts:
        module.double()
        module.eval()
    runs = []
    for text in case.texts:
        t = tok.tokenize(text)
        ids = torch.tensor([x["id"] for x in t["tokens"]], dtype=torch.long)
        assert len(ids) > 0, f"{case.name}: {text!r} has no tokens"
        env = {"tokens": ids}
        nodes = {}
        with torch.no_grad():
            for name, op, compute in g.steps:
                value, extra = compute(env)
                assert value.dim() == 2 and value.dtype == torch.float64, (case.name, name)
                assert value.shape[1] == g.width[name], (case.name, name, value.shape)
                env[name] = value
                rec = {"op": op, "value": f32(value)}
                if "gates" in extra:
                    rec["gates"] = [{"layer": gt["layer"], "direction": gt["direction"],
                                     **{k: f32(gt[k]) for k in "rznh"}}
                                    if gt.get("cell") == "gru" else
                                    {"layer": gt["layer"], "direction": gt["direction"],
                                     **{k: f32(gt[k]) for k in "ifgoch"},
                                     "preactivation": preactivation_json(gt)} for gt in extra["gates"]]
                if "attention" in extra:
                    rec["attention"] = f32(extra["attention"])
                    rec["scores"] = f32(extra["scores"])
                nodes[name] = rec
        out = env[case.output]
        if case.task == "classification":
            assert out.shape[0] == 1
        if case.task == "tagging":
            assert out.shape[0] == len(ids)
        if case.labels is not None:
            assert out.shape[1] == len(case.labels)
        top2 = out.topk(min(2, out.shape[1]), dim=1).values
        # the engine's float32 argmax must not be able to flip
        assert out.shape[1] == 1 or (top2[:, 0] - top2[:, 1]).min() > 1e-4, \
            f"{case.name}: near tie in argmax for {text!r}: {top2.tolist()}"
        runs.append({
            "format": "lstmscope-trace",
            "format_version": 1,
            "model": case.name,
            "text": text,
            "tokens": t["tokens"],
            "dropped": t["dropped"],
            "output": {"node": case.output, "value": f32(out),
                       "labels": list(case.labels or []),
                       "argmax": [int(i) for i in out.argmax(dim=1)]},
            "nodes": nodes,
        })
    checks = [{"text": r["text"], "output": r["output"]["value"], "tolerance": 1e-4}
              for r in runs[:case.checks]]
    manifest = make_manifest(
        name=case.name, description=case.description, tokenizer=case.tokenizer,
        task=case.task, labels=case.labels, output=case.output, nodes=g.nodes,
        metadata={"generated_by": "tools/make_golden.py",
                  "reference": f"torch {torch.__version__}, float64 from the stored weights"},
        checks=checks)
    write_model(OUT_DIR, case.name, manifest, tensors, dtype=case.dtype,
                st_metadata={"generated_by": "tools/make_golden.py"})
    with open(os.path.join(OUT_DIR, case.name + ".expected.json"), "w", encoding="utf-8") as f:
        f.write('{"runs": [\n')
        f.write(",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in runs))
        f.write("\n]}\n")


# --------------------------------------------------------------------------
# vocabularies and texts

EN_VOCAB = ["<pad>", "<unk>", "the", "movie", "film", "was", "is", "this", "it", "i", "a", "and",
            "but", "not", "very", "too", "so", "really", "good", "great", "bad", "boring", "fun",
            "funny", "best", "worst", "ever", "loved", "hated", "plot", "acting", "story",
            "music", "ending", "characters", "long", "short", "time", "waste", "of", "my",
            "friends", "we", "watched", "again", "would", "recommend", "to", "everyone",
            "don't", "it's", ".", ",", "!", "?", "'", "-", "(", ")"]

EN_SHORT = "Great movie!"
EN_LONG = "I loved the acting, but the plot was too long and very boring."
EN_MID = "This is not the best film (really) - we watched it again."
EN_ONE = "good"


def word_tok(vocab=EN_VOCAB, **kw):
    cfg = {"type": "word", "lowercase": True, "vocab": list(vocab), "unk": "<unk>"}
    cfg.update(kw)
    return cfg


def long_text(n_tokens=300, seed=7):
    rng = random.Random(seed)
    words = [w for w in EN_VOCAB[2:] if w[0].isalpha()]
    parts = []
    count = 0
    while count < n_tokens:
        if count and count < n_tokens - 1 and rng.random() < 0.12:
            parts[-1] += rng.choice([".", ",", "!", "?"])
            count += 1
            continue
        w = rng.choice(words)
        parts.append(w.capitalize() if rng.random() < 0.1 else w)
        count += 1
    text = " ".join(parts)
    assert len(Tokenizer(word_tok()).tokenize(text)["tokens"]) == n_tokens
    return text


SENT = ["negative", "positive"]
TAGS = ["O", "POS", "NEG"]
V = len(EN_VOCAB)


# --------------------------------------------------------------------------
# cases

def cases():
    out = []

    def add(*a, **kw):
        out.append(Case(*a, **kw))

    # ---- lstm ----
    g = Graph(101)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6)
    g.dense("tags", "lstm", 3, activation="softmax")
    add("lstm_uni", "Unidirectional 1-layer LSTM (all defaults), per-token softmax tagging.",
        g, word_tok(), "tagging", "tags", [EN_SHORT, EN_LONG], labels=TAGS)

    g = Graph(102)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, bidirectional=True, merge="concat", ret="sequence")
    g.dense("tags", "lstm", 3, activation="softmax")
    add("lstm_bi_concat", "BiLSTM, merge concat (explicit), per-token tagging; includes a "
        "1-token text; manifest carries checks.",
        g, word_tok(), "tagging", "tags", [EN_LONG, EN_ONE, EN_SHORT], labels=TAGS, checks=2)

    for seed, mode in ((103, "sum"), (104, "mul")):
        g = Graph(seed)
        g.embedding("emb", V, 8)
        g.lstm("lstm", "emb", 6, bidirectional=True, merge=mode)
        g.pool("pool", "lstm", "mean")
        g.dense("probs", "pool", 2, activation="softmax")
        add(f"lstm_bi_{mode}", f"BiLSTM with merge {mode} (H wide), mean pool, softmax classification.",
            g, word_tok(), "classification", "probs", [EN_SHORT, EN_LONG], labels=SENT)

    g = Graph(105)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 5, num_layers=2, bidirectional=True, merge="ave")
    g.dense("tags", "lstm", 3, activation="softmax")
    add("lstm_bi_ave", "2-layer BiLSTM with merge ave: layer 1 reads the averaged (H-wide) "
        "output of layer 0.", g, word_tok(), "tagging", "tags", [EN_SHORT, EN_MID], labels=TAGS)

    g = Graph(106)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 5, num_layers=2, bidirectional=True)
    g.dense("tags", "lstm", 3, activation="softmax")
    add("lstm_2layer_bi", "2-layer BiLSTM, merge concat by default (layer 1 input 2H), checked "
        "against a stacked nn.LSTM.", g, word_tok(), "tagging", "tags", [EN_SHORT, EN_LONG],
        labels=TAGS)

    g = Graph(107)
    g.embedding("emb", V, 10)
    g.lstm("lstm", "emb", 6, num_layers=3, ret="last")
    g.dense("score", "lstm", 1)
    add("lstm_3layer", "3-layer unidirectional LSTM, return last, linear regression output "
        "(no labels).", g, word_tok(), "regression", "score", [EN_SHORT, EN_LONG, EN_ONE])

    g = Graph(108)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, num_layers=2, bidirectional=True, merge="sum", ret="last")
    g.dense("probs", "lstm", 2, activation="softmax")
    add("lstm_return_last_bi", "2-layer BiLSTM merge sum, return last (forward at last position, "
        "backward at position 0), softmax classification.",
        g, word_tok(), "classification", "probs", [EN_SHORT, EN_LONG, EN_ONE], labels=SENT)

    g = Graph(120)
    g.embedding("emb", V, 8)
    g.gru("gru", "emb", 6)
    g.attention_pool("att", "gru", score="tanh")
    g.dense("probs", "att", 2, activation="softmax")
    add("gru_uni", "Unidirectional GRU (PyTorch nn.GRU, reset_after true) with tanh attention "
        "pooling; checked against nn.GRU.", g, word_tok(), "classification", "probs",
        [EN_SHORT, EN_LONG, EN_ONE], labels=SENT)

    g = Graph(121)
    g.embedding("emb", V, 8)
    g.gru("gru", "emb", 5, num_layers=2, bidirectional=True)
    g.dense("tags", "gru", 3, activation="softmax")
    add("gru_2layer_bi", "2-layer BiGRU, merge concat, each layer checked against nn.GRU.",
        g, word_tok(), "tagging", "tags", [EN_SHORT, EN_LONG], labels=TAGS)

    g = Graph(122)
    g.embedding("emb", V, 8, scale=2.0)
    g.gru("gru", "emb", 6, bidirectional=True, merge="ave", reset_after=False, ret="last")
    g.dense("probs", "gru", 2, activation="softmax")
    add("gru_reset_before_bi", "BiGRU with reset_after false (Keras reset_after=False: the reset "
        "gate multiplies h before W_hn), merge ave, return last; computed from the spec's formula.",
        g, word_tok(), "classification", "probs", [EN_SHORT, EN_LONG, EN_ONE], labels=SENT)

    g = Graph(123)
    g.embedding("emb", V, 8, scale=2.0)
    g.gru("gru", "emb", 6, gate_activation="hard_sigmoid", bias=False)
    g.dense("tags", "gru", 3, activation="softmax")
    add("gru_hard_sigmoid_no_bias", "GRU with hard_sigmoid gates and no biases.",
        g, word_tok(), "tagging", "tags", [EN_SHORT, EN_LONG], labels=TAGS)

    g = Graph(109)
    g.embedding("emb", V, 8, scale=2.0)
    g.lstm("lstm", "emb", 6, bidirectional=True, gate_activation="hard_sigmoid")
    g.dense("tags", "lstm", 3, activation="softmax")
    add("lstm_hard_sigmoid", "BiLSTM with gate_activation hard_sigmoid (Keras 2: "
        "clip(0.2x+0.5,0,1)); embeddings scaled so some gates saturate.",
        g, word_tok(), "tagging", "tags", [EN_SHORT, EN_LONG], labels=TAGS)

    g = Graph(111)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, num_layers=2, bidirectional=True, bias=False, scale=2.5)
    g.dense("tags", "lstm", 3, activation="softmax", bias=False)
    add("lstm_no_bias", "2-layer BiLSTM and dense without any bias tensors (absent = zero).",
        g, word_tok(), "tagging", "tags", [EN_SHORT, EN_MID], labels=TAGS)

    # ---- attention ----
    g = Graph(201)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.dense("proj", "lstm", 12, activation="tanh", scale=3.0)
    g.attention("attn", "proj", score="dot")
    g.pool("pool", "attn", "max")
    g.dense("probs", "pool", 2, activation="softmax")
    add("attn_dot", "Self-attention score dot with only `query` given (key = value = query), "
        "max pool, classification.", g, word_tok(), "classification", "probs",
        [EN_SHORT, EN_LONG], labels=SENT)

    g = Graph(202)
    g.embedding("emb", V, 8)
    g.dense("q", "emb", 12, scale=2.0)
    g.dense("k", "emb", 12, scale=2.0)
    g.attention("attn", "q", key="k", value="emb", score="scaled_dot", causal=True)
    g.dense("tags", "attn", 3, activation="softmax")
    add("attn_scaled_dot_causal", "scaled_dot attention, causal, query/key/value from three "
        "different nodes (value narrower than query/key).", g, word_tok(), "tagging", "tags",
        [EN_SHORT, EN_LONG], labels=TAGS)

    g = Graph(203)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.dense("val", "emb", 10, activation="tanh")
    g.attention("attn", "lstm", key="emb", value="val", score="general", scale=2.5,
                causal=False)
    g.pool("pool", "attn", "last")
    g.dense("probs", "pool", 2, activation="softmax")
    add("attn_general_scale", "general attention q.(W k), W [12, 8], with NAME.scale; query, "
        "key and value of widths 12, 8, 10; explicit causal false.", g, word_tok(),
        "classification", "probs", [EN_SHORT, EN_LONG], labels=SENT)

    g = Graph(204)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 5, bidirectional=True)
    g.dense("q", "emb", 6, activation="tanh")
    g.attention("attn", "q", key="lstm", score="additive", units=7)
    g.attention("attn2", "emb", score="additive", units=4, key_bias=False, causal=True, scale=0.7)
    g.concat("cat", ["attn", "attn2"])
    g.dense("tags", "cat", 3, activation="softmax")
    add("attn_additive_kv", "additive attention: `attn` query 6 wide, key = lstm (10), value "
        "defaulting to key; `attn2` self-attention without key_proj.bias, causal, with scale.",
        g, word_tok(), "tagging", "tags", [EN_SHORT, EN_LONG], labels=TAGS)

    # ---- attention_pool ----
    g = Graph(301)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.attention_pool("att", "lstm", units=8, scale=3.0)
    g.attention_pool("att_nobias", "lstm", score="tanh_proj", units=5, bias=False, scale=3.0)
    g.concat("cat", ["att", "att_nobias"])
    g.dense("probs", "cat", 2, activation="softmax")
    add("pool_tanh_proj", "attention_pool tanh_proj: default score (field omitted) with "
        "proj.bias, and explicit tanh_proj without proj.bias.", g, word_tok(),
        "classification", "probs", [EN_SHORT, EN_LONG], labels=SENT)

    g = Graph(302)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.attention_pool("att", "lstm", score="tanh", scale=4.0)
    g.dense("probs", "att", 2, activation="softmax")
    add("pool_tanh", "attention_pool score tanh (Att-BLSTM): w . tanh(h_t).", g, word_tok(),
        "classification", "probs", [EN_SHORT, EN_LONG], labels=SENT)

    g = Graph(303)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.attention_pool("att", "lstm", score="linear", scale=4.0)
    g.attention_pool("att_nobias", "emb", score="linear", bias=False)
    g.concat("cat", ["att", "att_nobias"])
    g.dense("probs", "cat", 2, activation="softmax")
    add("pool_linear", "attention_pool score linear (Dense(1) + softmax), with and without "
        "context.bias.", g, word_tok(), "classification", "probs", [EN_SHORT, EN_LONG],
        labels=SENT)

    g = Graph(304)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.attention_pool("att", "lstm", score="tanh_linear", scale=4.0)
    g.dense("probs", "att", 2, activation="softmax")
    add("pool_tanh_linear", "attention_pool score tanh_linear: tanh(w . h_t + b).", g, word_tok(),
        "classification", "probs", [EN_SHORT, EN_LONG], labels=SENT)

    # ---- multihead_attention ----
    g = Graph(401)
    g.embedding("emb", V, 8, scale=1.5)
    g.mha("mha", "emb", num_heads=1, causal=True)
    g.dense("tags", "mha", 3, activation="softmax")
    add("mha_1head", "nn.MultiheadAttention, 1 head, packed in_proj weights, causal (checked "
        "against torch with attn_mask).", g, word_tok(), "tagging", "tags", [EN_SHORT, EN_LONG],
        labels=TAGS)

    g = Graph(402)
    g.embedding("emb", V, 16, scale=1.5)
    g.dense("kv", "emb", 16, activation="tanh")
    g.mha("mha", "emb", key="kv", num_heads=8)
    g.add("res", ["emb", "mha"])
    g.pool("pool", "res", "mean")
    g.dense("probs", "pool", 2, activation="softmax")
    add("mha_8head", "nn.MultiheadAttention, 8 heads of 2, packed weights, key = value = another "
        "node of the same width, residual add.", g, word_tok(), "classification", "probs",
        [EN_SHORT, EN_LONG], labels=SENT)

    g = Graph(403)
    g.embedding("emb", V, 8, scale=1.5)
    g.lstm("lstm", "emb", 5, bidirectional=True)
    g.dense("v", "emb", 6, activation="tanh")
    g.mha("mha", "emb", key="lstm", value="v", num_heads=2, layout="kdim")
    g.dense("tags", "mha", 3, activation="softmax")
    add("mha_kdim", "nn.MultiheadAttention(8, 2, kdim=10, vdim=6): separate q_proj/k_proj/v_proj "
        "weights, biases split from in_proj_bias.", g, word_tok(), "tagging", "tags",
        [EN_SHORT, EN_LONG], labels=TAGS)

    g = Graph(404)
    g.embedding("emb", V, 8, scale=1.5)
    g.dense("k", "emb", 6, activation="tanh")
    g.mha("mha", "emb", key="k", value="emb", num_heads=3, head_dim=4, layout="separate",
          out_dim=5, causal=True, q_bias=False, out_bias=False)
    g.dense("tags", "mha", 3, activation="softmax")
    add("mha_separate_head_dim_causal", "separate projections with explicit head_dim 4 and 3 "
        "heads (h*hd = 12 != query width 8), output width 5, causal, no q_proj/out_proj bias.",
        g, word_tok(), "tagging", "tags", [EN_SHORT, EN_LONG], labels=TAGS)

    # ---- dense, activation, layer_norm, add, concat, pool, dropout ----
    g = Graph(501)
    g.embedding("emb", V, 8)
    g.dense("d_relu", "emb", 12, activation="relu")
    g.dense("d_tanh", "d_relu", 10, activation="tanh", scale=2.0)
    g.dense("d_sigmoid", "d_tanh", 10, activation="sigmoid", scale=2.0)
    g.dense("d_gelu", "d_sigmoid", 12, activation="gelu", scale=3.0)
    g.dense("d_lin", "d_gelu", 8, activation="linear", bias=False, scale=2.0)
    g.activation("a_relu", "d_lin", "relu")
    g.activation("a_tanh", "d_lin", "tanh")
    g.activation("a_sigmoid", "d_lin", "sigmoid")
    g.activation("a_gelu", "d_lin", "gelu")
    g.activation("a_softmax", "d_lin", "softmax")
    g.activation("a_linear", "d_lin", "linear")
    g.concat("cat", ["a_relu", "a_tanh", "a_sigmoid", "a_gelu", "a_softmax", "a_linear"])
    g.dropout("drop", "cat")
    g.dense("d_softmax", "drop", 3, activation="softmax")
    add("dense_activations", "dense with every activation (relu, tanh, sigmoid, gelu, linear "
        "without bias, softmax), activation op with every function, 6-way concat, dropout.",
        g, word_tok(), "tagging", "d_softmax", [EN_SHORT, EN_LONG], labels=TAGS)

    g = Graph(502)
    g.embedding("emb", V, 8)
    g.dense("ff", "emb", 8, activation="tanh")
    g.add("res", ["emb", "ff", "emb"])
    g.layer_norm("ln", "res", eps=1e-3)
    g.lstm("lstm", "ln", 4)
    g.layer_norm("ln2", "lstm")
    g.concat("cat", ["ln", "ln2"])
    g.dense("tags", "cat", 3, activation="softmax")
    add("layer_norm_add_concat", "3-input add (residual), layer_norm with eps 1e-3 and with the "
        "default eps, LSTM fed by a non-embedding node, concat.", g, word_tok(), "tagging",
        "tags", [EN_SHORT, EN_LONG], labels=TAGS)

    g = Graph(503)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 5, bidirectional=True)
    for mode in ("mean", "max", "first", "last"):
        g.pool(f"pool_{mode}", "lstm", mode)
    g.concat("cat", [f"pool_{m}" for m in ("mean", "max", "first", "last")])
    g.dense("probs", "cat", 2, activation="softmax")
    add("pools", "pool modes mean, max, first, last over a BiLSTM, concatenated.", g, word_tok(),
        "classification", "probs", [EN_SHORT, EN_LONG, EN_ONE], labels=SENT)

    # ---- tokenizers ----
    zh_texts = ["这家酒店的服务很好，但是房间太小了。", "很好", "房间 很干净，服务员 nice!"]
    zh_vocab = ["<pad>", "<unk>"]
    for ch in "".join(zh_texts[:2]) + "房间服务员很好不错早餐价格位置一般差":
        if not ch.isspace() and ch not in zh_vocab:
            zh_vocab.append(ch)
    g = Graph(601)
    g.embedding("emb", len(zh_vocab), 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.attention_pool("att", "lstm", units=6, scale=3.0)
    g.dense("probs", "att", 2, activation="softmax")
    add("tok_char_chinese", "char tokenizer (lowercase defaults to false) on Chinese hotel "
        "reviews; unknown characters (干, 净, n, i, c, e, !) map to <unk>; spaces skipped.",
        g, {"type": "char", "vocab": zh_vocab, "unk": "<unk>"}, "classification", "probs",
        zh_texts, labels=SENT, checks=1)

    keras_vocab = ["<pad>", "don't", "waste", "your", "time", "the", "worst", "movie", "ever",
                   "a", "great", "film", "i", "loved", "it", "so", "much", "tab", "separated"]
    g = Graph(602)
    g.embedding("emb", len(keras_vocab), 8)
    g.lstm("lstm", "emb", 6)
    g.pool("last", "lstm", "last")
    g.dense("probs", "last", 2, activation="softmax")
    add("tok_keras", "keras tokenizer: lowercase by default, filters (incl. _ and tab/newline) "
        "become separators, apostrophe kept, unk null so unknown words are dropped.",
        g, {"type": "keras", "vocab": keras_vocab, "unk": None}, "classification", "probs",
        ["Don't waste your time -- the WORST movie ever!!!",
         "A great_film.\tI loved\nit (so much), really", "tab\tseparated"], labels=SENT)

    ws_vocab = ["<pad>", "<unk>", "Hello,", "world!", "hello", "New", "line", "nbsp", "café",
                "(x)", "it's", "fine."]
    g = Graph(603)
    g.embedding("emb", len(ws_vocab), 8)
    g.lstm("lstm", "emb", 5)
    g.dense("tags", "lstm", 3, activation="softmax")
    add("tok_whitespace", "whitespace tokenizer (case kept by default): split on Unicode white "
        "space only (space, tab, newline, U+00A0, U+2003); punctuation stays attached.",
        g, {"type": "whitespace", "vocab": ws_vocab, "unk": "<unk>"}, "tagging", "tags",
        ["Hello, world!  New\tline\u00a0nbsp", "hello  café (x)\nit's\u2003fine. HELLO"],
        labels=TAGS)

    unk_vocab = EN_VOCAB + ["café", "tokyo", "東", "京"]
    unk_texts = ["I loved Tokyo東京 and the café's music 😀!",
                 "The xyzzy movie was gr8, NOT boring_stuff... ok?"]
    g = Graph(604)
    g.embedding("emb", len(unk_vocab), 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.dense("tags", "lstm", 3, activation="softmax")
    add("unk_token", "word tokenizer with unk: unknown words, an emoji (non-BMP, spans in code "
        "points), CJK ideographs split one per token, apostrophe/underscore words, digits.",
        g, word_tok(unk_vocab), "tagging", "tags", unk_texts, labels=TAGS)

    g = Graph(605)
    g.embedding("emb", len(unk_vocab), 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.attention_pool("att", "lstm", units=6)
    g.dense("probs", "att", 2, activation="softmax")
    add("unk_drop", "word tokenizer with unk null: unknown text is dropped and listed in "
        "`dropped`; lowercase omitted (default true).",
        g, {"type": "word", "vocab": unk_vocab, "unk": None}, "classification", "probs",
        unk_texts + [EN_SHORT], labels=SENT)

    g = Graph(606)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.pool("pool", "lstm", "last")
    g.dense("probs", "pool", 2, activation="softmax")
    add("pad_pre", "pad_to 8, padding pre (pad defaults to vocab[0]): short texts padded at the "
        "front, long texts truncated at the front.",
        g, word_tok(pad_to=8, padding="pre"), "classification", "probs",
        [EN_SHORT, EN_LONG, EN_MID], labels=SENT)

    pad_vocab = ["<unk>", "<pad>"] + [w for w in EN_VOCAB if w not in ("<pad>", "<unk>")]
    g = Graph(607)
    g.embedding("emb", len(pad_vocab), 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.dense("tags", "lstm", 3, activation="softmax")
    add("pad_post", "pad_to 9, padding post, explicit pad '<pad>' at id 1 (not vocab[0]): short "
        "texts padded at the end, long ones truncated at the end.",
        g, word_tok(pad_vocab, pad_to=9, padding="post", pad="<pad>"), "tagging",
        "tags", [EN_SHORT, EN_LONG], labels=TAGS)

    g = Graph(608)
    g.embedding("emb", V, 8)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.attention_pool("att", "lstm", units=8, scale=3.0)
    g.dense("probs", "att", 2, activation="softmax")
    add("long_300", "BiLSTM + attention pooling on a 300-token text (and a 2-token one).",
        g, word_tok(), "classification", "probs", [long_text(300), EN_SHORT], labels=SENT,
        checks=1)

    # ---- seed architectures ----
    H = 8
    g = Graph(701)
    g.embedding("emb", V, 12)
    g.lstm("lstm", "emb", H, bidirectional=True)
    g.dense("proj", "lstm", 2 * H)
    g.mha("mha", "proj", num_heads=8)
    g.attention("attn", "mha", key="lstm", score="dot")
    g.dense("ff", "attn", 8, activation="relu")
    g.pool("pool", "ff", "mean")
    g.dense("probs", "pool", 2, activation="softmax")
    add("seed_a", "Seed architecture A: Embedding -> BiLSTM(8) -> dense 16 -> 8-head MHA -> dot "
        "attention (query = MHA, key = value = BiLSTM) -> dense relu -> mean pool -> softmax.",
        g, word_tok(), "classification", "probs", [EN_SHORT, EN_LONG, EN_MID], labels=SENT,
        checks=2)

    g = Graph(702)
    g.embedding("emb", V, 10)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.attention("attn", "lstm", score="dot")
    g.concat("cat", ["lstm", "attn"])
    g.dense("hidden", "cat", 8, activation="relu")
    g.dense("tags", "hidden", 3, activation="softmax")
    add("seed_b", "Seed architecture B: Embedding -> BiLSTM -> dot self-attention -> "
        "concat(lstm, attn) -> dense relu -> dense softmax per token (tagging).",
        g, word_tok(), "tagging", "tags", [EN_SHORT, EN_LONG, EN_MID], labels=TAGS, checks=2)

    # ---- weight dtypes ----
    for seed, dt in ((801, "F16"), (802, "BF16"), (803, "F64")):
        g = Graph(seed)
        g.embedding("emb", V, 8)
        g.lstm("lstm", "emb", 6, bidirectional=True)
        g.attention_pool("att", "lstm", units=6, scale=3.0)
        g.dense("probs", "att", 2, activation="softmax")
        add(f"dtype_{dt.lower()}", f"All weights stored as {dt}; the reference uses the weights "
            f"as the engine reads them back (float32 of the stored {dt}).",
            g, word_tok(), "classification", "probs", [EN_SHORT, EN_LONG], labels=SENT,
            dtype=dt, checks=1 if dt == "F16" else 0)
    return out


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    all_cases = cases()
    names = [c.name for c in all_cases]
    assert len(set(names)) == len(names)
    keep = set()
    for c in all_cases:
        run_case(c)
        keep.update({c.name + ".json", c.name + ".safetensors", c.name + ".expected.json"})
        print(f"{c.name}: {len(c.texts)} texts", file=sys.stderr)
    with open(os.path.join(OUT_DIR, "index.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": names}, f, indent=1)
        f.write("\n")
    keep.update({"index.json", "README.md"})
    stale = sorted(set(os.listdir(OUT_DIR)) - keep)
    if stale:
        print("note: files not written by this run: " + ", ".join(stale), file=sys.stderr)


if __name__ == "__main__":
    main()
