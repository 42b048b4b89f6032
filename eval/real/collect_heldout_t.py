#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-t pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_t.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-t.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- nordic-rse (nordic-rse/nordic-rse.github.io): the Nordic RSE privacy notice
  (Nordic Research Software Engineers association), Zola Markdown
  `content/association/privacy.md` (2020-2021), from 2021-09
  `content/about/governance/privacy.md`. Repository licence MIT (LICENSE,
  "Copyright (c) 2018 Nordic-RSE").
- catima (CatimaLoyalty/Android): the privacy policy of the Catima loyalty
  card app (open-source Android app, formerly Loyalty Card Keychain),
  Markdown `privacy-policy.md` (2017-2020), `docs/privacy-policy.md`
  (2020-2021) and `PRIVACY.md` (from 2023; a new file, so its first version
  has no pair). Repository licence GNU GPL version 3 (LICENSE).
- vespucci (MarcusWolschon/osmeditor4android): the Vespucci privacy statement
  (open-source OpenStreetMap editor for Android), Markdown help page
  `documentation/docs/help/en/Privacy.md` (2018-2025). README: "Licensed under
  the Apache License, Version 2.0".
- libretube (libre-tube/LibreTube): the LibreTube privacy policy (open-source
  YouTube front end for Android), Markdown `PRIVACY_POLICY.md` (2023-2025).
  Repository licence GNU GPL version 3 (LICENSE).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-t"

NORDIC_RSE = ("nordic-rse", "Nordic RSE privacy notice", "MIT",
              "https://github.com/nordic-rse/nordic-rse.github.io/blob/{new}/LICENSE")
CATIMA = ("catima", "Catima privacy policy", "GPL-3.0",
          "https://github.com/CatimaLoyalty/Android/blob/{new}/LICENSE")
VESPUCCI = ("vespucci", "Vespucci privacy statement", "Apache-2.0 (README)",
            "https://github.com/MarcusWolschon/osmeditor4android/blob/{new}/README.md")
LIBRETUBE = ("libretube", "LibreTube privacy policy", "GPL-3.0",
             "https://github.com/libre-tube/LibreTube/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("nordic-rse/nordic-rse.github.io", "content/association/privacy.md"): NORDIC_RSE,
    ("nordic-rse/nordic-rse.github.io", "content/about/governance/privacy.md"): NORDIC_RSE,
    ("CatimaLoyalty/Android", "privacy-policy.md"): CATIMA,
    ("CatimaLoyalty/Android", "docs/privacy-policy.md"): CATIMA,
    ("CatimaLoyalty/Android", "PRIVACY.md"): CATIMA,
    ("MarcusWolschon/osmeditor4android", "documentation/docs/help/en/Privacy.md"): VESPUCCI,
    ("libre-tube/LibreTube", "PRIVACY_POLICY.md"): LIBRETUBE,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
