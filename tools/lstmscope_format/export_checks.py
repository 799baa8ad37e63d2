"""The self-checks of an export (tools/export_pytorch.py): texts run through
the PyTorch module become the manifest's `checks`, and `lstmscope-cli check`
reruns them in the engine."""

import os
import shutil
import subprocess

import numpy as np
import torch

from .op_tables import ExportError
from .tokenizer import Tokenizer

# the repository root, where build/lstmscope-cli is looked for
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOW_TO_GET_A_CLI = ("build it (cmake --build build --target lstmscope-cli), set "
                    "LSTMSCOPE_CLI=/path/to/lstmscope-cli, or pass check=False (command line: "
                    "--no-check) to write an unchecked model knowingly")


def _executable(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_cli(cli=None):
    """The lstmscope-cli to check exports with: `cli`, else $LSTMSCOPE_CLI,
    else build/lstmscope-cli of this repository, else the PATH; None when
    there is none. A `cli` or $LSTMSCOPE_CLI that is not an executable file is
    an ExportError, not a reason to quietly take another program."""
    if cli:
        if not _executable(cli):
            raise ExportError(f"lstmscope-cli {cli!r} is not an executable file")
        return cli
    env = os.environ.get("LSTMSCOPE_CLI")
    if env:
        if not _executable(env):
            raise ExportError(f"LSTMSCOPE_CLI={env!r} is not an executable file; "
                              "point it at build/lstmscope-cli or unset it")
        return env
    local = os.path.join(ROOT, "build", "lstmscope-cli")
    if _executable(local):
        return local
    return shutil.which("lstmscope-cli")


def require_cli(cli=None):
    """find_cli, or an ExportError saying how to get one."""
    found = find_cli(cli)
    if not found:
        raise ExportError("no lstmscope-cli found to check the export with: " + HOW_TO_GET_A_CLI)
    return found


def run_cli_check(manifest_path, cli=None):
    """(passed, output text) of `lstmscope-cli check`; passed is None when no
    CLI was found."""
    cli = find_cli(cli)
    if not cli:
        return None, "lstmscope-cli not found (set LSTMSCOPE_CLI or build it in build/)"
    r = subprocess.run([cli, "check", manifest_path], capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def _f32_list(a):
    a = np.asarray(a, dtype=np.float32)
    return [[float(str(v)) for v in row] for row in a]


def _describe(value):
    if isinstance(value, dict):
        return f"a dict with keys {sorted(map(str, value))}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)}"
    return f"a {type(value).__name__}"


def output_tensor(value, who, note=None):
    """The output tensor of `who` (the module or predict): a tuple or list
    gives its first element (told to note), anything else that is not a
    tensor is an ExportError saying what came back."""
    if isinstance(value, (tuple, list)) and value:
        if note:
            note(f"{who} returns {_describe(value)}; its first element is the output")
        first = value[0]
        if not (torch.is_tensor(first) or isinstance(first, np.ndarray)):
            raise ExportError(f"{who} returned {_describe(value)} whose first element is "
                              f"{_describe(first)}, not a tensor: pass predict=(a function of "
                              "the 1-D ids returning the output node's value)")
        value = first
    if not (torch.is_tensor(value) or isinstance(value, np.ndarray)):
        raise ExportError(f"{who} returned {_describe(value)}, not a tensor: pass predict=(a "
                          "function of the 1-D ids returning the output node's value)")
    return torch.as_tensor(value).detach().float()


def _call_with_ids(module, ids):
    """module(ids[None]); a forward that wants more than the ids (lengths,
    a mask, a tuple) fails inside with a TypeError that says nothing about
    the export: say what to do instead."""
    try:
        return module(ids.unsqueeze(0))
    except TypeError as e:
        if "forward()" not in str(e) and "positional argument" not in str(e):
            raise
        raise ExportError(
            f"the module ({type(module).__name__}) cannot be called as module(ids) with ids a "
            f"[1, T] LongTensor: {e}. Pass predict=lambda ids: ... (ids 1-D) that calls it as it "
            "wants, e.g. predict=lambda ids: model(ids[None], torch.tensor([len(ids)])); on the "
            "command line --predict FILE.py:FUNCTION with FUNCTION(module, ids)") from e


def compute_checks(module, tokenizer, texts, task, predict=None, tolerance=1e-4, note=None):
    """Manifest checks: each text tokenized as the engine does, run through
    the module (module(ids[None]), or predict(ids_1d)), the output stored as
    rows. Puts the module in eval mode and leaves it there."""
    tok = Tokenizer(tokenizer)
    who = "predict" if predict is not None else f"the module ({type(module).__name__})"
    checks, told = [], []

    def once(text):  # one note per export, not one per text
        if note and not told:
            told.append(text)
            note(text)

    module.eval()
    with torch.no_grad():
        for text in texts:
            ids = tok.ids(text)
            if not ids:
                raise ExportError(f"check text {text!r} has no tokens in this vocabulary")
            x = torch.tensor(ids, dtype=torch.long)
            y = output_tensor(predict(x) if predict is not None else _call_with_ids(module, x),
                              who, once)
            while y.dim() > 2 and y.shape[0] == 1:
                y = y[0]
            if y.dim() == 1:
                y = y.unsqueeze(0)
            if y.dim() != 2:
                raise ExportError(f"{who}: output of shape {list(y.shape)} for one text; "
                                  "expected rows x columns")
            if task == "tagging" and y.shape[0] != len(ids):
                raise ExportError(f"tagging output has {y.shape[0]} rows for {len(ids)} tokens")
            if task != "tagging" and y.shape[0] != 1:
                raise ExportError(f"{task} output must be one row, got shape {list(y.shape)}")
            if not torch.isfinite(y).all():
                raise ExportError(f"check text {text!r}: the module's output is not finite")
            checks.append({"text": text, "output": _f32_list(y.numpy()), "tolerance": tolerance})
    return checks
