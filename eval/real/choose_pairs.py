#!/usr/bin/env python3
"""Choose which revisions of each source become pairs (run once; writes pairs.tsv).

Usage: choose_pairs.py MIRROR_DIR [sources.tsv] > pairs.tsv

MIRROR_DIR holds bare git directories named OWNER+NAME/repo (as the project's
fetch tool lays them out; a plain `git clone --bare` into that layout works).

The choice looks only at mechanical properties of each revision, never at what
the change means: sizes, how many words changed, whether the text is the same
once formatting is ignored, and the commit date. Rules, in order:

* A candidate is one commit that changes the document; the pair is the file
  just before that commit (old) and at it (new), i.e. two successive recorded
  versions.
* Open Terms Archive commits whose subject starts with "Apply technical or
  declaration upgrade" or "Refilter" are re-extractions (new filters or a new
  engine), not changes to the policy: skipped.
* A revision whose new text equals any earlier recorded text of the same file
  is a flip back (tracker noise): skipped.
* Either side over 300,000 bytes: skipped. In Open Terms Archive sources
  (texts extracted from web pages by a crawler), either side under 3,000
  bytes, or the two sides differing in size by more than a factor of 1.6, is
  taken as a broken extraction (error page, login wall): skipped. In
  author-kept repositories only stubs under 1,000 bytes are skipped, and
  versions marked "DRAFT VERSION" (not yet published as in force).
* Sources kept as web templates (sources.tsv, conversion column) are
  converted to Markdown first (convert.py); an edit the conversion removes
  (markup only) is skipped.
* Either side that does not read as English (share of the 40 commonest English
  function words among its words under 12%): skipped.
* (Open Terms Archive only) A "medium" or "large" revision sharing under 5%
  of its three-word phrases with the old text, or whose next recorded version
  is closer to the old text than to it, is taken as a transient capture of
  another page or variant: skipped, and so is the revision that replaces it.
* Candidates are sorted into "format" (same words once Markdown markup, link
  targets, case and whitespace are ignored), "small" (at most 40 changed
  words), "medium" and "large" (over 15% of the words changed).
* Per document at most its quota (sources.tsv, last column) of pairs: the
  earliest near-unchanged one (format, or at most 10 changed words) when
  there is one, the largest
  "large" one when there is one, the rest spread evenly over the history
  (evenly spaced in date order) from the medium and large ones first, then
  small, then any.
"""

import difflib
import os
import re
import subprocess
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from convert import convert  # noqa: E402

QUOTA_MAX = 8  # per document; sources.tsv gives each document its quota
# Open Terms Archive re-extractions (new filters or engine), not policy changes
REEXTRACTION = ("Apply technical or declaration upgrade", "Refilter ")
# a version its authors marked as not yet in force (the ASF kept drafts in place)
DRAFT = re.compile(r"\bdraft version\b", re.I)
FUNCTION_WORDS = set(
    """the of and to a in is you that for it with as we on are be this or by
    your our not from at have an will may can if us their which any such other
    these about use information when more do""".split()
)


def git(repo, *args):
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True
    ).stdout


def words(text):
    return re.findall(r"[A-Za-z0-9']+", text)


def english(text):
    w = [x.lower() for x in words(text)]
    return bool(w) and sum(x in FUNCTION_WORDS for x in w) / len(w) >= 0.12


def normalise(text):
    text = re.sub(r"\]\([^)]*\)", "]", text)  # drop link targets
    return " ".join(x.lower() for x in words(text))


