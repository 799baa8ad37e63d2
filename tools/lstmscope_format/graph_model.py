"""GraphModel: a manifest node list run in PyTorch exactly as the engine runs
it (engine/ops/*.cpp, models/FORMAT.md), batched with padding masked so it
can be trained; its state_dict already has the format's tensor names.
tools/lstmscope_format/graph_builder.py (Graph) builds the node list and the
modules together."""

import torch
from torch import nn

from .op_tables import ExportError
from .torch_modules import (Attention, AttentionPool, LearnedParameter,
                            SeparateMultiheadAttention, apply_activation)

# ops a GraphModel runs with a module of their own (every other op has none)
WEIGHTED_OPS = ("embedding", "lstm", "gru", "dense", "attention", "attention_pool",
                "multihead_attention", "layer_norm", "parameter")
# the output activations that logits=True leaves out (cross entropy on the
# logits is the same loss as on their softmax or log softmax)
_NORMALIZING = ("softmax", "log_softmax")


def node_inputs(node):
    """The names of the values a node reads, in the order of its fields."""
    op = node["op"]
    if op in ("attention", "multihead_attention"):
        q = node["query"]
        k = node.get("key", q)
        return [q, k, node.get("value", k)]
    if op in ("concat", "add"):
        return list(node["inputs"])
    if op == "parameter":
        return []
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
    logits=True returns the output before a final softmax / log_softmax (for
    training); trace=True also returns {node: value} and {node: attention
    weights}."""

    def __init__(self, nodes, modules, output):
        super().__init__()
        self.nodes = [dict(n) for n in nodes]
        self.output = output
        # rows of each value: "T" (one per token) or a fixed count, as the
        # engine's Shape; concat repeats 1-row inputs by it
        self.rows = {"tokens": "T"}
        for n in self.nodes:
            name = n["name"]
            if name in self.rows:
                raise ExportError(f"node name {name!r} used twice or reserved")
            for i in node_inputs(n):
                if i not in self.rows:
                    raise ExportError(f"node {name!r}: input {i!r} is not defined before it")
            m = modules.get(name)
            if n["op"] in WEIGHTED_OPS and m is None:
                raise ExportError(f"node {name!r} ({n['op']}) has no module")
            if m is not None:
                if n["op"] not in WEIGHTED_OPS and not (n["op"] == "dropout"
                                                        and isinstance(m, nn.Dropout)):
                    raise ExportError(f"node {name!r} ({n['op']}) takes no module")
                self._check_module(n, m)
                self.add_module(name, m)
            self.rows[name] = self._rows_of(n, m)
        if output not in self.rows or output == "tokens":
            raise ExportError(f"output {output!r} is not a node")

    def _rows_of(self, n, m):
        op, name = n["op"], n["name"]
        ins = [self.rows[i] for i in node_inputs(n)]
        if op in ("lstm", "gru"):
            return 1 if n.get("return", "sequence") == "last" else ins[0]
        if op in ("pool", "flatten"):
            if op == "flatten" and ins[0] == "T":
                raise ExportError(f"node {name!r}: flatten needs a fixed number of rows, "
                                  f"not one per token")
            return 1
        if op == "attention_pool":
            return int(n.get("hops", 1))
        if op == "parameter":
            return int(m.weight.shape[0])
        if op == "concat":
            many = {r for r in ins if r != 1}
            if len(many) > 1:
                raise ExportError(f"node {name!r}: concat inputs have {sorted(map(str, many))} "
                                  "rows; only 1-row inputs are repeated")
            return many.pop() if many else 1
        if op in ("attention", "multihead_attention") and n.get("causal", False) \
                and ins[0] != ins[1]:
            raise ExportError(f"node {name!r}: causal needs a query with one row per key "
                              f"(query rows {ins[0]}, key rows {ins[1]})")
        return ins[0]  # the query's rows for attention; the input's for the rest

    @staticmethod
    def _check_module(n, m):
        op, name = n["op"], n["name"]
        expect = {"embedding": nn.Embedding, "lstm": nn.LSTM, "gru": nn.GRU, "dense": nn.Linear,
                  "layer_norm": nn.LayerNorm, "attention": Attention,
                  "attention_pool": AttentionPool, "parameter": LearnedParameter,
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
        if op == "attention_pool" and (m.score != n.get("score", "tanh_proj")
                                       or m.hops != n.get("hops", 1)):
            raise ExportError(f"node {name!r}: score/hops differ between node and module")
        if op == "multihead_attention":
            if m.num_heads != n["num_heads"]:
                raise ExportError(f"node {name!r}: num_heads differs between node and module")
            if isinstance(m, nn.MultiheadAttention):
                if m.bias_k is not None or m.add_zero_attn:
                    raise ExportError(f"node {name!r}: add_bias_kv/add_zero_attn are not in the "
                                      "format")
                if not m.batch_first:
                    raise ExportError(f"node {name!r}: nn.MultiheadAttention needs batch_first=True")

    def _recurrent(self, n, m, x, mask, B):
        lens = mask.sum(1)
        packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        y, _ = m(packed)
        y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=x.shape[1])
        H = n["hidden_size"]
        bi = n.get("bidirectional", False)
        merge = n.get("merge", "concat")
        if n.get("return", "sequence") == "last":
            y = _final_state(y, lens, H, bi)
            mask = torch.ones(B, 1, dtype=torch.bool)
        if bi and merge != "concat":
            f, b = y[..., :H], y[..., H:]
            y = {"sum": lambda: f + b, "mul": lambda: f * b, "ave": lambda: (f + b) / 2}[merge]()
        return y, mask

    def _pool(self, n, x, mask, B):
        mode = n["mode"]
        lens = mask.sum(1)
        if mode == "mean":
            return (x * mask[..., None]).sum(1, keepdim=True) / lens[:, None, None]
        if mode == "max":
            return x.masked_fill(~mask[..., None], float("-inf")).max(1, keepdim=True).values
        if mode == "first":
            return x[:, 0:1]
        if mode == "last":
            return x[torch.arange(B), lens - 1].unsqueeze(1)
        if mode == "final":
            src = next((s for s in self.nodes if s["name"] == n["input"]), None)
            if src is None or src["op"] not in ("lstm", "gru") or \
                    src.get("return", "sequence") != "sequence":
                raise ExportError(f"node {n['name']!r}: pool mode 'final' needs an lstm or gru "
                                  "node returning its sequence as input")
            bi = src.get("bidirectional", False)
            if bi and src.get("merge", "concat") != "concat":
                raise ExportError(f"node {n['name']!r}: pool mode 'final' needs a bidirectional "
                                  "input with merge 'concat'")
            return _final_state(x, lens, src["hidden_size"], bi)
        raise ExportError(f"node {n['name']!r}: unknown pool mode {mode!r}")

    def _concat(self, ins, vals, masks, B):
        rows = {self.rows[i] for i in ins if self.rows[i] != 1}
        if not rows:
            return torch.cat([vals[i] for i in ins], dim=-1), masks[ins[0]]
        many = next(i for i in ins if self.rows[i] != 1)
        R = vals[many].shape[1]
        parts = [vals[i].expand(-1, R, -1) if self.rows[i] == 1 else vals[i] for i in ins]
        return torch.cat(parts, dim=-1), masks[many]

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
            x = mask = None
            if "input" in n:
                x, mask = vals[n["input"]], masks.get(n["input"])
            if op == "embedding":
                out, mask = m(ids), seq_mask
            elif op in ("lstm", "gru"):
                out, mask = self._recurrent(n, m, x, mask, B)
            elif op in ("dense", "activation"):
                z = m(x) if op == "dense" else x
                fn = n.get("activation", "linear") if op == "dense" else n["function"]
                out = z if (logits and name == self.output and fn in _NORMALIZING) \
                    else apply_activation(fn, z)
            elif op == "dropout":
                out = m(x) if m is not None else x
            elif op == "layer_norm":
                out = m(x)
            elif op == "concat":
                out, mask = self._concat(n["inputs"], vals, masks, B)
            elif op == "add":
                ins = n["inputs"]
                mask = masks[ins[0]]
                out = vals[ins[0]]
                for i in ins[1:]:
                    out = out + vals[i]
            elif op == "pool":
                out = self._pool(n, x, mask, B)
                mask = torch.ones(B, 1, dtype=torch.bool)
            elif op == "flatten":
                out = x.reshape(B, 1, -1)  # row 0 first, as torch's flatten(1)
                mask = torch.ones(B, 1, dtype=torch.bool)
            elif op == "parameter":
                out = m(B)
                mask = torch.ones(B, out.shape[1], dtype=torch.bool)
            elif op == "attention_pool":
                out, a = m(x, mask)
                attn[name] = a.unsqueeze(1) if a.dim() == 2 else a
                mask = torch.ones(B, out.shape[1], dtype=torch.bool)
            elif op in ("attention", "multihead_attention"):
                out, mask, a = self._attention(n, m, vals, masks, trace)
                if a is not None:
                    attn[name] = a
            else:
                raise ExportError(f"node {name!r}: unknown op {op!r}")
            vals[name] = out
            masks[name] = mask
        if trace:
            return vals[self.output], vals, attn
        return vals[self.output]

    @staticmethod
    def _attention(n, m, vals, masks, trace):
        qn, kn, vn = node_inputs(n)
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
        return out, mask, a


def _final_state(y, lens, H, bidirectional):
    """The states that have seen the whole text: the forward half at the last
    token, the backward half at the first (engine: lstm `return: last`, pool
    `final`; torch: cat(h_n[-2], h_n[-1]) of the top layer). [B, 1, width]."""
    B = y.shape[0]
    fwd = y[torch.arange(B), lens - 1, :H].unsqueeze(1)
    if not bidirectional:
        return fwd
    return torch.cat([fwd, y[:, 0:1, H:2 * H]], dim=-1)
