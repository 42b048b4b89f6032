#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ak pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ak.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"; the fetch tool's /work/.mirror has this layout). The pairs are
the rows of pairs.tsv whose part is heldout-ak. Each new_commit is a commit on
the default branch's first-parent line that changed the policy file (merge
commits included, so a merged branch counts as one revision), and old_commit
is its first parent, so the two texts are successive versions of the file
(renames in new_commit are followed).

Sources:
- swift-package-index (SwiftPackageIndex/SwiftPackageIndex-Server): the Swift
  Package Index Privacy Policy (swiftpackageindex.com, a search engine and
  build-compatibility index for Swift packages, run by Dave Verwer and Sven A.
  Schmidt), Markdown `Resources/Markdown/privacy.md` (2020-2026); byte for
  byte `git show COMMIT:PATH`. The repository licence changed: LICENSE is the
  MIT licence ("Copyright 2020 Dave Verwer and Sven A. Schmidt") at the
  2020-2021 commits and the Apache License 2.0 by 2026, so each pair's
  licence is read from LICENSE at its new commit (`source_at`).
- qubes-os (QubesOS/qubesos.github.io): the Qubes OS website privacy policy
  (qubes-os.org, the website of the Qubes OS Project, a security-oriented
  open-source operating system), first a Jekyll HTML page
  `pages/privacy.html` (versions of 2018), replaced on 2021-03-10 by Jekyll
  Markdown with YAML front matter `pages/privacy.md` (git sees no rename, so
  that change is not a revision here), renamed with edits on 2021-06-17 to
  `pages/website-privacy-policy.md` (2021-2023). Markdown versions are byte
  for byte. HTML versions are converted (`jekyll-html`): the YAML front
  matter is dropped, any Liquid `{% %}` tag or `{{ }}` expression is refused
  rather than guessed at (none occurs), layout
  `<div>`/`<section>`/`<header>`/`<main>`/`<article>` tags are removed, then
  `pandoc -f html -t gfm-raw_html --wrap=none` (pandoc 2.17.1.1). No licence
  file or licence statement in the repository at any commit used.
- php-net (php/web-php): the php.net Privacy Policy (the website of the PHP
  language, php.net and its mirrors, run by the PHP Group), a PHP page
  `privacy.php` (2010-2024), moved on 2026-07-07 to `public/privacy.php`
  (identical text). Converted (`php-html`, as for heldout-n's elementary
  page): every `<?php ... ?>` block (the page header and footer calls) is
  dropped, `<img>` tags are dropped, layout tags are removed as above, then
  pandoc as above. No licence file for the website; its copyright page
  (`copyright.php`) says the site's text is "Copyright (c) 2001- the PHP
  Group. All rights reserved", with leave to view, download and print.
- transitous (public-transport/transitous): the Transitous privacy policy
  (Transitous, a community-run, free public transport routing service and
  API, transitous.org), Hugo Markdown with YAML front matter
  `website/content/privacy.md` (2024-2025); byte for byte. The file carries
  its own REUSE header: "SPDX-FileCopyrightText: 2024 Jonah Brüchert",
  "SPDX-License-Identifier: AGPL-3.0-or-later".

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import re

import collect_common as c

PART = "heldout-ak"

SPI = ("swift-package-index", "Swift Package Index Privacy Policy", None, None)  # see spi_licence
QUBES = ("qubes-os", "Qubes OS Website Privacy Policy",
         "none stated (no licence file or licence statement in the repository)",
         "https://github.com/QubesOS/qubesos.github.io/tree/{new}")
PHP = ("php-net", "php.net Privacy Policy",
       "none stated (no licence file; the site's copyright page says: Copyright the PHP Group, "
       "all rights reserved, free to view, download and print)",
       "https://github.com/php/web-php/blob/{new}/copyright.php")
TRANSITOUS = ("transitous", "Transitous Privacy Policy", "AGPL-3.0-or-later",
              "https://github.com/public-transport/transitous/blob/{new}/website/content/privacy.md")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("SwiftPackageIndex/SwiftPackageIndex-Server", "Resources/Markdown/privacy.md"): SPI,
    ("QubesOS/qubesos.github.io", "pages/privacy.html"): QUBES,
    ("QubesOS/qubesos.github.io", "pages/privacy.md"): QUBES,
    ("QubesOS/qubesos.github.io", "pages/website-privacy-policy.md"): QUBES,
    ("php/web-php", "privacy.php"): PHP,
    ("php/web-php", "public/privacy.php"): PHP,
    ("public-transport/transitous", "website/content/privacy.md"): TRANSITOUS,
}

CONVERSION_TEXT = {
    "none": c.MARKDOWN_TEXT,
    "jekyll-html": "Jekyll front matter dropped (a Liquid {% %} tag or {{ }} expression is refused; none occurs), layout <div>/<section>/<header>/<main>/<article> tags dropped, then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none (source is a Jekyll HTML page; same for both versions)",
    "php-html": "PHP blocks (<?php ... ?>: page header and footer calls) and <img> tags dropped, layout <div>/<section>/<header>/<main>/<article> tags dropped, then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none (source is a PHP page with English HTML; same for both versions)",
}

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
PHP_BLOCK = re.compile(r"<\?php.*?(\?>|\Z)", re.S)
IMG = re.compile(r"<img\b[^>]*>")


def conversion_of(repo, path):
    if path.endswith(".html"):
        return "jekyll-html"
    if path.endswith(".php"):
        return "php-html"
    return "none"


def jekyll_html(text):
    text = FRONT_MATTER.sub("", text, count=1)
    if "{%" in text or "{{" in text:
        raise ValueError("a Liquid tag or expression is left in the Qubes page; extend jekyll_html")
    return c.layout_to_gfm(text)


def php_html(text):
    return c.layout_to_gfm(IMG.sub("", PHP_BLOCK.sub("", text)))


convert = c.converter({"jekyll-html": jekyll_html, "php-html": php_html})


def spi_licence(repo_dir, commit):
    """The licence of SwiftPackageIndex-Server at `commit`, from the start of its LICENSE."""
    text = c.git(repo_dir, "show", f"{commit}:LICENSE").decode().strip()
    url = "https://github.com/SwiftPackageIndex/SwiftPackageIndex-Server/blob/{new}/LICENSE"
    if text.startswith("Apache License"):
        return "Apache-2.0", url
    if text.startswith("Copyright 2020 Dave Verwer and Sven A. Schmidt") and "Permission is hereby granted" in text:
        return "MIT", url
    raise ValueError(f"unexpected LICENSE at {commit}: {text[:80]}")


def source_at(row, repo_dir):
    org, title, licence, licence_url = SOURCES[(row["repository"], row["path"])]
    if licence is None:
        licence, licence_url = spi_licence(repo_dir, row["new_commit"])
    return org, title, licence, licence_url


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, conversion_of, convert, CONVERSION_TEXT, source_at)
