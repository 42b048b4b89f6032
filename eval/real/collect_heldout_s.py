#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-s pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_s.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-s.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown or MDX: none: byte for byte `git show COMMIT:PATH`):
- revolt (revoltchat/legal): the Revolt Privacy Policy (Revolt Platforms Ltd;
  the revolt.chat open-source chat platform), Markdown `Privacy Policy.md`
  (2021-2024). No licence stated (the repository has no LICENSE file and its
  documents state none).
- cryptomator (cryptomator/cryptomator.github.io): the English privacy policy
  of cryptomator.org (Skymatic GmbH, Germany), Hugo Markdown
  `content/privacy.en.md` (2020-2025). Repository licence MIT (LICENSE,
  "Copyright (c) 2020 Skymatic GmbH").
- datacite (datacite/homepage): the DataCite Privacy Policy (DataCite e. V.,
  a non-profit association, Hannover), Middleman Markdown
  `source/privacy.html.md` (2019-2020). Repository licence MIT (LICENSE.md,
  "Copyright (c) 2015-2019 DataCite").
- opensats (OpenSats/website): the OpenSats Privacy Policy (Open Sats
  Initiative, a US non-profit that funds free and open-source software),
  Markdown `docs/privacy.md` (2022-2023), from 2023-07 MDX
  `data/pages/privacy.mdx`. Repository licence MIT (LICENSE, "Copyright (c)
  2025 Open Sats").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-s"

REVOLT = ("revolt", "Revolt Privacy Policy", "none stated",
          "https://github.com/revoltchat/legal")
CRYPTOMATOR = ("cryptomator", "Cryptomator Privacy Policy (Skymatic GmbH)", "MIT",
               "https://github.com/cryptomator/cryptomator.github.io/blob/{new}/LICENSE")
DATACITE = ("datacite", "DataCite Privacy Policy", "MIT",
            "https://github.com/datacite/homepage/blob/{new}/LICENSE.md")
OPENSATS = ("opensats", "OpenSats Privacy Policy", "MIT",
            "https://github.com/OpenSats/website/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("revoltchat/legal", "Privacy Policy.md"): REVOLT,
    ("cryptomator/cryptomator.github.io", "content/privacy.en.md"): CRYPTOMATOR,
    ("datacite/homepage", "source/privacy.html.md"): DATACITE,
    ("OpenSats/website", "docs/privacy.md"): OPENSATS,
    ("OpenSats/website", "data/pages/privacy.mdx"): OPENSATS,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
