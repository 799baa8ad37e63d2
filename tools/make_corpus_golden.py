#!/usr/bin/python3
"""Goldens for the corpus analysis (engine/corpus, engine/intervention), written
to tests/data/corpus/ and committed, so that the C++ tests need no Python:

  sentiment_en_test.tsv      the held-out (test) part of the English pooling
                             model's data, re-made with the training recipe's own
                             split (tools/train/common.py, seed 1): `lstmscope-cli
                             corpus` on it must give the card's accuracy exactly.
                             UCI Sentiment Labelled Sentences, CC BY 4.0
                             (Kotzias et al., KDD 2015); see tests/data/corpus/README.md.
  interventions_golden.json  per model and text, computed here in float64 PyTorch
                             from the bundled weights: the output, the output with
                             each token deleted (leave-one-out), with the chosen
                             attention node's weights uniform, with some keys'
                             weights zeroed and the rows renormalised, and with the
                             rows permuted by the engine's SplitMix64 permutation
                             (re-implemented below), plus SciPy's Kendall tau-b
                             between attention and leave-one-out where no two
                             values are close enough for float32 to swap them.
  statistics_golden.json     McNemar's test: scipy.stats.chi2.sf of the
                             continuity-corrected statistic and
                             scipy.stats.binomtest(min(b, c), b + c).pvalue.

Needs python3-torch and python3-scipy (Debian) and ../shared/data.
usage: /usr/bin/python3 tools/make_corpus_golden.py
"""

import json
import math
import os
import sys

import numpy as np
import torch
from scipy.stats import binomtest, chi2, kendalltau

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "train"))
from lstmscope_format import safetensors_io  # noqa: E402
from lstmscope_format.tokenizer import Tokenizer  # noqa: E402

OUT = os.path.join(ROOT, "tests", "data", "corpus")
MASK = (1 << 64) - 1

# ---------------------------------------------------------------- SplitMix64


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        limit = MASK - MASK % n
        x = self.next()
        while x >= limit:
            x = self.next()
        return x % n

    @staticmethod
    def mix(a, b):
        return SplitMix64(a ^ ((b * 0xD1B54A32D192ED03) & MASK)).next()


def permutation(n, rng):
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.below(i + 1)
        p[i], p[j] = p[j], p[i]
    return p


# ------------------------------------------------------------ interventions


def intervene(A, head, iv):
    """A: [T_q, T_k] softmaxed weights of one head (float64)."""
    if iv is None:
        return A
    kind = iv["kind"]
    if kind == "uniform":
        return torch.full_like(A, 1.0 / A.shape[1])
    if kind == "zero_keys":
        A = A.clone()
        A[:, iv["keys"]] = 0
        s = A.sum(-1, keepdim=True)
        return torch.where(s > 0, A / torch.where(s > 0, s, torch.ones_like(s)), A)
    if kind == "permute":
        out = A.clone()
        for i in range(A.shape[0]):
            rng = SplitMix64(SplitMix64.mix(SplitMix64.mix(iv["seed"], head), i))
            p = permutation(A.shape[1], rng)
            out[i] = A[i, p]
        return out
    raise ValueError(kind)


# ------------------------------------------------------------------ models


def lstm_bi(w, name, x):
    H = w[name + ".weight_hh_l0"].shape[1]
    m = torch.nn.LSTM(x.shape[1], H, batch_first=True, bidirectional=True).double()
    m.load_state_dict({k[len(name) + 1:]: v for k, v in w.items() if k.startswith(name + ".")})
    with torch.no_grad():
        return m(x.unsqueeze(0))[0][0]


def linear(w, name, x):
    y = x @ w[name + ".weight"].T
    return y + w[name + ".bias"] if name + ".bias" in w else y


class Model:
    def __init__(self, stem):
        self.stem = stem
        self.manifest = json.load(open(os.path.join(ROOT, "models", stem + ".json"), encoding="utf-8"))
        raw = safetensors_io.read(os.path.join(ROOT, "models", stem + ".safetensors"))
        self.w = {k: torch.tensor(np.asarray(v), dtype=torch.float64) for k, v in raw.items()}
        self.tok = Tokenizer(self.manifest["tokenizer"])

    def forward(self, ids, iv=None):
        """Probabilities (float64) and the attention tested (per token)."""
        w = self.w
        x = w["emb.weight"][torch.tensor(ids)]
        h = lstm_bi(w, "lstm", x)
        if self.stem == "sentiment_en_bilstm_pool":
            s = torch.tanh(h) @ w["att.context.weight"][0]
            a = intervene(torch.softmax(s, -1)[None, :], 0, iv)
            r = torch.tanh(a @ h)
            return torch.softmax(linear(w, "probs", r)[0], -1), a[0]
        if self.stem == "sentiment_zh_char_bilstm_selfattn":
            S = h @ h.T / math.sqrt(h.shape[1])
            A = intervene(torch.softmax(S, -1), 0, iv)
            cat = torch.cat([h, A @ h], -1)
            return torch.softmax(linear(w, "probs", cat.max(0).values), -1), A.mean(0)
        if self.stem == "seed_a_sms_spam":
            p = linear(w, "proj", h)
            D, heads = p.shape[1], 8
            hd = D // heads
            Wi, bi = w["mha.in_proj_weight"], w["mha.in_proj_bias"]
            q = (p @ Wi[:D].T + bi[:D]) / math.sqrt(hd)
            k = p @ Wi[D:2 * D].T + bi[D:2 * D]
            v = p @ Wi[2 * D:].T + bi[2 * D:]
            outs = []
            for hh in range(heads):
                sl = slice(hh * hd, (hh + 1) * hd)
                A = torch.softmax(q[:, sl] @ k[:, sl].T, -1)
                outs.append(A @ v[:, sl])
            m = linear(w, "mha.out_proj", torch.cat(outs, -1))
            A = intervene(torch.softmax(m @ h.T, -1), 0, iv)
            ff = torch.relu(linear(w, "ff", A @ h))
            return torch.softmax(linear(w, "probs", ff.mean(0)), -1), A.mean(0)
        raise ValueError(self.stem)


