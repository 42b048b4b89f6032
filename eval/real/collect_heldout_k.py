"""Rebuild the eval/real/heldout-k pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_k.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-k.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file (same path in both).

All four sources are Markdown (Jekyll, Hugo or plain repository files), so
old.md and new.md are byte for byte `git show COMMIT:PATH`: the OctoPrint
website privacy policy (OctoPrint/octoprint.org privacy/index.md), the Delta
Chat apps privacy policy (deltachat/deltachat-pages en/gdpr.md), Clever's
privacy policy (Clever/policies privacy-policy.md) and the batect privacy
policy (batect/batect docs/content/Privacy.md).

With --candidates, the script prints every first-parent commit that touched
the policy file with word counts and changed-word counts instead of writing
folders (this is how the pairs were chosen: by dates, sizes and changed-word
counts, not by meaning).
"""
import collect_common as c

PART = "heldout-k"

SOURCES = {
    ("OctoPrint/octoprint.org", "privacy/index.md"): (
        "octoprint", "OctoPrint Privacy Policy (octoprint.org website, plugins.octoprint.org and related OctoPrint web services; Gina Häußge; Jekyll page)",
        "\"GPL-3.0-or-later (README.md: 'Licensed GPLv3+, see the LICENSE file'; no LICENSE file in the snapshot; for the repository, no separate licence stated for the page texts)\"",
        "https://github.com/OctoPrint/octoprint.org/blob/{new}/README.md"),
    ("deltachat/deltachat-pages", "en/gdpr.md"): (
        "delta-chat", "Privacy Policy Delta Chat Apps (delta.chat, English page; merlinux GmbH)",
        "\"GPL-3.0 (LICENSE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/deltachat/deltachat-pages/blob/{new}/LICENSE"),
    ("Clever/policies", "privacy-policy.md"): (
        "clever", "Clever Privacy Policy (Clever Inc.; policies repository, Markdown, 2014-2022)",
        "\"none stated\"",
        "https://github.com/Clever/policies"),
    ("batect/batect", "docs/content/Privacy.md"): (
        "batect", "batect privacy policy (batect build tool and its related services; documentation page, Markdown)",
        "\"Apache-2.0 (LICENSE, for the repository; no separate licence stated for the documentation texts)\"",
        "https://github.com/batect/batect/blob/{new}/LICENSE"),
}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
}


def convert(raw, conversion):
    if conversion == "none":
        return raw
    raise ValueError(f"unknown conversion {conversion}")


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, lambda repo, path: "none", convert, CONVERSION_TEXT)
