#!/usr/bin/python3
"""Export a PyTorch text model to the lstmscope model format
(models/FORMAT.md): NAME.json (manifest) + NAME.safetensors (weights).

Two ways to use it:

* Your own `torch.nn.Module`, built from nn.Embedding, nn.LSTM or nn.GRU, nn.Linear,
  nn.MultiheadAttention, nn.LayerNorm and the attention heads below, plus the
  list of manifest nodes that says how the submodules are wired:

      import export_pytorch as xp
      xp.export(model, nodes, tokenizer, labels=[...], task="classification",
                output="probs", out_dir="models", stem="mine", check_texts=[...],
                rename={"encoder.rnn": "lstm"})   # only if names differ

  The weights are `model.state_dict()` with every name moved under its node
  (`rename` maps a module prefix to a node name); `check_texts` are tokenized
  with the engine's tokenizer (lstmscope_format.tokenizer), run through your
  model (`model(ids)` with ids a [1, T] LongTensor, or your own
  `predict(ids_1d)`), and stored as the manifest's `checks`; then
  `lstmscope-cli check` reruns them in the engine, if it can be found.

* `Graph` builds the node list and the torch modules together and
  `GraphModel` runs the node list in PyTorch exactly as the engine does
  (batched, with padding masked, so it can be trained); its state_dict
  already has the format's names. The training recipes in tools/train/ use it.

Command (--help for all options):
  /usr/bin/python3 tools/export_pytorch.py --model mymodel.py:load --nodes nodes.json \
      --tokenizer tokenizer.json --output probs --check-text "..." --out DIR/STEM
      exports the module that mymodel.load() returns (--state-dict FILE.pt to load
      weights into it, --rename encoder=lstm,... to map names, --labels a,b).
  /usr/bin/python3 tools/export_pytorch.py --demo OUTDIR
      exports a small random model (a plain nn.Module with its own names,
      exported with a rename map) to OUTDIR/demo.json and checks it.
"""

import argparse
import math
import os
import shutil
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

_TOOLS = os.path.dirname(os.path.abspath(__file__))
if _TOOLS not in sys.path:
    sys.path.insert(0, _TOOLS)
from lstmscope_format.manifest import make_manifest, write_model  # noqa: E402
from lstmscope_format.tokenizer import Tokenizer  # noqa: E402

ROOT = os.path.dirname(_TOOLS)

ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid", "softmax", "gelu")
# ops that carry weights (every other op must have none)
WEIGHTED_OPS = ("embedding", "lstm", "gru", "dense", "attention", "attention_pool",
                "multihead_attention", "layer_norm")


class ExportError(Exception):
    pass


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
    if name == "gelu":
        return F.gelu(x)  # exact erf form, as the engine
    raise ExportError(f"unknown activation {name!r}")


# --------------------------------------------------------------------------
# torch modules for the format's ops that torch.nn does not have. Their
# parameter names are the spec's, so state_dict() needs no renaming.

class AttentionPool(nn.Module):
    """spec `attention_pool`: one score per position, softmax over the
    positions, weighted sum of the rows.

    score: "tanh_proj" (w . tanh(W h + b), HAN; needs attn_dim), "tanh"
    (w . tanh(h), Att-BLSTM), "linear" (w . h + b), "tanh_linear"
    (tanh(w . h + b)). forward(h [B, T, D], mask [B, T] bool or None)
    returns (pooled [B, 1, D], weights [B, T])."""

    def __init__(self, dim, score="tanh_proj", attn_dim=None, bias=True):
        super().__init__()
        self.score = score
        if score == "tanh_proj":
            if attn_dim is None:
                raise ExportError("AttentionPool(score='tanh_proj') needs attn_dim")
            self.proj = nn.Linear(dim, attn_dim, bias=bias)
            self.context = nn.Linear(attn_dim, 1, bias=False)
        elif score == "tanh":
            self.context = nn.Linear(dim, 1, bias=False)
        elif score in ("linear", "tanh_linear"):
            self.context = nn.Linear(dim, 1, bias=bias)
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
        s = s[..., 0]
        if mask is not None:
            s = s.masked_fill(~mask, float("-inf"))
        a = torch.softmax(s, dim=-1)
        return torch.bmm(a.unsqueeze(1), h), a


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


