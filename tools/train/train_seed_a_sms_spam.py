#!/usr/bin/python3
"""Model 4: the seed architecture "A" on the SMS Spam Collection:
BiLSTM -> Dense (2*hidden) -> 8-head self-attention -> dot attention (query =
the multi-head output, keys = values = the BiLSTM output) -> Dense -> mean
pooling -> classifier.

The widely copied original gives the Dense `hidden` units while the BiLSTM
gives 2*hidden features, so the final dot attention (query . key) cannot run;
here the Dense has 2*hidden units.

Writes models/seed_a_sms_spam.{json,safetensors,md}.
Run from anywhere: /usr/bin/python3 tools/train/train_seed_a_sms_spam.py
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

STEM = "seed_a_sms_spam"
HP = {"seed": 1, "emb_dim": 64, "hidden": 32, "heads": 8, "ff": 64, "dropout": 0.3,
      "min_count": 2, "epochs": 8, "lr": 2e-3, "batch_size": 32}
MAX_LEN = 100  # tokens seen in training

# Written for lstmscope in the style of the corpus (not copied from it).
EXAMPLES = [
    ("Congratulations! You have won a FREE holiday. Txt WIN to 80082 now to claim your prize, "
     "only 150p/msg.",
     "spam keywords: congratulations, won, free, txt ... to a short code, claim, prize"),
    ("URGENT! Your mobile number has been awarded a £2000 bonus. Call 09050000123 before "
     "midnight. T&Cs apply.",
     "spam: urgent, awarded, a premium-rate number, T&Cs"),
    ("Hey, are we still meeting for lunch tomorrow? Let me know what time works for you.",
     "plain ham"),
    ("Call me when you get home, I want to tell you about the free tickets I won at work.",
     "ham that uses spam words (call, free, won)"),
    ("k, c u at the station in 10 mins", "short ham in text-speak"),
]


def build(vocab_size):
    H = HP["hidden"]
    g = c.xp.Graph(vocab_size)
    g.embedding("emb", HP["emb_dim"])
    g.dropout("emb_drop", "emb", HP["dropout"])
    g.lstm("lstm", "emb_drop", H, bidirectional=True)
    g.dense("proj", "lstm", 2 * H)   # the fix: 2*hidden, not hidden, so q . k can run
    g.multihead_attention("mha", "proj", num_heads=HP["heads"])
    g.attention("attn", "mha", key="lstm", score="dot")
    g.dense("ff", "attn", HP["ff"], activation="relu")
    g.pool("pool", "ff", "mean")
    g.dropout("drop", "pool", HP["dropout"])
    g.dense("probs", "drop", 2, activation="softmax")
    return g.model("probs")


def main():
    start = time.time()
    H = HP["hidden"]
    c.run_classifier(
        STEM, HP, build, c.load_sms(), "SMS Spam Collection v.1", c.SMS_CREDIT,
        ["ham", "spam"],
        name="Seed architecture A: SMS spam",
        description=(
            f"Spam or ham for English SMS messages, with the seed architecture A: word "
            f"embeddings ({HP['emb_dim']}) -> BiLSTM ({H} per direction, {2 * H} out) -> "
            f"Dense ({2 * H}) -> 8-head self-attention -> dot attention with the multi-head "
            f"output as query and the BiLSTM output as keys and values -> Dense ({HP['ff']}, "
            f"relu) -> mean pooling -> softmax. Shape fix: the widely copied original gives "
            f"that first Dense `hidden` ({H}) units while the BiLSTM gives 2*hidden "
            f"({2 * H}) features, so the final dot attention (query . key) cannot run; here "
            f"the Dense has 2*hidden units."),
        architecture=f"embedding {HP['emb_dim']} -> dropout -> BiLSTM 2x{H} -> dense {2 * H} "
                     f"(linear; 2*hidden, the fix) -> multihead_attention (8 heads of "
                     f"{2 * H // 8}) -> attention (dot, query = mha, key = value = BiLSTM) -> "
                     f"dense {HP['ff']} relu -> mean pool -> dropout -> dense softmax 2",
        attention_note="Two attention views: `mha` (8 heads, each T x T) and `attn` (T x T: "
                       "for each position, which BiLSTM states the multi-head output "
                       "picks up).",
        examples=EXAMPLES, max_len=MAX_LEN,
        limitations=(
            "English SMS from the UK and Singapore collected around 2011; modern spam "
            "(links, crypto, parcel scams) looks different. 13% of the data is spam, so "
            "accuracy alone flatters any classifier (always saying ham scores 86.6%): see the "
            "per-class precision and recall above."),
        start=start)


if __name__ == "__main__":
    main()
