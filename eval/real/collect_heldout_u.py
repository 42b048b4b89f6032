#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-u pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_u.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-u.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- foqal (foqal/policies): the Foqal Privacy Policy (Foqal, a US software
  company), Markdown
  `policies/privacy-policy.md` (2018-2020). Repository licence CC0-1.0
  (LICENSE.md; README: "licensed under this Creative Commons Zero License").
- themanaworld (themanaworld/policies): the Privacy Policy of The Mana World
  (an open-source, volunteer-run online role-playing game), Markdown with
  YAML front matter `policies/privacy-policy.md` (2020-2022). Repository
  licence 0BSD (LICENSE, "Copyright (c) 2020 The Mana World", the Zero-Clause
  BSD text).
- betanyc (BetaNYC/About): the BetaNYC Privacy Policy (BetaNYC, a New York
  civic-technology non-profit), Markdown `PrivacyPolicy.md` (2015-2026), from
  2026-07-18 `policies/privacy-policy.md`. Repository licence GPL-2.0 (LICENSE)
  until 2026-07-18, then CC BY-SA 4.0 (LICENSE, "the content of this
  repository (documentation, policies, and text) is licensed under ... CC
  BY-SA 4.0"); each path carries the licence the repository stated at its
  commits.
- cybertracker (CyberTrackerConservation/ctdoc): the CyberTracker Privacy
  Policy (CyberTracker Conservation, a non-profit that makes field
  data-collection software for conservation), Jekyll Markdown
  `_pages/privacy-policy.md` (2023). Repository licence MIT (LICENSE,
  "Copyright (c) 2021 CyberTrackerConservation").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-u"

FOQAL = ("foqal", "Foqal Privacy Policy", "CC0-1.0",
         "https://github.com/foqal/policies/blob/{new}/LICENSE.md")
THEMANAWORLD = ("themanaworld", "The Mana World Privacy Policy", "0BSD",
                "https://github.com/themanaworld/policies/blob/{new}/LICENSE")
BETANYC_OLD = ("betanyc", "BetaNYC Privacy Policy", "GPL-2.0",
               "https://github.com/BetaNYC/About/blob/{new}/LICENSE")
BETANYC = ("betanyc", "BetaNYC Privacy Policy", "CC-BY-SA-4.0",
           "https://github.com/BetaNYC/About/blob/{new}/LICENSE")
CYBERTRACKER = ("cybertracker", "CyberTracker Privacy Policy", "MIT",
                "https://github.com/CyberTrackerConservation/ctdoc/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("foqal/policies", "policies/privacy-policy.md"): FOQAL,
    ("themanaworld/policies", "policies/privacy-policy.md"): THEMANAWORLD,
    ("BetaNYC/About", "PrivacyPolicy.md"): BETANYC_OLD,
    ("BetaNYC/About", "policies/privacy-policy.md"): BETANYC,
    ("CyberTrackerConservation/ctdoc", "_pages/privacy-policy.md"): CYBERTRACKER,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