# --------------------------------------------------------------------------
# GraphModel: a node list run in PyTorch the way the engine runs it

def _node_inputs(node):
    op = node["op"]
    if op in ("attention", "multihead_attention"):
        q = node["query"]
        k = node.get("key", q)
        return [q, k, node.get("value", k)]
    if op in ("concat", "add"):
        return list(node["inputs"])
    return [node["input"]]


class GraphModel(nn.Module):
    """Runs a manifest node list in PyTorch with the engine's semantics.

    nodes: the manifest's node dicts; modules: {node name: torch module} for
    the nodes with weights (and optionally nn.Dropout for `dropout` nodes,
    which is then active in training). Each module is registered under its
    node's name, so state_dict() is exactly the safetensors content.

    forward(ids [B, T] long, lengths [B] or None) -> output [B, rows, C].
    Padding (positions >= length) is masked everywhere (LSTMs are packed,
    attention ignores padded keys, pooling ignores padded rows), so each row
    of a batch gets what the engine computes for that text alone.
    logits=True returns the output before a final softmax (for training);
    trace=True also returns {node: value} and {node: attention weights}."""

    def __init__(self, nodes, modules, output):
        super().__init__()
        self.nodes = [dict(n) for n in nodes]
        self.output = output
        names = set()
        for n in self.nodes:
            name = n["name"]
            if name in names or name == "tokens":
                raise ExportError(f"node name {name!r} used twice or reserved")
            for i in _node_inputs(n):
                if i != "tokens" and i not in names:
                    raise ExportError(f"node {name!r}: input {i!r} is not defined before it")
            names.add(name)
            m = modules.get(name)
            if n["op"] in WEIGHTED_OPS and m is None:
                raise ExportError(f"node {name!r} ({n['op']}) has no module")
            if m is not None:
                if n["op"] not in WEIGHTED_OPS and not (n["op"] == "dropout"
                                                        and isinstance(m, nn.Dropout)):
                    raise ExportError(f"node {name!r} ({n['op']}) takes no module")
                self._check_module(n, m)
                self.add_module(name, m)
        if output not in names:
            raise ExportError(f"output {output!r} is not a node")

    @staticmethod
    def _check_module(n, m):
        op, name = n["op"], n["name"]
        expect = {"embedding": nn.Embedding, "lstm": nn.LSTM, "gru": nn.GRU, "dense": nn.Linear,
                  "layer_norm": nn.LayerNorm, "attention": Attention,
                  "attention_pool": AttentionPool,
                  "multihead_attention": (nn.MultiheadAttention, SeparateMultiheadAttention)}
        if op in expect and not isinstance(m, expect[op]):
            raise ExportError(f"node {name!r} ({op}) needs a {expect[op]}, got {type(m).__name__}")
        if op in ("lstm", "gru"):
            kind = type(m).__name__
            if not m.batch_first:
                raise ExportError(f"node {name!r}: the {kind} must have batch_first=True")
            if m.hidden_size != n["hidden_size"] or m.num_layers != n.get("num_layers", 1) or \
                    m.bidirectional != n.get("bidirectional", False):
                raise ExportError(f"node {name!r}: hidden_size/num_layers/bidirectional differ "
                                  f"between the node and the {kind}")
            if getattr(m, "proj_size", 0):
                raise ExportError(f"node {name!r}: LSTM proj_size is not in the format")
            if n.get("merge", "concat") != "concat" and m.num_layers > 1:
                raise ExportError(f"node {name!r}: merge other than concat needs one {kind} "
                                  "per layer; use num_layers 1")
            if n.get("gate_activation", "sigmoid") != "sigmoid":
                raise ExportError(f"node {name!r}: {kind} has sigmoid gates only")
            if op == "gru" and not n.get("reset_after", True):
                raise ExportError(f"node {name!r}: nn.GRU computes reset_after: true only")
        if op == "attention":
            if m.score != n.get("score", "dot") or m.causal != n.get("causal", False):
                raise ExportError(f"node {name!r}: score/causal differ between node and module")
        if op == "attention_pool" and m.score != n.get("score", "tanh_proj"):
            raise ExportError(f"node {name!r}: score differs between node and module")
        if op == "multihead_attention":
            if m.num_heads != n["num_heads"]:
                raise ExportError(f"node {name!r}: num_heads differs between node and module")
            if isinstance(m, nn.MultiheadAttention):
                if m.bias_k is not None or m.add_zero_attn:
                    raise ExportError(f"node {name!r}: add_bias_kv/add_zero_attn are not in the "
                                      "format")
                if not m.batch_first:
                    raise ExportError(f"node {name!r}: nn.MultiheadAttention needs batch_first=True")

    def forward(self, ids, lengths=None, logits=False, trace=False):
        if ids.dim() == 1:
            ids = ids.unsqueeze(0)
        B, T = ids.shape
        if lengths is None:
            lengths = torch.full((B,), T, dtype=torch.long)
        lengths = torch.as_tensor(lengths, dtype=torch.long).cpu()
        seq_mask = torch.arange(T)[None, :] < lengths[:, None]
        vals = {"tokens": None}
        masks = {}
        attn = {}
        for n in self.nodes:
            name, op = n["name"], n["op"]
            m = self._modules.get(name)
            if op == "embedding":
                out, mask = m(ids), seq_mask
            elif op in ("lstm", "gru"):
                x, mask = vals[n["input"]], masks[n["input"]]
                lens = mask.sum(1)
                packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True,
                                                           enforce_sorted=False)
                y, _ = m(packed)
                y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True,
                                                        total_length=x.shape[1])
                H = n["hidden_size"]
                bi = n.get("bidirectional", False)
                merge = n.get("merge", "concat")
                if n.get("return", "sequence") == "last":
                    idx = torch.arange(B)
                    fwd = y[idx, lens - 1, :H].unsqueeze(1)
                    if bi:
                        y = torch.cat([fwd, y[:, 0:1, H:]], dim=-1)
                    else:
                        y = fwd
                    mask = torch.ones(B, 1, dtype=torch.bool)
                if bi and merge != "concat":
                    f, b = y[..., :H], y[..., H:]
                    y = {"sum": lambda: f + b, "mul": lambda: f * b,
                         "ave": lambda: (f + b) / 2}[merge]()
                out = y
            elif op == "dense":
                x, mask = vals[n["input"]], masks[n["input"]]
                z = m(x)
                act = n.get("activation", "linear")
                out = z if (logits and name == self.output and act == "softmax") \
                    else apply_activation(act, z)
            elif op == "activation":
                x, mask = vals[n["input"]], masks[n["input"]]
                fn = n["function"]
                out = x if (logits and name == self.output and fn == "softmax") \
                    else apply_activation(fn, x)
            elif op == "dropout":
                x, mask = vals[n["input"]], masks[n["input"]]
                out = m(x) if m is not None else x
            elif op == "layer_norm":
                x, mask = vals[n["input"]], masks[n["input"]]
                out = m(x)
            elif op in ("concat", "add"):
                ins = n["inputs"]
                mask = masks[ins[0]]
                if op == "concat":
                    out = torch.cat([vals[i] for i in ins], dim=-1)
                else:
                    out = vals[ins[0]]
                    for i in ins[1:]:
                        out = out + vals[i]
            elif op == "pool":
                x, mask = vals[n["input"]], masks[n["input"]]
                mode = n["mode"]
                lens = mask.sum(1)
                if mode == "mean":
                    out = (x * mask[..., None]).sum(1, keepdim=True) / lens[:, None, None]
                elif mode == "max":
                    out = x.masked_fill(~mask[..., None], float("-inf")).max(1, keepdim=True).values
                elif mode == "first":
                    out = x[:, 0:1]
                elif mode == "last":
                    out = x[torch.arange(B), lens - 1].unsqueeze(1)
                else:
                    raise ExportError(f"node {name!r}: unknown pool mode {mode!r}")
                mask = torch.ones(B, 1, dtype=torch.bool)
            elif op == "attention_pool":
                x, mask = vals[n["input"]], masks[n["input"]]
                out, a = m(x, mask)
                attn[name] = a.unsqueeze(1)
                mask = torch.ones(B, 1, dtype=torch.bool)
            elif op in ("attention", "multihead_attention"):
                qn, kn, vn = _node_inputs(n)
                q, k, v = vals[qn], vals[kn], vals[vn]
                mask, kmask = masks[qn], masks[kn]
                if isinstance(m, nn.MultiheadAttention):
                    causal = None
                    if n.get("causal", False):
                        causal = torch.triu(torch.ones(q.shape[1], k.shape[1], dtype=torch.bool), 1)
                    out, a = m(q, k, v, key_padding_mask=~kmask, need_weights=trace,
                               average_attn_weights=False, attn_mask=causal)
                else:
                    out, a = m(q, k, v, kmask)
                if a is not None:
                    attn[name] = a
            else:
                raise ExportError(f"node {name!r}: unknown op {op!r}")
            vals[name] = out
            masks[name] = mask
        if trace:
            return vals[self.output], vals, attn
        return vals[self.output]


