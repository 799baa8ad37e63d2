#!/usr/bin/python3
"""lstmscope's engine against ONNX Runtime: the same model, the same text, the same cores.

What is compared. For each shape, tools/bench_model.py's model (Embedding ->
BiLSTM -> nn.MultiheadAttention self-attention -> attention pooling (tanh_proj,
128 wide) -> Dense(2, softmax); vocabulary of 1000 words, random weights,
torch.manual_seed(0)) is exported twice from the same PyTorch weights:
  * to lstmscope's format, with PyTorch's output as a self-check that
    `lstmscope-cli check` must pass;
  * to ONNX (torch.onnx.export, opset 17, fixed T) with four outputs: the
    probabilities, every per-head attention matrix [1, heads, T, T]
    (need_weights=True, average_attn_weights=False), the pooling weights [1, T]
    and the BiLSTM output sequence [1, T, 2H].

  shape    T     E    H    BiLSTM layers  heads
  small    32    64   64   1              4
  medium   256   128  256  2              8   (bench_vs_torch.py's model)
  large    1024  256  512  2              8

The text is T random words of the vocabulary, so both sides see exactly T
tokens. Before any timing, ONNX Runtime's outputs are checked against
`lstmscope-cli trace`: probabilities to 1e-4 (trace `output.value`), attention
matrices, pooling weights and BiLSTM output to 1e-3.

What each side computes per timed run.
  * ONNX Runtime (onnxruntime-node from npm, CPU, tools/bench_vs_onnxruntime/
    ort_bench.mjs): session.run() from an int64 id tensor [1, T] to the four
    outputs above, copied out to JavaScript. Session: intraOpNumThreads = N,
    interOpNumThreads = 1, sequential, graph optimisation 'all'; ORT's
    default thread-pool spinning is left on (hence its CPU ms per run at 2
    threads, reported in the CPU column).
  * lstmscope (`lstmscope-cli bench`): the full traced pass from the text:
    tokenize + run every node + record every LSTM gate (i, f, g, o) and state
    (c, h) of every layer and direction, every attention matrix and the pooling
    weights. That is more than ORT is asked for (ORT's LSTM op keeps no gates
    and its tokenizer is skipped), so the comparison, if anything, favours ORT.
Both sides load the model outside the timed region and warm up first (ORT: 3
runs; lstmscope-cli: 1 run). Each batch is a fresh process pinned with taskset
to core 0 (1 thread) or cores 0,1 (2 threads). lstmscope gets `--threads N`
when `lstmscope-cli bench --help` offers it; otherwise it runs with its own
default, still pinned by taskset, and the table says so.

Timing. For each shape and thread count, --rounds rounds each run one ORT
batch and one lstmscope batch of --repeat runs, alternating which goes first,
so background load hits both alike. ORT's column is the median over all its
timed runs; lstmscope-cli prints only a batch's median and minimum, so its
column is the median of its batch medians. The CLI is copied to a temporary
directory first, so a rebuild of build/ during the run does not change it.
A lock in the cache directory keeps two runs of this script from timing each
other, and each row shows the 1-min load average when it started: on 2 cores,
anything above ~0.5 means other work shared the CPU (the 2-thread rows suffer
most, since a descheduled worker stalls the other thread).

usage: /usr/bin/python3 tools/bench_vs_onnxruntime.py [--cli build/lstmscope-cli]
           [--shapes small medium large] [--threads 1 2] [--rounds 5] [--repeat R] [--json OUT]
"""

import argparse
import datetime
import fcntl
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import torch

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
from bench_model import BenchModel, export  # noqa: E402

HERE = os.path.join(TOOLS, "bench_vs_onnxruntime")
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "lstmscope-bench")
VOCAB = 1000
SHAPES = {
    "small": dict(tokens=32, emb=64, hidden=64, layers=1, heads=4),
    "medium": dict(tokens=256, emb=128, hidden=256, layers=2, heads=8),
    "large": dict(tokens=1024, emb=256, hidden=512, layers=2, heads=8),
}
DEFAULT_REPEAT = {"small": 50, "medium": 20, "large": 5}
ORT_OUTPUTS = ["probs", "attention", "pool", "lstm"]
ORT_WARMUP = 3


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --- ONNX Runtime: install (outside the repo) and run -----------------------------------