def tvd(p, q):
    return 0.5 * float((p - q).abs().sum())


def well_separated(values, gap):
    v = sorted(values)
    return all(b - a > gap for a, b in zip(v, v[1:]))


def model_cases(model, node, texts):
    cases = []
    for text in texts:
        ids = model.tok.ids(text)
        p, att = model.forward(ids)
        T = len(ids)
        loo = [model.forward(ids[:t] + ids[t + 1:])[0] for t in range(T)]
        top = int(att.argmax())
        order = sorted(range(T), key=lambda t: -float(att[t]))
        case = {
            "model": model.stem,
            "node": node,
            "text": text,
            "ids": ids,
            "output": p.tolist(),
            "attention": att.tolist(),
            "leave_one_out": [q.tolist() for q in loo],
            "uniform": model.forward(ids, {"kind": "uniform"})[0].tolist(),
            "zero_keys": [
                {"keys": [top], "output": model.forward(ids, {"kind": "zero_keys", "keys": [top]})[0].tolist()},
                {"keys": order[:2], "output": model.forward(ids, {"kind": "zero_keys", "keys": order[:2]})[0].tolist()},
            ],
            "permute": [{"seed": s, "output": model.forward(ids, {"kind": "permute", "seed": s})[0].tolist()}
                        for s in (7, 12345)],
        }
        loo_tvd = [tvd(p, q) for q in loo]
        if T >= 3 and well_separated(loo_tvd, 1e-4) and well_separated(att.tolist(), 1e-5):
            case["kendall_tau"] = float(kendalltau(att.tolist(), loo_tvd).statistic)
            case["leave_one_out_tvd"] = loo_tvd
        cases.append(case)
    return cases


def test_split():
    import common as c  # tools/train/common.py: the recipe's own data loading and split
    _, _, test = c.split(c.load_uci(), 1)
    labels = ["negative", "positive"]
    with open(os.path.join(OUT, "sentiment_en_test.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("text\tlabel\n")
        for text, y in test:
            assert "\t" not in text and "\n" not in text
            f.write(f"{text}\t{labels[y]}\n")
    return len(test)


def main():
    os.makedirs(OUT, exist_ok=True)
    n = test_split()
    cases = []
    cases += model_cases(Model("sentiment_en_bilstm_pool"), "att", [
        "The phone looks great but the battery life is terrible.",
        "This movie is not good.",
        "Not bad at all, I would buy it again.",
        "The plot was slow and the acting was only fine.",
        "Works well.",
    ])
    cases += model_cases(Model("sentiment_zh_char_bilstm_selfattn"), "self_attn", [
        "房间很干净，但是服务太差了。",
        "早餐不错，位置也方便。",
    ])
    cases += model_cases(Model("seed_a_sms_spam"), "attn", [
        "WINNER! Claim your free prize now, call 09061701461.",
        "Are you coming home for dinner tonight?",
    ])
    with open(os.path.join(OUT, "interventions_golden.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")

    stats = []
    for b, c in [(0, 0), (1, 0), (3, 3), (10, 2), (2, 10), (25, 40), (100, 70), (1000, 1100), (7, 0), (0, 12)]:
        n_bc = b + c
        stat = (max(0.0, abs(b - c) - 1.0) ** 2 / n_bc) if n_bc else 0.0
        stats.append({
            "b": b, "c": c,
            "statistic": stat,
            "p_value": float(chi2.sf(stat, 1)) if n_bc else 1.0,
            "exact_p_value": float(binomtest(min(b, c), n_bc, 0.5).pvalue) if n_bc else 1.0,
        })
    with open(os.path.join(OUT, "statistics_golden.json"), "w", encoding="utf-8") as f:
        json.dump({"mcnemar": stats}, f, indent=1)
        f.write("\n")
    taus = sum("kendall_tau" in c for c in cases)
    print(f"wrote {n} test texts, {len(cases)} intervention cases ({taus} with tau), {len(stats)} McNemar cases")


if __name__ == "__main__":
    main()
