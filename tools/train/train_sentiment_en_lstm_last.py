#!/usr/bin/python3
"""Model 5: English sentiment with a plain LSTM and no attention (the last
hidden state feeds the classifier), on the same data, split and vocabulary
rule as model 1, so the two can be compared.

Writes models/sentiment_en_lstm_last.{json,safetensors,md}.
Run from anywhere: /usr/bin/python3 tools/train/train_sentiment_en_lstm_last.py
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

STEM = "sentiment_en_lstm_last"
HP = {"seed": 1, "emb_dim": 100, "hidden": 100, "dropout": 0.5, "min_count": 2,
      "epochs": 30, "lr": 2e-3, "batch_size": 32,
      "contrast_joins": 1600, "negation_repeat": 3}


def build(vocab_size):
    g = c.xp.Graph(vocab_size)
    g.embedding("emb", HP["emb_dim"])
    g.dropout("emb_drop", "emb", HP["dropout"])
    g.lstm("lstm", "emb_drop", HP["hidden"], ret="last")
    g.dropout("drop", "lstm", HP["dropout"])
    g.dense("probs", "drop", 2, activation="softmax")
    return g.model("probs")


def main():
    start = time.time()
    c.run_classifier(
        STEM, HP, build, c.load_uci(), c.UCI_NAME, c.UCI_CREDIT, ["negative", "positive"],
        name="English sentiment: LSTM, last state, no attention",
        description=(
            "The comparison model for sentiment_en_bilstm_pool: the same sentences, split and "
            "vocabulary rule, but a single forward LSTM (100) whose state after the last word "
            "is the whole sentence; no attention. Word embeddings (100) -> LSTM -> last hidden "
            "state -> softmax over 2 classes. Watch the gates and the cell state carry (or "
            "lose) the sentiment word by word."),
        architecture="embedding 100 -> dropout -> LSTM 100 (return last) -> dropout -> "
                     "dense softmax 2",
        attention_note="No attention: everything the classifier sees is the LSTM's hidden "
                       "state at the last token; the gate view shows how it got there.",
        examples=c.EN_EXAMPLES, suite="en",
        augment=c.en_augment(HP["contrast_joins"], HP["negation_repeat"]),
        limitations=c.EN_LIMITATIONS +
        " Without attention, information from early words must survive in the cell state to "
        "the end of the text, which long texts make harder.",
        start=start)


if __name__ == "__main__":
    main()
