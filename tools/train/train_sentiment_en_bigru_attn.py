#!/usr/bin/python3
"""Model 7: English sentiment, BiGRU + attention pooling (HAN-style word attention).

The GRU counterpart of sentiment_en_bilstm_pool: the same sentences, split,
vocabulary rule, augmentation and behaviour suite, with a bidirectional GRU
(gates r, z and the candidate n; no cell state) in place of the BiLSTM, and
the word attention of Yang et al. 2016's hierarchical attention network
(u_t = tanh(W h_t + b), a = softmax(u_t . w)), which was drawn on a BiGRU.
Small, so that it trains in a few minutes.

Writes models/sentiment_en_bigru_attn.{json,safetensors,md}.
Run from anywhere: /usr/bin/python3 tools/train/train_sentiment_en_bigru_attn.py
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

STEM = "sentiment_en_bigru_attn"
HP = {"seed": 1, "emb_dim": 64, "hidden": 64, "attn_dim": 64, "dropout": 0.5, "min_count": 2,
      "epochs": 20, "lr": 2e-3, "batch_size": 32,
      "contrast_joins": 1600, "negation_repeat": 3}


def build(vocab_size):
    g = c.xp.Graph(vocab_size)
    g.embedding("emb", HP["emb_dim"])
    g.dropout("emb_drop", "emb", HP["dropout"])
    g.gru("gru", "emb_drop", HP["hidden"], bidirectional=True)
    # Yang et al. 2016 (HAN, word level): u_t = tanh(W h_t + b), a = softmax(w . u_t),
    # s = sum a_t h_t
    g.attention_pool("att", "gru", score="tanh_proj", attn_dim=HP["attn_dim"])
    g.dropout("drop", "att", HP["dropout"])
    g.dense("probs", "drop", 2, activation="softmax")
    return g.model("probs")


def main():
    start = time.time()
    h, d = HP["hidden"], HP["attn_dim"]
    c.run_classifier(
        STEM, HP, build, c.load_uci(), c.UCI_NAME, c.UCI_CREDIT, ["negative", "positive"],
        name="English sentiment: BiGRU + attention pooling",
        description=(
            "The GRU counterpart of sentiment_en_bilstm_pool, for looking inside a GRU: "
            "sentence sentiment (negative/positive) for short English reviews of phones and "
            f"movies. Word embeddings ({HP['emb_dim']}) -> bidirectional GRU ({h} per "
            "direction; gates r (reset) and z (update), candidate n, state h, no cell state) "
            "-> attention pooling as in the word attention of Yang et al. 2016's hierarchical "
            f"attention network (u_t = tanh(W h_t + b) with {d} dimensions, "
            "a = softmax(w . u_t), s = sum a_t h_t) -> softmax over 2 classes. Trained from "
            "scratch on 1,600 sentences, so expect mistakes on words and phrasings it has not "
            "seen."),
        architecture=f"embedding {HP['emb_dim']} -> dropout -> BiGRU 2x{h} -> attention_pool "
                     f"(score tanh_proj, {d}) -> dropout -> dense softmax 2",
        attention_note="`att` (attention_pool) holds one weight per token: where the pooled "
                       "sentence vector comes from. `gru` records r, z, n and h of both "
                       "directions; in the gates view z near 1 means the unit keeps its old "
                       "state at that word, z near 0 that it takes the new candidate n.",
        examples=c.EN_EXAMPLES, suite="en",
        augment=c.en_augment(HP["contrast_joins"], HP["negation_repeat"]),
        limitations=c.EN_LIMITATIONS, start=start)


if __name__ == "__main__":
    main()
