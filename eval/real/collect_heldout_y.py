#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-y pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_y.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-y.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- zenodo (zenodo/zenodo-docs-user): the Zenodo Privacy Policy (Zenodo, the
  open research repository operated by CERN), a Lektor page
  `content/about/privacy-policy/contents.lr` (Lektor fields, the body in
  Markdown; 2017-2026). Licence CC-BY-4.0 (LICENSE.md, added 2017-02-13:
  "All content in files in the following directories: /content /databags are
  licensed under Creative Commons Attribution 4.0 International").
- adguard (AdguardTeam/LegalDocs): the AdGuard Privacy Policy (AdGuard, a
  company making ad-blocking and privacy software), Markdown
  `adguard.com/privacy.html.md` (2024-2026). No LICENSE file; package.json
  declares "license": "ISC" for the repository; the README says the
  repository holds AdGuard's legal documents "to be transparent about the
  history of their changes". No separate licence is stated for the texts.
- tailscale (tailscale/terms-and-conditions): the Tailscale Privacy Policy
  (Tailscale Inc., a US company making a VPN / networking service), Markdown
  with front matter `privacy-policy/index.md` (2023-2025). Repository
  licence CC0-1.0 (LICENSE, the CC0 1.0 Universal text).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-y"

ZENODO = ("zenodo", "Zenodo Privacy Policy", "CC-BY-4.0",
          "https://github.com/zenodo/zenodo-docs-user/blob/{new}/LICENSE.md")
ADGUARD = ("adguard", "AdGuard Privacy Policy", "ISC",
           "https://github.com/AdguardTeam/LegalDocs/blob/{new}/package.json")
TAILSCALE = ("tailscale", "Tailscale Privacy Policy", "CC0-1.0",
             "https://github.com/tailscale/terms-and-conditions/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("zenodo/zenodo-docs-user", "content/about/privacy-policy/contents.lr"): ZENODO,
    ("AdguardTeam/LegalDocs", "adguard.com/privacy.html.md"): ADGUARD,
    ("tailscale/terms-and-conditions", "privacy-policy/index.md"): TAILSCALE,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
