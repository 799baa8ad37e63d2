"""The `fastai` tokenizer type, the Python twin of engine/tokenizer_fastai.cpp
(models/FORMAT.md, "The fastai type"): fastai v2's default rules (fix_html,
replace_rep, replace_wrep, spec_add_spaces, rm_useless_spaces,
replace_all_caps, replace_maj, lowercase with xxbos) and an approximation of
spaCy's English tokenizer. Each rule rewrites a list of units [char, start,
end, lowered, origin] so that every token keeps the span of the original text
it came from. The engine must produce the same tokens and spans.

Python's own `\\s` (str.isspace) and `\\w` (str.isalnum or '_') are used here,
exactly as fastai's regexes see them; the engine approximates `\\w` with its
character tables (engine/utf8.h).
"""

import html

SPECIALS = ("xxunk", "xxpad", "xxbos", "xxeos", "xxfld", "xxrep", "xxwrep", "xxup", "xxmaj")
EMITTED = ("xxbos", "xxmaj", "xxup", "xxrep", "xxwrep")

TEXT, MARKER, BOS = 0, 1, 2
CHAR, START, END, LOWERED, ORIGIN = range(5)

# The named references the engine decodes (with their ';'); see FORMAT.md.
NAMED_ENTITIES = {
    "amp;": "&", "lt;": "<", "gt;": ">", "quot;": '"', "apos;": "'", "nbsp;": "\xa0",
    "copy;": "\xa9", "reg;": "\xae", "trade;": "\u2122", "hellip;": "\u2026", "mdash;": "\u2014",
    "ndash;": "\u2013", "lsquo;": "\u2018", "rsquo;": "\u2019", "ldquo;": "\u201c",
    "rdquo;": "\u201d", "laquo;": "\xab", "raquo;": "\xbb", "euro;": "\u20ac", "pound;": "\xa3",
    "yen;": "\xa5", "cent;": "\xa2", "deg;": "\xb0", "times;": "\xd7", "eacute;": "\xe9",
    "egrave;": "\xe8", "agrave;": "\xe0", "ccedil;": "\xe7",
}

HTML_REPLACEMENTS = (
    ("#39;", "'"), ("amp;", "&"), ("#146;", "'"), ("nbsp;", " "), ("#36;", "$"),
    ("\\n", "\n"), ("quot;", "'"), ("<br />", "\n"), ('\\"', '"'), ("<unk>", "xxunk"),
    (" @.@ ", "."), (" @-@ ", "-"), ("...", " \u2026"),
)

CONTRACTIONS = ("n't", "'s", "'re", "'ll", "'ve", "'d", "'m",
                "n\u2019t", "\u2019s", "\u2019re", "\u2019ll", "\u2019ve", "\u2019d", "\u2019m")


def py_space(ch):
    return ch.isspace()


def py_word(ch):
    return ch.isalnum() or ch == "_"


def is_digit(ch):
    return "0" <= ch <= "9"


def is_letter(ch):
    return py_word(ch) and not is_digit(ch) and ch != "_"


def _upper(u):
    return not u[LOWERED] and "A" <= u[CHAR] <= "Z"


def _cover(units, a, b):
    return min(u[START] for u in units[a:b]), max(u[END] for u in units[a:b])


def _unit(ch, start, end, origin=TEXT):
    return [ch, start, end, False, origin]


def _replacement(text, span):
    """Units of `text` standing for `span`; leading and trailing spaces only
    separate and get an empty span at the edge."""
    stripped = text.strip(" ")
    lead = len(text) - len(text.lstrip(" "))
    out = [_unit(" ", span[0], span[0]) for _ in range(lead)]
    out += [_unit(c, span[0], span[1]) for c in stripped]
    out += [_unit(" ", span[1], span[1]) for _ in range(len(text) - lead - len(stripped))]
    return out


def _matches(units, i, pattern):
    return i + len(pattern) <= len(units) and all(units[i + k][CHAR] == c for k, c in enumerate(pattern))