def ensure_ort(cache):
    """Install onnxruntime-node into CACHE (no install script: the npm package
    already ships the Linux CPU library) and check it loads. Returns its directory."""
    pkg = os.path.join(cache, "node_modules", "onnxruntime-node")
    wanted = json.load(open(os.path.join(HERE, "package.json")))["dependencies"]["onnxruntime-node"]
    installed = os.path.join(pkg, "package.json")
    if not os.path.exists(installed) or json.load(open(installed))["version"] != wanted:
        log(f"installing onnxruntime-node {wanted} into {cache} ...")
        os.makedirs(cache, exist_ok=True)
        shutil.copy(os.path.join(HERE, "package.json"), os.path.join(cache, "package.json"))
        subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=cache, check=True,
                       env=dict(os.environ, ONNXRUNTIME_NODE_INSTALL="skip"), stdout=sys.stderr)
    libs = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(pkg, "bin")) for f in fs
            if f.startswith("libonnxruntime.so") and "linux" in d and "x64" in d]
    if not libs:
        sys.exit(f"onnxruntime-node in {pkg} has no Linux x64 libonnxruntime.so")
    probe = subprocess.run(["node", "-e", f"require({json.dumps(pkg)}).InferenceSession"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit("onnxruntime-node does not load:\n" + probe.stderr)
    return pkg


def run_ort(ort_dir, onnx_path, ids_path, threads, repeat, warmup=ORT_WARMUP, dump=None, pin=None):
    cmd = ["node", os.path.join(HERE, "ort_bench.mjs"), "--ort", ort_dir, "--model", onnx_path,
           "--ids", ids_path, "--threads", str(threads), "--warmup", str(warmup), "--repeat", str(repeat)]
    if dump:
        cmd += ["--dump", dump]
    out = subprocess.run(pin + cmd if pin else cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"ort_bench failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1]), out.stderr.strip()


# --- lstmscope ----------------------------------------------------------------------------

def snapshot_cli(cli, directory, wait_s=600):
    """Copy lstmscope-cli into DIRECTORY (the build may be rebuilt under us);
    waits while it is missing."""
    deadline = time.time() + wait_s
    while True:
        try:
            dst = os.path.join(directory, "lstmscope-cli")
            shutil.copy2(cli, dst)
            if subprocess.run([dst, "--help"], capture_output=True).returncode == 0:
                return dst
        except OSError:
            pass
        if time.time() > deadline:
            sys.exit(f"{cli} is missing or does not run")
        log(f"{cli} is missing or not runnable (being rebuilt?); retrying in 10 s")
        time.sleep(10)


def cli_has_threads(cli):
    return "--threads" in subprocess.run([cli, "bench", "--help"], capture_output=True, text=True).stdout


def run_lstmscope(cli, model_json, text_file, threads, repeat, use_threads, pin):
    cmd = [cli, "bench", model_json, "--text-file", text_file, "--repeat", str(repeat)]
    if use_threads:
        cmd += ["--threads", str(threads)]
    out = subprocess.run(pin + cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"lstmscope-cli bench failed:\n{out.stdout}{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- model, exports and the equality check ------------------------------------------------

def build(shape, tmp, cli):
    """Model, lstmscope export (checked), ONNX export, text and ids files for SHAPE."""
    p = SHAPES[shape]
    torch.manual_seed(0)
    model = BenchModel(vocab=VOCAB, emb=p["emb"], hidden=p["hidden"], layers=p["layers"], heads=p["heads"]).eval()
    vocab = [f"w{k}" for k in range(VOCAB)]
    gen = torch.Generator().manual_seed(1)
    ids = [int(i) for i in torch.randint(0, VOCAB, (p["tokens"],), generator=gen)]
    text = " ".join(vocab[i] for i in ids)
    d = os.path.join(tmp, shape)
    os.makedirs(d)
    files = {"text": os.path.join(d, "text.txt"), "ids": os.path.join(d, "ids.json"),
             "onnx": os.path.join(d, "bench.onnx")}
    with open(files["text"], "w") as f:
        f.write(text)
    with open(files["ids"], "w") as f:
        json.dump(ids, f)

    files["model"] = export(model, d, [text], vocab, description="random weights, for tools/bench_vs_onnxruntime.py")
    check = subprocess.run([cli, "check", files["model"]], capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit(f"{shape}: lstmscope disagrees with PyTorch:\n{check.stdout}{check.stderr}")

    class AllOutputs(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            return self.m.forward_all(x)

    # Exported with autograd on: under no_grad, eval-mode nn.MultiheadAttention
    # takes its fused fast path (aten::_native_multi_head_attention), which
    # torch 1.13 cannot export. The traced computation is the same.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(AllOutputs(model), torch.tensor([ids]), files["onnx"], opset_version=17,
                          input_names=["ids"], output_names=ORT_OUTPUTS)
    return files


def verify(files, cli, ort_dir, tmp):
    """ORT's outputs against `lstmscope-cli trace`; returns the max abs differences."""
    dump = os.path.join(tmp, "ort_outputs")
    _, stderr = run_ort(ort_dir, files["onnx"], files["ids"], 1, 1, warmup=0, dump=dump)
    dims = json.load(open(os.path.join(dump, "outputs.json")))
    ort = {n: np.fromfile(os.path.join(dump, n + ".f32"), dtype="<f4").reshape(dims[n]) for n in ORT_OUTPUTS}
    trace_path = os.path.join(tmp, "trace.json")
    with open(trace_path, "w") as f:
        subprocess.run([cli, "trace", files["model"], "--text-file", files["text"]], stdout=f, check=True)
    with open(trace_path) as f:
        trace = json.load(f)
    os.remove(trace_path)
    shutil.rmtree(dump)
    nodes = trace["nodes"]
    ours = {"probs": np.array(trace["output"]["value"], dtype=np.float32),
            "attention": np.array(nodes["mha"]["attention"], dtype=np.float32)[None],
            "pool": np.array(nodes["pool"]["attention"], dtype=np.float32),
            "lstm": np.array(nodes["lstm"]["value"], dtype=np.float32)[None]}
    diffs = {}
    for name in ORT_OUTPUTS:
        if ours[name].shape != ort[name].shape:
            sys.exit(f"{name}: lstmscope {ours[name].shape} vs ORT {ort[name].shape}")
        diffs[name] = float(np.abs(ours[name] - ort[name]).max())
    if diffs["probs"] > 1e-4 or max(diffs.values()) > 1e-3:
        sys.exit(f"ONNX Runtime and lstmscope disagree: max abs differences {diffs}")
    return diffs, stderr


# --- main ---------------------------------------------------------------------------------

def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return f"{cpu}, {os.cpu_count()} cores"


def bench_pair(files, cli, ort_dir, threads, rounds, repeat, use_threads):
    pin = ["taskset", "-c", ",".join(str(c) for c in range(threads))]
    ort_batches, ours_batches, ort_stderr = [], [], set()
    for r in range(rounds):
        def ort_batch():
            res, err = run_ort(ort_dir, files["onnx"], files["ids"], threads, repeat, pin=pin)
            ort_batches.append(res)
            ort_stderr.update(line for line in err.splitlines() if line.strip())

        def ours_batch():
            ours_batches.append(run_lstmscope(cli, files["model"], files["text"], threads, repeat, use_threads, pin))

        for batch in ((ort_batch, ours_batch) if r % 2 == 0 else (ours_batch, ort_batch)):
            batch()
        log(f"    round {r + 1}/{rounds}: ORT {ort_batches[-1]['median_ms']:.2f} ms, "
            f"lstmscope {ours_batches[-1]['median_ms']:.2f} ms")
    ort_times = [t for b in ort_batches for t in b["times_ms"]]
    ort = {"median_ms": statistics.median(ort_times), "min_ms": min(ort_times),
           "median_of_batch_medians_ms": statistics.median(b["median_ms"] for b in ort_batches),
           "cpu_ms_per_run": statistics.median(b["cpu_ms_per_run"] for b in ort_batches),
           "times_ms": ort_times}
    ours = {"median_ms": statistics.median(b["median_ms"] for b in ours_batches),
            "min_ms": min(b["min_ms"] for b in ours_batches),
            "batch_medians_ms": [b["median_ms"] for b in ours_batches],
            "tokens": ours_batches[0]["tokens"], "threads_reported": ours_batches[0].get("threads")}
    if all("cpu_ms" in b for b in ours_batches):  # newer lstmscope-cli: process CPU time per run
        ours["cpu_ms_per_run"] = statistics.median(b["cpu_ms"] for b in ours_batches)
    return ort, ours, sorted(ort_stderr)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run_all(args, cli, ort_dir, use_threads, tmp, results, notes):
    """Export, verify and time every shape x thread count, appending to RESULTS and NOTES."""
    for shape in args.shapes:
        p = SHAPES[shape]
        repeat = args.repeat or DEFAULT_REPEAT[shape]
        log(f"{shape}: exporting (T={p['tokens']}) ...")
        files = build(shape, tmp, cli)
        diffs, stderr = verify(files, cli, ort_dir, tmp)
        log(f"  ORT vs lstmscope, max abs difference: "
            + ", ".join(f"{k} {v:.1e}" for k, v in diffs.items()))
        if stderr:
            notes.append(f"{shape}: ORT printed on stderr: {stderr}")
        for threads in args.threads:
            load = os.getloadavg()[0]
            log(f"  {threads} thread(s), {args.rounds} rounds x {repeat} runs (load average {load:.2f})")
            ort, ours, err = bench_pair(files, cli, ort_dir, threads, args.rounds, repeat, use_threads)
            if ours["tokens"] != p["tokens"]:
                sys.exit(f"{shape}: lstmscope saw {ours['tokens']} tokens, expected {p['tokens']}")
            notes += [f"{shape}, {threads} thread(s): ORT stderr: {line}" for line in err]
            if use_threads and ours["threads_reported"] not in (None, threads):
                notes.append(f"{shape}: asked lstmscope for {threads} thread(s), it reports "
                             f"{ours['threads_reported']}")
            results.append({"shape": shape, **p, "threads": threads, "repeat": repeat, "rounds": args.rounds,
                            "load_avg_1min": load, "max_abs_diff": diffs, "ort": ort, "lstmscope": ours,
                            "ratio": ours["median_ms"] / ort["median_ms"]})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=os.path.join(os.path.dirname(TOOLS), "build", "lstmscope-cli"))
    ap.add_argument("--shapes", nargs="+", choices=list(SHAPES), default=list(SHAPES))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, help="timed runs per batch (default: small 50, medium 20, large 5)")
    ap.add_argument("--json", help="also write the raw numbers here")
    args = ap.parse_args()
    if max(args.threads) > os.cpu_count() or min(args.threads) < 1:
        sys.exit(f"--threads must be between 1 and {os.cpu_count()}")
    started, load_start = time.time(), os.getloadavg()[0]
    command = " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    torch.set_num_threads(1)
    ort_dir = ensure_ort(CACHE)
    lock = open(os.path.join(CACHE, "bench.lock"), "w")  # two benchmarks at once would time each other
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log("another bench_vs_onnxruntime.py is running; waiting for it to finish ...")
        fcntl.flock(lock, fcntl.LOCK_EX)
        started, load_start = time.time(), os.getloadavg()[0]
    ort_version = json.load(open(os.path.join(ort_dir, "package.json")))["version"]

    results, notes, interrupted = [], [], False
    with tempfile.TemporaryDirectory(prefix="lstmscope-vs-ort-") as tmp:
        cli = snapshot_cli(args.cli, tmp)
        use_threads = cli_has_threads(cli)
        if not use_threads:
            notes.append("`lstmscope-cli bench` has no --threads option yet: lstmscope ran with its default "
                         "threading, limited only by taskset.")
        signal.signal(signal.SIGTERM, _interrupt)  # a killed run still prints what it measured
        try:
            run_all(args, cli, ort_dir, use_threads, tmp, results, notes)
        except KeyboardInterrupt:
            interrupted = True
            notes.append("INTERRUPTED: the table holds only the shapes and thread counts that finished.")

    elapsed = time.time() - started
    notes.append("load average (1 min) at start {:.2f}, at end {:.2f}".format(load_start, os.getloadavg()[0]))
    date = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    print(f"machine: {machine()}; onnxruntime-node {ort_version}; {date}")
    print(f"command: {command}")
    print()
    print("| shape | threads | ORT median ms | lstmscope median ms | ratio (lstmscope/ORT) "
          "| ORT CPU ms/run | lstmscope CPU ms/run | load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        ours_cpu = r["lstmscope"].get("cpu_ms_per_run")
        print(f"| {r['shape']} (T={r['tokens']}) | {r['threads']} | {r['ort']['median_ms']:.2f} | "
              f"{r['lstmscope']['median_ms']:.2f} | {r['ratio']:.2f} | {r['ort']['cpu_ms_per_run']:.2f} | "
              + ("n/a" if ours_cpu is None else f"{ours_cpu:.2f}") + f" | {r['load_avg_1min']:.1f} |")
    print()
    print(f"ORT: median of all {args.rounds} x repeat timed runs; lstmscope: median of its {args.rounds} batch "
          f"medians; batches interleaved, pinned with taskset; load avg = 1-min load average when the row "
          f"started (2 cores: above ~0.5 other work shared the CPU). Whole run: {elapsed:.0f} s.")
    for note in notes:
        print(f"note: {note}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine(), "ort_version": ort_version, "date": date, "command": command,
                       "lstmscope_threads_option": use_threads, "elapsed_s": elapsed, "notes": notes,
                       "results": results}, f, indent=1)
    if interrupted:
        sys.exit(130)


if __name__ == "__main__":
    main()
