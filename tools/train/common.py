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
import re
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
          tie_break_loss=False, epoch_hook=None):
    """Adam, cross-entropy on the output's logits; after each epoch the
    validation accuracy; the state with the best validation accuracy is kept
    (ties: the earlier epoch, or with tie_break_loss the lower validation
    loss). epoch_hook(model, epoch), if given, runs after each epoch's
    validation (for watching, not for choosing). Returns (best_epoch,
    best_val_acc, history)."""
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
        if epoch_hook:
            epoch_hook(model, epoch)
            model.train()
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


def example_entry(example):
    """(text, note) or (text, note, expected label) -> the manifest's
    {"text", "note"[, "label"]}."""
    entry = {"text": example[0], "note": example[1]}
    if len(example) > 2:
        entry["label"] = example[2]
    return entry


def export_model(model, stem, tokenizer, task, labels, name, description, metadata, examples,
                 extra_checks=()):
    """Write models/STEM.{json,safetensors} with metadata.examples and
    checks on every example text, then check it with lstmscope-cli."""
    metadata = dict(metadata)
    metadata["examples"] = [example_entry(e) for e in examples]
    texts = [e[0] for e in examples] + list(extra_checks)
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
        for text, *_ in examples:
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


def _suite_module():
    import behaviour  # noqa: E402 (tools/train/behaviour.py; imports this module)
    return behaviour