class Graph:
    """Builds the node list and the torch modules together, tracking widths:

        g = Graph(vocab_size)
        g.embedding("emb", 64)
        g.lstm("lstm", "emb", 64, bidirectional=True)
        g.attention_pool("att", "lstm", score="tanh")
        g.dense("probs", "att", 2, activation="softmax")
        model = g.model("probs")          # a GraphModel

    Every method returns the node name; fields left None are omitted from
    the node (the spec's defaults apply)."""

    def __init__(self, vocab_size):
        self.vocab_size = vocab_size
        self.nodes, self.modules, self.width = [], {}, {}

    def _add(self, node, width, module=None):
        self.nodes.append({k: v for k, v in node.items() if v is not None})
        self.width[node["name"]] = width
        if module is not None:
            self.modules[node["name"]] = module
        return node["name"]

    def embedding(self, name, dim, padding_idx=None):
        return self._add({"name": name, "op": "embedding", "input": "tokens"}, dim,
                         nn.Embedding(self.vocab_size, dim, padding_idx=padding_idx))

    def _recurrent(self, op, cls, name, inp, hidden, num_layers, bidirectional, merge, ret,
                   dropout):
        bi = bool(bidirectional)
        m = cls(self.width[inp], hidden, num_layers=num_layers or 1, batch_first=True,
                bidirectional=bi, dropout=dropout)
        width = 2 * hidden if bi and (merge or "concat") == "concat" else hidden
        return self._add({"name": name, "op": op, "input": inp, "hidden_size": hidden,
                          "num_layers": num_layers, "bidirectional": bidirectional,
                          "merge": merge, "return": ret}, width, m)

    def lstm(self, name, inp, hidden, num_layers=None, bidirectional=None, merge=None,
             ret=None, dropout=0.0):
        return self._recurrent("lstm", nn.LSTM, name, inp, hidden, num_layers, bidirectional,
                               merge, ret, dropout)

    def gru(self, name, inp, hidden, num_layers=None, bidirectional=None, merge=None,
            ret=None, dropout=0.0):
        return self._recurrent("gru", nn.GRU, name, inp, hidden, num_layers, bidirectional,
                               merge, ret, dropout)

    def dense(self, name, inp, out, activation=None, bias=True):
        return self._add({"name": name, "op": "dense", "input": inp, "activation": activation},
                         out, nn.Linear(self.width[inp], out, bias=bias))

    def attention(self, name, query, key=None, value=None, score=None, causal=None,
                  attn_dim=None, scale=None):
        k = key or query
        v = value or k
        m = Attention(score or "dot", dq=self.width[query], dk=self.width[k], attn_dim=attn_dim,
                      scale=scale, causal=bool(causal))
        return self._add({"name": name, "op": "attention", "query": query, "key": key,
                          "value": value, "score": score, "causal": causal},
                         self.width[v], m)

    def attention_pool(self, name, inp, score=None, attn_dim=None, bias=True):
        m = AttentionPool(self.width[inp], score or "tanh_proj", attn_dim=attn_dim, bias=bias)
        return self._add({"name": name, "op": "attention_pool", "input": inp, "score": score},
                         self.width[inp], m)

    def multihead_attention(self, name, query, key=None, value=None, num_heads=1,
                            causal=None):
        k = key or query
        v = value or k
        E = self.width[query]
        if E % num_heads:
            raise ExportError(f"{name}: width {E} is not divisible by {num_heads} heads")
        kw = {}
        if self.width[k] != E or self.width[v] != E:
            kw = {"kdim": self.width[k], "vdim": self.width[v]}
        m = nn.MultiheadAttention(E, num_heads, batch_first=True, **kw)
        return self._add({"name": name, "op": "multihead_attention", "query": query, "key": key,
                          "value": value, "num_heads": num_heads, "causal": causal}, E, m)

    def layer_norm(self, name, inp, eps=None):
        m = nn.LayerNorm(self.width[inp], eps=1e-5 if eps is None else eps)
        return self._add({"name": name, "op": "layer_norm", "input": inp, "eps": eps},
                         self.width[inp], m)

    def concat(self, name, inputs):
        return self._add({"name": name, "op": "concat", "inputs": list(inputs)},
                         sum(self.width[i] for i in inputs))

    def add(self, name, inputs):
        return self._add({"name": name, "op": "add", "inputs": list(inputs)}, self.width[inputs[0]])

    def pool(self, name, inp, mode):
        return self._add({"name": name, "op": "pool", "input": inp, "mode": mode}, self.width[inp])

    def activation(self, name, inp, function):
        return self._add({"name": name, "op": "activation", "input": inp, "function": function},
                         self.width[inp])

    def dropout(self, name, inp, p=0.0):
        return self._add({"name": name, "op": "dropout", "input": inp}, self.width[inp],
                         nn.Dropout(p) if p else None)

    def model(self, output):
        return GraphModel(self.nodes, self.modules, output)


