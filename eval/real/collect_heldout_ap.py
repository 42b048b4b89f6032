#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ap pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ap.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"; the fetch tool's /work/.mirror has this layout). The pairs are
the rows of pairs.tsv whose part is heldout-ap. Each new_commit is a commit on
the default branch's first-parent line that changed the policy file (merge
commits included, so a merged branch counts as one revision), and old_commit
is its first parent, so the two texts are successive versions of the file
(renames in new_commit are followed).

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- koliseo (koliseoapi/help): the Privacy Policy of Koliseo (koliseo.com, an
  online event registration, ticketing and call-for-papers service run by
  Koliseo Limited), Markdown with Hugo front matter
  `content/about/privacy.md` of its help site (2018-2024). Repository
  licence Apache-2.0 (LICENSE, "Copyright (c) 2017 Koliseo Limited", at
  every commit used).
- scratch-addons (ScratchAddons/website-v2): the privacy policy of the
  Scratch Addons browser extension (an open-source extension that adds
  features to the Scratch website, scratchaddons.com), Markdown with Hugo
  front matter `content/docs/privacy/policies/extension.md` (2021), renamed
  on 2021-07-30 to `content/docs/policies/privacy/extension.md` (2021-2025).
  The separate privacy policy of the project's website (`website.md`) is not
  used. Repository licence GPL-3.0 (LICENSE, at every commit used).
- mindhive (mindhiveproject/frontend): the Privacy policy of MindHive
  (mindhive.science, an online citizen-science platform for human brain and
  behaviour studies in which students and community members design studies
  and take part in them, run from New York University), Markdown with YAML
  front matter `content/docs/privacy.md` (2020). No licence file at any
  commit used; package.json declares "license": "ISC".

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-ap"

KOLISEO = ("koliseo", "Koliseo Privacy Policy", "Apache-2.0",
           "https://github.com/koliseoapi/help/blob/{new}/LICENSE")
SCRATCH_ADDONS = ("scratch-addons", "Scratch Addons extension privacy policy", "GPL-3.0",
                  "https://github.com/ScratchAddons/website-v2/blob/{new}/LICENSE")
MINDHIVE = ("mindhive", "MindHive Privacy policy",
            "ISC (package.json \"license\" field; no licence file in the repository)",
            "https://github.com/mindhiveproject/frontend/blob/{new}/package.json")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("koliseoapi/help", "content/about/privacy.md"): KOLISEO,
    ("ScratchAddons/website-v2", "content/docs/privacy/policies/extension.md"): SCRATCH_ADDONS,
    ("ScratchAddons/website-v2", "content/docs/policies/privacy/extension.md"): SCRATCH_ADDONS,
    ("mindhiveproject/frontend", "content/docs/privacy.md"): MINDHIVE,
}


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