def run_classifier(stem, hp, build, data, data_name, credit, labels, name, description,
                   architecture, examples, attention_note, tok_type="word", lowercase=None,
                   max_len=None, limitations="", start=None, class_weights=None, suite=None,
                   augment=None):
    """Split `data` ([(text, label)]) 80/10/10 with hp["seed"], build the
    vocabulary on the training part, train `build(vocab_size)` (a GraphModel)
    keeping the epoch with the best validation accuracy, measure the test
    accuracy once, export models/STEM.* with metadata, checks and a card.

    examples: [(text, note)] or [(text, note, expected label)] shown by the
      GUI and used as checks.
    augment: None, or augment(train_part, rng) -> (extra [(text, label)],
      a sentence for the card, {stats}); only the train part is augmented,
      validation and test are the data's own texts.
    suite: None, or "en"/"zh": the behaviour suite (tests/models/behaviour/
      sentiment_LANG.tsv) is measured after training and reported in
      metadata.behaviour_suite and the card; no training text (original or
      augmented) equal to a suite text is kept.

    With LSTMSCOPE_DRY_RUN=1 in the environment nothing is written: the
    recipe trains, measures and prints."""
    start = start or time.time()
    cpu_start = time.process_time()
    dry = os.environ.get("LSTMSCOPE_DRY_RUN") == "1"
    setup(hp["seed"])
    train_part, val_part, test_part = split(data, hp["seed"])
    tokenizer = build_vocab([t for t, _ in train_part], tok_type=tok_type, lowercase=lowercase,
                            min_count=hp["min_count"])
    aug_text, aug_stats, removed = "", {}, 0
    train_set = list(train_part)
    if augment:
        extra, aug_text, aug_stats = augment(train_part, random.Random(hp["seed"] + 1000))
        train_set += extra
    if suite:
        bh = _suite_module()
        banned = bh.suite_texts(suite) | {bh.normalize(e[0]) for e in examples}
        kept = [ex for ex in train_set if bh.normalize(ex[0]) not in banned]
        removed = len(train_set) - len(kept)
        train_set = kept
    print(f"{stem}: train {len(train_part)} (+{len(train_set) - len(train_part)} augmented, "
          f"{removed} suite/example texts left out), validation {len(val_part)}, test "
          f"{len(test_part)}; vocabulary {len(tokenizer['vocab'])}")

    def enc(part, trunc=max_len):
        return encode(tokenizer, [t for t, _ in part], trunc), [y for _, y in part]

    model = build(len(tokenizer["vocab"]))
    cw = torch.tensor(class_weights, dtype=torch.float32) if class_weights else None
    hook = None
    if suite and os.environ.get("LSTMSCOPE_WATCH_SUITE") == "1":
        # for recipe development: the suite after every epoch (never used to choose)
        def hook(m, epoch):
            bh = _suite_module()
            rows = bh.load_suite(bh.suite_path(suite)) + [
                {"capability": "example", "expected": e[2], "text": e[0]}
                for e in examples if len(e) > 2]
            res = bh.run_suite(m, tokenizer, labels, rows)
            bad = [r for r in res if not r["ok"]]
            print(f"    suite+examples after epoch {epoch}: {len(res) - len(bad)}/{len(res)}; "
                  f"wrong: " + " | ".join(f"{r['capability']}: {r['text']}" for r in bad))
    best_epoch, val_acc, history = train(model, enc(train_set), enc(val_part), hp["epochs"],
                                         lr=hp["lr"], batch_size=hp["batch_size"],
                                         weight_decay=hp.get("weight_decay", 0.0),
                                         seed=hp["seed"], class_weights=cw, epoch_hook=hook)
    # the test texts are measured whole, as the engine would see them
    test_acc = evaluate(model, *enc(test_part, None))
    classes = per_class(confusion(model, *enc(test_part, None), len(labels)), labels)
    seconds = time.time() - start
    cpu_seconds = time.process_time() - cpu_start
    counts = collections.Counter(y for _, y in data)
    split_text = (f"stratified random split with seed {hp['seed']} (random.Random.shuffle per "
                  f"class): {len(train_part)} train / {len(val_part)} validation / "
                  f"{len(test_part)} test; the epoch is chosen on validation, the test part is "
                  f"used once, for heldout_accuracy")
    print(f"{stem}: best epoch {best_epoch}, validation {val_acc:.4f}, TEST {test_acc:.4f} "
          f"({seconds:.0f} s)")
    suite_summary = None
    if suite:
        bh = _suite_module()
        rows = bh.load_suite(bh.suite_path(suite))
        results = bh.run_suite(model, tokenizer, labels, rows)
        bh.report(results, labels)
        suite_summary = bh.summary(results, os.path.relpath(bh.suite_path(suite), ROOT))
        ex_rows = [{"capability": "example", "expected": e[2], "text": e[0]}
                   for e in examples if len(e) > 2]
        ex_results = bh.run_suite(model, tokenizer, labels, ex_rows)
        print("  examples:")
        bh.report(ex_results, labels)
    metadata = dict(credit)
    metadata.update({
        "split": split_text,
        "heldout_accuracy": round(test_acc, 4),
        "heldout_size": len(test_part),
        "heldout_per_class": classes,
        "validation_accuracy": round(val_acc, 4),
    })
    if suite_summary:
        metadata["behaviour_suite"] = suite_summary
    if augment:
        metadata["augmentation"] = {"text": aug_text, **aug_stats,
                                    "suite_or_example_texts_left_out": removed}
    metadata.update({
        "trained_by": command_line(),
        "training": {**hp, "optimizer": "Adam", "loss": "cross-entropy",
                     "best_epoch": best_epoch, "max_train_tokens": max_len,
                     "train_texts": len(train_set),
                     "vocabulary": f"{len(tokenizer['vocab'])} tokens: <pad>, <unk> and every "
                                   f"token seen >= {hp['min_count']} times in the train part",
                     "seconds": round(seconds), "cpu_seconds": round(cpu_seconds),
                     "torch": torch.__version__, "history": history},
    })
    if dry:
        print(f"{stem}: LSTMSCOPE_DRY_RUN=1, nothing written")
        return test_acc, suite_summary
    export_model(model, stem, tokenizer, "classification", labels, name, description, metadata,
                 examples)
    preds = predict_examples(model, tokenizer, labels, examples)
    with_labels = any(len(e) > 2 for e in examples)
    ex_rows = "\n".join(
        f"| {md_escape(e[0])} | " + (f"{e[2] if len(e) > 2 else ''} | " if with_labels else "") +
        f"{lab} ({p:.2f}) | {md_escape(e[1])} |"
        for (t, lab, p), e in zip(preds, examples))
    ex_head = ("| text | expected | prediction | shows |\n| --- | --- | --- | --- |\n"
               if with_labels else "| text | prediction | shows |\n| --- | --- | --- |\n")
    class_text = ", ".join(f"{labels[k]} {counts[k]}" for k in sorted(counts))
    data_text = (f"{data_name} ({len(data):,} texts: {class_text}).\n\n"
                 f"Source: {credit['dataset_source']}.\n\nLicence: {credit['licence']}."
                 "\n\nThe data is not part of lstmscope; only the trained weights are.")
    if augment:
        data_text += ("\n\n**Augmentation (train part only).** " + aug_text +
                      f" {len(train_set) - len(train_part) + removed:,} texts were added to "
                      f"the {len(train_part):,} of the train part"
                      + (f"; {removed} training texts equal to a behaviour-suite or example "
                         "text were left out" if removed else "") +
                      ". Validation and test hold only the data's own texts, so the held-out "
                      "accuracy measures the model on real reviews.")
    accuracy_text = (f"{split_text[0].upper()}{split_text[1:]}.\n\n"
                     f"**Held-out (test) accuracy: {_pct(test_acc)}** on "
                     f"{len(test_part)} texts (validation {_pct(val_acc)}, best epoch "
                     f"{best_epoch} of {len(history)}).")
    if suite_summary:
        accuracy_text += "\n\n" + _suite_module().card_text(suite_summary, test_acc)
    accuracy_text += ("\n\n| class | precision | recall | test texts |\n"
                      "| --- | --- | --- | --- |\n" +
                      "\n".join(f"| {lab} | {_pct(v['precision'] or 0)} | "
                                f"{_pct(v['recall'] or 0)} | {v['support']} |"
                                for lab, v in classes.items()))
    write_card(stem, name, [
        ("What it is", description + "\n\nGraph: " + architecture + ".\n\n" + attention_note),
        ("Data and licence", data_text),
        ("Split and accuracy", accuracy_text),
        ("Recipe", f"`{command_line()}` (fixed seeds, one CPU thread, about "
                   f"{max(1, round(seconds / 60))} min here, {max(1, round(cpu_seconds / 60))} "
                   "min of CPU time; writes the model, its checks and this card)."),
        ("Example texts", "Stored in the manifest's `metadata.examples` (with the expected "
                          "label) and as `checks`; the prediction is this model's.\n\n"
                          + ex_head + ex_rows),
        ("Limitations", limitations),
    ])
    return test_acc, suite_summary


