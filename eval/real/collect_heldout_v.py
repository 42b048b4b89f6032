#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-v pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_v.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-v.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- peardeck (peardeck/policies): the Pear Deck Privacy Policy (Pear Deck, a US
  education-technology company), Markdown `privacy-policy.md` (2015-2020). No
  licence is stated in the repository (no licence file; the README names
  none).
- desmos (desmosinc/policies): the Desmos Privacy Policy (Desmos, a US
  company making free online mathematics tools for students and teachers),
  Markdown `privacy-policy.md` (2015-2026). No licence is stated in the
  repository (no licence file; the README names none).
- bounce (bouncetechnologies/privacy-policy): the Bounce Privacy Policy
  (Bounce Technologies, a company making a mobile app), Markdown
  `Bounce - Privacy Policy.md` (2018). No licence is stated in the repository
  (the repository holds only the policy file).
- bento (returntocorp/bento): the privacy and terms document of Bento, an
  open-source program-analysis command-line tool by r2c (Return To
  Corporation, a US software company), Markdown `PRIVACY.md` (2019-2020). No
  licence file until 2019-12-19; from then LICENSE reads "(c) Return To
  Corporation 2019. All rights reserved"; each pair records what the
  repository stated at its new commit.

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-v"

NONE = "none stated (no licence file in the repository)"

PEARDECK = ("peardeck", "Pear Deck Privacy Policy", NONE,
            "https://github.com/peardeck/policies/tree/{new}")
DESMOS = ("desmos", "Desmos Privacy Policy", NONE,
          "https://github.com/desmosinc/policies/tree/{new}")
BOUNCE = ("bounce", "Bounce Privacy Policy", NONE,
          "https://github.com/bouncetechnologies/privacy-policy/tree/{new}")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("peardeck/policies", "privacy-policy.md"): PEARDECK,
    ("desmosinc/policies", "privacy-policy.md"): DESMOS,
    ("bouncetechnologies/privacy-policy", "Bounce - Privacy Policy.md"): BOUNCE,
    ("returntocorp/bento", "PRIVACY.md"): None,  # licence depends on the commit, see below
}

# Bento: LICENSE was added on the first-parent line by 74bbd67 (2019-12-19); a pair
# records it when its new commit has the file.
BENTO_TITLE = "Bento privacy and terms (r2c)"
BENTO_LICENCE = ("\"proprietary (LICENSE: '(c) Return To Corporation 2019. All rights reserved';"
                 " no other licence stated)\"")


def bento(has_licence):
    if has_licence:
        return ("bento", BENTO_TITLE, BENTO_LICENCE,
                "https://github.com/returntocorp/bento/blob/{new}/LICENSE")
    return ("bento", BENTO_TITLE, NONE, "https://github.com/returntocorp/bento/tree/{new}")


def source_at(r, d):
    """SOURCES, with Bento's entry chosen by whether the new commit has its LICENSE file."""
    key = (r["repository"], r["path"])
    if key == ("returntocorp/bento", "PRIVACY.md"):
        files = c.git(d, "ls-tree", "--name-only", r["new_commit"]).decode().split("\n")
        return bento("LICENSE" in files)
    return SOURCES[key]


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES, source_at)
