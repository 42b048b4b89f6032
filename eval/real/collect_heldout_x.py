#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-x pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_x.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-x.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown or MDX: none: byte for byte `git show COMMIT:PATH`):
- ipfs-companion (ipfs/ipfs-companion): the IPFS Companion Privacy Policy
  (the IPFS browser extension, an open-source project of the IPFS community),
  Markdown `docs/privacy-policy.md` (2019), renamed `PRIVACY-POLICY.md` on
  2020-05-10 (2020-2026). Repository licence CC0-1.0 (LICENSE, the CC0 1.0
  Universal text; README: "IPFS Companion itself is released under CC0";
  package.json "license": "CC0-1.0").
- m-lab (m-lab/website): the Measurement Lab (M-Lab) Privacy Policy (M-Lab,
  an open Internet measurement consortium, fiscally sponsored by Code for
  Science & Society), Jekyll Markdown `_pages/policy-privacy.md`.
  Repository licence Apache-2.0 (LICENSE, the Apache License 2.0 text).
- safing (safing/web): the Safing Privacy Policy (Safing ICS Technologies
  GmbH, an Austrian company making the Portmaster application firewall and
  the Safing Privacy Network), Jekyll Markdown `privacy/index.md`.
  Repository licence CC-BY-SA-4.0 (LICENSE, the Attribution-ShareAlike 4.0
  International text).
- pathoplexus (pathoplexus/pathoplexus): the Pathoplexus Privacy Policy
  (Pathoplexus, a non-profit open database for pathogen sequence data), MDX
  `monorepo/website/src/pages/about/terms-of-use/privacy-policy.mdx`.
  Repository licence AGPL-3.0 (LICENSE, the GNU Affero General Public
  License v3 text).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-x"

IPFS = ("ipfs-companion", "IPFS Companion Privacy Policy", "CC0-1.0",
        "https://github.com/ipfs/ipfs-companion/blob/{new}/LICENSE")
MLAB = ("m-lab", "M-Lab Privacy Policy", "Apache-2.0",
        "https://github.com/m-lab/website/blob/{new}/LICENSE")
SAFING = ("safing", "Safing Privacy Policy", "CC-BY-SA-4.0",
          "https://github.com/safing/web/blob/{new}/LICENSE")
PATHOPLEXUS = ("pathoplexus", "Pathoplexus Privacy Policy", "AGPL-3.0",
               "https://github.com/pathoplexus/pathoplexus/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("ipfs/ipfs-companion", "docs/privacy-policy.md"): IPFS,
    ("ipfs/ipfs-companion", "PRIVACY-POLICY.md"): IPFS,
    ("m-lab/website", "_pages/policy-privacy.md"): MLAB,
    ("safing/web", "privacy/index.md"): SAFING,
    ("pathoplexus/pathoplexus",
     "monorepo/website/src/pages/about/terms-of-use/privacy-policy.mdx"): PATHOPLEXUS,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