# --------------------------------------------------------------------------
# export

def _node_tensors(state, nodes, rename):
    """{format name: tensor} from a state_dict: prefixes renamed, names moved
    to the format's layout, tensors that belong to no node left out (and
    returned, so the caller can say so)."""
    rename = dict(rename or {})
    by_node = {n["name"]: n for n in nodes}
    out, unused = {}, []
    for key, value in state.items():
        name = key
        for prefix in sorted(rename, key=len, reverse=True):
            if key == prefix or key.startswith(prefix + "."):
                name = rename[prefix] + key[len(prefix):]
                break
        node = name.split(".", 1)[0]
        if node not in by_node or "." not in name or by_node[node]["op"] not in WEIGHTED_OPS:
            unused.append(key)
            continue
        out[name] = value.detach().cpu().float()
    # nn.MultiheadAttention with kdim/vdim != embed_dim stores q_proj_weight,
    # k_proj_weight, v_proj_weight and one in_proj_bias; the format wants
    # q_proj.weight ... and q_proj.bias ...
    for n in nodes:
        if n["op"] != "multihead_attention":
            continue
        p = n["name"] + "."
        if p + "q_proj_weight" in out:
            for s in "qkv":
                out[f"{p}{s}_proj.weight"] = out.pop(f"{p}{s}_proj_weight")
            if p + "in_proj_bias" in out:
                b = out.pop(p + "in_proj_bias")
                E = b.shape[0] // 3
                out[p + "q_proj.bias"], out[p + "k_proj.bias"], out[p + "v_proj.bias"] = \
                    b[:E], b[E:2 * E], b[2 * E:]
            out.pop(p + "in_proj_weight", None)  # registered as None by torch, never present
    for n in nodes:
        needs = n["op"] in WEIGHTED_OPS and not (
            n["op"] == "attention" and n.get("score", "dot") in ("dot", "scaled_dot"))
        if needs and not any(k.startswith(n["name"] + ".") for k in out):
            raise ExportError(f"node {n['name']!r} ({n['op']}): no weights found in the module; "
                              f"state_dict prefixes are {sorted({k.rsplit('.', 1)[0] for k in state})}"
                              " (use rename={module_prefix: node_name})")
    return out, unused


