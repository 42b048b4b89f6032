#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ag pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ag.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-ag.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- id-editor (openstreetmap/iD): the iD Privacy Policy (iD, the open-source
  in-browser map editor of OpenStreetMap, the default editor on
  openstreetmap.org, by the iD contributors), Markdown `PRIVACY.md`
  (2019-2020). Repository licence ISC (LICENSE.md, "Copyright (c) 2017, iD
  Contributors").
- amethyst (vitorpamplona/amethyst): the Amethyst Privacy Policy (Amethyst, an
  open-source Nostr client for Android by Vitor Pamplona), Markdown
  `PRIVACY.md` (2023-2026). Repository licence MIT (LICENSE, "Copyright (c)
  2023 Vitor Pamplona").
- voipms-sms (michaelkourlas/voipms-sms-client): the VoIP.ms SMS Privacy
  Policy (VoIP.ms SMS, an open-source Android SMS/MMS client for VoIP.ms
  accounts by Michael Kourlas), Markdown `PRIVACY.md` (2017-2025).
  Repository licence Apache-2.0 (LICENSE.md; README: "licensed under the
  Apache License 2.0").
- rikka (RikkaApps/websites): the RikkaApps Privacy Policy (RikkaApps, a small
  Android app developer: Shizuku, App Ops, Storage Redirect and others),
  VuePress Markdown with YAML front matter `www/privacy_policy.md`
  (2019-2022). No licence stated (no licence file for the site; package.json
  names none).

Commit dates are read with `git log -1` (collect_common.date), because one
Amethyst merge (amethyst-07) has a combined diff that needs a blob the
snapshot lacks.

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""


import collect_common as c



PART = "heldout-ag"

ID = ("openstreetmap-id", "iD Privacy Policy", "ISC",
      "https://github.com/openstreetmap/iD/blob/{new}/LICENSE.md")
AMETHYST = ("amethyst", "Amethyst Privacy Policy", "MIT",
            "https://github.com/vitorpamplona/amethyst/blob/{new}/LICENSE")

VOIPMS = ("voipms-sms", "VoIP.ms SMS Privacy Policy", "Apache-2.0",
          "https://github.com/michaelkourlas/voipms-sms-client/blob/{new}/LICENSE.md")

RIKKA = ("rikka", "RikkaApps Privacy Policy", "none stated (no licence file in the repository)",
         "https://github.com/RikkaApps/websites/tree/{new}")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("openstreetmap/iD", "PRIVACY.md"): ID,
    ("vitorpamplona/amethyst", "PRIVACY.md"): AMETHYST,
    ("michaelkourlas/voipms-sms-client", "PRIVACY.md"): VOIPMS,
    ("RikkaApps/websites", "www/privacy_policy.md"): RIKKA,
}

if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES)
