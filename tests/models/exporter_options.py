#!/usr/bin/python3
"""The mapping options and safety checks of tools/export_pytorch.py (GitHub
issue 13), each on a small random model whose export `lstmscope-cli check`
must pass, and each shown to be needed (without it the export fails):

* tensors= with a state_dict key (a bare [D] nn.Parameter context vector,
  taken as [1, D]; a [1, 1, D] learned query as [1, D]), a (key, fn) pair
  and a callable;
* rename of one module to two nodes, and of two modules to parts of one node;
* a forward returning a tuple; a dict output is refused pointing at predict=;
* a module in training mode: same checks as in eval mode, left in eval mode
  (also a submodule shared with another model);
* module type and option checks (nn.GRU under an `lstm` node, ...);
* a missing lstmscope-cli is an ExportError (LSTMSCOPE_CLI pointing nowhere;
  no CLI anywhere), --no-check writes the model anyway;
* the command line: --predict FILE.py:FUNCTION, --tensors, --rename A=B+C.

usage: exporter_options.py --cli PATH/lstmscope-cli --out WORKDIR
"""

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys

import torch
from torch import nn

from exporter_test_support import ROOT, TEXTS, TOK, VOCAB, failures, randomize, step  # noqa: E402,F401
import export_pytorch as xp  # noqa: E402
from lstmscope_format import export_checks  # noqa: E402

V = len(VOCAB)
CLI = None
OUT = None


def export(model, nodes, stem, output="probs", task="classification", **kw):
    """Export with checks, return (manifest path, stderr notes); the engine's
    check must pass."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        path = xp.export(model, nodes, TOK, output=output, out_dir=OUT, stem=stem, task=task,
                         check_texts=TEXTS, cli=CLI, **kw)
    return path, err.getvalue()


def refused(fn, *needles):
    """fn() must raise ExportError whose message holds every needle."""
    try:
        fn()
    except xp.ExportError as e:
        missing = [n for n in needles if n not in str(e)]
        if missing:
            raise AssertionError(f"message lacks {missing}: {e}") from e
        return str(e)
    raise AssertionError("accepted; an ExportError was expected")


EMB_LSTM = [{"name": "emb", "op": "embedding", "input": "tokens"},
            {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 5,
             "bidirectional": True}]


# 1. tensors=: weights that are not "one module per node" -------------------

class BareVectorPool(nn.Module):
    """Att-BLSTM with the context vector as a bare [D] parameter, a
    transposed projection and a head stored as one [C, D + 1] matrix."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, 8)
        self.rnn = nn.LSTM(8, 5, batch_first=True, bidirectional=True)
        self.w = nn.Parameter(torch.randn(10))              # context vector [D]
        self.W_s1 = nn.Parameter(torch.randn(10, 6))        # [D, A], used as h @ W_s1
        self.u = nn.Parameter(torch.randn(6))               # [A]
        self.head = nn.Parameter(torch.randn(3, 2 * 10 + 1))  # weight and bias in one

    def forward(self, ids):
        h, _ = self.rnn(self.embed(ids))
        a1 = torch.softmax(torch.tanh(h) @ self.w, dim=-1)               # tanh score
        a2 = torch.softmax(torch.tanh(h @ self.W_s1) @ self.u, dim=-1)   # tanh_proj, no bias
        pooled = torch.cat([a1[:, None] @ h, a2[:, None] @ h], dim=-1)   # [B, 1, 20]
        logits = pooled @ self.head[:, :-1].T + self.head[:, -1]
        return torch.softmax(logits, dim=-1)


BARE_NODES = EMB_LSTM + [
    {"name": "att", "op": "attention_pool", "input": "lstm", "score": "tanh"},
    {"name": "att2", "op": "attention_pool", "input": "lstm", "score": "tanh_proj"},
    {"name": "cat", "op": "concat", "inputs": ["att", "att2"]},
    {"name": "probs", "op": "dense", "input": "cat", "activation": "softmax"}]
BARE_RENAME = {"embed": "emb", "rnn": "lstm"}
BARE_TENSORS = {"att.context.weight": "w",                               # [D] -> [1, D]
                "att2.proj.weight": ("W_s1", lambda t: t.T),             # (key, fn)
                "att2.context.weight": "u",
                "probs.weight": lambda sd: sd["head"][:, :-1],           # callable
                "probs.bias": lambda sd: sd["head"][:, -1]}


