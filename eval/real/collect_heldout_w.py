#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-w pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_w.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-w.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- pluralkit (PluralKit/PluralKit): the PluralKit Privacy Policy (PluralKit, an
  open-source Discord bot for plural systems), Markdown in the documentation
  site: `docs/4-privacy-policy.md` (2019-2020), renamed
  `docs/5-privacy-policy.md` on 2020-02-09, then moved to
  `docs/content/privacy-policy.md` (VuePress) on 2020-07-28 (2020-2024).
  Repository licence stated in README.md: Apache-2.0 until 2020-11-08
  ("Relicense project to AGPLv3"), then AGPL-3.0 (README.md, later also
  COPYING); each pair records the licence its new commit states
  (`licence_at`).
- oftc (oftc/oftc-web, default branch gh-pages): the OFTC Privacy Policy
  (OFTC, the Open and Free Technology Community, an IRC network and Software
  in the Public Interest associated project), Jekyll Markdown
  `Privacy_Policy.md` (2018-2021). The repository states no licence before
  2019-10-15; from then license.md: "Copyright (c) 2001-present Software in the
  Public Interest, Inc. ... released under the terms of the GNU Lesser General
  Public License, version 3 or any later version, or, at your option, of the
  Creative Commons Attribution-ShareAlike 3.0 Unported License". Pairs whose
  new commit is older record "none stated".
- snoonet (snoonetIRC/website): the Snoonet Privacy Policy (Snoonet, an IRC
  network for online communities, operated with IRC.com), Hugo Markdown
  `content/privacy-policy.md` (2018-2021). Repository licence MIT (LICENSE,
  from 2019-01-29).
- mihon (mihonapp/website): the Mihon Privacy Policy (Mihon, an open-source
  Android manga reader, successor of Tachiyomi), VitePress Markdown
  `website/src/privacy/index.md` (2023-2024). Repository licence MPL-2.0
  (LICENSE; README: "Copyright (c) The Mihon Open Source Project").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-w"

PLURALKIT_TITLE = ("pluralkit", "PluralKit Privacy Policy")
OFTC_TITLE = ("oftc", "OFTC Privacy Policy")
SNOONET_TITLE = ("snoonet", "Snoonet Privacy Policy")
MIHON_TITLE = ("mihon", "Mihon Privacy Policy")

SOURCES = {
    # (repository, path): (org, title); the licence depends on the new commit (licence_at)
    ("PluralKit/PluralKit", "docs/4-privacy-policy.md"): PLURALKIT_TITLE,
    ("PluralKit/PluralKit", "docs/5-privacy-policy.md"): PLURALKIT_TITLE,
    ("PluralKit/PluralKit", "docs/content/privacy-policy.md"): PLURALKIT_TITLE,
    ("oftc/oftc-web", "Privacy_Policy.md"): OFTC_TITLE,
    ("snoonetIRC/website", "content/privacy-policy.md"): SNOONET_TITLE,
    ("mihonapp/website", "website/src/privacy/index.md"): MIHON_TITLE,
}

# Dates from which a repository states the licence below (the new commit's date decides).
PLURALKIT_AGPL_FROM = "2020-11-08"  # 20ca3793 "Relicense project to AGPLv3" (README.md)
OFTC_LICENSE_FROM = "2019-10-15"    # 0653743 "Add website and logo license" (license.md)


def licence_at(repo, new_date):
    """(licence, licence_url template) the repository states at a new commit of that date."""
    if repo == "PluralKit/PluralKit":
        name = "AGPL-3.0" if new_date >= PLURALKIT_AGPL_FROM else "Apache-2.0"
        return (f"{name} (README.md, for the repository; no separate licence stated for the "
                "documentation texts)",
                "https://github.com/PluralKit/PluralKit/blob/{new}/README.md")
    if repo == "oftc/oftc-web":
        if new_date >= OFTC_LICENSE_FROM:
            return ("LGPL-3.0-or-later OR CC-BY-SA-3.0 (license.md, for the OFTC website)",
                    "https://github.com/oftc/oftc-web/blob/{new}/license.md")
        return ("none stated (no licence file in the repository at this commit; license.md, "
                "LGPL-3.0-or-later OR CC-BY-SA-3.0, was added on 2019-10-15)",
                "https://github.com/oftc/oftc-web/tree/{new}")
    if repo == "snoonetIRC/website":
        return ("MIT (LICENSE, for the repository; no separate licence stated for the page texts)",
                "https://github.com/snoonetIRC/website/blob/{new}/LICENSE")
    if repo == "mihonapp/website":
        return ("MPL-2.0 (LICENSE, for the repository; no separate licence stated for the page "
                "texts)", "https://github.com/mihonapp/website/blob/{new}/LICENSE")
    raise ValueError(repo)


def source_at(r, d):
    """(org, title, licence, licence_url) of a row: the licence its new commit's date decides."""
    repo = r["repository"]
    org, title = SOURCES[(repo, r["path"])]
    licence, licence_url = licence_at(repo, c.date(d, r["new_commit"]))
    return org, title, f'"{licence}"', licence_url


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES, source_at)
