"""From a module's state_dict to the format's tensors (models/FORMAT.md:
'NODE.<name>'), for tools/export_pytorch.py.

Three ways a tensor reaches a node, the later winning over the earlier:
* its state_dict name already starts with the node's name ("lstm.weight_ih_l0");
* rename={module_prefix: node | [node, ...]}: the prefix is replaced by the
  node's name; with a list the tensors are copied under every node (one
  module feeding two nodes). The longest matching prefix wins. A target may
  also be a part of a node ({"attn_fc": "att.proj"}).
* tensors={format_name: source}: one tensor at a time, for what is not "one
  module per node": source is a state_dict key (str), a (key, fn) pair
  (fn(state[key])), or a callable(state_dict) -> tensor.
Then a bare [D] vector given for a matrix the op wants as [1, D] is taken as
[1, D] (and [1, ..., 1, R, D] as [R, D]), and every node must have its
required tensors."""

import difflib

import torch

from .op_tables import (MATRIX_SUFFIXES, TENSOR_OPS, ExportError, describe_tensors,
                        missing_tensors)

# the source of tensors given by tensors= (for module_checks: not one module)
FROM_TENSORS = "tensors="
# the source of tensors renamed to a part of a node (rename={"fc": "att.proj"})
PART_OF_NODE = "rename to NODE.PART"


class Mapping:
    """tensors: {format name: float32 tensor}; unused: state_dict keys that
    reached no node; sources: {node: set of module prefixes the node's
    tensors came from, FROM_TENSORS for tensors= entries, PART_OF_NODE for a
    rename to NODE.PART}."""

    def __init__(self):
        self.tensors, self.unused, self.sources = {}, [], {}


def _shape(t):
    return "[" + ", ".join(str(s) for s in t.shape) + "]"


def _as_tensor(value, what):
    try:
        t = torch.as_tensor(value)
    except (TypeError, ValueError, RuntimeError) as e:
        raise ExportError(f"{what} is a {type(value).__name__}, not a tensor ({e})") from None
    return t.detach().cpu().float()


def _key(state, key, format_name):
    if key not in state:
        near = difflib.get_close_matches(key, list(state), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(map(repr, near))}?)" if near else \
            f" (its keys: {', '.join(list(state)[:12])}{' ...' if len(state) > 12 else ''})"
        raise ExportError(f"tensors[{format_name!r}]: {key!r} is not a state_dict key{hint}")
    return state[key]


class _ReadKeys(dict):
    """The state_dict handed to a tensors= callable: records the keys it
    reads, so that they count as used (not reported as left out)."""

    def __init__(self, state, used):
        super().__init__(state)
        self._used = used

    def __getitem__(self, key):
        self._used.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._used.add(key)
        return super().get(key, default)


def _explicit(state, tensors, by_node):
    """{format name: tensor} of tensors=, and the state_dict keys they use
    (named by a str or (key, fn) source, or read by a callable)."""
    out, used = {}, set()
    for format_name, source in (tensors or {}).items():
        node = format_name.split(".", 1)[0]
        if "." not in format_name or node not in by_node:
            raise ExportError(f"tensors: {format_name!r} is not NODE.TENSOR of a node in the "
                              f"node list (nodes: {', '.join(by_node)})")
        if by_node[node]["op"] not in TENSOR_OPS:
            raise ExportError(f"tensors: node {node!r} ({by_node[node]['op']}) has no weights")
        what = f"tensors[{format_name!r}]"
        if isinstance(source, str):
            value = _key(state, source, format_name)
            used.add(source)
        elif isinstance(source, tuple) and len(source) == 2 and callable(source[1]):
            key, fn = source
            value = fn(_key(state, key, format_name))
            used.add(key)
            what += f" ({key!r}, fn)"
        elif callable(source):
            value = source(_ReadKeys(state, used))
        else:
            raise ExportError(f"{what}: the source must be a state_dict key, a (key, fn) pair "
                              f"or a callable(state_dict), not {type(source).__name__}")
        out[format_name] = _as_tensor(value, what)
    return out, used


def _targets(rename, by_node):
    """rename as [(prefix, [node, ...])], longest prefix first."""
    out = []
    for prefix, target in (rename or {}).items():
        nodes = [target] if isinstance(target, str) else list(target)
        if not nodes or not all(isinstance(n, str) for n in nodes):
            raise ExportError(f"rename[{prefix!r}]: a node name or a list of node names, "
                              f"not {target!r}")
        for n in nodes:  # a node, or a part of one ("att.proj" for a Linear)
            if n.split(".", 1)[0] not in by_node:
                raise ExportError(f"rename[{prefix!r}]: {n!r} is not a node (nodes: "
                                  f"{', '.join(by_node)})")
        out.append((prefix, nodes))
    return sorted(out, key=lambda pn: len(pn[0]), reverse=True)


def _split_mha(out, nodes):
    """nn.MultiheadAttention with kdim/vdim != embed_dim stores q_proj_weight,
    k_proj_weight, v_proj_weight and one in_proj_bias; the format wants
    q_proj.weight ... and q_proj.bias ..."""
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