def _replace_literal(units, pattern, replacement):
    out, i = [], 0
    while i < len(units):
        if _matches(units, i, pattern):
            out += _replacement(replacement, _cover(units, i, i + len(pattern)))
            i += len(pattern)
        else:
            out.append(units[i])
            i += 1
    return out


def _reference(units, i):
    """(length, value or None to keep) of html.unescape's match at units[i] == '&'."""
    n = len(units)
    if i + 1 >= n:
        return 0, None
    if units[i + 1][CHAR] == "#":
        j = i + 2
        hexa = j < n and units[j][CHAR] in "xX"
        if hexa:
            j += 1
        digits = j
        ok = "0123456789abcdefABCDEF" if hexa else "0123456789"
        while j < n and units[j][CHAR] in ok:
            j += 1
        if j == digits:
            return 0, None
        if j < n and units[j][CHAR] == ";":
            j += 1
        # Numeric references: Python's own rules (windows-1252, dropped controls).
        return j - i, html.unescape("".join(u[CHAR] for u in units[i:j]))
    j = i + 1
    while j < n and j - (i + 1) < 32 and units[j][CHAR] not in "\t\n\f <&#;":
        j += 1
    if j == i + 1:
        return 0, None
    if j < n and units[j][CHAR] == ";":
        j += 1
    name = "".join(u[CHAR] for u in units[i + 1:j])
    return j - i, NAMED_ENTITIES.get(name)


def _unescape(units):
    out, i = [], 0
    while i < len(units):
        length, value = _reference(units, i) if units[i][CHAR] == "&" else (0, None)
        if length == 0 or value is None:
            step = max(length, 1)
            out += units[i:i + step]
            i += step
            continue
        span = _cover(units, i, i + length)
        out += [_unit(c, *span) for c in value]
        i += length
    return out


def fix_html(units):
    for pattern, replacement in HTML_REPLACEMENTS:
        units = _replace_literal(units, pattern, replacement)
    return _unescape(units)


def _repeat_marker(marker, count, span):
    """xxrep/xxwrep and the count, empty at the start of what repeats (tokens
    never overlap: views bisect on spans)."""
    at = span[0]
    return ([_unit(c, *span, MARKER) for c in marker] + [_unit(" ", at, at)]
            + [_unit(c, *span, MARKER) for c in str(count)] + [_unit(" ", at, at)])


def replace_rep(units):
    out, i = [], 0
    while i < len(units):
        j = i + 1
        if not py_space(units[i][CHAR]):
            while j < len(units) and units[j][CHAR] == units[i][CHAR]:
                j += 1
        if j - i < 3:
            out.append(units[i])
            i += 1
            continue
        run = _cover(units, i, j)
        out.append(_unit(" ", run[0], run[0]))
        out += _repeat_marker("xxrep", j - i, run)
        out += [_unit(units[i][CHAR], *run), _unit(" ", run[1], run[1])]
        i = j
    return out


def _same_word(units, at, word, length):
    return at + length <= len(units) and all(units[at + k][CHAR] == units[word + k][CHAR]
                                             for k in range(length))


def _match_wrep(units, i):
    """(?:\\s|^)(\\w+)\\s+((?:\\1\\s+)+)\\1(\\s|\\W|$) at i: (word, length, last_end, count, end)."""
    n, j = len(units), i
    if j < n and py_space(units[j][CHAR]):
        j += 1
    elif i != 0:
        return None
    word = j
    while j < n and py_word(units[j][CHAR]):
        j += 1
    length = j - word
    if length == 0 or j >= n or not py_space(units[j][CHAR]):
        return None
    while j < n and py_space(units[j][CHAR]):
        j += 1
    repeat_ends = []
    while _same_word(units, j, word, length) and j + length < n and py_space(units[j + length][CHAR]):
        j += length
        while j < n and py_space(units[j][CHAR]):
            j += 1
        repeat_ends.append(j)
    for r in range(len(repeat_ends), 0, -1):
        at = repeat_ends[r - 1]
        if not _same_word(units, at, word, length):
            continue
        after = at + length
        if after < n and py_word(units[after][CHAR]):
            continue
        return word, length, after, r + 2, min(after + 1, n)
    return None


