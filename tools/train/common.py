"""Shared code of the training recipes for the bundled models: data loading,
deterministic splits, vocabularies built with the engine's tokenizer, the
training loop, export with metadata, and the model card.

The data is read from ../shared/data/ next to the repository (see its
SOURCES.md), or from $LSTMSCOPE_DATA; it is never copied into the project.
"""

import collections
import copy
import csv
import json
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

TRAIN_DIR = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.dirname(TRAIN_DIR)
ROOT = os.path.dirname(TOOLS)
MODELS = os.path.join(ROOT, "models")
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)

import export_pytorch as xp  # noqa: E402
from lstmscope_format.tokenizer import Tokenizer  # noqa: E402

DATA = os.environ.get("LSTMSCOPE_DATA",
                      os.path.normpath(os.path.join(ROOT, "..", "shared", "data")))

UCI_CREDIT = {
    "dataset": "UCI Sentiment Labelled Sentences (amazon_cells_labelled.txt + imdb_labelled.txt)",
    "dataset_source": "Kotzias, Denil, de Freitas, Smyth: 'From Group to Individual Labels using "
                      "Deep Features', KDD 2015; UCI Machine Learning Repository, "
                      "https://archive.ics.uci.edu/dataset/331/sentiment+labelled+sentences",
    "licence": "CC BY 4.0 (as listed by the UCI repository)",
}
SMS_CREDIT = {
    "dataset": "SMS Spam Collection v.1 (5,574 messages: 4,827 ham, 747 spam)",
    "dataset_source": "Almeida, Gómez Hidalgo, Yamakami: 'Contributions to the Study of SMS Spam "
                      "Filtering: New Collection and Results', DocEng 2011; UCI Machine Learning "
                      "Repository, https://archive.ics.uci.edu/dataset/228/sms+spam+collection",
    "licence": "CC BY 4.0 (UCI); please cite the paper",
}
CHN_CREDIT = {
    "dataset": "ChnSentiCorp hotel reviews, ChnSentiCorp_htl_all (7,766 reviews: 5,322 positive, "
               "2,444 negative)",
    "dataset_source": "Tan Songbo's ChnSentiCorp corpus, merged and relabelled by the "
                      "ChineseNlpCorpus project (https://github.com/SophonPlus/ChineseNlpCorpus)",
    "licence": "no licence stated by the source; used for research and credited here; the data "
               "is not distributed with lstmscope",
}


def setup(seed, threads=None):
    """Fixed seeds and thread count: the same command gives the same model on
    the same machine (float reductions may differ across CPUs)."""
    torch.set_num_threads(int(os.environ.get("LSTMSCOPE_TRAIN_THREADS", threads or 1)))
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# --------------------------------------------------------------------------
# data

def _lines(path):
    # split on \n only: imdb_labelled.txt holds U+0085 inside lines (SOURCES.md)
    with open(path, encoding="utf-8", newline="") as f:
        return [line.rstrip("\r") for line in f.read().split("\n") if line.strip()]


def load_uci(files=("amazon_cells_labelled.txt", "imdb_labelled.txt")):
    """[(sentence, 0|1)] (1 = positive)."""
    out = []
    for name in files:
        for line in _lines(os.path.join(DATA, "uci_sentiment_labelled_sentences", name)):
            text, label = line.rsplit("\t", 1)
            out.append((text.strip(), int(label)))
    return out


def load_sms():
    """[(message, 0|1)] (1 = spam)."""
    out = []
    for line in _lines(os.path.join(DATA, "sms_spam_collection", "SMSSpamCollection")):
        label, text = line.split("\t", 1)
        out.append((text.strip(), {"ham": 0, "spam": 1}[label]))
    return out