# --------------------------------------------------------------------------
# augmentation of the sentiment train parts (stated in the cards)

EN_NEGATORS = re.compile(r"\b(not|no|never|nothing|none|nobody|neither|nor|hardly|without)\b|"
                         r"n't\b", re.I)
EN_CONTRASTS = re.compile(r"\b(but|however|although|though|yet|except|while|whereas)\b", re.I)
EN_COPULA = re.compile(r"\b(is|was|are|were)\s+((?:very|really|so|too)\s+)?([a-z]+)\b", re.I)
# Sentiment adjectives for the negation counterfactuals: a word of the
# sentence's own polarity right after is/was/are/were.
EN_POSITIVE_WORDS = set(
    "good great excellent nice wonderful amazing awesome fantastic superb brilliant perfect "
    "beautiful funny interesting impressive impressed comfortable easy clear worth happy pleased "
    "satisfied fine decent cool fun enjoyable entertaining solid sturdy reliable helpful "
    "convincing believable memorable recommended lovely incredible outstanding terrific "
    "fabulous hilarious charming clever smart strong".split())
EN_NEGATIVE_WORDS = set(
    "bad terrible awful horrible poor boring disappointing disappointed useless worthless "
    "stupid weak cheap junk garbage crap annoying uncomfortable unreliable broken pathetic "
    "lame dull predictable wrong slow difficult hard ridiculous painful unhappy unusable "
    "flimsy lousy mediocre bland awkward fake".split())


def _strip_end(text):
    return re.sub(r"[\s.!?,;:]+$", "", text.strip())


def _lower_first(text):
    t = text.strip()
    if t[:2] in ("I ", "I'") or not t:
        return t
    return t[0].lower() + t[1:]


EN_CLAUSE_SPLIT = re.compile(r"[,;:.!?()\"]+|\s+-+\s+|\s+and\s+", re.I)
EN_LONE_WORD = re.compile(r"((?:very|really|so|too)\s+)?([a-z]+)", re.I)


def _sentence(clause):
    return clause[0].upper() + clause[1:] + "."