def replace_wrep(units):
    out, i = [], 0
    while i < len(units):
        m = _match_wrep(units, i)
        if m is None:
            out.append(units[i])
            i += 1
            continue
        word, length, last_end, count, end = m
        span = _cover(units, word, last_end)
        if word > i:
            out.append(_unit(" ", units[i][START], units[i][END]))
        else:
            out.append(_unit(" ", span[0], span[0]))
        out += _repeat_marker("xxwrep", count, span)
        out += [_unit(u[CHAR], *span) for u in units[word:word + length]]
        out.append(_unit(" ", span[1], span[1]))
        if end > last_end:
            out.append(units[last_end])
        i = end
    return out


def spec_add_spaces(units):
    out = []
    for u in units:
        if u[CHAR] in "/#\\":
            out += [_unit(" ", u[START], u[START]), u, _unit(" ", u[END], u[END])]
        else:
            out.append(u)
    return out


def rm_useless_spaces(units):
    out, i = [], 0
    while i < len(units):
        j = i
        while j < len(units) and units[j][CHAR] == " ":
            j += 1
        if j - i >= 2:
            out.append(_unit(" ", *_cover(units, i, j)))
            i = j
        else:
            out.append(units[i])
            i += 1
    return out


def _for_each_chunk(units, rule):
    out, i = [], 0
    while i < len(units):
        if py_space(units[i][CHAR]):
            out.append(units[i])
            i += 1
            continue
        j = i
        while j < len(units) and not py_space(units[j][CHAR]):
            j += 1
        rule(out, units[i:j])
        i = j
    return out


def _mark_and_lower(out, chunk, marker):
    if len(chunk) > 1:
        start = chunk[0][START]
        out += [_unit(c, start, start, MARKER) for c in marker]
        out.append(_unit(" ", start, start))
    for u in chunk:
        u = list(u)
        u[LOWERED] = True
        out.append(u)


def replace_all_caps(units):
    def rule(out, chunk):
        if _upper(chunk[0]) and not any("a" <= u[CHAR] <= "z" for u in chunk):
            _mark_and_lower(out, chunk, "xxup")
        else:
            out.extend(chunk)
    return _for_each_chunk(units, rule)


def replace_maj(units):
    def rule(out, chunk):
        if _upper(chunk[0]) and not any(_upper(u) for u in chunk[1:]):
            _mark_and_lower(out, chunk, "xxmaj")
        else:
            out.extend(chunk)
    return _for_each_chunk(units, rule)


def lowercase_with_bos(units):
    out = [_unit(c, 0, 0, BOS) for c in "xxbos "]
    first, last = 0, len(units)
    while first < last and py_space(units[first][CHAR]):
        first += 1
    while last > first and py_space(units[last - 1][CHAR]):
        last -= 1
    # The whole text at once (a final sigma depends on its neighbours), each
    # unit's share found by the length of its own lowercase.
    lowered = "".join(u[CHAR] for u in units).lower()
    pos = sum(len(u[CHAR].lower()) for u in units[:first])
    for u in units[first:last]:
        n = len(u[CHAR].lower())
        for c in lowered[pos:pos + n]:
            v = list(u)
            v[CHAR] = c
            out.append(v)
        pos += n
    return out


def _is_special(units, a, b):
    return "".join(u[CHAR] for u in units[a:b]) in SPECIALS


def _is_prefix(ch):
    return not py_word(ch) and ch not in "-@."


