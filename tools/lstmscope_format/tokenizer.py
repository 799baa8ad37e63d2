"""Python twin of the lstmscope engine's tokenizer (models/FORMAT.md,
"Tokenizer"), used to write golden traces and by exporters to check that a
model's vocabulary covers its texts.

tokenize(config, text) -> {"tokens": [{text, id, start, end, pad}],
                           "dropped": [{text, start, end}]}
Spans are Unicode code point offsets into the original text; padding has
start = end = -1. A token's text is its surface text after lowercasing (for
padding, the pad entry of the vocabulary). Types: word, char (keep_spaces:
white space is a token too), whitespace, keras, keras_char (char with
keep_spaces, lowercase by default) and fastai (tokenizer_fastai.py: fastai's
rules, whose special tokens such as xxbos and xxmaj have empty spans).
tests/engine/tokenizer_agreement.py checks that the engine agrees.
"""

from . import tokenizer_fastai

KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'

TYPES = ("word", "char", "whitespace", "keras", "keras_char", "fastai")

# The same blocks as the engine (engine/utf8.cpp, kCjkSingle).
_CJK_RANGES = (
    (0x1100, 0x11FF),    # Hangul Jamo
    (0x2E80, 0x2FDF),    # CJK Radicals Supplement, Kangxi Radicals
    (0x3005, 0x3007),    # ideographic iteration mark, closing mark, number zero
    (0x3021, 0x3029),    # Hangzhou numerals
    (0x3038, 0x303C),    # more Hangzhou numerals, vertical iteration marks
    (0x3040, 0x30FF),    # Hiragana, Katakana
    (0x3100, 0x31FF),    # Bopomofo, Hangul Compatibility Jamo, Kanbun, strokes, Katakana ext.
    (0x3400, 0x4DBF),    # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),    # CJK Unified Ideographs
    (0xA960, 0xA97F),    # Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),    # Hangul Syllables, Hangul Jamo Extended-B
    (0xF900, 0xFAFF),    # CJK Compatibility Ideographs
    (0xFF66, 0xFF9F),    # Halfwidth Katakana
    (0xFFA0, 0xFFDC),    # Halfwidth Hangul
    (0x1B000, 0x1B16F),  # Kana Supplement, Kana Extended-A, Small Kana Extension
    (0x20000, 0x3FFFF),  # planes 2 and 3: CJK Extensions B-H, Compatibility Supplement
)

# Unicode White_Space (what the spec means by white space). Python's
# str.isspace() also counts U+001C..U+001F, which are not White_Space.
_WHITESPACE = frozenset([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
                         *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000])


def is_space(ch):
    return ord(ch) in _WHITESPACE


def is_cjk(ch):
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def lower(text):
    """A token's text after lowercasing: Python's full str.lower(), which is
    what the engine gives token text too (U+0130 -> 'i' + U+0307, a final
    sigma -> 'ς'). Spans are unaffected: they count the original text."""
    return text.lower()


def lowered_chars(text):
    """Each character's share of text.lower(): the whole text is lowered at
    once, as Keras and training scripts do and as the engine does, so a
    capital sigma that ends a word becomes 'ς' even when it is a token alone
    (lowering the token by itself would give 'σ')."""
    whole = text.lower()
    out, pos = [], 0
    for ch in text:
        n = len(ch.lower())
        out.append(whole[pos:pos + n])
        pos += n
    return out


def is_word_char(ch):
    return (ch.isalnum() or ch in "'_") and not is_cjk(ch)


def _spans_word(text):
    spans = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if is_space(ch):
            i += 1
        elif is_word_char(ch):
            j = i + 1
            while j < n and is_word_char(text[j]):
                j += 1
            spans.append((i, j))
            i = j
        else:
            spans.append((i, i + 1))
            i += 1
    return spans


def _spans_char(text, keep_spaces=False):
    return [(i, i + 1) for i, ch in enumerate(text) if keep_spaces or not is_space(ch)]


def _spans_keras_char(text):
    return _spans_char(text, keep_spaces=True)


def _runs(text, is_separator):
    """Spans of the maximal runs of characters that are not separators."""
    spans = []
    i, n = 0, len(text)
    while i < n:
        if is_separator(text[i]):
            i += 1
            continue
        j = i + 1
        while j < n and not is_separator(text[j]):
            j += 1
        spans.append((i, j))
        i = j
    return spans


