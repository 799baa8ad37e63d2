"""What the format's ops take (models/FORMAT.md), as data the exporter's
checks and messages read: which ops carry weights, which of their tensors
are required, and which are matrices that a bare [D] vector may stand for.
Pure Python (no torch), so the messages can be tested on their own."""


class ExportError(Exception):
    """An export the exporter refuses, with a message saying what to change."""


ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid", "softmax", "log_softmax", "gelu")

# ops whose node carries tensors in the weights file (every other op has none)
TENSOR_OPS = ("embedding", "lstm", "gru", "dense", "attention", "attention_pool",
              "multihead_attention", "layer_norm", "batch_norm", "feature_attention",
              "parameter")

# Matrices a model often keeps as a bare vector (an nn.Parameter(torch.randn(D))
# context vector, a Linear(D, 1) flattened by hand): a [D] tensor given for
# one of these is taken as [1, D].
MATRIX_SUFFIXES = {
    "dense": ("weight",),
    "attention_pool": ("context.weight", "proj.weight"),
    "attention": ("weight", "v.weight"),
    "parameter": ("weight",),
}


def _recurrent(node, gates):
    H = node.get("hidden_size", "H")
    rows = f"{gates}*{H}" if isinstance(H, str) else str(gates * H)
    dirs = ["", "_reverse"] if node.get("bidirectional", False) else [""]
    required, optional = [], []
    for k in range(int(node.get("num_layers", 1) or 1)):
        for d in dirs:
            required += [(f"weight_ih_l{k}{d}", f"[{rows}, in]"),
                         (f"weight_hh_l{k}{d}", f"[{rows}, {H}]")]
            optional += [(f"bias_ih_l{k}{d}", f"[{rows}]"), (f"bias_hh_l{k}{d}", f"[{rows}]")]
    return required, optional


def node_tensors(node):
    """(required, optional): lists of (suffix, shape hint) of the node's
    tensors, the suffix after 'NODE.'. For multihead_attention the packed
    in_proj_weight stands for q/k/v_proj.weight (either form is accepted)."""
    op = node["op"]
    hops = node.get("hops", 1) or 1
    r = "r" if hops != 1 else "1"
    if op == "embedding":
        return [("weight", "[V, D]")], []
    if op == "lstm":
        return _recurrent(node, 4)
    if op == "gru":
        return _recurrent(node, 3)
    if op == "dense":
        return [("weight", "[out, in]")], [("bias", "[out]")]
    if op == "attention":
        score = node.get("score", "dot")
        if score == "general":
            return [("weight", "[d_q, d_k]")], [("scale", "[1]")]
        if score == "additive":
            return ([("query_proj.weight", "[A, d_q]"), ("key_proj.weight", "[A, d_k]"),
                     ("v.weight", "[1, A]")], [("key_proj.bias", "[A]"), ("scale", "[1]")])
        return [], [("scale", "[1]")]
    if op == "attention_pool":
        score = node.get("score", "tanh_proj")
        if score == "tanh_proj":
            return ([("proj.weight", "[A, D]"), ("context.weight", f"[{r}, A]")],
                    [("proj.bias", "[A]")])
        optional = [] if score == "tanh" else [("context.bias", f"[{r}]")]
        return [("context.weight", f"[{r}, D]")], optional
    if op == "multihead_attention":
        return ([("in_proj_weight", "[3E, E] (or q_proj.weight, k_proj.weight, v_proj.weight)"),
                 ("out_proj.weight", "[d_out, E]")],
                [("in_proj_bias", "[3E]"), ("out_proj.bias", "[d_out]")])
    if op == "layer_norm":
        return [("weight", "[D]"), ("bias", "[D]")], []
    if op == "batch_norm":
        return [("running_mean", "[D]"), ("running_var", "[D]")], [("weight", "[D]"),
                                                                    ("bias", "[D]")]
    if op == "feature_attention":
        return [("weight", "[T, T]")], [("bias", "[T]")]
    if op == "parameter":
        return [("weight", "[R, D]")], []
    return [], []


def missing_tensors(node, names):
    """The required suffixes of `node` not among the format names `names`."""
    prefix = node["name"] + "."
    have = {n[len(prefix):] for n in names if n.startswith(prefix)}
    required, _ = node_tensors(node)
    missing = []
    for suffix, _hint in required:
        if suffix == "in_proj_weight" and {"q_proj.weight", "k_proj.weight",
                                           "v_proj.weight"} <= have:
            continue
        if suffix not in have:
            missing.append(suffix)
    return missing


def describe_tensors(node):
    """'att.proj.weight [A, D], att.context.weight [1, A] (optional:
    att.proj.bias [A])' for messages."""
    required, optional = node_tensors(node)
    p = node["name"] + "."
    text = ", ".join(f"{p}{s} {h}" for s, h in required)
    if optional:
        text += (" (optional: " if text else "optional: ") + \
            ", ".join(f"{p}{s} {h}" for s, h in optional) + (")" if required else "")
    return text
