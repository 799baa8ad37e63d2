#!/usr/bin/python3
"""Model 3: the seed architecture "B" as a tagger on a synthetic task whose
right attention is known:

  Embedding -> BiLSTM -> dot self-attention (S = H H^T, A = softmax(S),
  context = A H) -> concat(H, context) -> per-token Dense(relu) ->
  per-token Dense(softmax)

The task is a key-value lookup. A text lists key-value pairs, then `?`, then
some keys: "c 4 a 7 f 1 ? a c". The tag of each queried key is its value
("a" -> 7, "c" -> 4); every other token is tagged "-". To answer, a query
position must find the pair with the same key, so its attention row should
light up at that pair (the key or its value) and nowhere else.

Why not reversal (tag t = token T-1-t)? With scores H H^T and no projection,
S_tt = |h_t|^2, and by Cauchy-Schwarz two positions cannot both score each
other above themselves: the anti-diagonal can never win on both of its
sides. A lookup only needs the query row to prefer the key row, which
H H^T can express.

Writes models/seed_b_lookup_tagger.{json,safetensors,md}.
Run from anywhere: /usr/bin/python3 tools/train/train_seed_b_lookup_tagger.py
"""

import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

STEM = "seed_b_lookup_tagger"
# A small BiLSTM on purpose: with 64 units per direction it memorises the
# whole table and solves the task without attention (the attention stays on
# the diagonal); with 24 it cannot, and the lookup goes through the attention.
HP = {"seed": 1, "emb_dim": 16, "hidden": 24, "ff": 64, "epochs": 10, "lr": 3e-3,
      "batch_size": 64, "train": 20000, "validation": 2000, "test": 2000,
      "min_pairs": 2, "max_pairs": 8, "min_queries": 1, "max_queries": 4}
KEYS = list("abcdefghijkl")
VALUES = list("0123456789")
NONE = "-"
LABELS = [NONE] + VALUES


def make_example(rng):
    n = rng.randint(HP["min_pairs"], HP["max_pairs"])
    keys = rng.sample(KEYS, n)
    values = [rng.choice(VALUES) for _ in keys]
    queries = [rng.choice(keys) for _ in range(rng.randint(HP["min_queries"],
                                                           HP["max_queries"]))]
    table = dict(zip(keys, values))
    tokens = [x for kv in zip(keys, values) for x in kv] + ["?"] + queries
    tags = [NONE] * (2 * n + 1) + [table[q] for q in queries]
    return " ".join(tokens), tags


def make_set(rng, count, avoid=()):
    out, seen = [], set(avoid)
    while len(out) < count:
        text, tags = make_example(rng)
        if text not in seen:  # no text of the test set is seen in training
            seen.add(text)
            out.append((text, tags))
    return out


EXAMPLES = [
    ("c 4 a 7 f 1 ? a c",
     "three pairs, two queries: the row of the queried 'a' (after ?) points at 7, the value "
     "of the pair 'a 7'; the row of 'c' at 4"),
    ("b 2 e 9 ? e e b", "the same key asked twice: both rows point at the 9 of 'e 9'"),
    ("a 1 b 2 c 3 d 4 e 5 f 6 g 7 h 8 ? f a h c",
     "eight pairs (the most seen in training), four queries"),
    ("l 0 k 5 ? k", "the smallest case: two pairs, one query"),
    ("a 3 b 3 c 8 ? b", "two pairs with the same value 3: the row of 'b' points at the 3 "
                        "after b, not at the 3 after a"),
]


def build(vocab_size):
    g = c.xp.Graph(vocab_size)
    g.embedding("emb", HP["emb_dim"])
    g.lstm("lstm", "emb", HP["hidden"], bidirectional=True)
    g.attention("attn", "lstm", score="dot")       # A = softmax(H H^T), context = A H
    g.concat("cat", ["lstm", "attn"])
    g.dense("hidden", "cat", HP["ff"], activation="relu")
    g.dense("tags", "hidden", len(LABELS), activation="softmax")
    return g.model("tags")