def en_negation_counterfactuals(part, max_words=10):
    """Negation counterfactuals at the level of clauses (the train part's
    sentences cut at punctuation and 'and'). A clause of at most max_words
    words, without negation or contrast words, that is either
    `... is/was/are/were [very|really|so|too] WORD` (nothing after WORD) or
    just `[very|...] WORD`, WORD a sentiment word of the sentence's own
    polarity (good in a positive sentence, bad in a negative one), gives two
    texts: the clause as a sentence with the sentence's label, and the
    clause with 'not' before the word's phrase with the other label
    ('the battery is good' in a positive sentence -> 'The battery is good.'
    positive, 'The battery is not good.' negative; 'Bad!' in a negative one
    -> 'Bad.' negative, 'Not bad.' positive).

    [(text, label)], each pair in order (clause, negated clause)."""
    out = []
    for text, y in part:
        words = EN_POSITIVE_WORDS if y == 1 else EN_NEGATIVE_WORDS
        for clause in EN_CLAUSE_SPLIT.split(text):
            clause = clause.strip()
            if not clause or len(clause.split()) > max_words or \
                    EN_NEGATORS.search(clause) or EN_CONTRASTS.search(clause):
                continue
            lone = EN_LONE_WORD.fullmatch(clause)
            if lone and lone.group(2).lower() in words:
                out += [(_sentence(clause), y), ("Not " + clause.lower() + ".", 1 - y)]
                continue
            copulas = list(EN_COPULA.finditer(clause))
            if len(copulas) != 1 or clause[copulas[0].end():].strip():
                continue
            m = copulas[0]
            if m.group(3).lower() not in words:
                continue
            cut = m.start(2) if m.group(2) else m.start(3)
            negated = clause[:cut] + "not " + clause[cut:]
            out += [(_sentence(clause), y), (_sentence(negated), 1 - y)]
    return out


def en_contrast_joins(part, rng, count, max_words=14, connectives=("but", ", but")):
    """`count` texts 'A but B': A and B two short sentences of the train part
    with opposite labels (neither with a contrast word of its own), A's final
    punctuation dropped, labelled with B's label: the clause after 'but'
    decides. Half of them end positive, half negative."""
    short = [(t, y) for t, y in part
             if len(t.split()) <= max_words and not EN_CONTRASTS.search(t)]
    by = {0: [t for t, y in short if y == 0], 1: [t for t, y in short if y == 1]}
    out = []
    for k in range(count):
        y = k % 2
        a, b = rng.choice(by[1 - y]), rng.choice(by[y])
        conj = rng.choice(connectives)
        out.append((f"{_strip_end(a)}{'' if conj.startswith(',') else ' '}{conj} "
                    f"{_lower_first(b)}", y))
    return out


def en_augment(contrast_count, negation_repeat=1):
    def augment(part, rng):
        neg = en_negation_counterfactuals(part)
        con = en_contrast_joins(part, rng, contrast_count)
        text = (f"Two rule-made kinds of text, both built from train-part sentences only. "
                f"(1) Negation counterfactuals ({len(neg) // 2} pairs"
                + (f", each pair {negation_repeat} times" if negation_repeat > 1 else "") +
                "): the sentences are cut into clauses (at punctuation and 'and'); a clause of "
                "at most 10 words without negation or contrast words that is '... "
                "is/was/are/were [very|really|so|too] WORD' or just '[very ...] WORD', with WORD "
                "a sentiment word of the sentence's own label (a fixed list: good, great, "
                "excellent, ... / bad, terrible, boring, ...), gives the clause as a sentence "
                "with the sentence's label and the clause with 'not' before the word with the "
                "other label ('The battery is good.' positive and 'The battery is not good.' "
                "negative; 'It was bad.' negative and 'It was not bad.' positive). "
                f"(2) Contrast joins ({len(con)}): two short sentences (at most 14 "
                "words, no contrast word of their own) of opposite labels joined as 'A but B' "
                "or 'A, but B', labelled with B's label (the clause after 'but' decides), half "
                "ending positive, half negative.")
        return neg * negation_repeat + con, text, {
            "negation_counterfactual_pairs": len(neg) // 2, "negation_repeat": negation_repeat,
            "contrast_joins": len(con)}
    return augment


ZH_CONTRASTS = re.compile("但|不过|可是|虽然|却|就是|只是|然而|不足")
ZH_CONTRAST_TEMPLATES = ("{a}，但是{b}", "{a}，不过{b}", "虽然{a}，但是{b}", "{a}，可是{b}",
                         "{a}，但{b}")


