#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-h pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_h.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-h.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file (same path in both). For IATI, whose
policy changes on pull-request branches merged into main, the new_commits are
the branch commits (the merge commits, which repeat them, are not used).
Markdown sources (Jekyll or Hugo pages): old.md and new.md are byte for byte
`git show COMMIT:PATH` (front matter kept). IATI's policy is reStructuredText
(a Sphinx / Read the Docs project): both versions go through
`pandoc -f rst -t gfm --wrap=none`.

With --candidates, the script prints every first-parent commit that touched
the policy file with word counts and changed-word counts instead of writing
folders (this is how the pairs were chosen: by dates, sizes and changed-word
counts, not by meaning).
"""

import collect_common as c

PART = "heldout-h"

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("BSidesSF/bsidessf.github.io", "_pages/privacy.md"): (
        "bsidessf", "BSidesSF Privacy Policy (Security BSides San Francisco conference, bsidessf.org Jekyll site)",
        "\"Unlicense-style 'UNLICENSE PUBLIC LICENSE' (LICENSE, for the repository: 'There are no restrictions')\"",
        "https://github.com/BSidesSF/bsidessf.github.io/blob/{new}/LICENSE"),
    ("2factorauth/2fa.directory", "content/privacy/_index.md"): (
        "2fa-directory", "2FA Directory Privacy Policy (2fa.directory, 2factorauth; Hugo page, path until 2022-11)",
        "\"GPL-3.0 (LICENSE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/2factorauth/2fa.directory/blob/{new}/LICENSE"),
    ("2factorauth/2fa.directory", "content/privacy.md"): (
        "2fa-directory", "2FA Directory Privacy Policy (2fa.directory, 2factorauth; Hugo page)",
        "\"GPL-3.0 (LICENSE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/2factorauth/2fa.directory/blob/{new}/LICENSE"),
    ("GSA/plainlanguage.gov", "_pages/privacy.md"): (
        "plainlanguage", "plainlanguage.gov Privacy Policy (U.S. General Services Administration / PLAIN, Jekyll page, 2017)",
        "\"CC0-1.0 (LICENSE.md: a work of the United States Government, public domain in the U.S., CC0 1.0 worldwide)\"",
        "https://github.com/GSA/plainlanguage.gov/blob/{new}/LICENSE.md"),
    ("18F/pclob", "pages/privacy.md"): (
        "pclob", "PCLOB Website Privacy Policy (U.S. Privacy and Civil Liberties Oversight Board, pclob.gov Jekyll site built by 18F, 2017)",
        "\"CC0-1.0 (LICENSE.md: a work of the United States Government, public domain in the U.S., CC0 1.0 worldwide; LICENSE also says MIT)\"",
        "https://github.com/18F/pclob/blob/{new}/LICENSE.md"),
    ("IATI/web-terms", "docs/privacy-policy.rst"): (
        "iati", "IATI Privacy Policy (International Aid Transparency Initiative websites and tools; IATI Secretariat, UNDP)",
        "\"CC-BY-4.0 (LICENSE.md: Copyright 2024 United Nations Development Programme, on behalf of the IATI Secretariat)\"",
        "https://github.com/IATI/web-terms/blob/{new}/LICENSE.md"),
}

# Conversion per repository; "none" = Markdown byte for byte.
CONVERSION = {"IATI/web-terms": "pandoc-rst"}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "pandoc-rst": "pandoc 2.17.1.1: pandoc -f rst -t gfm --wrap=none (source is reStructuredText; same for both versions)",
}


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "pandoc-rst":
        return c.pandoc(raw, "rst", "gfm")
    raise ValueError(f"unknown conversion {conversion}")


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, lambda repo, path: CONVERSION.get(repo, "none"), convert, CONVERSION_TEXT)