def changed_words(a, b):
    """Words removed plus words added, from a line diff refined word by word."""
    la, lb = a.splitlines(), b.splitlines()
    n = 0
    sm = difflib.SequenceMatcher(None, la, lb, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        wa, wb = words("\n".join(la[i1:i2])), words("\n".join(lb[j1:j2]))
        if len(wa) * len(wb) > 4_000_000:
            n += len(wa) + len(wb)
            continue
        ws = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
        same = sum(m.size for m in ws.get_matching_blocks())
        n += len(wa) + len(wb) - 2 * same
    return n


def previous_version(repo, commit, path):
    """The commit that recorded the text `commit` replaced.

    On a linear history that is the last earlier commit touching `path`; where
    branches make that commit hold another text, the first parent itself.
    """
    last = git(repo, "log", "-1", "--format=%H", commit + "^", "--", path).decode().strip()
    if git(repo, "rev-parse", f"{last}:{path}") == git(repo, "rev-parse", f"{commit}^:{path}"):
        return last
    return git(repo, "rev-parse", commit + "^").decode().strip()


def candidates(repo, path):
    log = git(
        repo, "log", "--reverse", "--no-abbrev", "--raw", "--no-renames",
        "--format=C\t%H\t%cI\t%s", "--", path,
    ).decode()
    seen, out, commit = set(), [], None
    following = {}
    for line in log.splitlines():
        if line.startswith("C\t"):
            _, h, date, subject = line.split("\t", 3)
            commit = (h, date, subject)
            continue
        if not line.startswith(":"):
            continue
        meta, _ = line.split("\t", 1)
        _, _, old, new, _ = meta[1:].split(" ")
        h, date, subject = commit
        if set(new) == {"0"}:
            continue
        if set(old) != {"0"}:
            following.setdefault(old, new)
        revisit = new in seen
        seen.add(new)
        if set(old) == {"0"} or subject.startswith(REEXTRACTION) or revisit:
            continue
        out.append((h, date, old, new))
    return out, following


def shingles(text):
    w = [x.lower() for x in words(text)]
    return {tuple(w[i : i + 3]) for i in range(len(w) - 2)}


def jaccard(a, b):
    return len(a & b) / max(1, len(a | b))


def classify(repo, cands, following, extracted, conversion, where):
    rows, transient = [], set()
    for h, date, old, new in cands:
        if old in transient:
            continue  # the old side is a transient capture: its pair is noise too
        a = convert(conversion, git(repo, "cat-file", "blob", old).decode("utf-8", "replace"), where)
        b = convert(conversion, git(repo, "cat-file", "blob", new).decode("utf-8", "replace"), where)
        if a == b:
            continue  # a markup-only edit that the conversion to Markdown removes
        if not extracted and (DRAFT.search(a) or DRAFT.search(b)):
            continue
        sa, sb = len(a.encode()), len(b.encode())
        if max(sa, sb) > 300_000 or min(sa, sb) < (3000 if extracted else 1000):
            continue
        if extracted and max(sa, sb) / min(sa, sb) > 1.6:
            continue
        if not (english(a) and english(b)):
            continue
        if normalise(a) == normalise(b):
            kind, n = "format", 0
        else:
            n = changed_words(a, b)
            total = max(len(words(a)), len(words(b)))
            kind = "small" if n <= 40 else ("large" if n > 0.15 * total else "medium")
        if kind in ("medium", "large") and extracted:
            sa_, sb_ = shingles(a), shingles(b)
            if jaccard(sa_, sb_) < 0.05:
                transient.add(new)
                continue  # no shared phrasing at all: another page was captured
            nxt = following.get(new)
            if nxt is not None:
                c = shingles(git(repo, "cat-file", "blob", nxt).decode("utf-8", "replace"))
                if jaccard(sa_, c) > jaccard(sb_, c):
                    transient.add(new)
                    continue  # the next version goes back towards the old one: transient capture
        rows.append(dict(commit=h, date=date, kind=kind, changed=n))
    return rows


def choose(rows, quota):
    picked = []

    def take(pool, key):
        pool = [r for r in pool if r not in picked]
        if pool:
            picked.append(sorted(pool, key=key)[0])

    # one near-unchanged revision (formatting only, or at most 10 words)
    take([r for r in rows if r["kind"] == "format" or r["changed"] <= 10], key=lambda r: r["date"])
    # the largest rewrite
    take([r for r in rows if r["kind"] == "large"], key=lambda r: -r["changed"])
    # the rest spread over the history, real text changes first
    for pool in (
        [r for r in rows if r["kind"] in ("medium", "large")],
        [r for r in rows if r["kind"] == "small"],
        rows,
    ):
        pool = [r for r in pool if r not in picked]
        need = quota - len(picked)
        if need <= 0 or not pool:
            continue
        if need >= len(pool):
            picked.extend(pool)
            continue
        step = len(pool) / need
        for i in range(need):
            picked.append(pool[int((i + 0.5) * step)])
    return sorted(picked, key=lambda r: r["date"])


def main():
    mirror = sys.argv[1]
    sources = sys.argv[2] if len(sys.argv) > 2 else "sources.tsv"
    print("part\torg\tnn\trepository\tpath\told_commit\tnew_commit")
    numbered = defaultdict(int)
    with open(sources) as f:
        next(f)
        for line in f:
            org, part, repository, path, _, quota, conversion = line.rstrip("\n").split("\t")
            repo = f"{mirror}/{repository.replace('/', '+')}/repo"
            cands, following = candidates(repo, path)
            extracted = repository.startswith("OpenTermsArchive/")
            rows = classify(repo, cands, following, extracted, conversion, f"{repository}:{path}")
            stats = defaultdict(int)
            for r in rows:
                stats[r["kind"]] += 1
            print(f"# {org}: {len(rows)} candidates {dict(stats)}", file=sys.stderr)
            for r in choose(rows, min(int(quota), QUOTA_MAX)):
                numbered[org] += 1
                nn = numbered[org]
                parent = previous_version(repo, r["commit"], path)
                print(f"{part}\t{org}\t{nn:02d}\t{repository}\t{path}\t{parent}\t{r['commit']}")
                print(f"#   {org}-{nn:02d} {r['kind']} {r['changed']}", file=sys.stderr)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
