"""Regenerate fr-7776.txt, the passphrase and fingerprint word list.

The 7,776 most frequent French words (wordfreq's `fr` list) that are 4 to 8
plain letters a-z (no accent, so they type the same on any keyboard) and that
Debian's `wfrench` dictionary also knows, sorted. 7,776 = 6^5, so each word
carries log2(7776) ~ 12.92 bits.

    apt-get install wfrench && pip install wordfreq
    python3 generate.py > fr-7776.txt
"""
import re

from wordfreq import top_n_list

dictionary = {w.strip() for w in open("/usr/share/dict/french", encoding="utf-8")}
chosen = []
for word in top_n_list("fr", 200_000):
    if re.fullmatch(r"[a-z]{4,8}", word) and word in dictionary:
        chosen.append(word)
    if len(chosen) == 7776:
        break
assert len(chosen) == 7776
print("\n".join(sorted(chosen)))
