"""The engine's tokenizer and its Python twin (tools/lstmscope_format/
tokenizer.py) agree token for token (text, id, start, end, pad) and on the
dropped text, for tricky texts and every tokenizer setting the exporter may
write: char with and without keep_spaces, keras_char, word, and fastai.

The engine's tokens come from `lstmscope-cli trace` on a tiny model built
here (embedding, mean pool, dense). The fastai rules are also checked against
fastai's own regular expressions (as fastai/text/core.py defines them) on the
text before the word split, so the twin reproduces fastai and not just the
engine.

usage: tokenizer_agreement.py LSTMSCOPE_CLI SOURCE_DIR WORK_DIR
exit 0: all agree, 1: a difference, 77: skipped (no numpy for the writer).
"""

import html
import json
import os
import re
import subprocess
import sys

TEXTS = [
    "中文 模型 有空格",
    "我爱\t北京\n天安门  !",
    "Mixed 中文 and English, ok?",
    "THIS IS GREAT and I LOVE it",
    "Hello World. McDonald's A I",
    "wow!!!! sooooo good... hmmm",
    "no no no no way, yes yes yes!",
    "the the theory a a a b b b",
    "I don't think they're here; we'll see what you've done, he'd say I'm ok. Can't won't",
    "&amp; &lt;b&gt; &#39;quoted&#39; &quot;x&quot; &#8217; &#x263A; &#150; &nbsp;a &bogus; &copy;",
    "line one<br />line two \\n escaped \\\"q\\\" <unk> 3 @.@ 5 and 4 @-@ 6",
    "path/to\\file #tag http://example.com/a?b=1 mail@example.com",
    "emoji 😀😀😀 hi😀 👍🏽 (smile) [ok] {x} \"quoted\" 'single'",
    "well-known 1-2 3+4 a,b 3,000 x=y 10:30 a:b wait…what",
    "  leading and trailing spaces  \n\n",
    "Σ ΟΔΟΣ ends, Ünïcödé ÉCOLE École",
    "$5 100% (he's) dogs' 'quote' «guillemets» ¿qué?",
    "tabs\tand\r\nwindows lines\u00a0nbsp\u3000ideographic space",
    "qxx<unk>u xx&amp;&amp;&amp;",  # a replacement split between two tokens (fuzz_tokenizers)
]

CONFIGS = {
    "char": {"type": "char"},
    "char_keep_spaces": {"type": "char", "keep_spaces": True},
    "char_keep_spaces_lower": {"type": "char", "keep_spaces": True, "lowercase": True},
    "keras_char": {"type": "keras_char"},
    "word": {"type": "word"},
    "fastai": {"type": "fastai"},
    "fastai_padded": {"type": "fastai", "pad_to": 8, "padding": "pre"},
}


# ---- fastai's rules as fastai writes them (regular expressions on str) ----
def fastai_reference(text):
    for old, new in (("#39;", "'"), ("amp;", "&"), ("#146;", "'"), ("nbsp;", " "), ("#36;", "$"),
                     ("\\n", "\n"), ("quot;", "'"), ("<br />", "\n"), ('\\"', '"'),
                     ("<unk>", "xxunk"), (" @.@ ", "."), (" @-@ ", "-"), ("...", " \u2026")):
        text = text.replace(old, new)
    text = html.unescape(text)
    text = re.sub(r"(\S)(\1{2,})", lambda m: f" xxrep {len(m.group(2)) + 1} {m.group(1)} ", text)
    text = re.sub(r"(?:\s|^)(\w+)\s+((?:\1\s+)+)\1(\s|\W|$)",
                  lambda m: f" xxwrep {len(m.group(2).split()) + 2} {m.group(1)} {m.group(3)}", text)
    text = re.sub(r"([/#\\])", r" \1 ", text)
    text = re.sub(" {2,}", " ", text)

    def caps(m, marker):
        return m.group(1) + (f"{marker} " if len(m.group(2)) > 1 else "") + m.group(2).lower()
    text = re.sub(r"(\s|^)([A-Z]+[^a-z\s]*)(?=(\s|$))", lambda m: caps(m, "xxup"), text)
    text = re.sub(r"(\s|^)([A-Z][^A-Z\s]*)(?=(\s|$))", lambda m: caps(m, "xxmaj"), text)
    return "xxbos " + text.lower().strip()


