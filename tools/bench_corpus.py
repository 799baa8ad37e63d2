#!/usr/bin/python3
"""Corpus speed: `lstmscope-cli corpus` on a 1,000-sentence file, prediction
alone and with --faithfulness, at 1 and 2 threads; wall time (median of
--rounds runs, the model load included) and sentences per second.

usage: /usr/bin/python3 tools/bench_corpus.py [--cli build/lstmscope-cli]
           [--model models/sentiment_en_bilstm_pool.json] [--input FILE] [--rounds 5]
The default input is the UCI imdb file from ../shared/data (1,000 sentences,
tab + label, no header); without it, the bundled test split five times over.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMDB = os.path.join(os.path.dirname(ROOT), "shared", "data", "uci_sentiment_labelled_sentences", "imdb_labelled.txt")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "lstmscope-cli"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "sentiment_en_bilstm_pool.json"))
    ap.add_argument("--input")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    if args.input:
        data, fmt = args.input, ["--format", "tsv", "--no-header", "--text-column", "1", "--label-column", "2"]
    elif os.path.exists(IMDB):
        data, fmt = IMDB, ["--format", "tsv", "--no-header", "--text-column", "1", "--label-column", "2"]
    else:
        rows = open(os.path.join(ROOT, "tests", "data", "corpus", "sentiment_en_test.tsv"), encoding="utf-8").read().splitlines()[1:]
        tmp = tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8")
        tmp.write("text\tlabel\n" + "\n".join(rows * 5) + "\n")
        tmp.close()
        data, fmt = tmp.name, []
    with open(data, encoding="utf-8", newline="") as f:
        texts = sum(1 for line in f.read().split("\n") if line.strip())
    texts -= 0 if "--no-header" in fmt else 1

    print(f"{texts} texts from {data}; model {os.path.basename(args.model)}; {os.cpu_count()} cores; "
          f"median of {args.rounds} runs, model load included")
    print("| run | threads | wall time | texts/s |")
    print("| --- | --- | --- | --- |")
    for label, extra in (("prediction", []), ("--faithfulness", ["--faithfulness"])):
        for threads in (1, 2):
            times = []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                subprocess.run([args.cli, "corpus", args.model, "--input", data, *fmt, *extra,
                                "--threads", str(threads), "--summary-only"],
                               check=True, stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - t0)
            t = statistics.median(times)
            print(f"| {label} | {threads} | {t:.2f} s | {texts / t:,.0f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
