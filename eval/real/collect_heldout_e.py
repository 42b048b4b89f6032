#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-e pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_e.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-e.
Each new_commit is a commit on the default branch that changed the policy
file, and old_commit is its first parent, so the two texts are successive
versions of the file. Markdown sources: old.md and new.md are byte for byte
`git show COMMIT:PATH`. FixMyStreet's page is a Template Toolkit HTML
template: every `[% ... %]` tag and the layout `<div>`, `<section>` and
`<header>` tags are removed, then `pandoc -f html -t gfm-raw_html --wrap=none`
(the same steps for both versions of a pair).

With --candidates, the script prints every first-parent commit that touched
the policy file with word counts and changed-word counts instead of writing
folders (this is how the pairs were chosen: by dates, sizes and changed-word
counts, not by meaning).
"""
import re

import collect_common as c

PART = "heldout-e"

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("exercism/website-copy", "pages/privacy.md"): (
        "exercism", "Exercism Privacy Policy (exercism.org / exercism.io)",
        "\"none stated for the pages (the repository's licences/ folder holds the MIT and CC-BY-SA-4.0 texts without saying which files they cover)\"",
        "https://github.com/exercism/website-copy/tree/{new}/licences"),
    ("CenterForOpenScience/cos.io", "PRIVACY_POLICY.md"): (
        "cos", "Center for Open Science Privacy Policy (cos.io, OSF)", "Apache-2.0",
        "https://github.com/CenterForOpenScience/cos.io/blob/{new}/LICENSE"),
    ("carpentries/docs.carpentries.org", "source/policies/privacy.md"): (
        "carpentries", "The Carpentries Privacy Policy (docs.carpentries.org)", "CC-BY-4.0",
        "https://github.com/carpentries/docs.carpentries.org/blob/{new}/LICENSE.md"),
    ("mysociety/fixmystreet", "templates/web/fixmystreet.com/about/privacy.html"): (
        "mysociety", "FixMyStreet Privacy, cookies, and third party services (mySociety; fixmystreet.com)",
        "\"AGPL-3.0-or-later (LICENSE.txt, for 'most of the software here'; no separate licence stated for the page texts)\"",
        "https://github.com/mysociety/fixmystreet/blob/{new}/LICENSE.txt"),
}

# Conversion per repository; "none" = Markdown byte for byte.
CONVERSION = {"mysociety/fixmystreet": "tt-html"}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "tt-html": ("Template Toolkit [% ... %] tags and layout <div>, <section> and <header> tags dropped, then pandoc 2.17.1.1: "
                "pandoc -f html -t gfm-raw_html --wrap=none (source is a Template Toolkit HTML template; same for both versions)"),
}


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "tt-html":
        text = raw.decode("utf-8")
        text = re.sub(r"\[%.*?%\]", "", text, flags=re.S)
        text = re.sub(r"</?(div|section|header)\b[^>]*>", "", text)
        return c.html_to_gfm(text)
    raise ValueError(f"unknown conversion {conversion}")


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, lambda repo, path: CONVERSION.get(repo, "none"), convert, CONVERSION_TEXT)
