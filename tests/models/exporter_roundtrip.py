#!/usr/bin/python3
"""Round trip of tools/export_pytorch.py: random PyTorch models, exported,
then `lstmscope-cli check` must reproduce PyTorch's outputs.

1. `export_pytorch.py --demo` (a plain nn.Module exported with a rename map),
   and the command form `--model FILE.py:FUNCTION --state-dict ...`.
2. The README's "bring your own model" example, tools/examples/bring_your_own_model.py.
3. Random GraphModels covering every op and option the exporter supports
   (issue 13's too: pool `final`, attention_pool `hops`, `flatten`,
   `parameter` queries, concat repeating a 1-row input, `log_softmax`),
   each exported and checked; for each, a padded batch run through the
   GraphModel must equal the texts run one by one (the masking the training
   recipes rely on).
4. An nn.MultiheadAttention with kdim/vdim (separate q/k/v weights) and an
   export with a wrong node list, which must fail with a clear message.

usage: exporter_roundtrip.py --cli PATH/lstmscope-cli --out WORKDIR
"""

import argparse
import json
import os
import subprocess
import sys

import torch
from torch import nn

from exporter_test_support import ROOT, TEXTS as BASE_TEXTS, TOK, VOCAB, failures, randomize, step  # noqa: E402,F401
import export_pytorch as xp  # noqa: E402

TEXTS = BASE_TEXTS + ["I loved it, the food was great, the service was not bad at all, good good good."]


def batch_equals_single(model):
    tok = xp.Tokenizer(TOK)
    seqs = [tok.ids(t) for t in TEXTS]
    T = max(map(len, seqs))
    ids = torch.zeros(len(seqs), T, dtype=torch.long)
    for r, s in enumerate(seqs):
        ids[r, :len(s)] = torch.tensor(s)
    lengths = torch.tensor([len(s) for s in seqs])
    model.eval()
    with torch.no_grad():
        batch = model(ids, lengths)
        for r, s in enumerate(seqs):
            one = model(torch.tensor(s))[0]
            got = batch[r, :one.shape[0]]
            d = (got - one).abs().max().item()
            if d > 1e-5:
                raise AssertionError(f"padded batch differs from the single run by {d} "
                                     f"for {TEXTS[r]!r}")


def graphs():
    V = len(VOCAB)
    out = []

    g = xp.Graph(V)  # everything around an LSTM
    g.embedding("emb", 10)
    g.dropout("drop", "emb", 0.1)
    g.lstm("lstm", "drop", 6, num_layers=2, bidirectional=True)
    g.lstm("lstm_sum", "emb", 5, bidirectional=True, merge="sum")
    g.lstm("last", "lstm", 4, bidirectional=True, ret="last")
    g.lstm("last_uni", "emb", 3, ret="last")
    g.pool("mean", "lstm", "mean")
    g.pool("max", "lstm_sum", "max")
    g.pool("first", "lstm", "first")
    g.pool("plast", "lstm_sum", "last")
    g.concat("cat", ["mean", "max", "first", "plast", "last", "last_uni"])
    g.dense("probs", "cat", 3, activation="softmax")
    out.append(("lstm_variants_pools", g, "classification", "probs"))

    g = xp.Graph(V)  # every attention score, with scale and causal, as a tagger
    g.embedding("emb", 8)
    g.lstm("lstm", "emb", 5, bidirectional=True)
    g.attention("dot", "lstm", score="dot")
    g.attention("sdot", "lstm", value="emb", score="scaled_dot", causal=True)
    g.attention("gen", "lstm", key="emb", score="general", scale=1.5)
    g.attention("add", "emb", key="lstm", score="additive", attn_dim=6)
    g.concat("cat", ["dot", "sdot", "gen", "add"])
    g.layer_norm("ln", "cat")
    g.dense("ff", "ln", 12, activation="gelu")
    g.dense("tags", "ff", 4, activation="softmax")
    out.append(("attention_scores_tagger", g, "tagging", "tags"))

    g = xp.Graph(V)  # every attention_pool score, multi-head attention, residual
    g.embedding("emb", 12)
    g.lstm("lstm", "emb", 6, bidirectional=True)
    g.multihead_attention("mha", "lstm", num_heads=4)
    g.multihead_attention("mha_causal", "lstm", key="emb", num_heads=2, causal=True)
    g.add("res", ["lstm", "mha", "mha_causal"])
    g.attention_pool("p1", "res", score="tanh_proj", attn_dim=5)
    g.attention_pool("p2", "res", score="tanh")
    g.attention_pool("p3", "res", score="linear")
    g.attention_pool("p4", "res", score="tanh_linear")
    g.concat("cat", ["p1", "p2", "p3", "p4"])
    g.dense("h", "cat", 8, activation="tanh")
    g.activation("hs", "h", "sigmoid")
    g.dense("probs", "hs", 2, activation="softmax")
    out.append(("pools_and_multihead", g, "classification", "probs"))

    g = xp.Graph(V)  # seed A and seed B shapes
    g.embedding("emb", 8)
    g.lstm("lstm", "emb", 8, bidirectional=True)
    g.dense("proj", "lstm", 16)
    g.multihead_attention("mha", "proj", num_heads=8)
    g.attention("attn", "mha", key="lstm", score="dot")
    g.concat("cat", ["lstm", "attn"])
    g.dense("hidden", "cat", 8, activation="relu")
    g.dense("tags", "hidden", 3, activation="softmax")
    out.append(("seed_shapes_tagger", g, "tagging", "tags"))

    g = xp.Graph(V)  # GRU + attention, as common as LSTM + attention
    g.embedding("emb", 8)
    g.gru("gru", "emb", 6, num_layers=2, bidirectional=True)
    g.gru("gru_sum", "emb", 5, bidirectional=True, merge="sum")
    g.gru("gru_last", "gru", 4, bidirectional=True, ret="last")
    g.attention_pool("att", "gru", score="tanh")
    g.concat("cat", ["att", "gru_last"])
    g.pool("max", "gru_sum", "max")
    g.concat("all", ["cat", "max"])
    g.dense("probs", "all", 2, activation="softmax")
    out.append(("gru_attention", g, "classification", "probs"))

    g = xp.Graph(V)  # issue 13's ops: final states, multi-hop pooling, learned queries
    g.embedding("emb", 8)
    g.lstm("lstm", "emb", 5, bidirectional=True)
    g.gru("gru", "emb", 4)
    g.pool("fin", "lstm", "final")
    g.pool("fin_gru", "gru", "final")
    g.attention_pool("hops", "lstm", score="tanh_proj", attn_dim=6, hops=3)
    g.flatten("hops_flat", "hops")
    g.attention_pool("hops_lin", "lstm", score="linear", hops=2)
    g.flatten("hops_lin_flat", "hops_lin")
    g.parameter("q", 1, 10)
    g.attention("q_att", "q", key="lstm", score="scaled_dot")
    g.parameter("q2", 2, 10)
    g.multihead_attention("q2_mha", "q2", key="lstm", num_heads=2)
    g.flatten("q2_flat", "q2_mha")
    g.concat("cat", ["fin", "fin_gru", "hops_flat", "hops_lin_flat", "q_att", "q2_flat"])
    g.dense("logp", "cat", 3, activation="log_softmax")
    out.append(("final_hops_parameters", g, "classification", "logp"))

    g = xp.Graph(V)  # a sentence vector joined to every token, log_softmax tags
    g.embedding("emb", 8)
    g.lstm("lstm", "emb", 4, bidirectional=True)
    g.pool("fin", "lstm", "final")
    g.concat("cat", ["lstm", "fin"])
    g.dense("scores", "cat", 3)
    g.activation("tags", "scores", "log_softmax")
    out.append(("concat_repeat_tagger", g, "tagging", "tags"))
    return out


