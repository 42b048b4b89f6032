#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ab pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ab.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-ab.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown or MDX: none: byte for byte `git show COMMIT:PATH`):
- pachli (pachli/pachli-android): the privacy policy of Pachli (an
  open-source Mastodon client for Android), Markdown `PRIVACY.md`
  (2023-2025). Repository licence GPL-3.0 (LICENSE.txt, the GNU General
  Public License version 3 text).
- send (0xsend/send-info-docs): the Send Privacy Policy (Send, a payments
  app and token ecosystem; the repository is its public knowledge base,
  info.send.it), MDX `docs/legal/privacy-policy.mdx` (2025-2026); before
  2025-09-27 the same text was Markdown `docs/legal/privacy-policy.md`,
  listed for `--candidates` only (no pair is taken from it: its one
  revision's commit cannot be read whole in the snapshot). The repository
  states no licence (no licence file; the README names none).
- cuesoft (cuesoftinc/privacy-policy): the Cuesoft Privacy Policy (Cuesoft,
  a software company; formerly "Cuesoft Cloud"), Markdown `README.md` of a
  GitHub Pages policy repository (2022-2026). Repository licence MIT
  (LICENSE, "Copyright (c) 2022 Cuesoft").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-ab"

PACHLI = ("pachli", "Pachli Privacy Policy", "GPL-3.0",
          "https://github.com/pachli/pachli-android/blob/{new}/LICENSE.txt")
SEND = ("send", "Send Privacy Policy", "none stated (no licence file or statement)",
        "https://github.com/0xsend/send-info-docs/tree/{new}")
CUESOFT = ("cuesoft", "Cuesoft Privacy Policy", "MIT",
           "https://github.com/cuesoftinc/privacy-policy/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("pachli/pachli-android", "PRIVACY.md"): PACHLI,
    ("0xsend/send-info-docs", "docs/legal/privacy-policy.md"): SEND,
    ("0xsend/send-info-docs", "docs/legal/privacy-policy.mdx"): SEND,
    ("cuesoftinc/privacy-policy", "README.md"): CUESOFT,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