def zh_contrast_joins(part, rng, count, max_chars=30, templates=ZH_CONTRAST_TEMPLATES):
    """`count` texts joining two short reviews A and B of the train part
    (without a contrast word of their own) with opposite labels by a
    contrast (A，但是B / A，不过B / 虽然A，但是B /
    A，可是B / A，但B), A's final punctuation dropped, labelled with B's label:
    the clause after the contrast word decides. Half end positive, half
    negative."""
    def end_strip(t):
        return re.sub(r"[\s。！？!?，,.~…]+$", "", t.strip())
    short = [(t, y) for t, y in part if len(t) <= max_chars and not ZH_CONTRASTS.search(t)]
    by = {0: [t for t, y in short if y == 0], 1: [t for t, y in short if y == 1]}
    out = []
    for k in range(count):
        y = k % 2
        a, b = end_strip(rng.choice(by[1 - y])), rng.choice(by[y]).strip()
        out.append((rng.choice(templates).format(a=a, b=b), y))
    return out


ZH_INTENSIFIERS = "很|非常|挺|特别|比较|十分|相当|蛮|超|真"
# words whose 不 form is the opposite: 很好 -> 不好 (positive -> negative),
# 很贵 -> 不贵 (negative -> positive)
ZH_POSITIVE_WORDS = ("好吃", "干净", "热情", "方便", "舒服", "舒适", "满意", "周到", "安静",
                     "丰富", "宽敞", "实惠", "便宜", "友好", "卫生", "新", "好", "大")
ZH_NEGATIVE_WORDS = ("难吃", "贵", "吵", "远", "差", "脏", "旧", "慢")
ZH_CLAUSE_SPLIT = re.compile(r"[，。！？!?,.;；、~…\s]+")
ZH_NEGATORS = re.compile("不|没|无|别|未")


def zh_sentiment_clauses(part, max_chars=10):
    """Clauses (reviews cut at punctuation) of at most max_chars characters
    with no negation (不, 没, 无, 别, 未) or contrast word and exactly one
    'INTENSIFIER WORD' (很, 非常, 挺, ... + a fixed list of sentiment
    words), WORD of the review's own polarity (a one-character word only at
    the clause's end, so not 好看, 大堂, 差劲).

    [(clause, label, negated clause)]: the negated clause has 不 + WORD in
    place of INTENSIFIER WORD and the other label ('服务很好' -> '服务不好',
    '房间很吵' -> '房间不吵')."""
    def pattern(words):
        alts = "|".join(sorted(words, key=len, reverse=True))
        return re.compile(f"({ZH_INTENSIFIERS})({alts})")
    pats = {1: pattern(ZH_POSITIVE_WORDS), 0: pattern(ZH_NEGATIVE_WORDS)}
    out = []
    for text, y in part:
        for clause in ZH_CLAUSE_SPLIT.split(text):
            if not clause or len(clause) > max_chars or ZH_NEGATORS.search(clause) or \
                    ZH_CONTRASTS.search(clause):
                continue
            hits = list(pats[y].finditer(clause))
            other = list(pats[1 - y].finditer(clause))
            if len(hits) != 1 or other:
                continue
            m = hits[0]
            if len(m.group(2)) == 1 and clause[m.end():m.end() + 1] not in "了的啊呀吧呢哦啦":
                continue  # a one-character word must end the clause: not 好看, 大堂, 差劲
            out.append((clause, y, clause[:m.start()] + "不" + m.group(2) + clause[m.end():]))
    return out


def zh_negation_counterfactuals(part, rng, max_pairs):
    """Negation counterfactuals from zh_sentiment_clauses: each clause gives
    two texts, the clause with the review's label and the negated clause
    with the other label (服务很好。 positive, 服务不好。 negative; 房间很吵。
    negative, 房间不吵。 positive). At most max_pairs pairs, drawn at random.

    [(text, label)], each pair in order (clause, negated clause)."""
    pairs = [((cl + "。", y), (neg + "。", 1 - y)) for cl, y, neg in zh_sentiment_clauses(part)]
    rng.shuffle(pairs)
    return [t for pair in pairs[:max_pairs] for t in pair]