def write_model(lf, directory, name, tokenizer, vocab):
    import numpy as np
    tok = dict(tokenizer)
    tok["vocab"] = vocab
    if tok["type"] != "fastai":
        tok.setdefault("unk", "<unk>")
    nodes = [{"name": "emb", "op": "embedding", "input": "tokens"},
             {"name": "pool", "op": "pool", "input": "emb", "mode": "mean"},
             {"name": "out", "op": "dense", "input": "pool", "activation": "softmax"}]
    rng = np.random.default_rng(0)
    tensors = {"emb.weight": rng.standard_normal((len(vocab), 2)).astype(np.float32),
               "out.weight": rng.standard_normal((2, 2)).astype(np.float32)}
    manifest = lf.make_manifest(name, tok, "classification", "out", nodes, labels=["a", "b"])
    return lf.write_model(directory, name, manifest, tensors)


def engine_tokens(cli, model, text, work):
    path = os.path.join(work, "text.txt")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    run = subprocess.run([cli, "trace", model, "--text-file", path], capture_output=True)
    if run.returncode != 0:
        raise RuntimeError(f"{model}: trace failed: {run.stderr.decode(errors='replace')}")
    trace = json.loads(run.stdout)
    return trace["tokens"], trace["dropped"]


def main():
    cli, source, work = sys.argv[1:4]
    sys.path.insert(0, os.path.join(source, "tools"))
    try:
        import numpy  # noqa: F401  (the model writer needs it)
        import lstmscope_format as lf
        from lstmscope_format import tokenizer as tk
        from lstmscope_format import tokenizer_fastai
    except ImportError as e:
        print(f"SKIP: {e}")
        return 77
    os.makedirs(work, exist_ok=True)
    failures = 0

    for text in TEXTS:
        ours = "".join(u[0] for u in tokenizer_fastai.rewrite(text))
        if ours != fastai_reference(text):
            failures += 1
            print(f"fastai rules differ from fastai's regexes on {text!r}:\n"
                  f"  ours:   {ours!r}\n  fastai: {fastai_reference(text)!r}")

    for name, tokenizer in CONFIGS.items():
        kind = tokenizer["type"]
        # A vocabulary from every other text's tokens, so that unknown tokens
        # (unk for most, dropped for word with unk null) occur too.
        seen = []
        for k, text in enumerate(TEXTS):
            if k % 2 == 0:
                seen += tk.split(kind, text, tokenizer.get("lowercase"), tokenizer.get("keep_spaces", False))
        specials = list(tokenizer_fastai.SPECIALS) if kind == "fastai" else ["<pad>", "<unk>"]
        vocab = specials + sorted(set(seen) - set(specials))
        config = dict(tokenizer)
        if name == "word":
            config["unk"] = None  # unknown words dropped: `dropped` must agree too
        model = write_model(lf, work, name, config, vocab)
        with open(model, encoding="utf-8") as f:
            written = json.load(f)["tokenizer"]
        python = tk.Tokenizer(written)
        # `info` names the type (an index into its table of names) and the choice.
        info = subprocess.run([cli, "info", model], capture_output=True, text=True).stdout
        summary = {"char_keep_spaces": "char, spaces kept,", "keras_char": "keras_char, lowercase,",
                   "fastai": "fastai, lowercase,"}.get(name)
        if summary and summary not in info:
            failures += 1
            print(f"{name}: `info` does not say {summary!r}:\n{info}")
        for text in TEXTS:
            expected = python.tokenize(text)
            tokens, dropped = engine_tokens(cli, model, text, work)
            if tokens != expected["tokens"] or dropped != expected["dropped"]:
                failures += 1
                print(f"{name}: engine and Python differ on {text!r}")
                for k in range(max(len(tokens), len(expected["tokens"]))):
                    a = tokens[k] if k < len(tokens) else None
                    b = expected["tokens"][k] if k < len(expected["tokens"]) else None
                    if a != b:
                        print(f"  token {k}: engine {a}  python {b}")
                        break
                if dropped != expected["dropped"]:
                    print(f"  dropped: engine {dropped}  python {expected['dropped']}")
    print("tokenizer agreement:", "FAIL" if failures else "ok",
          f"({len(CONFIGS)} settings x {len(TEXTS)} texts, fastai rules on {len(TEXTS)} texts)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
