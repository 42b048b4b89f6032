#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-c pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_c.py MIRROR_DIR

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-c;
each new_commit is a first-parent commit of the repository's default branch
that changed the policy file, and old_commit is its first parent, so the two
versions are successive published versions. The file's path at old_commit is
found with `git log --follow --name-status`.

Conversions (the same steps for both versions of a pair):
- none: Markdown sources, byte for byte `git show COMMIT:PATH`.
- pandoc-rst: reStructuredText (Read the Docs) ->
  `pandoc -f rst -t gfm --wrap=none`.
- simplate-html: an Aspen simplate or HTML page with Jinja tags (Gittip /
  Gratipay): the Python sections before the last page break (a form-feed line
  or a `^L` line, or a `[---]` line) are dropped, `{% ... %}` tags and layout `<div>` tags are removed, then
  `pandoc -f html -t gfm-raw_html --wrap=none` (layout divs and classes go).
"""
import re
import sys

import collect_common as c

PART = "heldout-c"

SOURCES = {
    # repository: (org, title, conversion, licence, licence_url)
    "npm/policies": ("npm", "npm Privacy Policy", "none", "none stated",
                     "https://github.com/npm/policies"),
    "readthedocs/readthedocs.org": ("read-the-docs", "Read the Docs Privacy Policy", "pandoc-rst", "MIT",
                                    "https://github.com/readthedocs/readthedocs.org/blob/{new}/LICENSE"),
    "GSA-TTS/identity-site": ("login-gov", "Login.gov Privacy & security: Our privacy act statement", "none", "CC0-1.0",
                              "https://github.com/GSA-TTS/identity-site/blob/{new}/LICENSE.md"),
    "liberapay/liberapay.com": ("gratipay", "Gittip / Gratipay Privacy Policy", "simplate-html", "CC0-1.0",
                                "https://github.com/liberapay/liberapay.com/blob/{new}/COPYING"),
}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "pandoc-rst": "pandoc 2.17.1.1: pandoc -f rst -t gfm --wrap=none (source is reStructuredText; same for both versions)",
    "simplate-html": ("simplate Python sections, Jinja {% %} tags and layout div tags dropped, then pandoc 2.17.1.1: "
                      "pandoc -f html -t gfm-raw_html --wrap=none (source is an HTML simplate; same for both versions)"),
}


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "pandoc-rst":
        return c.pandoc(raw, "rst", "gfm")
    if conversion == "simplate-html":
        text = raw.decode("utf-8")
        lines = text.split("\n")
        breaks = [i for i, l in enumerate(lines) if l.strip(" \t\r") in ("\f", "^L") or l.startswith("[---]")]
        if breaks:
            lines = lines[breaks[-1] + 1:]
        body = "\n".join(lines)
        body = re.sub(r"\{%.*?%\}", "", body, flags=re.S)
        body = re.sub(r"</?div[^>]*>", "", body)
        return c.html_to_gfm(body)
    raise ValueError(f"unknown conversion {conversion}")


def main():
    mirror = sys.argv[1]
    for r in c.rows(PART):
        repo, path, new = r["repository"], r["path"], r["new_commit"]
        org, title, conversion, licence, licence_url = SOURCES[repo]
        d = c.repo_dir(mirror, repo)
        old_path = c.old_path_of(d, new, path, first_parent_only=True)
        o = convert(c.git(d, "show", f"{r['old_commit']}:{old_path}"), conversion)
        n = convert(c.git(d, "show", f"{new}:{path}"), conversion)
        c.check_pair(r, c.first_parent(d, new), o, n)
        if repo == "npm/policies" and b"creativecommons.org/licenses/by-sa/4.0" in c.git(d, "show", f"{new}:{path}"):
            # The 2014-2016 policy states its own licence in its "Credit and
            # License" section; the 2018 rewrite dropped that section.
            licence = "CC-BY-SA-4.0"
            licence_url = f"https://github.com/npm/policies/blob/{new}/privacy.md"
        c.write_pair(PART, r, d, o, n, org=org, title=title, old_path=old_path, licence=licence,
                     licence_url=licence_url, conversion=CONVERSION_TEXT[conversion])


if __name__ == "__main__":
    main()