def map_tensors(state, nodes, rename=None, tensors=None, note=None):
    """A Mapping of `state` (a state_dict) onto the nodes; note(text) is
    told of every [D] taken as [1, D]. Raises ExportError for a rename or
    tensors= entry that names no node or key, and for a node whose required
    tensors are missing (saying which, and which keys are left over)."""
    by_node = {n["name"]: n for n in nodes}
    targets = _targets(rename, by_node)
    explicit, used = _explicit(state, tensors, by_node)
    m = Mapping()
    for key, value in state.items():
        if key in used:
            continue
        prefix, names, whole = key.split(".", 1)[0], [key], True
        for p, ns in targets:
            if key == p or key.startswith(p + "."):
                prefix, names = p, [n + key[len(p):] for n in ns]
                whole = all("." not in n for n in ns)
                break
        kept = False
        for name in names:
            node = name.split(".", 1)[0]
            if node not in by_node or "." not in name or by_node[node]["op"] not in TENSOR_OPS:
                continue
            if by_node[node]["op"] == "batch_norm" and name.endswith(".num_batches_tracked"):
                continue  # a training counter, not a weight
            kept = True
            if name not in explicit:
                m.tensors[name] = value.detach().cpu().float()
                m.sources.setdefault(node, set()).add(prefix if whole else PART_OF_NODE)
        if not kept:
            m.unused.append(key)
    _split_mha(m.tensors, nodes)
    for name in explicit:
        m.sources.setdefault(name.split(".", 1)[0], set()).add(FROM_TENSORS)
    m.tensors.update(explicit)
    for name, t in m.tensors.items():
        node, suffix = name.split(".", 1)
        if suffix not in MATRIX_SUFFIXES.get(by_node[node]["op"], ()):
            continue
        if t.dim() == 1 or (t.dim() > 2 and all(d == 1 for d in t.shape[:-2])):
            # [D], or [1, 1, D] as torch code keeps a learned query or class token
            m.tensors[name] = t.reshape(1, -1) if t.dim() == 1 else t.reshape(t.shape[-2:])
            if note:
                note(f"{name}: the {_shape(t)} tensor is taken as the "
                     f"{_shape(m.tensors[name])} matrix the {by_node[node]['op']} op wants")
    for n in nodes:
        if n["op"] in TENSOR_OPS:
            missing = missing_tensors(n, m.tensors)
            if missing:
                raise ExportError(_missing_message(n, missing, m, state))
    return m


def _missing_message(node, missing, m, state):
    name, op = node["name"], node["op"]
    got = sorted(k for k in m.tensors if k.startswith(name + "."))
    lines = [f"node {name!r} ({op}): missing {', '.join(name + '.' + s for s in missing)}.",
             f"  The node takes: {describe_tensors(node)}."]
    if got:
        lines.append(f"  It got: {', '.join(f'{k} {_shape(m.tensors[k])}' for k in got)}.")
        # a wrapper module mapped to the node: its weights sit one level deeper
        for k in got:
            inner, _, rest = k[len(name) + 1:].rpartition(".")
            if inner and rest and any(s.endswith(rest) for s in missing):
                src = sorted(m.sources.get(name, {"?"}) - {FROM_TENSORS, PART_OF_NODE})
                if src:
                    lines.append(f"  They sit one module too deep: rename={{"
                                 f"{src[0] + '.' + inner!r}: {name!r}}} maps the inner module.")
                break
    if m.unused:
        left = [f"{k} {_shape(state[k])}" for k in m.unused[:20]]
        lines.append(f"  state_dict entries that reached no node: {', '.join(left)}"
                     f"{' ...' if len(m.unused) > 20 else ''}.")
        likely = sorted({k[:-len(s) - 1] for k in m.unused for s in missing
                         if k.endswith("." + s)})
        if likely:
            lines.append(f"  Probably: rename={{{likely[0]!r}: {name!r}}} (its parameters "
                         "have the names the node takes).")
        modules = sorted({k.rsplit('.', 1)[0] for k in m.unused if "." in k})
        if modules:
            lines.append(f"  A submodule whose parameters have the format's names maps with "
                         f"rename={{module_prefix: node_name}} (module prefixes here: "
                         f"{', '.join(modules[:10])}).")
        # The example source: a left-over key of the same kind as the missing
        # tensor ('word_fc.weight' for 'proj.weight'), else a bare parameter.
        kind = missing[0].rsplit(".", 1)[-1]
        example = next((k for k in m.unused if "." in k and k.rsplit(".", 1)[-1] == kind),
                       next((k for k in m.unused if "." not in k), m.unused[0]))
        lines.append(f"  Single tensors map with tensors={{format_name: state_dict_key}}, "
                     f"e.g. tensors={{{name + '.' + missing[0]!r}: {example!r}}}; "
                     f"(key, fn) or a callable(state_dict) reshape, slice or transpose.")
    return "\n".join(lines)