def load_chnsenticorp():
    """[(review, 0|1)] (1 = positive); the empty review is skipped."""
    out = []
    with open(os.path.join(DATA, "chnsenticorp_htl_all", "ChnSentiCorp_htl_all.csv"),
              encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = (row["review"] or "").strip()
            if text:
                out.append((text, int(row["label"])))
    return out


def split(data, seed, fractions=(0.8, 0.1, 0.1)):
    """Stratified, seeded split into train / validation / test: each label's
    examples are shuffled with random.Random(seed) and cut by `fractions`."""
    by_label = collections.defaultdict(list)
    for ex in data:
        by_label[ex[1]].append(ex)
    rng = random.Random(seed)
    parts = ([], [], [])
    for label in sorted(by_label):
        items = by_label[label]
        rng.shuffle(items)
        n = len(items)
        a = round(n * fractions[0])
        b = a + round(n * fractions[1])
        parts[0].extend(items[:a])
        parts[1].extend(items[a:b])
        parts[2].extend(items[b:])
    for p in parts:
        rng.shuffle(p)
    return parts


# --------------------------------------------------------------------------
# vocabulary, encoding

def build_vocab(texts, tok_type="word", lowercase=None, min_count=2, max_size=None,
                specials=("<pad>", "<unk>")):
    """Tokenizer config whose vocab holds the specials, then every token seen
    at least min_count times in `texts` (most frequent first), split exactly
    as the engine splits (lstmscope_format.tokenizer)."""
    cfg = {"type": tok_type}
    if lowercase is not None:
        cfg["lowercase"] = lowercase
    probe = Tokenizer({**cfg, "vocab": list(specials), "unk": specials[1]})
    counts = collections.Counter()
    for t in texts:
        counts.update(tok["text"] for tok in probe.tokenize(t)["tokens"])
    words = sorted((w for w, c in counts.items() if c >= min_count and w not in specials),
                   key=lambda w: (-counts[w], w))
    if max_size:
        words = words[:max_size - len(specials)]
    return {**cfg, "vocab": list(specials) + words, "unk": specials[1]}


def encode(tokenizer, texts, max_len=None):
    tok = Tokenizer(tokenizer)
    out = []
    for t in texts:
        ids = tok.ids(t)
        if max_len:
            ids = ids[:max_len]
        out.append(ids or [tok.unk_id])
    return out


def batches(seqs, targets, batch_size, shuffle, rng=None, pad_id=0, budget=4_000_000):
    """(ids [B, T], lengths [B], targets) batches of similar length, at most
    batch_size texts and at most `budget` cells in a B x T x T attention
    matrix (long texts come in small batches)."""
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    chunks, cur = [], []
    for i in order:
        T = len(seqs[i])
        if cur and (len(cur) >= batch_size or (len(cur) + 1) * T * T > budget):
            chunks.append(cur)
            cur = []
        cur.append(i)
    if cur:
        chunks.append(cur)
    if shuffle:
        rng.shuffle(chunks)
    for chunk in chunks:
        T = max(len(seqs[i]) for i in chunk)
        ids = torch.full((len(chunk), T), pad_id, dtype=torch.long)
        for r, i in enumerate(chunk):
            ids[r, :len(seqs[i])] = torch.tensor(seqs[i])
        lengths = torch.tensor([len(seqs[i]) for i in chunk])
        if isinstance(targets[chunk[0]], (list, tuple)):
            y = torch.full((len(chunk), T), -100, dtype=torch.long)
            for r, i in enumerate(chunk):
                y[r, :len(targets[i])] = torch.tensor(targets[i])
        else:
            y = torch.tensor([targets[i] for i in chunk])
        yield ids, lengths, y


# --------------------------------------------------------------------------
# training

def evaluate(model, seqs, targets, batch_size=128, with_loss=False):
    """Accuracy (per text, or per token for tagging targets); with_loss=True
    returns (accuracy, mean cross-entropy)."""
    model.eval()
    right = total = 0
    loss = 0.0
    with torch.no_grad():
        for ids, lengths, y in batches(seqs, targets, batch_size, False):
            out = model(ids, lengths, logits=True)
            if y.dim() == 2:  # tagging
                pred = out.argmax(-1)
                m = y != -100
                right += int((pred[m] == y[m]).sum())
                total += int(m.sum())
                loss += float(F.cross_entropy(out[m], y[m], reduction="sum"))
            else:
                pred = out[:, 0].argmax(-1)
                right += int((pred == y).sum())
                total += len(y)
                loss += float(F.cross_entropy(out[:, 0], y, reduction="sum"))
    return (right / total, loss / total) if with_loss else right / total


def confusion(model, seqs, targets, classes, batch_size=128):
    """counts[true][predicted] for a classifier."""
    model.eval()
    counts = [[0] * classes for _ in range(classes)]
    with torch.no_grad():
        for ids, lengths, y in batches(seqs, targets, batch_size, False):
            pred = model(ids, lengths, logits=True)[:, 0].argmax(-1)
            for t, p in zip(y.tolist(), pred.tolist()):
                counts[t][p] += 1
    return counts


def per_class(counts, labels):
    """{label: {precision, recall, support}} from a confusion matrix."""
    out = {}
    for k, lab in enumerate(labels):
        tp = counts[k][k]
        pred = sum(counts[r][k] for r in range(len(labels)))
        sup = sum(counts[k])
        out[lab] = {"precision": round(tp / pred, 4) if pred else None,
                    "recall": round(tp / sup, 4) if sup else None, "support": sup}
    return out


def train(model, train_set, val_set, epochs, lr=2e-3, batch_size=32, weight_decay=0.0,
          clip=5.0, seed=0, class_weights=None, log=print, time_limit=None, patience=None,
          tie_break_loss=False):
    """Adam, cross-entropy on the output's logits; after each epoch the
    validation accuracy; the state with the best validation accuracy is kept
    (ties: the earlier epoch, or with tie_break_loss the lower validation
    loss). Returns (best_epoch, best_val_acc, history)."""
    rng = random.Random(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    best = (-1.0, 0, None)
    best_loss = float("inf")
    history = []
    start = time.time()
    for epoch in range(1, epochs + 1):
        model.train()
        loss_sum, n = 0.0, 0
        for ids, lengths, y in batches(train_set[0], train_set[1], batch_size, True, rng):
            out = model(ids, lengths, logits=True)
            if y.dim() == 2:
                loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1),
                                       ignore_index=-100)
            else:
                loss = F.cross_entropy(out[:, 0], y, weight=class_weights)
            opt.zero_grad()
            loss.backward()
            if clip:
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            opt.step()
            loss_sum += float(loss) * len(y)
            n += len(y)
        val, val_loss = evaluate(model, *val_set, with_loss=True)
        history.append({"epoch": epoch, "loss": round(loss_sum / n, 4), "val_acc": round(val, 4)})
        if tie_break_loss:
            history[-1]["val_loss"] = round(val_loss, 6)
        log(f"epoch {epoch}: loss {loss_sum / n:.4f}  val acc {val:.4f}  "
            f"{f'val loss {val_loss:.5f}  ' if tie_break_loss else ''}"
            f"({time.time() - start:.0f} s)")
        if val > best[0] or (tie_break_loss and val == best[0] and val_loss < best_loss):
            best = (val, epoch, copy.deepcopy(model.state_dict()))
            best_loss = val_loss
        if patience and epoch - best[1] >= patience:
            log(f"no better validation accuracy for {patience} epochs: stop")
            break
        if time_limit and time.time() - start > time_limit:
            log("time limit reached: stop")
            break
    model.load_state_dict(best[2])
    model.eval()
    return best[1], best[0], history


