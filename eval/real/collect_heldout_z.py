#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-z pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_z.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-z.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown or MDX: none: byte for byte `git show COMMIT:PATH`):
- readme (readmeio/legal): the ReadMe Privacy Policy (ReadMe, a US company
  making API documentation software), Markdown `Privacy-Policy.md`
  (2014-2024). The repository states no licence (no LICENSE or README file).
- activist-checklist (ActivistChecklist/ActivistChecklist): the Activist
  Checklist Privacy page (Activist Checklist, a volunteer project publishing
  digital security guides for activists and organizers), MDX with YAML front
  matter `content/en/pages/privacy.mdx` (2026). Repository licence for the
  content CC BY-SA 4.0 (LICENSE, "Attribution-ShareAlike 4.0 International",
  since 2025-08-22; the code is under GPL-3.0, LICENSE-CODE).
- mdanalysis (MDAnalysis/MDAnalysis.github.io): the MDAnalysis Privacy Policy
  (MDAnalysis, an open-source Python library for molecular dynamics analysis,
  a fiscally sponsored project of NumFOCUS), Jekyll Markdown
  `pages/privacy.md` (2020-2025), from 2026-05-07 `privacy.md`. The
  repository states no licence (no LICENSE file; the site's sidebar reads
  "(c) <year>. All rights reserved.").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-z"

README = ("readme", "ReadMe Privacy Policy", "none stated",
          "https://github.com/readmeio/legal/tree/{new}")
ACTIVIST = ("activist-checklist", "Activist Checklist Privacy", "CC-BY-SA-4.0",
            "https://github.com/ActivistChecklist/ActivistChecklist/blob/{new}/LICENSE")
MDANALYSIS = ("mdanalysis", "MDAnalysis Privacy Policy", "none stated",
              "https://github.com/MDAnalysis/MDAnalysis.github.io/tree/{new}")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("readmeio/legal", "Privacy-Policy.md"): README,
    ("ActivistChecklist/ActivistChecklist", "content/en/pages/privacy.mdx"): ACTIVIST,
    ("MDAnalysis/MDAnalysis.github.io", "pages/privacy.md"): MDANALYSIS,
    ("MDAnalysis/MDAnalysis.github.io", "privacy.md"): MDANALYSIS,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