def final_equals_h_n():
    """pool `final` is what torch users write: cat(h_n[-2], h_n[-1]) of the
    top layer (h_n[-1] unidirectional), also in a padded batch."""
    torch.manual_seed(5)
    for bi in (True, False):
        g = xp.Graph(len(VOCAB))
        g.embedding("emb", 6)
        g.lstm("lstm", "emb", 4, num_layers=2, bidirectional=bi)
        g.pool("fin", "lstm", "final")
        model = g.model("fin").eval()
        ids = torch.tensor([[2, 3, 4, 5, 6], [7, 8, 9, 0, 0]])
        lengths = torch.tensor([5, 3])
        with torch.no_grad():
            got = model(ids, lengths)[:, 0]
            packed = nn.utils.rnn.pack_padded_sequence(model.emb(ids), lengths, batch_first=True,
                                                       enforce_sorted=False)
            _, (h_n, _) = model.lstm(packed)
        want = torch.cat([h_n[-2], h_n[-1]], 1) if bi else h_n[-1]
        if not torch.allclose(got, want, atol=1e-6):
            raise AssertionError(f"bidirectional={bi}: pool final differs from h_n by "
                                 f"{(got - want).abs().max().item()}")


def export_and_check(name, model, nodes, task, output, out_dir, cli, **kw):
    path = xp.export(model, nodes, TOK, output=output, out_dir=out_dir, stem=name, task=task,
                     check_texts=TEXTS, check=False, quiet=True, **kw)
    ok, text = xp.run_cli_check(path, cli)
    if not ok:
        raise AssertionError(f"lstmscope-cli check failed:\n{text}")


class KdimModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(VOCAB), 8)
        self.rnn = nn.LSTM(8, 5, batch_first=True, bidirectional=True)
        self.mha = nn.MultiheadAttention(8, 2, batch_first=True, kdim=10, vdim=10)
        self.out = nn.Linear(8, 3)

    def forward(self, ids):
        e = self.emb(ids)
        h, _ = self.rnn(e)
        a, _ = self.mha(e, h, h)
        return torch.softmax(self.out(a), dim=-1)