def _spans_whitespace(text):
    return _runs(text, is_space)


def _spans_keras(text):
    # Keras text_to_word_sequence: every filter character becomes ' ', split
    # on ' ' only (other white space stays inside words), drop empties. The
    # replacement is one character for one, so spans map straight back.
    return _runs(text, lambda c: c == " " or c in KERAS_FILTERS)


_SPLITTERS = {"word": _spans_word, "char": _spans_char, "keras_char": _spans_keras_char,
              "whitespace": _spans_whitespace, "keras": _spans_keras}


def default_lowercase(kind):
    return kind in ("word", "keras", "keras_char", "fastai")


class Tokenizer:
    def __init__(self, config):
        self.config = dict(config)
        self.type = config.get("type", "word")
        if self.type not in TYPES:
            raise ValueError(f"tokenizer: unknown type {self.type!r}")
        self.lowercase = config.get("lowercase", default_lowercase(self.type))
        if self.type == "fastai" and not self.lowercase:
            raise ValueError("tokenizer.lowercase: must be true for the fastai type")
        if "keep_spaces" in config and self.type != "char":
            raise ValueError("tokenizer.keep_spaces: only the char type has this field")
        self.keep_spaces = config.get("keep_spaces", self.type == "keras_char")
        self.vocab = list(config["vocab"])
        self.index = {}
        for i, tok in enumerate(self.vocab):
            self.index.setdefault(tok, i)
        fastai = self.type == "fastai"
        if fastai:
            missing = [t for t in tokenizer_fastai.EMITTED if t not in self.index]
            if missing:
                raise ValueError(f"tokenizer.vocab: has no {missing[0]!r}, which the fastai rules emit")
        unk = config.get("unk", "xxunk" if fastai else None)
        self.unk_id = None if unk is None else self.index[unk]
        self.pad_to = config.get("pad_to")
        self.padding = config.get("padding", "post")
        if self.padding not in ("pre", "post"):
            raise ValueError(f"tokenizer: padding must be pre or post, not {self.padding!r}")
        pad = config.get("pad", "xxpad" if fastai else self.vocab[0])
        self.pad_id = self.index[pad]

    def _pieces(self, text):
        if self.type == "fastai":
            return tokenizer_fastai.pieces(text)
        if self.type == "char":
            spans = _spans_char(text, self.keep_spaces)
        else:
            spans = _SPLITTERS[self.type](text)
        return [(text[s:e], s, e) for s, e in spans]

    def tokenize(self, text):
        tokens, dropped = [], []
        lowered = lowered_chars(text) if self.lowercase and self.type != "fastai" else None
        for surface, start, end in self._pieces(text):
            if lowered is not None:
                surface = "".join(lowered[start:end])
            tid = self.index.get(surface, self.unk_id)
            if tid is None:
                dropped.append({"text": surface, "start": start, "end": end})
            else:
                tokens.append({"text": surface, "id": tid, "start": start, "end": end, "pad": False})
        if self.pad_to is not None:
            n = int(self.pad_to)
            if len(tokens) > n:
                tokens = tokens[len(tokens) - n:] if self.padding == "pre" else tokens[:n]
            fill = [{"text": self.vocab[self.pad_id], "id": self.pad_id, "start": -1, "end": -1,
                     "pad": True} for _ in range(n - len(tokens))]
            tokens = fill + tokens if self.padding == "pre" else tokens + fill
        return {"tokens": tokens, "dropped": dropped}

    def ids(self, text):
        return [t["id"] for t in self.tokenize(text)["tokens"]]


def tokenize(config, text):
    return Tokenizer(config).tokenize(text)


def split(kind, text, lowercase=None, keep_spaces=False):
    """Surface tokens of `text` (no vocabulary), e.g. to build a vocabulary."""
    if kind == "fastai":
        return [t for t, _, _ in tokenizer_fastai.pieces(text)]
    if lowercase is None:
        lowercase = default_lowercase(kind)
    if kind == "char" and keep_spaces:
        kind = "keras_char"  # the same split; the case follows `lowercase`
    out = [text[s:e] for s, e in _SPLITTERS[kind](text)]
    if not lowercase:
        return out
    lowered = lowered_chars(text)
    return ["".join(lowered[s:e]) for s, e in _SPLITTERS[kind](text)]
