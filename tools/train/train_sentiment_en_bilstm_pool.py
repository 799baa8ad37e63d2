#!/usr/bin/python3
"""Model 1: English sentiment, BiLSTM + attention pooling (Att-BLSTM style).

Writes models/sentiment_en_bilstm_pool.{json,safetensors,md}.
Run from anywhere: /usr/bin/python3 tools/train/train_sentiment_en_bilstm_pool.py
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

STEM = "sentiment_en_bilstm_pool"
HP = {"seed": 1, "emb_dim": 100, "hidden": 100, "dropout": 0.5, "min_count": 2,
      "epochs": 30, "lr": 2e-3, "batch_size": 32,
      "contrast_joins": 1600, "negation_repeat": 3}


def build(vocab_size):
    g = c.xp.Graph(vocab_size)
    g.embedding("emb", HP["emb_dim"])
    g.dropout("emb_drop", "emb", HP["dropout"])
    g.lstm("lstm", "emb_drop", HP["hidden"], bidirectional=True)
    # Zhou et al. 2016 (Att-BLSTM): a = softmax(w . tanh(H)), r = H a, h* = tanh(r)
    g.attention_pool("att", "lstm", score="tanh")
    g.activation("att_tanh", "att", "tanh")
    g.dropout("drop", "att_tanh", HP["dropout"])
    g.dense("probs", "drop", 2, activation="softmax")
    return g.model("probs")


def main():
    start = time.time()
    c.run_classifier(
        STEM, HP, build, c.load_uci(), c.UCI_NAME, c.UCI_CREDIT, ["negative", "positive"],
        name="English sentiment: BiLSTM + attention pooling",
        description=(
            "Sentence sentiment (negative/positive) for short English reviews of phones and "
            "movies. Word embeddings (100) -> BiLSTM (100 per direction) -> attention pooling "
            "in the Att-BLSTM style of Zhou et al. 2016 (a = softmax(w . tanh(h_t)), "
            "r = sum a_t h_t, then tanh) -> softmax over 2 classes. The attention_pool weights "
            "show which words the classifier leaned on. Trained from scratch on 1,600 "
            "sentences, so expect mistakes on words and phrasings it has not seen."),
        architecture="embedding 100 -> dropout -> BiLSTM 2x100 -> attention_pool (score tanh) "
                     "-> tanh -> dropout -> dense softmax 2",
        attention_note="`att` (attention_pool) holds one weight per token: where the pooled "
                       "sentence vector comes from.",
        examples=c.EN_EXAMPLES, suite="en",
        augment=c.en_augment(HP["contrast_joins"], HP["negation_repeat"]),
        limitations=c.EN_LIMITATIONS, start=start)


if __name__ == "__main__":
    main()