def query_accuracy(model, tokenizer, data):
    """(per-token accuracy, accuracy on the queried keys only, texts fully right)."""
    tok = c.Tokenizer(tokenizer)
    right = total = qright = qtotal = whole = 0
    model.eval()
    with torch.no_grad():
        for text, tags in data:
            pred = model(torch.tensor(tok.ids(text)))[0].argmax(-1).tolist()
            gold = [LABELS.index(t) for t in tags]
            ok = [p == g for p, g in zip(pred, gold)]
            right += sum(ok)
            total += len(ok)
            q = text.split().index("?")
            qright += sum(ok[q + 1:])
            qtotal += len(ok) - q - 1
            whole += all(ok)
    return right / total, qright / qtotal, whole / len(data)


def attention_on_pair(model, tokenizer, data):
    """Mean attention weight that a query row puts on its pair (key + value)."""
    tok = c.Tokenizer(tokenizer)
    mass, n = 0.0, 0
    with torch.no_grad():
        for text, _ in data:
            words = text.split()
            q = words.index("?")
            _, _, attn = model(torch.tensor(tok.ids(text)), trace=True)
            A = attn["attn"][0]
            for t in range(q + 1, len(words)):
                k = words.index(words[t])  # the key's position in the pair list
                mass += float(A[t, k] + A[t, k + 1])
                n += 1
    return mass / n


