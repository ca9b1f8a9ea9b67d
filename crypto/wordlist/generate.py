"""Regenerate fr-7776.txt, the passphrase and fingerprint word list.

The 7,776 most frequent French words (wordfreq's `fr` list) that are 4 to 8
plain letters a-z (no accent, so they type the same on any keyboard), that
Debian's `wfrench` dictionary also knows, and that excluded-fr.txt does not
list (words that must not come up when two people read the list aloud to each
other), sorted. 7,776 = 6^5, so each word carries log2(7776) ~ 12.92 bits.

Built with wordfreq 3.1.1 and wfrench 1.2.7 (Debian 12):

    apt-get install wfrench && pip install wordfreq==3.1.1
    python3 generate.py          # writes fr-7776.txt beside this file

Words an earlier list had and this one drops go to retired-fr.txt (kept across
rebuilds): they are never drawn or shown, but a passphrase made with them is
still accepted when typed, so nobody is locked out by a change of list.

It prints, on stderr, the rank of the last word taken and the words that came
in for the excluded ones, for review. Then regenerate the client's copy
(`node client-web/src/crypto/gen-wordlist.mjs`) and the vectors.
"""
import re
import sys
from pathlib import Path

from wordfreq import top_n_list

HERE = Path(__file__).resolve().parent
SIZE = 7776


def excluded():
    words = set()
    for line in (HERE / "excluded-fr.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[a-z]+", line), f"bad exclusion line: {line!r}"
            words.add(line)
    return words


def main():
    dictionary = {w.strip() for w in open("/usr/share/dict/french", encoding="utf-8")}
    skip = excluded()
    candidates = [
        w
        for w in top_n_list("fr", 200_000)
        if re.fullmatch(r"[a-z]{4,8}", w) and w in dictionary
    ]
    chosen = [w for w in candidates if w not in skip][:SIZE]
    assert len(chosen) == SIZE and len(set(chosen)) == SIZE
    last = candidates.index(chosen[-1])
    came_in = [w for w in chosen if candidates.index(w) >= SIZE]
    print(f"last word taken is candidate #{last + 1}", file=sys.stderr)
    print(f"{len(came_in)} words came in: {' '.join(sorted(came_in))}", file=sys.stderr)
    listed = HERE / "fr-7776.txt"
    retired_file = HERE / "retired-fr.txt"
    header = [l for l in retired_file.read_text(encoding="utf-8").splitlines() if l.startswith("#")]
    retired = {l for l in retired_file.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")}
    retired |= set(listed.read_text(encoding="utf-8").split())
    retired -= set(chosen)
    listed.write_text("\n".join(sorted(chosen)) + "\n", encoding="utf-8")
    retired_file.write_text("\n".join(header + sorted(retired)) + "\n", encoding="utf-8")
    print(f"{len(retired)} retired words", file=sys.stderr)


if __name__ == "__main__":
    main()
