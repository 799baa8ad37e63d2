#!/usr/bin/python3
"""The same model, the same text: PyTorch against `lstmscope-cli bench`.

Model (the issue's reference case): Embedding(1000, 128) -> BiLSTM 2 layers,
H=256 -> 8-head self-attention (nn.MultiheadAttention, 512 wide) over the
BiLSTM output -> attention pooling (tanh_proj) -> Dense(2, softmax).

PyTorch runs with one thread, under torch.no_grad(), computing only the
forward pass (no gate recording) from token ids that are already tensors.
lstmscope times the full traced pass: tokenize + run + record every gate,
state and attention matrix. Both report the median of --repeat runs after a
warm-up. The exported model carries PyTorch's output as a self-check, and
`lstmscope-cli check` must pass before any time is reported.

usage: /usr/bin/python3 tools/bench_vs_torch.py [--cli build/lstmscope-cli] [--repeat 30] [--lengths 32 256]
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_model import BenchModel, export  # noqa: E402  (the model and its export, shared with bench_vs_onnxruntime.py)

VOCAB = 1000


def time_torch(model, ids, repeat):
    with torch.no_grad():
        model(ids)  # warm-up
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            model(ids)
            runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--cli", default=os.path.join(root, "build", "lstmscope-cli"))
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--lengths", type=int, nargs="+", default=[32, 256])
    args = ap.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = BenchModel().eval()
    vocab = [f"w{k}" for k in range(VOCAB)]
    gen = torch.Generator().manual_seed(1)
    texts = {t: " ".join(vocab[int(i)] for i in torch.randint(0, VOCAB, (t,), generator=gen)) for t in args.lengths}

    with tempfile.TemporaryDirectory() as tmp:
        path = export(model, tmp, list(texts.values()), vocab)
        check = subprocess.run([args.cli, "check", path], capture_output=True, text=True)
        if check.returncode != 0:
            sys.exit("lstmscope disagrees with PyTorch on the bench model:\n" + check.stdout + check.stderr)
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
        print(f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
        print(f"torch {torch.__version__} (1 thread, no_grad, forward only)  vs  lstmscope-cli bench (full trace)")
        print(f"{'T':>5} {'torch median ms':>16} {'lstmscope median ms':>20} {'speed-up':>9}")
        results = []
        for t, text in texts.items():
            ids = torch.tensor([[vocab.index(w) for w in text.split()]])
            torch_median, torch_min = time_torch(model, ids, args.repeat)
            text_file = os.path.join(tmp, f"text{t}.txt")
            with open(text_file, "w") as f:
                f.write(text)
            out = subprocess.run([args.cli, "bench", path, "--text-file", text_file, "--repeat", str(args.repeat)],
                                 capture_output=True, text=True, check=True)
            ours = json.loads(out.stdout.strip().splitlines()[-1])
            assert ours["tokens"] == t, ours
            ratio = torch_median / ours["median_ms"]
            print(f"{t:>5} {torch_median:>16.2f} {ours['median_ms']:>20.2f} {ratio:>8.1f}x")
            results.append({"tokens": t, "torch_median_ms": torch_median, "torch_min_ms": torch_min,
                            "lstmscope_median_ms": ours["median_ms"], "lstmscope_min_ms": ours["min_ms"],
                            "speedup": ratio})
        print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