# --------------------------------------------------------------------------
# output: the model pair and its card

def command_line():
    return "/usr/bin/python3 " + os.path.relpath(os.path.abspath(sys.argv[0]), ROOT)


def export_model(model, stem, tokenizer, task, labels, name, description, metadata, examples,
                 extra_checks=()):
    """Write models/STEM.{json,safetensors} with metadata.examples and
    checks on every example text, then check it with lstmscope-cli."""
    metadata = dict(metadata)
    metadata["examples"] = [{"text": t, "note": note} for t, note in examples]
    texts = [t for t, _ in examples] + list(extra_checks)
    path = xp.export(model, model.nodes, tokenizer, output=model.output, out_dir=MODELS,
                     stem=stem, task=task, labels=labels, name=name, description=description,
                     metadata=metadata, check_texts=texts)
    size = os.path.getsize(os.path.join(MODELS, stem + ".safetensors"))
    print(f"wrote {path} (+ {stem}.safetensors, {size / 1e6:.2f} MB)")
    if size >= 5e6:
        raise SystemExit(f"{stem}.safetensors is {size / 1e6:.1f} MB, over the 5 MB budget")
    return path


def predict_examples(model, tokenizer, labels, examples):
    """[(text, label, probability)] with the trained model, for the card."""
    tok = Tokenizer(tokenizer)
    out = []
    with torch.no_grad():
        for text, _ in examples:
            p = model(torch.tensor(tok.ids(text)))[0, 0]
            k = int(p.argmax())
            out.append((text, labels[k], float(p[k])))
    return out


