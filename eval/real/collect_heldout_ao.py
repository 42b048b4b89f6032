#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ao pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ao.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"; the fetch tool's /work/.mirror has this layout). The pairs are
the rows of pairs.tsv whose part is heldout-ao. Each new_commit is a commit on
the default branch's first-parent line that changed the policy file (merge
commits included, so a merged branch counts as one revision), and old_commit
is its first parent, so the two texts are successive versions of the file.

Sources:
- compiler-explorer (compiler-explorer/compiler-explorer): the Compiler
  Explorer Privacy Policy (Compiler Explorer, godbolt.org, an online service
  that compiles code pasted by its users and stores short links to it), a
  plain HTML page `static/policies/privacy.html` (2018-2022), converted with
  pandoc after dropping layout elements (`collect_common.layout_to_gfm`).
  From 2022-05 the policy is a Pug template (`static/generated/privacy.pug`)
  and is not used. Repository licence BSD-2-Clause (LICENSE, at every commit
  used).
- freenode (freenode/web-7.0): "The Policies" of the freenode IRC network
  (freenode.net), Markdown with Pelican front matter
  `content/pages/policies.md` (2016-2021): the network's policy document,
  whose sections include "Public Logging" and "Privacy Policy and Data
  Retention"; the whole document is used. Repository licence CC BY-NC-SA 4.0
  (LICENSE, at every commit used).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-ao"

COMPILER_EXPLORER = ("compiler-explorer", "Compiler Explorer Privacy Policy", "BSD-2-Clause",
                     "https://github.com/compiler-explorer/compiler-explorer/blob/{new}/LICENSE")
FREENODE = ("freenode", "freenode: The Policies (incl. Privacy Policy and Data Retention)",
            "CC-BY-NC-SA-4.0", "https://github.com/freenode/web-7.0/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("compiler-explorer/compiler-explorer", "static/policies/privacy.html"): COMPILER_EXPLORER,
    ("freenode/web-7.0", "content/pages/policies.md"): FREENODE,
}

CONVERSION_TEXT = {
    "none": c.MARKDOWN_TEXT,
    "pandoc-layout-html": "pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none after dropping "
            "div/section/header/main/article tags (their text kept); source is a plain HTML page with "
            "no template tags; same for both versions",
}


def conversion_of(repo, path):
    return "pandoc-layout-html" if path.endswith(".html") else "none"


convert = c.converter({"pandoc-layout-html": c.layout_to_gfm})


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, conversion_of, convert, CONVERSION_TEXT)
