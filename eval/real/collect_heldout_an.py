#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-an pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_an.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"; the fetch tool's /work/.mirror has this layout). The pairs are
the rows of pairs.tsv whose part is heldout-an. Each new_commit is a commit on
the default branch's first-parent line that changed the policy file (merge
commits included, so a merged branch counts as one revision), and old_commit
is its first parent, so the two texts are successive versions of the file
(renames in new_commit are followed).

Sources (all Markdown or MDX: none: byte for byte `git show COMMIT:PATH`):
- cirrus-ci (cirruslabs/cirrus-ci-docs; DROPPED before any run, see README.md): the Cirrus CI Privacy Policy
  (Cirrus CI, a hosted continuous-integration service run by Cirrus Labs,
  cirrus-ci.org / cirrus-ci.com), MkDocs Markdown with YAML front matter
  `docs/legal/privacy.md` (2018-2022). The file was added as `privacy.md` on
  2017-12-06 and renamed unchanged to `docs/about/privacy.md` (2018-01-25)
  and to `docs/legal/privacy.md` (2018-01-26); it was not edited before
  2019. Repository licence MIT ("Copyright (c) 2017-present CirrusLabs";
  LICENSE, at every commit used); the policy text itself says, in its
  "Reuse" section at every commit used, that it is based on the Automattic
  Privacy Policy and licensed under Creative Commons Attribution Share-Alike
  2.5 (CC BY-SA 2.5), so source.yaml gives both.
- infracost (infracost/docs): the Infracost Privacy Policy (Infracost Inc.,
  a cloud-cost estimation tool for infrastructure as code and its hosted
  Infracost Cloud, infracost.io), Docusaurus Markdown with YAML front matter
  `docs/privacy_policy.md` (2021-2025). LICENSE (at every commit used, from
  2021-02-15; Apache-2.0 before): the text contents of the website are
  licensed under Creative Commons Attribution-NonCommercial-NoDerivatives
  4.0 International (CC BY-NC-ND 4.0); the design is proprietary.
- kinde (kinde-oss/documentation): Kinde's privacy policy ("Our privacy
  policy"; Kinde, an Australian authentication and user-management platform,
  kinde.com), Astro Starlight MDX with YAML front matter
  `src/content/docs/trust-center/privacy-and-compliance/privacy-policy.mdx`
  (2024-2026). No licence file and no licence statement in the README or
  package.json at any commit used.
- ghostfolio (ghostfolio/ghostfolio): the Ghostfolio Privacy Policy
  (Ghostfolio, an open-source wealth-management app with a hosted service,
  Ghostfolio Premium, ghostfol.io), Markdown
  `apps/client/src/assets/privacy-policy.md` (2022-2026), shown by the app's
  privacy-policy page. Repository licence AGPL-3.0 (LICENSE; README
  "Licensed under the AGPLv3 License", at every commit used).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-an"

INFRACOST = ("infracost", "Infracost Privacy Policy",
             "CC BY-NC-ND 4.0 (text contents of the website, per LICENSE; design proprietary)",
             "https://github.com/infracost/docs/blob/{new}/LICENSE")
KINDE = ("kinde", "Kinde: Our privacy policy",
         "none stated (no licence file or licence statement in the repository)",
         "https://github.com/kinde-oss/documentation/tree/{new}")
GHOSTFOLIO = ("ghostfolio", "Ghostfolio Privacy Policy", "AGPL-3.0",
              "https://github.com/ghostfolio/ghostfolio/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("infracost/docs", "docs/privacy_policy.md"): INFRACOST,
    ("kinde-oss/documentation",
     "src/content/docs/trust-center/privacy-and-compliance/privacy-policy.mdx"): KINDE,
    ("ghostfolio/ghostfolio", "apps/client/src/assets/privacy-policy.md"): GHOSTFOLIO,
}


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