def md_escape(text):
    return text.replace("|", "\\|")


def write_card(stem, title, sections):
    """models/STEM.md from [(heading, markdown text)]."""
    lines = [f"# {title}", ""]
    for heading, body in sections:
        lines += [f"## {heading}", "", body.strip(), ""]
    path = os.path.join(MODELS, stem + ".md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"wrote {path}")


def dump(obj):
    return json.dumps(obj, ensure_ascii=False)


# --------------------------------------------------------------------------
# the whole recipe of a text classifier

def _pct(x):
    return f"{100 * x:.1f}%"


def run_classifier(stem, hp, build, data, data_name, credit, labels, name, description,
                   architecture, examples, attention_note, tok_type="word", lowercase=None,
                   max_len=None, limitations="", start=None, class_weights=None):
    """Split `data` ([(text, label)]) 80/10/10 with hp["seed"], build the
    vocabulary on the training part, train `build(vocab_size)` (a GraphModel)
    keeping the epoch with the best validation accuracy, measure the test
    accuracy once, export models/STEM.* with metadata, checks and a card.

    examples: [(text, note)] shown by the GUI and used as checks."""
    start = start or time.time()
    setup(hp["seed"])
    train_part, val_part, test_part = split(data, hp["seed"])
    tokenizer = build_vocab([t for t, _ in train_part], tok_type=tok_type, lowercase=lowercase,
                            min_count=hp["min_count"])
    print(f"{stem}: train {len(train_part)}, validation {len(val_part)}, test {len(test_part)}; "
          f"vocabulary {len(tokenizer['vocab'])}")

    def enc(part, trunc=max_len):
        return encode(tokenizer, [t for t, _ in part], trunc), [y for _, y in part]

    model = build(len(tokenizer["vocab"]))
    cw = torch.tensor(class_weights, dtype=torch.float32) if class_weights else None
    best_epoch, val_acc, history = train(model, enc(train_part), enc(val_part), hp["epochs"],
                                         lr=hp["lr"], batch_size=hp["batch_size"],
                                         weight_decay=hp.get("weight_decay", 0.0),
                                         seed=hp["seed"], class_weights=cw)
    # the test texts are measured whole, as the engine would see them
    test_acc = evaluate(model, *enc(test_part, None))
    classes = per_class(confusion(model, *enc(test_part, None), len(labels)), labels)
    seconds = time.time() - start
    counts = collections.Counter(y for _, y in data)
    split_text = (f"stratified random split with seed {hp['seed']} (random.Random.shuffle per "
                  f"class): {len(train_part)} train / {len(val_part)} validation / "
                  f"{len(test_part)} test; the epoch is chosen on validation, the test part is "
                  f"used once, for heldout_accuracy")
    print(f"{stem}: best epoch {best_epoch}, validation {val_acc:.4f}, TEST {test_acc:.4f} "
          f"({seconds:.0f} s)")
    metadata = dict(credit)
    metadata.update({
        "split": split_text,
        "heldout_accuracy": round(test_acc, 4),
        "heldout_size": len(test_part),
        "heldout_per_class": classes,
        "validation_accuracy": round(val_acc, 4),
        "trained_by": command_line(),
        "training": {**hp, "optimizer": "Adam", "loss": "cross-entropy",
                     "best_epoch": best_epoch, "max_train_tokens": max_len,
                     "vocabulary": f"{len(tokenizer['vocab'])} tokens: <pad>, <unk> and every "
                                   f"token seen >= {hp['min_count']} times in the train part",
                     "seconds": round(seconds), "torch": torch.__version__,
                     "history": history},
    })
    export_model(model, stem, tokenizer, "classification", labels, name, description, metadata,
                 examples)
    preds = predict_examples(model, tokenizer, labels, examples)
    ex_rows = "\n".join(f"| {md_escape(t)} | {lab} ({p:.2f}) | {md_escape(note)} |"
                        for (t, lab, p), (_, note) in zip(preds, examples))
    class_text = ", ".join(f"{labels[k]} {counts[k]}" for k in sorted(counts))
    write_card(stem, name, [
        ("What it is", description + "\n\nGraph: " + architecture + ".\n\n" + attention_note),
        ("Data and licence", f"{data_name} ({len(data):,} texts: {class_text}).\n\n"
                             f"Source: {credit['dataset_source']}.\n\nLicence: {credit['licence']}."
                             "\n\nThe data is not part of lstmscope; only the trained weights are."),
        ("Split and accuracy", f"{split_text[0].upper()}{split_text[1:]}.\n\n"
                               f"**Held-out (test) accuracy: {_pct(test_acc)}** on "
                               f"{len(test_part)} texts (validation {_pct(val_acc)}, best epoch "
                               f"{best_epoch} of {len(history)}).\n\n| class | precision | "
                               "recall | test texts |\n| --- | --- | --- | --- |\n" +
                               "\n".join(f"| {lab} | {_pct(v['precision'] or 0)} | "
                                         f"{_pct(v['recall'] or 0)} | {v['support']} |"
                                         for lab, v in classes.items())),
        ("Recipe", f"`{command_line()}` (fixed seeds, one CPU thread, about "
                   f"{max(1, round(seconds / 60))} min here; writes the model, its checks and "
                   "this card)."),
        ("Example texts", "Stored in the manifest's `metadata.examples` and as `checks`; the "
                          "prediction is this model's.\n\n| text | prediction | shows |\n"
                          "| --- | --- | --- |\n" + ex_rows),
        ("Limitations", limitations),
    ])
    return test_acc


UCI_NAME = ("UCI Sentiment Labelled Sentences: the amazon (cell phone reviews) and imdb (movie "
            "reviews) files")
# The same texts for model 1 (attention) and model 5 (no attention), so the
# two can be compared side by side.
EN_EXAMPLES = [
    ("The phone looks great but the battery life is terrible.",
     "contrast: a positive and a negative clause; which one wins"),
    ("This movie is not good.", "negation: 'not' before a positive word"),
    ("Not bad at all, I would buy it again.", "negation of a negative word"),
    ("I loved this movie, the acting was excellent.", "plain positive"),
    ("Waste of money, it broke after two days.", "plain negative, no sentiment adjective"),
    ("I was expecting a lot from this film after all the reviews I had read, and although the "
     "first half drags and some of the dialogue is clumsy, the ending is wonderful and I left "
     "the theater smiling.",
     "a long sentence that turns positive at the end"),
]
EN_LIMITATIONS = (
    "Trained from scratch (no pretrained embeddings) on 1,600 short sentences about phones and "
    "movies: words outside that world are `<unk>`, and sarcasm, double negation and long mixed "
    "reviews are often wrong. The held-out set has 200 sentences, so the accuracy is known to "
    "about +-3 points. A demonstration model for looking inside, not a sentiment service.")
