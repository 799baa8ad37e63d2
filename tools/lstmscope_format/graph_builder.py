"""Graph: builds a manifest node list and its torch modules together,
tracking each value's width and rows, and makes the GraphModel that runs it
(tools/lstmscope_format/graph_model.py)."""

from torch import nn

from .graph_model import GraphModel
from .op_tables import ExportError
from .torch_modules import Attention, AttentionPool, LearnedParameter


class Graph:
    """Builds the node list and the torch modules together, tracking widths:

        g = Graph(vocab_size)
        g.embedding("emb", 64)
        g.lstm("lstm", "emb", 64, bidirectional=True)
        g.attention_pool("att", "lstm", score="tanh")
        g.dense("probs", "att", 2, activation="softmax")
        model = g.model("probs")          # a GraphModel

    Every method returns the node name; fields left None are omitted from
    the node (the spec's defaults apply). `rows` says how many rows each
    value has: "T" (one per token) or a fixed count."""

    def __init__(self, vocab_size):
        self.vocab_size = vocab_size
        self.nodes, self.modules, self.width, self.rows = [], {}, {}, {}

    def _add(self, node, width, module=None, rows=None):
        self.nodes.append({k: v for k, v in node.items() if v is not None})
        self.width[node["name"]] = width
        inp = node.get("input") or node.get("query") or (node.get("inputs") or [None])[0]
        self.rows[node["name"]] = rows if rows is not None else self.rows.get(inp, "T")
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
                          "merge": merge, "return": ret}, width, m,
                         rows=1 if ret == "last" else None)

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

    def attention_pool(self, name, inp, score=None, attn_dim=None, bias=True, hops=None):
        m = AttentionPool(self.width[inp], score or "tanh_proj", attn_dim=attn_dim, bias=bias,
                          hops=hops or 1)
        return self._add({"name": name, "op": "attention_pool", "input": inp, "score": score,
                          "hops": hops}, self.width[inp], m, rows=hops or 1)

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
        """1-row inputs are repeated to the others' rows (a sentence vector
        joined to every token)."""
        many = [self.rows[i] for i in inputs if self.rows[i] != 1]
        return self._add({"name": name, "op": "concat", "inputs": list(inputs)},
                         sum(self.width[i] for i in inputs), rows=many[0] if many else 1)

    def add(self, name, inputs):
        return self._add({"name": name, "op": "add", "inputs": list(inputs)}, self.width[inputs[0]])

    def pool(self, name, inp, mode):
        """mode: mean, max, first, last, or final (the whole-text state of an
        lstm / gru node: forward at the last token, backward at the first)."""
        return self._add({"name": name, "op": "pool", "input": inp, "mode": mode},
                         self.width[inp], rows=1)

    def flatten(self, name, inp):
        """r x D -> 1 x (r*D), row 0 first."""
        rows = self.rows[inp]
        if rows == "T":
            raise ExportError(f"{name}: flatten needs a fixed number of rows; {inp!r} has T")
        return self._add({"name": name, "op": "flatten", "input": inp},
                         rows * self.width[inp], rows=1)

    def parameter(self, name, rows, dim):
        """A learned rows x dim matrix (`.weight`), read by no input."""
        return self._add({"name": name, "op": "parameter"}, dim, LearnedParameter(rows, dim),
                         rows=rows)

    def activation(self, name, inp, function):
        return self._add({"name": name, "op": "activation", "input": inp, "function": function},
                         self.width[inp])

    def dropout(self, name, inp, p=0.0):
        return self._add({"name": name, "op": "dropout", "input": inp}, self.width[inp],
                         nn.Dropout(p) if p else None)

    def model(self, output):
        return GraphModel(self.nodes, self.modules, output)
