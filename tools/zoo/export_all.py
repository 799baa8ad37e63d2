#!/usr/bin/python3
"""Export every model of the zoo (tools/zoo/README.md) to OUTDIR and check
each with lstmscope-cli (found as export_pytorch.find_cli() does:
$LSTMSCOPE_CLI, build/lstmscope-cli, or the PATH).

usage: /usr/bin/python3 tools/zoo/export_all.py OUTDIR [--cli PATH] [--no-check]
"""

import argparse
import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo_common  # noqa: E402,F401  (puts tools/ on the path)
import export_pytorch as xp  # noqa: E402

# The zoo, in the order of the README's table.
MODELS = ["att_blstm", "self_attentive", "han_word_attention", "luong_final_query",
          "bahdanau_context", "mha_learned_query", "bigru_attention_zh"]


def load(name):
    return importlib.import_module(name)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--cli", help="the lstmscope-cli to check with")
    p.add_argument("--no-check", action="store_true",
                   help="write the models without running lstmscope-cli check")
    args = p.parse_args(argv)
    import torch
    torch.set_num_threads(1)
    failed = []
    for name in MODELS:
        try:
            path = load(name).export_model(args.out_dir, cli=args.cli, check=not args.no_check)
            print(f"ok   {name}: {path}")
        except (xp.ExportError, OSError) as e:
            failed.append(name)
            print(f"FAIL {name}: {e}", file=sys.stderr)
    if failed:
        print(f"{len(failed)} of {len(MODELS)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(MODELS)} zoo models exported" + ("" if args.no_check else " and checked"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