def _suffix_length(units, a, b):
    last = units[b - 1][CHAR]
    if not py_word(last):
        if last in "-@":
            return 0
        if last == ".":
            return 1 if b - a >= 2 and py_word(units[b - 2][CHAR]) else 0
        return 1
    for c in CONTRACTIONS:
        if b - a > len(c) and _matches(units, b - len(c), c):
            return len(c)
    return 0


def _is_hyphen(ch):
    return ch in "-\u2013\u2014~"


def _split_infixes(units, a, b, out):
    start = i = a
    while i < b:
        ch = units[i][CHAR]
        after_word = i > a and py_word(units[i - 1][CHAR])
        if _is_hyphen(ch):
            j = i
            while j < b and _is_hyphen(units[j][CHAR]):
                j += 1
            if after_word and j < b and py_word(units[j][CHAR]):
                if start < i:
                    out.append((start, i))
                out.append((i, j))
                start = j
            i = j
            continue
        before_letter = i + 1 < b and is_letter(units[i + 1][CHAR])
        split = (ch == "\u2026"
                 or (ch == "," and i > a and is_letter(units[i - 1][CHAR]) and before_letter)
                 or (ch in ":<>=" and after_word and before_letter)
                 or (ch in "+*^" and i > a and is_digit(units[i - 1][CHAR]) and i + 1 < b
                     and is_digit(units[i + 1][CHAR])))
        if split:
            if start < i:
                out.append((start, i))
            out.append((i, i + 1))
            start = i + 1
        i += 1
    if start < b:
        out.append((start, b))


def _split_chunk(units, a, b, out):
    suffixes = []
    while a < b and not _is_special(units, a, b):
        changed = False
        if _is_prefix(units[a][CHAR]):
            out.append((a, a + 1))
            a += 1
            changed = True
            if a < b and _is_special(units, a, b):
                break
        if a < b:
            n = _suffix_length(units, a, b)
            if n:
                suffixes.append((b - n, b))
                b -= n
                changed = True
        if not changed:
            break
    if a < b:
        if _is_special(units, a, b):
            out.append((a, b))
        else:
            _split_infixes(units, a, b, out)
    out.extend(reversed(suffixes))


def _split_like_spacy(units):
    out, i = [], 0
    while i < len(units):
        space = py_space(units[i][CHAR])
        j = i
        while j < len(units) and py_space(units[j][CHAR]) == space:
            j += 1
        if not space:
            _split_chunk(units, i, j, out)
        else:
            start = i + 1 if units[i][CHAR] == " " and i > 0 else i
            if start < j:
                out.append((start, j))
        i = j
    return out


RULES = (fix_html, replace_rep, replace_wrep, spec_add_spaces, rm_useless_spaces,
         replace_all_caps, replace_maj, lowercase_with_bos)


def rewrite(text):
    """The text after fastai's rules, as units (before the word split)."""
    units = [_unit(c, k, k + 1) for k, c in enumerate(text)]
    for rule in RULES:
        units = rule(units)
    return units


def pieces(text):
    """[(token text, start, end)] before the vocabulary lookup."""
    units = rewrite(text)
    out = []
    for a, b in _split_like_spacy(units):
        surface = "".join(u[CHAR] for u in units[a:b]).replace(" ", "\u2581")
        start, end = _cover(units, a, b)
        out.append([surface, start, end, units[a][ORIGIN]])
    # Markers come from no text: empty at the start of the token they mark.
    for k in range(len(out) - 1, -1, -1):
        if out[k][3] == MARKER:
            at = out[k + 1][1] if k + 1 < len(out) else out[k][1]
            out[k][1] = out[k][2] = at
    # A replaced piece of text split between two tokens ("xx<unk>", whose
    # xxunk's x's join the repetition before it) would give both its span:
    # the later token starts where the earlier one ends (as the engine).
    last = 0
    for piece in out:
        piece[1] = max(piece[1], last)
        piece[2] = max(piece[2], piece[1])
        last = piece[2]
    return [(s, a, b) for s, a, b, _ in out]