def main():
    start = time.time()
    c.setup(HP["seed"])
    rng = random.Random(HP["seed"])
    test = make_set(rng, HP["test"])
    val = make_set(rng, HP["validation"], avoid=[t for t, _ in test])
    train = make_set(rng, HP["train"], avoid=[t for t, _ in test + val])
    tokenizer = {"type": "word", "lowercase": True,
                 "vocab": ["<pad>", "<unk>", "?"] + KEYS + VALUES, "unk": "<unk>"}

    def enc(part):
        return (c.encode(tokenizer, [t for t, _ in part]),
                [[LABELS.index(x) for x in tags] for _, tags in part])

    model = build(len(tokenizer["vocab"]))
    best_epoch, val_acc, history = c.train(model, enc(train), enc(val), HP["epochs"],
                                           lr=HP["lr"], batch_size=HP["batch_size"],
                                           seed=HP["seed"], tie_break_loss=True)
    tok_acc, q_acc, whole = query_accuracy(model, tokenizer, test)
    mass = attention_on_pair(model, tokenizer, test)
    seconds = time.time() - start
    print(f"{STEM}: best epoch {best_epoch}, validation {val_acc:.4f}; TEST per-token "
          f"{tok_acc:.4f}, queried keys {q_acc:.4f}, whole texts {whole:.4f}; attention on "
          f"the pair {mass:.3f} ({seconds:.0f} s)")
    split_text = (f"{HP['train']} train / {HP['validation']} validation / {HP['test']} test "
                  f"texts generated by the recipe with random.Random({HP['seed']}) (test first, "
                  f"then validation and train, no text repeated across parts); the epoch is "
                  f"chosen on validation per-token accuracy, the test part is used once")
    metadata = {
        "dataset": "synthetic key-value lookup, generated by the recipe",
        "dataset_source": "tools/train/train_seed_b_lookup_tagger.py (make_example): "
                          f"{HP['min_pairs']}-{HP['max_pairs']} pairs of a distinct key a-l "
                          f"and a digit, '?', then {HP['min_queries']}-{HP['max_queries']} "
                          "keys from the pairs; a query's tag is its value, other tags '-'",
        "licence": "generated data, no licence needed",
        "split": split_text,
        "heldout_accuracy": round(tok_acc, 4),
        "heldout_accuracy_is": "per-token accuracy over all tokens of the test texts",
        "heldout_query_accuracy": round(q_acc, 4),
        "heldout_whole_text_accuracy": round(whole, 4),
        "heldout_attention_on_pair": round(mass, 4),
        "heldout_size": f"{HP['test']} texts",
        "validation_accuracy": round(val_acc, 4),
        "trained_by": c.command_line(),
        "training": {**HP, "optimizer": "Adam", "loss": "per-token cross-entropy",
                     "best_epoch": best_epoch, "seconds": round(seconds),
                     "torch": torch.__version__, "history": history},
    }
    name = "Seed architecture B: key-value lookup tagger"
    description = (
        f"The seed architecture B as a per-token tagger on a synthetic task with a known right "
        f"attention. Embedding ({HP['emb_dim']}) -> BiLSTM ({HP['hidden']} per direction) -> "
        f"dot self-attention (A = softmax(H H^T), context = A H) -> concat(H, context) -> "
        f"Dense ({HP['ff']}, relu) per token -> Dense (softmax) per token. The text lists "
        "key-value pairs, then '?', then "
        "keys to look up: 'c 4 a 7 f 1 ? a c' is tagged '- - - - - - - 7 4'. In the `attn` "
        "matrix the row of each queried key should light up at its pair.")
    c.export_model(model, STEM, tokenizer, "tagging", LABELS, name, description, metadata,
                   EXAMPLES)
    tok = c.Tokenizer(tokenizer)
    rows = []
    with torch.no_grad():
        for text, note in EXAMPLES:
            pred = model(torch.tensor(tok.ids(text)))[0].argmax(-1).tolist()
            rows.append(f"| `{text}` | `{' '.join(LABELS[p] for p in pred)}` | {note} |")
    c.write_card(STEM, name, [
        ("What it is", description + f"\n\nGraph: embedding {HP['emb_dim']} -> BiLSTM "
         f"2x{HP['hidden']} -> attention (dot, query = key = value = BiLSTM) -> "
         f"concat(BiLSTM, attention) -> dense {HP['ff']} relu -> dense softmax 11 (tags '-' "
         "and 0-9).\n\n"
         "Why so small a BiLSTM: with 64 units per direction it memorises the whole table "
         "and solves the task without the attention (which then stays on the diagonal); "
         f"with {HP['hidden']} it cannot, and the lookup goes through the attention.\n\n"
         "Why a lookup and not a reversal (tag t = token T-1-t, the task first planned): "
         "with scores H H^T and no projection, S_tt = |h_t|^2, and by Cauchy-Schwarz two "
         "positions cannot both score each other above themselves, so an anti-diagonal can "
         "never win on both of its sides. A lookup only needs the query row to prefer its "
         "pair's row, which H H^T can express."),
        ("Data and licence", metadata["dataset_source"] + ". Generated by the recipe; no "
                                                          "licence needed."),
        ("Split and accuracy", f"{split_text}.\n\n"
                               f"**Held-out per-token accuracy: {100 * tok_acc:.2f}%** "
                               f"(all tokens of {HP['test']} test texts). On the queried keys "
                               f"alone: {100 * q_acc:.2f}%; texts with every tag right: "
                               f"{100 * whole:.2f}%. A query row puts on average "
                               f"{100 * mass:.1f}% of its attention on its pair (the key and "
                               f"its value). Validation per-token accuracy {100 * val_acc:.2f}% "
                               f"(best epoch {best_epoch} of {len(history)})."),
        ("Recipe", f"`{c.command_line()}` (fixed seeds, one CPU thread, about "
                   f"{max(1, round(seconds / 60))} min here; generates the data, trains, writes "
                   "the model, its checks and this card)."),
        ("Example texts", "Stored in `metadata.examples` and as `checks`; the tags are this "
                          "model's.\n\n| text | predicted tags | shows |\n| --- | --- | --- |\n"
         + "\n".join(rows)),
        ("Limitations", f"Only texts of this exact form: {HP['min_pairs']}-{HP['max_pairs']} "
                        "pairs with distinct keys a-l, values 0-9, one '?', then keys that "
                        "occur in the pairs. Longer lists, a key missing from the pairs, or "
                        "any other text give meaningless tags; that is the point of a "
                        "synthetic probe, not a flaw to fix."),
    ])


if __name__ == "__main__":
    main()
