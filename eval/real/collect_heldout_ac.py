#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ac pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ac.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-ac.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- matrix-org (element-hq/policies): the Matrix.org Privacy Notice (The
  Matrix.org Foundation, the UK community interest company that stewards the
  Matrix protocol and runs the matrix.org homeserver), kept in the policies
  repository of New Vector Ltd (Element), Markdown
  `matrix-org/privacy_notice.md` (2018), from 2018-10-12
  `docs/matrix-org/privacy_notice.md` (2018-2023). No licence is stated in the
  repository (no licence file; the README and package.json name none).
- element (element-hq/policies): two privacy notices of New Vector Ltd,
  trading as Element (a UK software company), Markdown: the identity server
  (vector.im) Privacy Notice `docs/identity-server/privacy_notice.md`
  (2019-2020) and the Element Matrix Services (EMS) Privacy Notice
  `docs/ems/privacy_notice.md` (2020-2022). No licence stated (as above).
- netnewswire (Ranchero-Software/NetNewsWire): the NetNewsWire Privacy Policy
  (NetNewsWire, an open-source RSS reader by Brent Simmons / Ranchero
  Software), Markdown `Technotes/privacypolicy.markdown` (2019-2025).
  Repository licence MIT (LICENSE, "Copyright (c) 2017 brentsimmons", later
  "Copyright (c) 2002-2025 Brent Simmons").
- ntfy (binwiederhier/ntfy): the ntfy Privacy Policy (ntfy, the open-source
  push-notification service ntfy.sh by Philipp C. Heckel), Markdown
  `docs/privacy.md` (2021-2022). Repository dual-licensed Apache-2.0 and
  GPL-2.0 (LICENSE, LICENSE.GPLv2; README: "dual licensed under the Apache
  License 2.0 and the GPLv2 License").

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-ac"

NONE = "none stated (no licence file in the repository)"

MATRIX = ("matrix-org", "Matrix.org Privacy Notice", NONE,
          "https://github.com/element-hq/policies/tree/{new}")
ELEMENT_IS = ("element", "Element Identity Server Privacy Notice", NONE,
              "https://github.com/element-hq/policies/tree/{new}")
ELEMENT_EMS = ("element", "Element Matrix Services Privacy Notice", NONE,
               "https://github.com/element-hq/policies/tree/{new}")
NETNEWSWIRE = ("netnewswire", "NetNewsWire Privacy Policy", "MIT",
               "https://github.com/Ranchero-Software/NetNewsWire/blob/{new}/LICENSE")
NTFY = ("ntfy", "ntfy Privacy Policy", "Apache-2.0 OR GPL-2.0",
        "https://github.com/binwiederhier/ntfy/blob/{new}/README.md#license")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("element-hq/policies", "matrix-org/privacy_notice.md"): MATRIX,
    ("element-hq/policies", "docs/matrix-org/privacy_notice.md"): MATRIX,
    ("element-hq/policies", "docs/identity-server/privacy_notice.md"): ELEMENT_IS,
    ("element-hq/policies", "docs/ems/privacy_notice.md"): ELEMENT_EMS,
    ("Ranchero-Software/NetNewsWire", "Technotes/privacypolicy.markdown"): NETNEWSWIRE,
    ("binwiederhier/ntfy", "docs/privacy.md"): NTFY,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
