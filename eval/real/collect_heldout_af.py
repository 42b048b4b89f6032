#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-af pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_af.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-af.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- voice (PaulWoitaschek/Voice): the privacy policy of Voice, the open-source
  Android audiobook player by Paul Woitaschek, Markdown `PRIVACY.md`
  (2015-2025).
- breezy-weather (breezy-weather/breezy-weather): the privacy policy of
  Breezy Weather, the open-source Android weather application, Markdown
  `PRIVACY.md` (2023-2025).
- ice-cubes (Dimillian/IceCubesApp): the privacy policy of Ice Cubes, the
  open-source Mastodon client for iOS and macOS by Thomas Ricouard, Markdown
  `PRIVACY.MD` (2022-2025).
- trio (nightscout/Trio): the privacy policy of Trio, the open-source
  automated insulin delivery application for iOS of the Nightscout community,
  Markdown `PRIVACY_POLICY.md` (default branch, 2026).

Licences (the repository's licence at each pair's new commit, read from its
licence file by `source_at`; no separate licence is stated for the policies):
Voice LGPL-3.0 (LICENSE.md) until 2018-11-10, GPL-3.0 after it; Breezy
Weather LGPL-3.0 (LICENSE; from 2023-08-26 with the additional terms of
LICENSE_ADDITIONAL); Ice Cubes Apache-2.0 (LICENSE) until 2024-02-10,
AGPL-3.0 after it; Trio MIT (LICENSE.txt, "Copyright (c) 2021 Ivan
Valkou"). See NOTICE.md.

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-af"

# (org, title, licence file); the licence is named from the file at the new commit.
VOICE = ("voice", "Voice Privacy Policy", "LICENSE.md")
BREEZY = ("breezy-weather", "Breezy Weather Privacy Policy", "LICENSE")
ICE_CUBES = ("ice-cubes", "Ice Cubes Privacy Policy", "LICENSE")
TRIO = ("trio", "Trio Privacy Policy", "LICENSE.txt")

# First words of a licence file -> SPDX name.
LICENCE_NAMES = [
    ("GNU LESSER GENERAL PUBLIC LICENSE", "LGPL-3.0"),
    ("GNU AFFERO GENERAL PUBLIC LICENSE", "AGPL-3.0"),
    ("GNU GENERAL PUBLIC LICENSE", "GPL-3.0"),
    ("Apache License", "Apache-2.0"),
    ("MIT License", "MIT"),
]

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("PaulWoitaschek/Voice", "PRIVACY.md"): VOICE,
    ("breezy-weather/breezy-weather", "PRIVACY.md"): BREEZY,
    ("Dimillian/IceCubesApp", "PRIVACY.MD"): ICE_CUBES,
    ("nightscout/Trio", "PRIVACY_POLICY.md"): TRIO,
}





def licence_at(repo_dir, commit, licence_file):
    """SPDX name of the licence file at `commit` (its first non-blank line)."""
    text = c.git(repo_dir, "show", f"{commit}:{licence_file}").decode()
    first = next(line for line in text.splitlines() if line.strip())
    first = first.strip().lstrip("#").strip()
    for start, name in LICENCE_NAMES:
        if first.startswith(start):
            return name
    raise ValueError(f"unknown licence in {licence_file} at {commit}: {first}")


def source_at(row, repo_dir):
    org, title, licence_file = SOURCES[(row["repository"], row["path"])]
    licence = licence_at(repo_dir, row["new_commit"], licence_file)
    url = f"https://github.com/{row['repository']}/blob/{{new}}/{licence_file}"
    return org, title, licence, url


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES, source_at)
