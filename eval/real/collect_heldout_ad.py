#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ad pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ad.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-ad.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources and conversions (the same steps for both versions of a pair):
- corona-warn-app (corona-warn-app/cwa-app-android): the English privacy
  notice of the Corona-Warn-App, Germany's official COVID-19 exposure
  notification app (the Robert Koch Institute is the controller; the app was
  developed by SAP and Deutsche Telekom), shipped in the Android app as the
  HTML asset `Corona-Warn-App/src/main/assets/privacy_en.html` (2020-2023).
  The asset is a plain HTML fragment (headings, paragraphs, lists, links; no
  template tags and no layout elements), so the conversion is pandoc alone
  (pandoc-html: `pandoc -f html -t gfm-raw_html --wrap=none`). On the default branch
  every change arrives as a merge of a release branch or tag; the old version
  is the merge's first parent (the branch as it was before the release).
  Repository licence Apache-2.0 (LICENSE; README "Licensing"; REUSE .reuse/dep5:
  "Files: ** ... License: Apache-2.0").
- fluffychat (krille-chan/fluffychat): the FluffyChat privacy policy
  (FluffyChat, the open-source Matrix messenger app by Christian Kussowski,
  "Krille"), Markdown `PRIVACY.md` (2020-2026; none: byte for byte
  `git show COMMIT:PATH`). Repository licence AGPL-3.0 (LICENSE; REUSE.toml
  and the file's SPDX header name AGPL-3.0-or-later).
- rclone (rclone/rclone): the rclone privacy policy (rclone, the open-source
  cloud-storage command-line program by Nick Craig-Wood; it covers the
  rclone.org website and rclone's own OAuth client credentials), Hugo
  Markdown `docs/content/privacy.md` (2015-2025; none). Repository licence
  MIT (COPYING, "Copyright (C) 2012 by Nick Craig-Wood").
- deno (denoland/docs): the Deno Deploy privacy policy (Deno Land Inc., the
  company behind the Deno runtime and its hosted service Deno Deploy), Lume
  Markdown in the docs.deno.com repository: `deploy/guide/privacy-policy.md`
  (2023-08), `deploy/manual/privacy-policy.md` (2023-08 to 2025-09),
  `deploy/classic/privacy-policy.md` (2025-09), `deploy/privacy-policy.md`
  (2025-09 to 2025-10) and `deploy/privacy_policy.md` (from 2025-10) (none).
  Repository licence MIT (LICENSE, "Copyright (c) 2018-2024 the Deno
  authors").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-ad"

CWA = ("corona-warn-app", "Corona-Warn-App Privacy Notice (Robert Koch Institute)", "Apache-2.0",
       "https://github.com/corona-warn-app/cwa-app-android/blob/{new}/LICENSE")
FLUFFYCHAT = ("fluffychat", "FluffyChat Privacy Policy", "AGPL-3.0",
              "https://github.com/krille-chan/fluffychat/blob/{new}/LICENSE")
RCLONE = ("rclone", "Rclone Privacy Policy", "MIT",
          "https://github.com/rclone/rclone/blob/{new}/COPYING")
DENO = ("deno", "Deno Deploy Privacy Policy (Deno Land Inc.)", "MIT",
        "https://github.com/denoland/docs/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("corona-warn-app/cwa-app-android", "Corona-Warn-App/src/main/assets/privacy_en.html"): CWA,
    ("krille-chan/fluffychat", "PRIVACY.md"): FLUFFYCHAT,
    ("rclone/rclone", "docs/content/privacy.md"): RCLONE,
    ("denoland/docs", "deploy/guide/privacy-policy.md"): DENO,
    ("denoland/docs", "deploy/manual/privacy-policy.md"): DENO,
    ("denoland/docs", "deploy/classic/privacy-policy.md"): DENO,
    ("denoland/docs", "deploy/privacy-policy.md"): DENO,
    ("denoland/docs", "deploy/privacy_policy.md"): DENO,
}

CONVERSION_TEXT = {
    "none": c.MARKDOWN_TEXT,
    "pandoc-html": "pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none (source is a plain HTML fragment, "
            "the privacy notice asset of the Android app, with no template tags or layout elements; same for "
            "both versions)",
}


def conversion_of(repo, path):
    return "pandoc-html" if path.endswith(".html") else "none"


def old_path_of(repo_dir, commit, path, first_parent_only=False):
    """Path of the file in commit's first parent (follows a rename in commit). Unlike
    collect_common's `git log --follow`, rename detection is limited to the document paths
    listed in SOURCES: the denoland/docs snapshot lacks one large image, and a rename search
    over the whole commit (which moved that image too) cannot read it."""
    paths = sorted({p for (_, p) in SOURCES})
    out = c.git(repo_dir, "diff", "--name-status", "-M", commit + "^1", commit, "--", *paths).decode()
    for line in out.splitlines():
        fields = line.split("\t")
        if fields[0].startswith("R") and fields[2] == path:
            return fields[1]
    return path


c.old_path_of = old_path_of


convert = c.converter({"pandoc-html": c.html_to_gfm})


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, conversion_of, convert, CONVERSION_TEXT)