def tensors_option():
    m = randomize(BareVectorPool(), 1)
    _, notes = export(m, BARE_NODES, "bare_vector", rename=BARE_RENAME, tensors=BARE_TENSORS)
    for name in ("att.context.weight", "att2.context.weight"):
        if f"{name}: the [" not in notes or "matrix the attention_pool op wants" not in notes:
            raise AssertionError(f"no note on {name} taken as [1, D]: {notes}")
    if "left out" in notes:
        raise AssertionError(f"keys named in tensors= reported as left out: {notes}")
    # without tensors=: the message says which format names the node needs,
    # which keys are left over, and how to map them
    refused(lambda: export(m, BARE_NODES, "bare_vector_bad", rename=BARE_RENAME),
            "node 'att'", "att.context.weight", "w [10]", "tensors={'att.context.weight': 'w'}")
    # each kind of source is needed: without the transpose the shapes are wrong
    bad = dict(BARE_TENSORS, **{"att2.proj.weight": "W_s1"})
    refused(lambda: export(m, BARE_NODES, "bare_vector_bad", rename=BARE_RENAME, tensors=bad),
            "check failed")
    refused(lambda: export(m, BARE_NODES, "bare_vector_bad", rename=BARE_RENAME,
                           tensors=dict(BARE_TENSORS, **{"att.context.weight": "ww"})),
            "'ww' is not a state_dict key", "'w'")
    refused(lambda: export(m, BARE_NODES, "bare_vector_bad", rename=BARE_RENAME,
                           tensors=dict(BARE_TENSORS, **{"attn.context.weight": "w"})),
            "'attn.context.weight'", "not NODE.TENSOR")


class HanLike(nn.Module):
    """HAN's word attention: the projection an nn.Linear of its own name,
    the context vector a bare [A, 1] parameter."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, 8)
        self.rnn = nn.LSTM(8, 5, batch_first=True, bidirectional=True)
        self.word_fc = nn.Linear(10, 6)
        self.u_w = nn.Parameter(torch.randn(6, 1))
        self.head = nn.Linear(10, 3)

    def forward(self, ids):
        h, _ = self.rnn(self.embed(ids))
        a = torch.softmax((torch.tanh(self.word_fc(h)) @ self.u_w)[..., 0], dim=-1)
        return torch.softmax(self.head(a[:, None] @ h), dim=-1)


def suggestion_by_name():
    # The suggested source for a missing tensor is a left-over key of the
    # same kind ('word_fc.weight' for 'att.proj.weight'), not the first bare
    # parameter ('u_w' [6, 1], which cannot be a projection).
    m = randomize(HanLike(), 2)
    nodes = EMB_LSTM + [
        {"name": "att", "op": "attention_pool", "input": "lstm", "score": "tanh_proj"},
        {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"}]
    rename = {"embed": "emb", "rnn": "lstm", "head": "probs"}
    refused(lambda: export(m, nodes, "han_bad", rename=rename),
            "tensors={'att.proj.weight': 'word_fc.weight'}")
    export(m, nodes, "han_like", rename=rename,
           tensors={"att.proj.weight": "word_fc.weight", "att.proj.bias": "word_fc.bias",
                    "att.context.weight": ("u_w", lambda u: u.t())})


class LearnedQuery(nn.Module):
    """A learned query kept as [1, 1, D], as torch code keeps a class token."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 8)
        self.lstm = nn.LSTM(8, 5, batch_first=True, bidirectional=True)
        self.query = nn.Parameter(torch.randn(1, 1, 10))
        self.probs = nn.Linear(10, 2)

    def forward(self, ids):
        h, _ = self.lstm(self.emb(ids))
        a = torch.softmax(self.query @ h.transpose(1, 2) / 10 ** 0.5, dim=-1)
        return torch.softmax(self.probs(a @ h), dim=-1)