def _f32_list(a):
    a = np.asarray(a, dtype=np.float32)
    return [[float(str(v)) for v in row] for row in a]


def find_cli():
    """The lstmscope-cli to check exports with: $LSTMSCOPE_CLI, build/ of
    this repository, or the PATH."""
    env = os.environ.get("LSTMSCOPE_CLI")
    if env:
        return env
    local = os.path.join(ROOT, "build", "lstmscope-cli")
    if os.access(local, os.X_OK):
        return local
    return shutil.which("lstmscope-cli")


def run_cli_check(manifest_path, cli=None):
    """(passed, output text) of `lstmscope-cli check`; passed is None when no
    CLI was found."""
    cli = cli or find_cli()
    if not cli:
        return None, "lstmscope-cli not found (set LSTMSCOPE_CLI or build it in build/)"
    r = subprocess.run([cli, "check", manifest_path], capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def compute_checks(module, tokenizer, texts, task, predict=None, tolerance=1e-4):
    """Manifest checks: each text tokenized as the engine does, run through
    the module (or predict(ids_1d) -> output), output stored as rows."""
    tok = Tokenizer(tokenizer)
    checks = []
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            for text in texts:
                ids = tok.ids(text)
                if not ids:
                    raise ExportError(f"check text {text!r} has no tokens in this vocabulary")
                x = torch.tensor(ids, dtype=torch.long)
                y = predict(x) if predict is not None else module(x.unsqueeze(0))
                y = torch.as_tensor(y).detach().float()
                while y.dim() > 2 and y.shape[0] == 1:
                    y = y[0]
                if y.dim() == 1:
                    y = y.unsqueeze(0)
                if task == "tagging" and y.shape[0] != len(ids):
                    raise ExportError(f"tagging output has {y.shape[0]} rows for {len(ids)} tokens")
                if task != "tagging" and y.shape[0] != 1:
                    raise ExportError(f"{task} output must be one row, got shape {list(y.shape)}")
                if not torch.isfinite(y).all():
                    raise ExportError(f"check text {text!r}: the module's output is not finite")
                checks.append({"text": text, "output": _f32_list(y.numpy()),
                               "tolerance": tolerance})
    finally:
        module.train(was_training)
    return checks


def export(module, nodes, tokenizer, output, out_dir, stem, task="classification", labels=None,
           name=None, description="", metadata=None, check_texts=(), rename=None,
           predict=None, tolerance=1e-4, check=True, cli=None, quiet=False):
    """Write OUT_DIR/STEM.json + OUT_DIR/STEM.safetensors and return the
    manifest path.

    module: a torch.nn.Module (a GraphModel, or your own model whose
      submodules carry the node names, or are mapped to them by `rename`
      {module prefix: node name}). Tensors of no node are left out.
    nodes, output, task, labels, tokenizer: the manifest's fields (the
      tokenizer dict with its vocab, exactly as the model was trained).
    check_texts: texts whose outputs, as the module computes them, become
      the manifest's `checks`. predict(ids_1d LongTensor) -> output overrides
      the default call module(ids[None]), which must return what the output
      node gives (e.g. probabilities, not logits).
    check: run `lstmscope-cli check` on the result (when the CLI is found)
      and raise ExportError if it fails."""
    tensors, unused = _node_tensors(module.state_dict(), nodes, rename)
    if unused and not quiet:
        print(f"export: left out tensors that belong to no node: {', '.join(unused)}",
              file=sys.stderr)
    checks = compute_checks(module, tokenizer, list(check_texts), task, predict, tolerance) \
        if check_texts else None
    manifest = make_manifest(name=name or stem, description=description, tokenizer=tokenizer,
                             task=task, labels=labels, output=output, nodes=nodes,
                             metadata=metadata, checks=checks)
    path = write_model(out_dir, stem, manifest, {k: v.numpy() for k, v in tensors.items()})
    if check and checks:
        ok, text = run_cli_check(path, cli)
        if not quiet:
            print(text, file=sys.stderr)
        if ok is False:
            raise ExportError(f"lstmscope-cli check failed for {path}:\n{text}")
    return path


# --------------------------------------------------------------------------
# demo: somebody's own model, with its own submodule names

class DemoClassifier(nn.Module):
    """A typical hand-written BiLSTM + attention classifier."""

    def __init__(self, vocab_size, emb_dim=16, hidden=12, heads=4, classes=3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, emb_dim)
        self.encoder = nn.LSTM(emb_dim, hidden, batch_first=True, bidirectional=True)
        self.self_attn = nn.MultiheadAttention(2 * hidden, heads, batch_first=True)
        self.norm = nn.LayerNorm(2 * hidden)
        self.pool = AttentionPool(2 * hidden, score="tanh_proj", attn_dim=8)
        self.head = nn.Linear(2 * hidden, classes)

    def forward(self, ids):                      # ids: [batch, T]
        h, _ = self.encoder(self.embed(ids))
        a, _ = self.self_attn(h, h, h)
        x = self.norm(h + a)
        pooled, _ = self.pool(x)
        return torch.softmax(self.head(pooled), dim=-1)   # [batch, 1, classes]


DEMO_NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 12, "bidirectional": True},
    {"name": "mha", "op": "multihead_attention", "query": "lstm", "num_heads": 4},
    {"name": "res", "op": "add", "inputs": ["lstm", "mha"]},
    {"name": "ln", "op": "layer_norm", "input": "res"},
    {"name": "att", "op": "attention_pool", "input": "ln", "score": "tanh_proj"},
    {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"},
]
DEMO_RENAME = {"embed": "emb", "encoder": "lstm", "self_attn": "mha", "norm": "ln",
               "pool": "att", "head": "probs"}


