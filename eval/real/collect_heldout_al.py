#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-al pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_al.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"; the fetch tool's /work/.mirror has this layout). The pairs are
the rows of pairs.tsv whose part is heldout-al. Each new_commit is a commit on
the default branch's first-parent line that changed the policy file (merge
commits included, so a merged branch counts as one revision), and old_commit
is its first parent, so the two texts are successive versions of the file
(renames in new_commit are followed).

Sources (all Markdown or MDX: none: byte for byte `git show COMMIT:PATH`):
- safe-wallet (safe-global/safe-wallet-monorepo): the Safe{Wallet} Privacy
  Policy (Safe{Wallet}, the web and mobile interface of the Safe smart-account
  wallet, app.safe.global), Markdown `src/markdown/privacy/privacy.md`
  (2024), moved on 2024-12-19 (identical text) to
  `apps/web/src/markdown/privacy/privacy.md` (2024-2026). Earlier versions of
  the policy were a TSX page (`src/pages/privacy.tsx`,
  `src/components/privacy/index.tsx`) and are not used. Repository licence
  GPL-3.0 (LICENSE, at every commit used).
- stately (statelyai/docs): the Stately Privacy policy (Stately, the company
  behind the XState library and the Stately Studio visual editor,
  stately.ai), MDX with YAML front matter `src/pages/privacy.mdx`
  (2023-2024). Later versions are a TSX page and are not used. No licence
  file and no licence statement in the README or package.json at any commit
  used.
- hca-data-portal (DataBiosphere/data-portal): the Privacy Notice for the
  Human Cell Atlas Data Portal public website (data.humancellatlas.org, built
  by the UC Santa Cruz Genomics Institute for the Human Cell Atlas Data
  Coordination Platform; "University of California Statement of Privacy
  Practices"), Markdown with YAML front matter
  `content/privacy/privacy/privacy.md` (2019-2024), then MDX with YAML front
  matter `next/docs/privacy.mdx` (a new file of 2024-08-28, not a rename),
  renamed on 2024-11-04 (identical text) to `docs/privacy.mdx` (2024-2026).
  Repository licence Apache-2.0 (LICENSE, at every commit used).
- still-dont-care (OhMyGuus/I-Still-Dont-Care-About-Cookies): the Privacy
  Policy of "I still don't care about cookies" (an open-source browser
  extension that removes cookie warnings, a fork of "I don't care about
  cookies", maintained by OhMyGuus), Markdown `PRIVACY_POLICY.md`
  (2023-2025). Repository licence GPL-3.0 (LICENSE, at every commit used;
  README "License: GPL v3").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-al"

SAFE = ("safe-wallet", "Safe{Wallet} Privacy Policy", "GPL-3.0",
        "https://github.com/safe-global/safe-wallet-monorepo/blob/{new}/LICENSE")
STATELY = ("stately", "Stately Privacy Policy",
           "none stated (no licence file or licence statement in the repository)",
           "https://github.com/statelyai/docs/tree/{new}")
HCA = ("hca-data-portal", "Privacy Notice for Human Cell Atlas Data Portal Public Website",
       "Apache-2.0", "https://github.com/DataBiosphere/data-portal/blob/{new}/LICENSE")
STILL_DONT_CARE = ("still-dont-care", "I still don't care about cookies Privacy Policy", "GPL-3.0",
                   "https://github.com/OhMyGuus/I-Still-Dont-Care-About-Cookies/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("safe-global/safe-wallet-monorepo", "src/markdown/privacy/privacy.md"): SAFE,
    ("safe-global/safe-wallet-monorepo", "apps/web/src/markdown/privacy/privacy.md"): SAFE,
    ("statelyai/docs", "src/pages/privacy.mdx"): STATELY,
    ("DataBiosphere/data-portal", "content/privacy/privacy/privacy.md"): HCA,
    ("DataBiosphere/data-portal", "next/docs/privacy.mdx"): HCA,
    ("DataBiosphere/data-portal", "docs/privacy.mdx"): HCA,
    ("OhMyGuus/I-Still-Dont-Care-About-Cookies", "PRIVACY_POLICY.md"): STILL_DONT_CARE,
}


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
