"""Checks of the torch modules an export maps to nodes: a module of the
wrong kind (an nn.GRU under an `lstm` node) or with options the format
cannot express would otherwise export tensors whose names fit and whose
numbers mean something else, and fail only later, as a check mismatch."""

from torch import nn

from .op_tables import ExportError
from .weight_mapping import FROM_TENSORS, PART_OF_NODE

# the torch.nn class each op's weights come from
EXPECTED = {"lstm": nn.LSTM, "gru": nn.GRU, "dense": nn.Linear, "embedding": nn.Embedding,
            "multihead_attention": nn.MultiheadAttention, "layer_norm": nn.LayerNorm}
# the op for a torch.nn class, to say which op to use instead
_OP_OF = [(nn.LSTM, "lstm"), (nn.GRU, "gru"), (nn.Linear, "dense"), (nn.Embedding, "embedding"),
          (nn.MultiheadAttention, "multihead_attention"), (nn.LayerNorm, "layer_norm"),
          (nn.BatchNorm1d, "batch_norm")]


def _suggestion(module):
    if isinstance(module, nn.RNN):
        return "nn.RNN (a plain Elman RNN) has no op in the format"
    for cls, op in _OP_OF:
        if isinstance(module, cls):
            return f"use op {op!r}"
    return "no op of the format takes its weights"


def _from_torch_nn(module):
    return type(module).__module__.startswith("torch.nn")


def check_node_modules(root, nodes, sources):
    """root: the exported module; sources: {node: set of module prefixes}
    (weight_mapping.Mapping.sources). A node whose tensors all come from one
    submodule has that submodule checked: a torch.nn layer of another kind
    than its op needs is refused with the op to use; a class of your own is
    trusted (its state_dict names are what counts)."""
    for n in nodes:
        op, name = n["op"], n["name"]
        src = sources.get(name, set())
        if op not in EXPECTED or len(src) != 1 or src & {FROM_TENSORS, PART_OF_NODE}:
            continue
        path = next(iter(src))
        try:
            module = root.get_submodule(path)
        except AttributeError:
            continue  # a prefix of parameters, not of a module
        kind = f"nn.{type(module).__name__}" if _from_torch_nn(module) else type(module).__name__
        if not isinstance(module, EXPECTED[op]):
            if _from_torch_nn(module):
                raise ExportError(f"module {path!r} is {kind} but node {name!r} has op {op!r}: "
                                  f"{_suggestion(module)}")
            continue
        _check_options(n, path, kind, module)


def _check_options(n, path, kind, m):
    op, name = n["op"], n["name"]
    where = f"module {path!r} ({kind}) for node {name!r}"
    if op in ("lstm", "gru"):
        for field, mine, node_value in (("hidden_size", m.hidden_size, n.get("hidden_size")),
                                        ("num_layers", m.num_layers, n.get("num_layers", 1)),
                                        ("bidirectional", m.bidirectional,
                                         n.get("bidirectional", False))):
            if mine != node_value:
                raise ExportError(f"{where}: {field} is {mine!r} in the module but "
                                  f"{node_value!r} in the node")
        if getattr(m, "proj_size", 0):
            raise ExportError(f"{where}: proj_size={m.proj_size} (a projected LSTM) is not in "
                              "the format")
        if n.get("gate_activation", "sigmoid") != "sigmoid":
            raise ExportError(f"{where}: {kind} has sigmoid gates; the node says "
                              f"gate_activation {n['gate_activation']!r}")
        if op == "gru" and not n.get("reset_after", True):
            raise ExportError(f"{where}: nn.GRU computes reset_after: true; the node says false")
    elif op == "multihead_attention":
        if m.num_heads != n.get("num_heads"):
            raise ExportError(f"{where}: num_heads is {m.num_heads} in the module but "
                              f"{n.get('num_heads')!r} in the node")
        if m.bias_k is not None or m.add_zero_attn:
            raise ExportError(f"{where}: add_bias_kv / add_zero_attn are not in the format")
    elif op == "layer_norm":
        eps = n.get("eps", 1e-5)
        if abs(m.eps - eps) > 1e-12:
            raise ExportError(f"{where}: eps is {m.eps} in the module but {eps} in the node "
                              "(set the node's eps)")
        if len(m.normalized_shape) != 1:
            raise ExportError(f"{where}: normalized_shape {list(m.normalized_shape)} "
                              "normalizes more than the last axis")