def demo(out_dir, check=True, cli=None):
    torch.manual_seed(0)
    vocab = ["<pad>", "<unk>", "the", "food", "was", "good", "but", "service", "awful", "not",
             "bad", "great", "."]
    tokenizer = {"type": "word", "lowercase": True, "vocab": vocab, "unk": "<unk>"}
    model = DemoClassifier(len(vocab))
    return export(model, DEMO_NODES, tokenizer, output="probs", out_dir=out_dir, stem="demo",
                  task="classification", labels=["negative", "neutral", "positive"],
                  name="export_pytorch.py demo (random weights)",
                  description="A random BiLSTM + self-attention + attention pooling classifier "
                              "exported from a plain nn.Module with a rename map.",
                  check_texts=["The food was good but the service was awful.",
                               "not bad", "great great great food"],
                  rename=DEMO_RENAME, check=check, cli=cli)


def _load_callable(spec):
    """'path/to/file.py:function' or 'package.module:function' -> the function."""
    import importlib
    import importlib.util
    where, _, attr = spec.rpartition(":")
    if not where or not attr:
        raise ExportError(f"--model wants FILE.py:FUNCTION or MODULE:FUNCTION, not {spec!r}")
    if where.endswith(".py"):
        sys.path.insert(0, os.path.dirname(os.path.abspath(where)))
        loader = importlib.util.spec_from_file_location("user_model", where)
        mod = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(mod)
    else:
        mod = importlib.import_module(where)
    return getattr(mod, attr)