KDIM_NODES = [
    {"name": "emb", "op": "embedding", "input": "tokens"},
    {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 5, "bidirectional": True},
    {"name": "mha", "op": "multihead_attention", "query": "emb", "key": "lstm", "num_heads": 2},
    {"name": "tags", "op": "dense", "input": "mha", "activation": "softmax"},
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cli", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)

    def demo():
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "export_pytorch.py"),
                            "--demo", os.path.join(a.out, "demo"), "--cli", a.cli],
                           capture_output=True, text=True)
        if r.returncode != 0 or "3 of 3 checks passed" not in r.stdout:
            raise AssertionError(r.stdout + r.stderr)
    step("export_pytorch.py --demo", demo)

    def command_form():
        d = os.path.join(a.out, "cmd")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "mymodel.py"), "w") as f:
            f.write("import sys\n"
                    f"sys.path.insert(0, {os.path.join(ROOT, 'tools')!r})\n"
                    "import export_pytorch as xp\n\n"
                    f"def load():\n    return xp.DemoClassifier({len(VOCAB)})\n")
        torch.manual_seed(11)
        m = xp.DemoClassifier(len(VOCAB))
        randomize(m, 11)
        torch.save(m.state_dict(), os.path.join(d, "weights.pt"))
        with open(os.path.join(d, "nodes.json"), "w") as f:
            json.dump({"nodes": xp.DEMO_NODES}, f)
        with open(os.path.join(d, "tokenizer.json"), "w") as f:
            json.dump(TOK, f)
        rename = ",".join(f"{k}={v}" for k, v in xp.DEMO_RENAME.items())
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "export_pytorch.py"),
                            "--model", os.path.join(d, "mymodel.py") + ":load",
                            "--state-dict", os.path.join(d, "weights.pt"),
                            "--nodes", os.path.join(d, "nodes.json"),
                            "--tokenizer", os.path.join(d, "tokenizer.json"),
                            "--output", "probs", "--labels", "a,b,c", "--rename", rename,
                            "--check-text", TEXTS[0], "--check-text", TEXTS[1],
                            "--out", os.path.join(d, "mine"), "--cli", a.cli],
                           capture_output=True, text=True)
        if r.returncode != 0 or "2 of 2 checks passed" not in r.stdout:
            raise AssertionError(r.stdout + r.stderr)
        # the checks are the saved weights' outputs, not a fresh random init's
        import lstmscope_format.safetensors_io as st
        w = st.read(os.path.join(d, "mine.safetensors"))
        if not torch.allclose(torch.from_numpy(w["lstm.weight_ih_l0"]),
                              m.encoder.weight_ih_l0.detach()):
            raise AssertionError("--state-dict was not loaded")
    step("export_pytorch.py --model FILE.py:FUNCTION --state-dict ... (command form)",
         command_form)

    def readme_example():
        env = dict(os.environ, LSTMSCOPE_CLI=a.cli)
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "examples",
                                                         "bring_your_own_model.py"),
                            os.path.join(a.out, "byo")], capture_output=True, text=True,
                           env=env, cwd=ROOT)
        if r.returncode != 0 or "checks passed" not in r.stdout + r.stderr:
            raise AssertionError(r.stdout + r.stderr)
    step("tools/examples/bring_your_own_model.py (the README example)", readme_example)

    def readme_matches_example():
        readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
        if "## Bring your own PyTorch model" not in readme:
            print("     (README.md has no 'Bring your own PyTorch model' section yet: not compared)")
            return
        section = readme.split("## Bring your own PyTorch model", 1)[1]
        block = section.split("```python\n", 1)[1].split("```", 1)[0]
        example = open(os.path.join(ROOT, "tools", "examples", "bring_your_own_model.py"),
                       encoding="utf-8").read()
        if block not in example:
            raise AssertionError("the README's example differs from "
                                 "tools/examples/bring_your_own_model.py; keep them equal")
    step("README example == tools/examples/bring_your_own_model.py", readme_matches_example)

    for k, (name, g, task, output) in enumerate(graphs()):
        model = g.model(output)
        randomize(model, 100 + k)
        step(f"{name}: padded batch == one by one", lambda m=model: batch_equals_single(m))
        step(f"{name}: export + lstmscope-cli check",
             lambda m=model, n=name, t=task, o=output:
             export_and_check(n, m, m.nodes, t, o, a.out, a.cli))

    step("pool final == torch's h_n", final_equals_h_n)

    def kdim():
        torch.manual_seed(7)
        m = KdimModel()
        randomize(m, 7)
        export_and_check("mha_kdim", m, KDIM_NODES, "tagging", "tags", a.out, a.cli,
                         rename={"rnn": "lstm", "out": "tags"})
    step("nn.MultiheadAttention(kdim, vdim) + rename", kdim)

    def wrong_nodes():
        m = KdimModel()
        try:
            export_and_check("bad", m, KDIM_NODES, "tagging", "tags", a.out, a.cli)
        except xp.ExportError as e:  # 'rnn' and 'out' are not node names
            if "node 'lstm'" not in str(e) or "rename" not in str(e):
                raise AssertionError(f"unhelpful message: {e}") from e
            return
        raise AssertionError("an export without the rename map was accepted")
    step("export with unmapped module names is refused", wrong_nodes)

    if failures:
        print(f"{len(failures)} failed: {', '.join(failures)}")
        return 1
    print("all exporter round trips passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
