#!/usr/bin/python3
"""Model 2: Chinese sentiment, character BiLSTM + scaled dot self-attention +
pooling, on ChnSentiCorp hotel reviews.

Writes models/sentiment_zh_char_bilstm_selfattn.{json,safetensors,md}.
Run from anywhere: /usr/bin/python3 tools/train/train_sentiment_zh_char_bilstm_selfattn.py
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

STEM = "sentiment_zh_char_bilstm_selfattn"
HP = {"seed": 1, "emb_dim": 64, "hidden": 64, "dropout": 0.3, "min_count": 2,
      "epochs": 5, "lr": 3e-3, "batch_size": 64, "pool": "max",
      "contrast_joins": 2000, "contrast_max_chars": 30, "negation_pairs": 1500,
      "clause_contrast_joins": 1500}
MAX_LEN = 100  # characters seen in training (the median review has 84)

EXAMPLES = [
    ("房间很干净，服务也很周到，下次还会再来。",
     "plain positive: clean room, attentive service, will come again", "positive"),
    ("位置不错，但是房间太小，隔音很差。",
     "contrast: good location but (但是) a small, noisy room", "negative"),
    ("早餐不好吃，也不便宜。", "negation: 不好吃 / 不便宜 (not tasty, not cheap)", "negative"),
    ("酒店设施有点旧，不过服务员态度很好，性价比高。",
     "contrast the other way: old facilities, but (不过) friendly staff and good value",
     "positive"),
    ("太差了！", "very short: three characters and a mark", "negative"),
]


def build(vocab_size):
    g = c.xp.Graph(vocab_size)
    g.embedding("emb", HP["emb_dim"])
    g.dropout("emb_drop", "emb", HP["dropout"])
    g.lstm("lstm", "emb_drop", HP["hidden"], bidirectional=True)
    g.attention("self_attn", "lstm", score="scaled_dot")
    g.concat("cat", ["lstm", "self_attn"])
    g.pool("pool", "cat", HP["pool"])
    g.dropout("drop", "pool", HP["dropout"])
    g.dense("probs", "drop", 2, activation="softmax")
    return g.model("probs")


def main():
    start = time.time()
    c.run_classifier(
        STEM, HP, build, c.load_chnsenticorp(),
        "ChnSentiCorp_htl_all hotel reviews, the one empty review left out", c.CHN_CREDIT,
        ["negative", "positive"],
        name="Chinese sentiment: character BiLSTM + self-attention",
        description=(
            "Sentiment (negative/positive) of Chinese hotel reviews, one token per character "
            "(char tokenizer, no word segmentation). Character embeddings (64) -> BiLSTM (64 per "
            "direction) -> scaled dot self-attention over the BiLSTM states (softmax(H H^T / "
            "sqrt(128)) H) -> concatenated with the BiLSTM states -> max pooling over the "
            "characters -> softmax over 2 classes."),
        architecture="embedding 64 -> dropout -> BiLSTM 2x64 -> attention (scaled_dot, query = "
                     "key = value = BiLSTM) -> concat(BiLSTM, attention) -> max pool -> dropout "
                     "-> dense softmax 2",
        attention_note="`self_attn` is a T x T matrix: row t shows which characters character "
                       "t gathers context from.",
        examples=EXAMPLES, suite="zh",
        augment=c.zh_augment(HP["contrast_joins"], HP["contrast_max_chars"],
                             HP["negation_pairs"], HP["clause_contrast_joins"]),
        tok_type="char", lowercase=False, max_len=MAX_LEN,
        limitations=(
            "Hotel reviews only (rooms, service, breakfast, location); other domains are "
            "guesswork. Trained on the first 100 characters of each review (the engine runs "
            "any length). Characters seen fewer than twice in training are `<unk>`. The data "
            "is 69% positive. The dataset has no stated licence; it is credited, not "
            "redistributed."),
        start=start)


if __name__ == "__main__":
    main()