def _read_json(path, key=None):
    import json
    with open(path, encoding="utf-8") as f:
        value = json.load(f)
    if key and isinstance(value, dict) and key in value:  # a whole manifest works too
        value = value[key]
    return value


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n"
               "  /usr/bin/python3 tools/export_pytorch.py --model mymodel.py:load \\\n"
               "      --nodes nodes.json --tokenizer tokenizer.json --output probs \\\n"
               "      --labels negative,positive --rename encoder=lstm,head=probs \\\n"
               "      --check-text 'not good at all' --check-text 'great food' --out models/mine\n"
               "  /usr/bin/python3 tools/export_pytorch.py --demo /tmp/demo\n")
    p.add_argument("--demo", metavar="OUTDIR",
                   help="export a small random model to OUTDIR/demo.json and check it")
    p.add_argument("--model", metavar="FILE.py:FUNCTION",
                   help="a function that returns your nn.Module (weights loaded, or see "
                        "--state-dict)")
    p.add_argument("--state-dict", metavar="FILE.pt", help="load these weights (torch.save of "
                                                           "state_dict()) into the module")
    p.add_argument("--nodes", metavar="JSON", help="the node list (or a manifest holding one)")
    p.add_argument("--tokenizer", metavar="JSON",
                   help="the tokenizer object with its vocab (or a manifest holding one)")
    p.add_argument("--output", help="the node whose value is the prediction")
    p.add_argument("--task", default="classification",
                   choices=("classification", "tagging", "regression"))
    p.add_argument("--labels", help="comma-separated names of the output columns")
    p.add_argument("--rename", default="", metavar="PREFIX=NODE,...",
                   help="map module prefixes to node names")
    p.add_argument("--check-text", action="append", default=[], metavar="TEXT",
                   help="a text to store as a check (repeatable; at least one)")
    p.add_argument("--name", help="the model's display name")
    p.add_argument("--description", default="")
    p.add_argument("--out", metavar="DIR/STEM", help="write DIR/STEM.json + DIR/STEM.safetensors")
    p.add_argument("--cli", help="the lstmscope-cli to check with (default: $LSTMSCOPE_CLI, "
                                 "build/lstmscope-cli, or the PATH)")
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    try:
        if args.demo:
            path = demo(args.demo, check=False)
        elif args.model:
            missing = [f for f in ("nodes", "tokenizer", "output", "out") if not getattr(args, f)]
            if missing or not args.check_text:
                p.error("--model needs --nodes, --tokenizer, --output, --out and at least one "
                        "--check-text")
            module = _load_callable(args.model)()
            if args.state_dict:
                module.load_state_dict(torch.load(args.state_dict, map_location="cpu"))
            rename = dict(kv.split("=", 1) for kv in args.rename.split(",") if kv)
            out_dir, stem = os.path.split(args.out)
            path = export(module, _read_json(args.nodes, "nodes"),
                          _read_json(args.tokenizer, "tokenizer"), output=args.output,
                          out_dir=out_dir or ".", stem=stem, task=args.task,
                          labels=args.labels.split(",") if args.labels else None,
                          name=args.name, description=args.description,
                          check_texts=args.check_text, rename=rename, check=False)
        else:
            p.print_help()
            return 2
    except ExportError as e:
        print(f"export_pytorch: {e}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    ok, text = run_cli_check(path, args.cli)
    print(text)
    if ok is None:
        print("export_pytorch: the export was not checked", file=sys.stderr)
    return 0 if ok is not False else 1


if __name__ == "__main__":
    sys.exit(main())
