#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-f pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_f.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-f.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file. Every source is Markdown: old.md and
new.md are byte for byte `git show COMMIT:PATH` (front matter kept).

With --candidates, the script prints every first-parent commit that touched
the policy file with word counts and changed-word counts instead of writing
folders (this is how the pairs were chosen: by dates, sizes and changed-word
counts, not by meaning).
"""

import collect_common as c

PART = "heldout-f"

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("minetest/contentdb", "app/flatpages/privacy_policy.md"): (
        "contentdb", "ContentDB Privacy Policy (content.luanti.org, formerly content.minetest.net; operated by rubenwardy)",
        "\"AGPL-3.0-or-later (README.md: 'license AGPLv3.0+'; LICENSE.md; no separate licence stated for the page texts)\"",
        "https://github.com/minetest/contentdb/blob/{new}/LICENSE.md"),
    ("publiccodenet/about", "organization/privacy.md"): (
        "publiccode", "Foundation for Public Code: Privacy and GDPR (about.publiccode.net)", "CC0-1.0",
        "https://github.com/publiccodenet/about/blob/{new}/LICENSE.md"),
    ("tropos-io/legal", "docs/privacy.md"): (
        "tropos", "Tropos.io Privacy Policy (legal.tropos.io)", "\"none stated\"",
        "https://github.com/tropos-io/legal/tree/{new}"),
    ("stirtrek/stirtrek.github.io", "source/Info/Privacy/index.md"): (
        "stir-trek", "Stir Trek Privacy Policy (stirtrek.com conference site, Hexo source; path until 2021-03)", "\"none stated\"",
        "https://github.com/stirtrek/stirtrek.github.io/tree/{new}"),
    ("stirtrek/stirtrek.github.io", "source/info/privacy/index.md"): (
        "stir-trek", "Stir Trek Privacy Policy (stirtrek.com conference site, Hexo source)", "\"none stated\"",
        "https://github.com/stirtrek/stirtrek.github.io/tree/{new}"),
}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
}


def convert(raw):
    return raw


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, lambda repo, path: "none", lambda raw, _: convert(raw), CONVERSION_TEXT)
