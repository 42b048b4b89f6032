#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ah pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ah.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-ah.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file (renames in new_commit are followed).

Sources (all Markdown or MDX: none: byte for byte `git show COMMIT:PATH`):
- napari-hub (chanzuckerberg/napari-hub): the napari hub Privacy Policy /
  Privacy Notice (napari-hub.org, a service of the Chan Zuckerberg Initiative
  for the napari image viewer's plugins), MDX (Markdown with JSX) under three
  paths: `client/src/pages/privacy.mdx` (2021), renamed on 2021-07-01 to
  `frontend/src/pages/privacy.mdx` (2021), renamed on 2022-01-10 to
  `frontend/i18n/en/privacy.mdx` (2022-2023). Repository licence MIT
  (LICENSE, "Copyright (c) 2021 Chan Zuckerberg Initiative").
- etchdroid (etchdroid/etchdroid-website): the EtchDroid Privacy Policy
  (EtchDroid, an open-source Android app that writes OS images to USB drives,
  by Davide Depau), Jekyll Markdown with YAML front matter `privacy.md`
  (2019-2025). Repository licence MIT (LICENSE, "Copyright (c) 2015 Antônio
  Vinícius Menezes Medeiros", the licence of the Jekyll theme the site was
  built from; no separate licence for the texts).
- packetframe (packetframe/legacy): the Packetframe (first named delivr.dev)
  Privacy Policy (Packetframe, an open-source anycast CDN and DNS hosting
  service by Nate Sales), Markdown under three paths:
  `docs/docs/privacy-policy.md` (Docusaurus, 2020), moved on 2020-11-27 to
  `frontend/src/docs/privacy-policy.md`, renamed on 2020-11-28 to
  `frontend/src/docs/privacyPolicy.md` (mdsvex, 2020-2021). The repository
  licence changed over these weeks, so it is read from LICENSE at each new
  commit (`source_at`): GPL-3.0 (from 2020-10-26), AGPL-3.0 (from
  2020-11-11), no licence file (2020-11-21 to 2020-11-28), AGPL-3.0 again
  (from 2020-11-28).
- markdown-guide (mattcone/markdown-guide): the Markdown Guide Privacy Policy
  (markdownguide.org, a reference website by Matt Cone), Jekyll Markdown with
  YAML front matter `privacy-policy.md` (2022-2023). Content licensed CC BY-SA
  4.0 (README: "The content of this project itself is licensed under the
  Creative Commons Attribution-ShareAlike 4.0 International license"; code
  MIT, LICENSE.txt).

Commit dates are read with `git log -1` (collect_common.date), so that a
merge (packetframe-03) never needs a combined diff.

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import subprocess

import collect_common as c



PART = "heldout-ah"

NAPARI = ("napari-hub", "napari hub Privacy Policy", "MIT",
          "https://github.com/chanzuckerberg/napari-hub/blob/{new}/LICENSE")
ETCHDROID = ("etchdroid", "EtchDroid Privacy Policy", "MIT",
             "https://github.com/etchdroid/etchdroid-website/blob/{new}/LICENSE")
PACKETFRAME = ("packetframe", "Packetframe Privacy Policy", None, None)  # see packetframe_licence
MARKDOWN_GUIDE = ("markdown-guide", "Markdown Guide Privacy Policy", "CC-BY-SA-4.0",
                  "https://github.com/mattcone/markdown-guide/blob/{new}/README.md#license")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("chanzuckerberg/napari-hub", "client/src/pages/privacy.mdx"): NAPARI,
    ("chanzuckerberg/napari-hub", "frontend/src/pages/privacy.mdx"): NAPARI,
    ("chanzuckerberg/napari-hub", "frontend/i18n/en/privacy.mdx"): NAPARI,
    ("etchdroid/etchdroid-website", "privacy.md"): ETCHDROID,
    ("packetframe/legacy", "docs/docs/privacy-policy.md"): PACKETFRAME,
    ("packetframe/legacy", "frontend/src/docs/privacy-policy.md"): PACKETFRAME,
    ("packetframe/legacy", "frontend/src/docs/privacyPolicy.md"): PACKETFRAME,
    ("mattcone/markdown-guide", "privacy-policy.md"): MARKDOWN_GUIDE,
}


def packetframe_licence(repo_dir, commit):
    """The licence of packetframe/legacy at `commit`, from the first line of its LICENSE."""
    try:
        first = c.git(repo_dir, "show", f"{commit}:LICENSE").decode().strip().splitlines()[0]
    except subprocess.CalledProcessError:
        return ("none stated at this commit (no LICENSE file between 2020-11-21 and "
                "2020-11-28; AGPL-3.0 before and after)",
                "https://github.com/packetframe/legacy/tree/{new}")
    if "AFFERO" in first:
        return "AGPL-3.0", "https://github.com/packetframe/legacy/blob/{new}/LICENSE"
    if "GNU GENERAL PUBLIC LICENSE" in first:
        return "GPL-3.0", "https://github.com/packetframe/legacy/blob/{new}/LICENSE"
    raise ValueError(f"unexpected LICENSE at {commit}: {first}")


def source_at(row, repo_dir):
    org, title, licence, licence_url = SOURCES[(row["repository"], row["path"])]
    if licence is None:
        licence, licence_url = packetframe_licence(repo_dir, row["new_commit"])
    return org, title, licence, licence_url


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES, source_at)