QUERY_NODES = EMB_LSTM + [
    {"name": "q", "op": "parameter"},
    {"name": "att", "op": "attention", "query": "q", "key": "lstm", "score": "scaled_dot"},
    {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"}]


def learned_query():
    m = randomize(LearnedQuery(), 7)
    _, notes = export(m, QUERY_NODES, "learned_query", tensors={"q.weight": "query"})
    if "q.weight: the [1, 1, 10] tensor is taken as the [1, 10] matrix" not in notes:
        raise AssertionError(f"no note on q.weight: {notes}")


class SelfAttentive(nn.Module):
    """Lin et al. 2017, "A structured self-attentive sentence embedding", as
    its reference code writes it: bare W_s1 [da, 2u], W_s2 [r, da],
    M = softmax(W_s2 tanh(W_s1 H^T)) H, flattened into the classifier; the
    forward also returns the attention (for the penalty term)."""

    def __init__(self, hops=3, da=6):
        super().__init__()
        self.emb = nn.Embedding(V, 8)
        self.lstm = nn.LSTM(8, 5, batch_first=True, bidirectional=True)
        self.W_s1 = nn.Parameter(torch.randn(da, 10))
        self.W_s2 = nn.Parameter(torch.randn(hops, da))
        self.fc = nn.Linear(hops * 10, 3)

    def forward(self, ids):
        H, _ = self.lstm(self.emb(ids))                                        # [B, T, 2u]
        A = torch.softmax(self.W_s2 @ torch.tanh(self.W_s1 @ H.transpose(1, 2)), dim=-1)
        M = A @ H                                                              # [B, r, 2u]
        return torch.softmax(self.fc(M.flatten(1)), dim=-1), A


SELF_ATTENTIVE_NODES = EMB_LSTM + [
    {"name": "att", "op": "attention_pool", "input": "lstm", "score": "tanh_proj", "hops": 3},
    {"name": "flat", "op": "flatten", "input": "att"},
    {"name": "probs", "op": "dense", "input": "flat", "activation": "softmax"}]


def self_attentive():
    m = randomize(SelfAttentive(), 8)
    export(m, SELF_ATTENTIVE_NODES, "self_attentive", rename={"fc": "probs"},
           tensors={"att.proj.weight": "W_s1", "att.context.weight": "W_s2"})


# 2. rename to several nodes -------------------------------------------------

class TiedFeedForward(nn.Module):
    """One nn.Linear applied twice (weight tying): two dense nodes."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, 6)
        self.ff = nn.Linear(6, 6)
        self.out = nn.Linear(6, 3)

    def forward(self, ids):
        x = self.ff(torch.relu(self.ff(self.embed(ids))))
        return torch.softmax(self.out(x.mean(1, keepdim=True)), dim=-1)


TIED_NODES = [{"name": "emb", "op": "embedding", "input": "tokens"},
              {"name": "ff1", "op": "dense", "input": "emb", "activation": "relu"},
              {"name": "ff2", "op": "dense", "input": "ff1"},
              {"name": "mean", "op": "pool", "input": "ff2", "mode": "mean"},
              {"name": "probs", "op": "dense", "input": "mean", "activation": "softmax"}]


class HanPool(nn.Module):
    """HAN attention written with two nn.Linear: each is a part of one node."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 6)
        self.attn_fc = nn.Linear(6, 4)
        self.ctx = nn.Linear(4, 1, bias=False)
        self.probs = nn.Linear(6, 2)

    def forward(self, ids):
        x = self.emb(ids)
        a = torch.softmax(self.ctx(torch.tanh(self.attn_fc(x)))[..., 0], dim=-1)
        return torch.softmax(self.probs(a[:, None] @ x), dim=-1)


HAN_NODES = [{"name": "emb", "op": "embedding", "input": "tokens"},
             {"name": "att", "op": "attention_pool", "input": "emb", "score": "tanh_proj"},
             {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"}]


def rename_to_two_nodes():
    han = randomize(HanPool(), 6)  # a target may be a part of a node too
    export(han, HAN_NODES, "han_parts", rename={"attn_fc": "att.proj", "ctx": "att.context"})
    m = randomize(TiedFeedForward(), 2)
    export(m, TIED_NODES, "tied", rename={"embed": "emb", "ff": ["ff1", "ff2"], "out": "probs"})
    refused(lambda: export(m, TIED_NODES, "tied_bad",
                           rename={"embed": "emb", "ff": "ff1", "out": "probs"}),
            "node 'ff2'", "ff2.weight")
    refused(lambda: export(m, TIED_NODES, "tied_bad", rename={"ff": ["ff1", "fff"]}),
            "rename['ff']", "'fff' is not a node")


# 3. what forward returns -----------------------------------------------------

class TupleOutput(nn.Module):
    def __init__(self, as_dict=False):
        super().__init__()
        self.as_dict = as_dict
        self.emb = nn.Embedding(V, 8)
        self.lstm = nn.LSTM(8, 5, batch_first=True, bidirectional=True)
        self.att = xp.AttentionPool(10, score="tanh")
        self.probs = nn.Linear(10, 3)

    def forward(self, ids):
        h, _ = self.lstm(self.emb(ids))
        pooled, weights = self.att(h)
        probs = torch.softmax(self.probs(pooled), dim=-1)
        return {"probs": probs, "weights": weights} if self.as_dict else (probs, weights)


TUPLE_NODES = EMB_LSTM + [
    {"name": "att", "op": "attention_pool", "input": "lstm", "score": "tanh"},
    {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"}]


def tuple_output():
    m = randomize(TupleOutput(), 3)
    _, notes = export(m, TUPLE_NODES, "tuple_out")
    if notes.count("its first element is the output") != 1:
        raise AssertionError(f"expected one note on the tuple: {notes}")
    d = randomize(TupleOutput(as_dict=True), 3)
    refused(lambda: export(d, TUPLE_NODES, "dict_out"), "dict with keys ['probs', 'weights']",
            "predict=")
    export(d, TUPLE_NODES, "dict_out", predict=lambda ids: d(ids[None])["probs"])
    # A forward that wants more than the ids (lengths, here) used to end in
    # a bare TypeError traceback; now a message that points at predict=.
    w = randomize(WantsLengths(), 3)
    refused(lambda: export(w, TUPLE_NODES, "wants_lengths"), "WantsLengths", "lengths",
            "predict=", "--predict")
    export(w, TUPLE_NODES, "wants_lengths",
           predict=lambda ids: w(ids[None], torch.tensor([ids.numel()]))[0])


class WantsLengths(TupleOutput):
    def forward(self, ids, lengths):  # noqa: ARG002 (lengths: one text, nothing to mask)
        return super().forward(ids)


# 4. training mode ------------------------------------------------------------

class WithDropout(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 8)
        self.drop = nn.Dropout(0.5)
        self.lstm = nn.LSTM(8, 5, batch_first=True, bidirectional=True)
        self.probs = nn.Linear(10, 3)

    def forward(self, ids):
        h, _ = self.lstm(self.drop(self.emb(ids)))
        return torch.softmax(self.probs(h[:, -1:, :]), dim=-1)


class Wrapper(nn.Module):
    """A fresh module (so in training mode) around a trained one."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, ids):
        return self.inner(ids)


DROPOUT_NODES = [{"name": "emb", "op": "embedding", "input": "tokens"},
                 {"name": "drop", "op": "dropout", "input": "emb"},
                 {"name": "lstm", "op": "lstm", "input": "drop", "hidden_size": 5,
                  "bidirectional": True},
                 {"name": "last", "op": "pool", "input": "lstm", "mode": "last"},
                 {"name": "probs", "op": "dense", "input": "last", "activation": "softmax"}]


def training_mode():
    model = randomize(WithDropout(), 4).eval()
    reference, _ = export(model, DROPOUT_NODES, "dropout_eval")
    wrapper = Wrapper(model)                     # training mode, as every new module
    assert wrapper.training
    path, notes = export(wrapper, DROPOUT_NODES, "dropout_wrapped",
                         rename={"inner.emb": "emb", "inner.lstm": "lstm",
                                 "inner.probs": "probs"})
    if "was in training mode" not in notes:
        raise AssertionError(f"no note on training mode: {notes}")
    bad = [n for n, mod in wrapper.named_modules() if mod.training]
    if bad:
        raise AssertionError(f"left in training mode: {bad} (dropout on in the shared model)")
    with open(reference) as f, open(path) as g:
        if json.load(f)["checks"] != json.load(g)["checks"]:
            raise AssertionError("the checks differ from the eval-mode export")


# 5. module checks --------------------------------------------------------------

class Recurrent(nn.Module):
    def __init__(self, rnn, norm_eps=1e-5):
        super().__init__()
        self.emb = nn.Embedding(V, 8)
        self.rnn = rnn
        self.norm = nn.LayerNorm(10, eps=norm_eps)


def module_checks():
    nodes = EMB_LSTM + [{"name": "ln", "op": "layer_norm", "input": "lstm"}]

    def go(module):
        xp.export(module, nodes, TOK, output="ln", out_dir=OUT, stem="module_check",
                  task="tagging", rename={"rnn": "lstm", "norm": "ln"}, check=False, quiet=True)
    go(Recurrent(nn.LSTM(8, 5, batch_first=True, bidirectional=True)))  # the right one passes
    refused(lambda: go(Recurrent(nn.GRU(8, 5, batch_first=True, bidirectional=True))),
            "module 'rnn' is nn.GRU but node 'lstm' has op 'lstm': use op 'gru'")
    refused(lambda: go(Recurrent(nn.LSTM(8, 6, batch_first=True, bidirectional=True))),
            "module 'rnn'", "hidden_size is 6 in the module but 5 in the node")
    refused(lambda: go(Recurrent(nn.LSTM(8, 5, batch_first=True, bidirectional=True,
                                         proj_size=3))), "proj_size")
    refused(lambda: go(Recurrent(nn.LSTM(8, 5, bidirectional=True), norm_eps=1e-6)),
            "module 'norm'", "eps")
    refused(lambda: go(Recurrent(nn.RNN(8, 5, batch_first=True, bidirectional=True))),
            "nn.RNN")


# 6. no lstmscope-cli -----------------------------------------------------------

def missing_cli():
    m = randomize(TupleOutput(), 5)
    stem = "no_cli"
    for ext in (".json", ".safetensors"):
        if os.path.exists(os.path.join(OUT, stem + ext)):
            os.remove(os.path.join(OUT, stem + ext))
    old = os.environ.get("LSTMSCOPE_CLI")
    os.environ["LSTMSCOPE_CLI"] = os.path.join(OUT, "nowhere", "lstmscope-cli")
    try:
        refused(lambda: xp.export(m, TUPLE_NODES, TOK, output="probs", out_dir=OUT, stem=stem,
                                  check_texts=TEXTS, quiet=True), "LSTMSCOPE_CLI=")
        if os.path.exists(os.path.join(OUT, stem + ".json")):
            raise AssertionError("a model was written although it could not be checked")
        xp.export(m, TUPLE_NODES, TOK, output="probs", out_dir=OUT, stem=stem,
                  check_texts=TEXTS, check=False, quiet=True)   # knowingly unchecked
    finally:
        if old is None:
            del os.environ["LSTMSCOPE_CLI"]
        else:
            os.environ["LSTMSCOPE_CLI"] = old
    if not os.path.exists(os.path.join(OUT, stem + ".json")):
        raise AssertionError("check=False wrote nothing")
    refused(lambda: export_checks.find_cli(os.path.join(OUT, "nowhere")), "not an executable")


def no_cli_anywhere():
    """A copy of the exporter with no build/ next to it, no LSTMSCOPE_CLI and
    no lstmscope-cli on the PATH: refused, unless --no-check."""
    tools = os.path.join(OUT, "bare_checkout", "tools")
    shutil.rmtree(os.path.dirname(tools), ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "tools", "lstmscope_format"),
                    os.path.join(tools, "lstmscope_format"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(os.path.join(ROOT, "tools", "export_pytorch.py"), tools)
    env = {k: v for k, v in os.environ.items() if k != "LSTMSCOPE_CLI"}
    env["PATH"] = "/usr/bin:/bin"
    if shutil.which("lstmscope-cli", path=env["PATH"]):
        print("     (an lstmscope-cli is installed in /usr/bin: 'no CLI anywhere' not run)")
        return
    cmd = [sys.executable, os.path.join(tools, "export_pytorch.py"), "--demo",
           os.path.join(OUT, "bare_demo")]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 1 or "no lstmscope-cli found" not in r.stderr or \
            "--no-check" not in r.stderr:
        raise AssertionError(f"exit {r.returncode}: {r.stdout}{r.stderr}")
    r = subprocess.run(cmd + ["--no-check"], capture_output=True, text=True, env=env)
    if r.returncode != 0 or "not checked" not in r.stderr or \
            not os.path.exists(os.path.join(OUT, "bare_demo", "demo.json")):
        raise AssertionError(f"--no-check: exit {r.returncode}: {r.stdout}{r.stderr}")


# 7. the command line -----------------------------------------------------------

USER_FILE = '''import torch
from torch import nn


class Logits(nn.Module):
    """Returns logits; the node ends in a softmax, so the checks need --predict.
    Its context vector is a bare [D] parameter (--tensors) and one Linear
    serves two nodes (--rename ff=ff1+ff2)."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding({V}, 8)
        self.rnn = nn.LSTM(8, 4, batch_first=True)
        self.ff = nn.Linear(4, 4)
        self.w = nn.Parameter(torch.randn(4))
        self.out = nn.Linear(4, 2)

    def forward(self, ids):
        h, _ = self.rnn(self.embed(ids))
        h = self.ff(torch.tanh(self.ff(h)))
        a = torch.softmax(torch.tanh(h) @ self.w, dim=-1)
        return self.out(a[:, None] @ h)


def load():
    torch.manual_seed(3)
    return Logits()


def predict(module, ids):
    return torch.softmax(module(ids[None]), dim=-1)
'''
CMD_NODES = [{"name": "emb", "op": "embedding", "input": "tokens"},
             {"name": "lstm", "op": "lstm", "input": "emb", "hidden_size": 4},
             {"name": "ff1", "op": "dense", "input": "lstm", "activation": "tanh"},
             {"name": "ff2", "op": "dense", "input": "ff1"},
             {"name": "att", "op": "attention_pool", "input": "ff2", "score": "tanh"},
             {"name": "probs", "op": "dense", "input": "att", "activation": "softmax"}]


def command_line():
    d = os.path.join(OUT, "cmd")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "logits_model.py"), "w") as f:
        f.write(USER_FILE.replace("{V}", str(V)))
    with open(os.path.join(d, "nodes.json"), "w") as f:
        json.dump(CMD_NODES, f)
    with open(os.path.join(d, "tensors.json"), "w") as f:
        json.dump({"att.context.weight": "w"}, f)
    with open(os.path.join(d, "tokenizer.json"), "w") as f:
        json.dump(TOK, f)
    model = os.path.join(d, "logits_model.py")

    def run(*extra, tensors=("--tensors", "att.context.weight=w")):
        return subprocess.run(
            [sys.executable, os.path.join(ROOT, "tools", "export_pytorch.py"),
             "--model", model + ":load", "--nodes", os.path.join(d, "nodes.json"),
             "--tokenizer", os.path.join(d, "tokenizer.json"), "--output", "probs",
             "--rename", "embed=emb,rnn=lstm,ff=ff1+ff2", "--rename", "out=probs", *tensors,
             "--check-text", TEXTS[0], "--check-text", TEXTS[1],
             "--out", os.path.join(d, "mine"), "--cli", CLI, *extra],
            capture_output=True, text=True)
    r = run("--predict", model + ":predict")
    if r.returncode != 0 or "2 of 2 checks passed" not in r.stdout:
        raise AssertionError(f"exit {r.returncode}: {r.stdout}{r.stderr}")
    r = run("--predict", model + ":predict",
            tensors=("--tensors", os.path.join(d, "tensors.json")))
    if r.returncode != 0 or "2 of 2 checks passed" not in r.stdout:
        raise AssertionError(f"--tensors FILE.json: exit {r.returncode}: {r.stdout}{r.stderr}")
    r = run()  # the logits as checks: the engine's softmax disagrees
    if r.returncode == 0:
        raise AssertionError(f"without --predict the checks passed: {r.stdout}")
    r = run("--predict", model + ":predict", tensors=())
    if r.returncode != 1 or "tensors={'att.context.weight': 'w'}" not in r.stderr:
        raise AssertionError(f"without --tensors: exit {r.returncode}: {r.stdout}{r.stderr}")
    r = run("--predict", model + ":predict", "--no-check", "--cli", os.path.join(d, "nowhere"))
    if r.returncode != 0 or "not checked" not in r.stderr:
        raise AssertionError(f"--no-check: exit {r.returncode}: {r.stdout}{r.stderr}")


def main():
    global CLI, OUT
    p = argparse.ArgumentParser()
    p.add_argument("--cli", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    CLI, OUT = a.cli, a.out
    os.makedirs(OUT, exist_ok=True)
    step("tensors=: a key ([D] -> [1, D]), (key, fn) and a callable", tensors_option)
    step("tensors=: a [1, 1, D] learned query as a parameter node's [1, D]", learned_query)
    step("tensors=: Lin et al.'s self-attentive embedding (hops, flatten)", self_attentive)
    step("rename: one module to two nodes, modules to parts of a node", rename_to_two_nodes)
    step("a missing tensor's suggestion by name", suggestion_by_name)
    step("a tuple output (and a dict refused, taken with predict=)", tuple_output)
    step("training mode: eval checks, left in eval mode", training_mode)
    step("module type and option checks", module_checks)
    step("LSTMSCOPE_CLI pointing nowhere: ExportError, nothing written", missing_cli)
    step("no lstmscope-cli anywhere: refused unless --no-check", no_cli_anywhere)
    step("command line: --predict, --tensors, --rename A=B+C, --no-check", command_line)
    if failures:
        print(f"{len(failures)} failed: {', '.join(failures)}")
        return 1
    print("all exporter option tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
