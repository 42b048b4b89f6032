#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ai pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ai.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-ai.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file (renames in new_commit are followed).

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- shattered-pixel (00-Evan/00-Evan.github.io): the two privacy policies of
  Shattered Pixel (shatteredpixel.com, the website of Evan Debenham, the
  one-person developer of the open-source game Shattered Pixel Dungeon),
  Jekyll Markdown with YAML front matter: the Shattered Pixel Dungeon app
  policy `_pages/privacy-shatteredpd.md` (2019-2021) and the website policy
  `_pages/privacy.md` (2019-2025). Repository licence MIT (LICENSE, "Copyright
  (c) 2013-2019 Michael Rose and contributors", the Minimal Mistakes Jekyll
  theme, and "Copyright (c) 2019 Evan Debenham"; no separate licence for the
  texts).
- counter-dev (ihucos/counter.dev): the Counter Privacy Policy (counter.dev,
  a small open-source, privacy-friendly web analytics service by Irae Hueck
  Costa and Ana Maria Sandoval Jimenez), from 2022-05-21 Markdown inside a Jinja page template (a
  `{% markdown %}` block in `{% block content %}`) under three paths:
  `templates/pages/privacy.html.j2` (2022), renamed on 2022-05-21 to
  `templates/pages/privacy.html` (2022), moved on 2023-03-31 without a change
  to `content/pages/privacy.html`, and from 2023-04-13 plain Markdown with an
  HTML comment holding the page's JSON metadata, `content/pages/privacy.md`
  (2023-2025). The earlier versions, a full HTML page `static/privacy.html`
  (2021-2022), are not used (no HTML conversion in this part). Repository
  licence AGPL-3.0 (LICENSE; README "AGPL Licensed").
- elixir-rdmkit (elixir-europe/rdmkit): the privacy policy of the RDMkit
  website (the ELIXIR Research Data Management Kit, rdmkit.elixir-europe.org,
  run by ELIXIR, the European life-science research infrastructure), Jekyll
  Markdown with YAML front matter `pages/privacy.md` (2021), moved on
  2021-03-30 to `pages/about/privacy.md` (2021-2026). Licence (LICENSE):
  documentation under CC BY 4.0, software under MIT.

Commit dates are read with `git log -1` (collect_common.date).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c



PART = "heldout-ai"

SHATTERED_PD = ("shattered-pixel", "Shattered Pixel Dungeon Privacy Policy", "MIT",
                "https://github.com/00-Evan/00-Evan.github.io/blob/{new}/LICENSE")
SHATTERED_WEB = ("shattered-pixel", "Shattered Pixel Website Privacy Policy", "MIT",
                 "https://github.com/00-Evan/00-Evan.github.io/blob/{new}/LICENSE")
COUNTER = ("counter-dev", "Counter Privacy Policy", "AGPL-3.0",
           "https://github.com/ihucos/counter.dev/blob/{new}/LICENSE")
RDMKIT = ("elixir-rdmkit", "RDMkit Privacy Policy", "CC-BY-4.0",
          "https://github.com/elixir-europe/rdmkit/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("00-Evan/00-Evan.github.io", "_pages/privacy-shatteredpd.md"): SHATTERED_PD,
    ("00-Evan/00-Evan.github.io", "_pages/privacy.md"): SHATTERED_WEB,
    ("ihucos/counter.dev", "templates/pages/privacy.html.j2"): COUNTER,
    ("ihucos/counter.dev", "templates/pages/privacy.html"): COUNTER,
    ("ihucos/counter.dev", "content/pages/privacy.html"): COUNTER,
    ("ihucos/counter.dev", "content/pages/privacy.md"): COUNTER,
    ("elixir-europe/rdmkit", "pages/privacy.md"): RDMKIT,
    ("elixir-europe/rdmkit", "pages/about/privacy.md"): RDMKIT,
}


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
