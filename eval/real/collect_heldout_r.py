#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-r pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_r.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-r.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

GitHub's privacy statement (github/site-policy) was collected and labelled for
this part too, then dropped before any run: the project had developed against
GitHub's statement before (issue 10's site-policy pairs), so it was not
unseen text.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- travis-ci (travis-ci/docs-travis-ci-com): the Travis CI Privacy Policy
  (Travis CI GmbH, Berlin), Jekyll Markdown `legal/privacy-policy.md`
  (2018-2020). The README states: "Distributed under the MIT license, like
  other Travis CI projects" (MIT; no separate licence for the page texts).
- doaj (DOAJ/doaj): the Directory of Open Access Journals "Privacy
  information notice" (DOAJ, a not-for-profit service), Markdown
  `cms/pages/legal/privacy.md` (2021-2026). Repository licence Apache-2.0
  (LICENSE).
- fairemail (M66B/FairEmail): the FairEmail privacy policy (the open-source
  Android email app by Marcel Bokhorst, later "Provided by FairCode B.V."),
  Markdown `PRIVACY.md` (2019-2025). Repository licence GPL-3.0-or-later
  (LICENSE; README: "Copyright (c) 2018-2026 Marcel Bokhorst ... GNU General
  Public License ... version 3 of the License, or (at your option) any later
  version").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-r"

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("travis-ci/docs-travis-ci-com", "legal/privacy-policy.md"): (
        "travis-ci", "Travis CI Privacy Policy (Travis CI GmbH)", "MIT",
        "https://github.com/travis-ci/docs-travis-ci-com/blob/{new}/README.md"),
    ("DOAJ/doaj", "cms/pages/legal/privacy.md"): (
        "doaj", "Directory of Open Access Journals: Privacy information notice", "Apache-2.0",
        "https://github.com/DOAJ/doaj/blob/{new}/LICENSE"),
    ("M66B/FairEmail", "PRIVACY.md"): (
        "fairemail", "FairEmail privacy policy", "GPL-3.0-or-later",
        "https://github.com/M66B/FairEmail/blob/{new}/LICENSE"),
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
