#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ar pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ar.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"; the fetch tool's /work/.mirror has this layout). The pairs are
the rows of pairs.tsv whose part is heldout-ar. Each new_commit is a commit on
the default branch's first-parent line that changed the policy file (merge
commits included, so a merged branch counts as one revision), and old_commit
is its first parent, so the two texts are successive versions of the file
(renames in new_commit are followed).

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- 3mdeb (3mdeb/3mdeb-website): the Privacy Policy of 3mdeb (3mdeb Sp. z o.o.,
  Gdansk, an embedded-systems and firmware consultancy, 3mdeb.com), Markdown
  with YAML front matter `content/privacy-policy.md` (2023-2025). Repository
  licence Apache-2.0 (LICENSE, at every commit used; package.json says
  "UNLICENSED").
- bonzo-finance (Bonzo-Labs/bonzo-docs): the Bonzo Finance Privacy Policy
  (Bonzo, a lending protocol on the Hedera network, docs.bonzo.finance),
  Markdown `legal/privacy-policy.md` (2024-2025), and the privacy policy of
  the 1-866-BONZO-FI service, Markdown `legal/privacy-1-866-bonzo-fi.md`
  (2025). No licence file and no licence statement in the README at any
  commit used.
- collar-networks (CollarNetworks/docs): the Collar Protocol Privacy Policy
  (Collar Networks, a DeFi protocol), Markdown `legal/privacy-policy.md`
  (2025), renamed on 2025-03-18 from `LEGAL & COMPLIANCE/Privacy Policy.md`.
  No licence file and no licence statement in readme.txt at any commit used.
- birdieswap (Birdieswap/docs): the Birdieswap Privacy Policy (Birdieswap, a
  DeFi application), Markdown `legal/privacy-policy.md` (2025). No licence
  file and no licence statement in the README at any commit used.

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-ar"

NONE_STATED = "none stated (no licence file or licence statement in the repository)"
MDEB = ("3mdeb", "3mdeb Privacy Policy", "Apache-2.0",
        "https://github.com/3mdeb/3mdeb-website/blob/{new}/LICENSE")
BONZO = ("bonzo-finance", "Bonzo Finance Privacy Policy", NONE_STATED,
         "https://github.com/Bonzo-Labs/bonzo-docs/tree/{new}")
BONZO_FI = ("bonzo-finance", "1-866-BONZO-FI Privacy Policy", NONE_STATED,
            "https://github.com/Bonzo-Labs/bonzo-docs/tree/{new}")
COLLAR = ("collar-networks", "Collar Privacy Policy", NONE_STATED,
          "https://github.com/CollarNetworks/docs/tree/{new}")
BIRDIESWAP = ("birdieswap", "Birdieswap Privacy Policy", NONE_STATED,
              "https://github.com/Birdieswap/docs/tree/{new}")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("3mdeb/3mdeb-website", "content/privacy-policy.md"): MDEB,
    ("Bonzo-Labs/bonzo-docs", "legal/privacy-policy.md"): BONZO,
    ("Bonzo-Labs/bonzo-docs", "legal/privacy-1-866-bonzo-fi.md"): BONZO_FI,
    ("CollarNetworks/docs", "legal/privacy-policy.md"): COLLAR,
    ("Birdieswap/docs", "legal/privacy-policy.md"): BIRDIESWAP,
}


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
