#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-m pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_m.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-m.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file. When the commit renamed the file, the
old version is read at its old path (`git log --follow --name-status`), and
source.yaml names it as old_path.

Sources and conversions (the same steps for both versions of a pair):
- prebid (prebid/prebid.github.io): the Prebid.org privacy policy, Jekyll
  Markdown `privacy.md`, moved to `policies/privacy.md` in 2022-12
  (none: byte for byte `git show COMMIT:PATH`).
- kinopio (kinopio-club/kinopio-help): the Kinopio privacy policy, an 11ty
  Markdown post `posts/privacy-policy.md` (none).
- typicalbot (typicalbot/policies): the TypicalBot privacy policy, Markdown
  `privacy/index.md`, moved to `policies/privacy.md` in 2020-07 (none).
- one-happy-family (OHFLesvos/ohf-community): the user privacy policy of the
  OHF Community web application (One Happy Family, Lesvos), a Laravel Markdown
  language file `resources/lang/en/user-privacy-policy.md`, moved to
  `lang/en/user-privacy-policy.md` in 2022 (none).
- monix (monix/monix.io): the Monix website privacy policy, Jekyll Markdown
  `privacy.md` (none).
- better-conversations (Better-Conversations/docs.bettercourses.org): the
  Better Conversations Foundation privacy policy, reStructuredText
  `source/PRIVACY.rst` (pandoc-rst: `pandoc -f rst -t gfm --wrap=none`).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-m"

SOURCES = {
    # repository: (org, title, conversion, licence, licence_url)
    "prebid/prebid.github.io": ("prebid", "Prebid.org Privacy Policy", "none", "Apache-2.0",
                                "https://github.com/prebid/prebid.github.io/blob/{new}/LICENSE"),
    "kinopio-club/kinopio-help": ("kinopio", "Kinopio Privacy Policy", "none", "ISC",
                                  "https://github.com/kinopio-club/kinopio-help/blob/{new}/package.json"),
    "typicalbot/policies": ("typicalbot", "TypicalBot Privacy Policy", "none", "CC-BY-SA-4.0",
                            "https://github.com/typicalbot/policies/blob/{new}/LICENSE"),
    "Better-Conversations/docs.bettercourses.org": (
        "better-conversations", "Better Conversations Foundation Privacy Policy", "pandoc-rst", "CC-BY-ND-4.0",
        "https://github.com/Better-Conversations/docs.bettercourses.org/blob/{new}/LICENSE.md"),
    "OHFLesvos/ohf-community": ("one-happy-family", "OHF Community User Privacy Policy", "none", "AGPL-3.0",
                                "https://github.com/OHFLesvos/ohf-community/blob/{new}/license.md"),
    "monix/monix.io": ("monix", "Monix Privacy Policy", "none", "CC-BY-4.0",
                       "https://github.com/monix/monix.io/blob/{new}/LICENSE.md"),
}

DOCUMENTS = [
    ("prebid/prebid.github.io", "privacy.md"),
    ("prebid/prebid.github.io", "policies/privacy.md"),
    ("kinopio-club/kinopio-help", "posts/privacy-policy.md"),
    ("typicalbot/policies", "privacy/index.md"),
    ("typicalbot/policies", "policies/privacy.md"),
    ("Better-Conversations/docs.bettercourses.org", "source/PRIVACY.rst"),
    ("OHFLesvos/ohf-community", "resources/lang/en/user-privacy-policy.md"),
    ("OHFLesvos/ohf-community", "lang/en/user-privacy-policy.md"),
    ("monix/monix.io", "privacy.md"),
]

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "pandoc-rst": "pandoc: pandoc -f rst -t gfm --wrap=none (source is reStructuredText; same for both versions)",
}


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "pandoc-rst":
        return c.pandoc(raw, "rst", "gfm")
    raise ValueError(f"unknown conversion {conversion}")


if __name__ == "__main__":
    c.rebuild(PART, {(repo, path): (SOURCES[repo][0], SOURCES[repo][1], SOURCES[repo][3], SOURCES[repo][4])
                     for repo, path in DOCUMENTS},
              lambda repo, path: SOURCES[repo][2], convert, CONVERSION_TEXT)
