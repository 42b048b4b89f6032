#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-aa pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_aa.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-aa.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file (a rename in new_commit is followed).

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- fortrabbit (fortrabbit/legal): the fortrabbit Privacy Policy, later
  "Privacy Statement" (fortrabbit, a Berlin PHP hosting company), Markdown
  `privacy-policy.md` (2017-2025), renamed `privacy-statement.md` on
  2025-11-27 and moved to `data-protection/privacy-statement.md` on
  2026-06-15. The repository has no licence file; its README says, under
  "License": "Do what ever you want with it. Fork and reuse for your own
  project." (present at every commit used).
- sharex (ShareX/sharex.github.io): the ShareX Privacy Policy (ShareX, an
  open-source screen-capture program), Jekyll Markdown
  `privacy-policy/index.md` (2017-2022), renamed `privacy-policy.md` on
  2022-10-01. Repository licence GPL-3.0 (LICENSE.txt).
- gdlauncher (gorilla-devs/ToS-Privacy): the GorillaDevs, Inc. Customer
  Privacy Statement (GorillaDevs, the US company behind the GDLauncher
  Minecraft launcher), Markdown with YAML front matter `privacy-statement.md`
  (2023-2026). The repository states no licence (README is a title only).
- signpath (SignPath/website): the SignPath Privacy Policy (SignPath GmbH, an
  Austrian code-signing service company), Jekyll Markdown
  `privacy-policy.md` (2020-2021), moved to `src/privacy-policy.md` and then
  `docs/privacy-policy.md` on 2022-01-04. Repository licence CC BY-NC-SA 4.0
  (LICENSE.md, "SignPath documentation (c) by SignPath Gmbh ... provided under
  the conditions of the Creative Commons Attribution-NonCommercial-ShareAlike
  4.0 license", in the repository since 2020-02-12).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-aa"

FORTRABBIT = ("fortrabbit", "fortrabbit Privacy Policy / Privacy Statement",
              "none stated; README permits any reuse",
              "https://github.com/fortrabbit/legal/blob/{new}/README.md")
SHAREX = ("sharex", "ShareX Privacy Policy", "GPL-3.0",
          "https://github.com/ShareX/sharex.github.io/blob/{new}/LICENSE.txt")
GDLAUNCHER = ("gdlauncher", "GorillaDevs Customer Privacy Statement (GDLauncher)", "none stated",
              "https://github.com/gorilla-devs/ToS-Privacy/blob/{new}/README.md")
SIGNPATH = ("signpath", "SignPath Privacy Policy", "CC-BY-NC-SA-4.0",
            "https://github.com/SignPath/website/blob/{new}/LICENSE.md")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("fortrabbit/legal", "privacy-policy.md"): FORTRABBIT,
    ("fortrabbit/legal", "privacy-statement.md"): FORTRABBIT,
    ("fortrabbit/legal", "data-protection/privacy-statement.md"): FORTRABBIT,
    ("ShareX/sharex.github.io", "privacy-policy/index.md"): SHAREX,
    ("ShareX/sharex.github.io", "privacy-policy.md"): SHAREX,
    ("gorilla-devs/ToS-Privacy", "privacy-statement.md"): GDLAUNCHER,
    ("SignPath/website", "privacy-policy.md"): SIGNPATH,
    ("SignPath/website", "src/privacy-policy.md"): SIGNPATH,
    ("SignPath/website", "docs/privacy-policy.md"): SIGNPATH,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
