#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-q pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_q.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-q.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- datenanfragen (datenanfragen/website): the English privacy policy of
  Datenanfragen.de e. V. (German non-profit association; datarequests.org and
  its sister sites), Hugo Markdown `content/privacy.en.md` (2018-2019), from
  2020-04 `content/en/privacy.md`. Repository licence MIT.
- adblock-plus (adblockplus/web.adblockplus.org): the Adblock Plus Privacy
  Policy (eyeo GmbH, Cologne), Markdown include
  `includes/privacy-policy/english.md` (2019-2025). No licence stated for the
  site's text (LICENSES.txt covers third-party assets only).
- offen (offen/website): the Legal & Privacy page of the offen.dev website
  (Offen Fair Web Analytics, Berlin), Markdown
  `homepage/content/pages/legal-privacy.md` (2021-2023). Website content
  CC-BY-4.0 as the page itself states under "License" (code AGPL-3.0). Its new commits are merge
  commits on the default branch; old_commit is the first parent.
- ivpn (ivpn/ivpn.net): the IVPN Privacy Policy (IVPN Limited, Gibraltar;
  ivpn.net Hugo site), Markdown `src/content/pages/privacy-policy.md`
  (2020-2024), from 2024-06 `src/content/en/pages/privacy-policy.md` (the
  commit that moved it is not used). Repository licence GPL-3.0-or-later (LICENSE.md,
  "Copyright (c) 2023 IVPN Limited").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-q"

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("datenanfragen/website", "content/privacy.en.md"): (
        "datenanfragen", "Datenanfragen.de e. V. Privacy policy", "MIT",
        "https://github.com/datenanfragen/website/blob/{new}/LICENSE"),
    ("datenanfragen/website", "content/en/privacy.md"): (
        "datenanfragen", "Datenanfragen.de e. V. Privacy policy", "MIT",
        "https://github.com/datenanfragen/website/blob/{new}/LICENSE"),
    ("adblockplus/web.adblockplus.org", "includes/privacy-policy/english.md"): (
        "adblock-plus", "Adblock Plus Privacy Policy (eyeo GmbH)", "none stated",
        "https://github.com/adblockplus/web.adblockplus.org"),
    ("offen/website", "homepage/content/pages/legal-privacy.md"): (
        "offen", "Offen Fair Web Analytics: Legal & Privacy", "CC-BY-4.0",
        "https://github.com/offen/website/blob/{new}/homepage/content/pages/legal-privacy.md"),
    ("ivpn/ivpn.net", "src/content/pages/privacy-policy.md"): (
        "ivpn", "IVPN Privacy Policy", "GPL-3.0-or-later",
        "https://github.com/ivpn/ivpn.net/blob/{new}/LICENSE.md"),
    ("ivpn/ivpn.net", "src/content/en/pages/privacy-policy.md"): (
        "ivpn", "IVPN Privacy Policy", "GPL-3.0-or-later",
        "https://github.com/ivpn/ivpn.net/blob/{new}/LICENSE.md"),
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