def zh_clause_contrast_joins(part, rng, count, templates=ZH_CONTRAST_TEMPLATES):
    """`count` short texts joining two clauses of opposite polarity from
    zh_sentiment_clauses (the clauses and their negated forms) by a contrast
    (房间很干净，但是早餐不好吃。), labelled with the second clause's label.
    Half end positive, half negative."""
    by = {0: [], 1: []}
    for cl, y, neg in zh_sentiment_clauses(part):
        by[y].append(cl)
        by[1 - y].append(neg)
    out = []
    for k in range(count):
        y = k % 2
        out.append((rng.choice(templates).format(a=rng.choice(by[1 - y]),
                                                 b=rng.choice(by[y])) + "。", y))
    return out


def zh_augment(contrast_count, max_chars=30, negation_pairs=0, clause_contrast_count=0):
    def augment(part, rng):
        con = zh_contrast_joins(part, rng, contrast_count, max_chars)
        neg = zh_negation_counterfactuals(part, rng, negation_pairs) if negation_pairs else []
        ccon = zh_clause_contrast_joins(part, rng, clause_contrast_count) \
            if clause_contrast_count else []
        text = (f"Rule-made texts, built from train-part reviews only. (1) Contrast joins of "
                f"reviews ({len(con)}): two short "
                f"reviews (at most {max_chars} characters, none with a contrast word such as "
                "但, 不过, 虽然, 却, 就是 of its own) of opposite labels joined as "
                "A，但是B / A，不过B / 虽然A，但是B / A，可是B / A，但B (A's final punctuation "
                "dropped), labelled with B's label: the clause after the contrast word decides. "
                "Half end positive, half negative. (2) Sentiment clauses: the reviews are cut "
                "into clauses at punctuation; a clause of at most 10 characters without "
                "negation (不, 没, 无, 别, 未) or contrast words and with exactly one "
                "'INTENSIFIER WORD' (很, 非常, 挺, 特别, ... + a fixed list of sentiment "
                "words: 好, 干净, 热情, 方便, ... / 贵, 吵, 差, 脏, ...) whose WORD has the "
                "review's polarity is a sentiment clause with the review's label; 不 + WORD in "
                "place of INTENSIFIER WORD gives its negation with the other label.")
        if neg:
            text += (f" Negation counterfactuals ({len(neg) // 2} pairs of such a clause and its "
                     "negation: 服务很好。 positive and 服务不好。 negative; 房间很吵。 negative "
                     "and 房间不吵。 positive).")
        if ccon:
            text += (f" Contrast joins of clauses ({len(ccon)}): two sentiment clauses or "
                     "negations of opposite polarity joined by the same contrast words, "
                     "labelled with the second (房间很干净，但是早餐不好吃。 negative).")
        return con + neg + ccon, text, {"contrast_joins": len(con),
                                        "negation_counterfactual_pairs": len(neg) // 2,
                                        "clause_contrast_joins": len(ccon)}
    return augment


UCI_NAME = ("UCI Sentiment Labelled Sentences: the amazon (cell phone reviews) and imdb (movie "
            "reviews) files")
# The same texts for model 1 (attention) and model 5 (no attention), so the
# two can be compared side by side.
EN_EXAMPLES = [
    ("The phone looks great but the battery life is terrible.",
     "contrast: a positive and a negative clause; the one after 'but' decides", "negative"),
    ("This movie is not good.", "negation: 'not' before a positive word", "negative"),
    ("Not bad at all, I would buy it again.", "negation of a negative word", "positive"),
    ("I loved this movie, the acting was excellent.", "plain positive", "positive"),
    ("Waste of money, it broke after two days.", "plain negative, no sentiment adjective",
     "negative"),
    ("I was expecting a lot from this film after all the reviews I had read, and although the "
     "first half drags and some of the dialogue is clumsy, the ending is wonderful and I left "
     "the theater smiling.",
     "a long sentence that turns positive at the end", "positive"),
]
EN_LIMITATIONS = (
    "Trained from scratch (no pretrained embeddings) on 1,600 short sentences about phones and "
    "movies: words outside that world are `<unk>`, and sarcasm, double negation and long mixed "
    "reviews are often wrong. The held-out set has 200 sentences, so the accuracy is known to "
    "about +-3 points. A demonstration model for looking inside, not a sentiment service.")
