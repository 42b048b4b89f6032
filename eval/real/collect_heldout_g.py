#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-g pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_g.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-g.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file (same path in both). Markdown sources:
old.md and new.md are byte for byte `git show COMMIT:PATH` (front matter
kept). Democracy Club's page is a Django template whose body is Markdown
inside `{% filter markdown %}`: the page_title block and every other template
tag are removed and its one `<h1>` heading is written as a Markdown heading,
the rest kept as is. Python Discord's page is a Jinja2 HTML template: every
`{% ... %}`, `{{ ... }}` and `{# ... #}` tag and the layout `<div>`,
`<section>`, `<article>`, `<main>` and `<header>` tags are removed, then
`pandoc -f html -t gfm-raw_html --wrap=none`. The same steps for both
versions of a pair.

With --candidates, the script prints every first-parent commit that touched
the policy file with word counts and changed-word counts instead of writing
folders (this is how the pairs were chosen: by dates, sizes and changed-word
counts, not by meaning).
"""
import re

import collect_common as c

PART = "heldout-g"

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("OWASP/www-policy", "operational/privacy.md"): (
        "owasp", "OWASP Foundation Privacy Policy (owasp.org policy repository)", "\"none stated\"",
        "https://github.com/OWASP/www-policy/tree/{new}"),
    ("AntennaPod/antennapod.github.io", "_i18n/en/general/privacy.md"): (
        "antennapod", "AntennaPod Privacy Policy (antennapod.org, English text of the Jekyll site)",
        "\"CC-BY-SA-4.0 (README.md: 'the texts on the site under a Creative Commons Attribution-ShareAlike International 4.0 license')\"",
        "https://github.com/AntennaPod/antennapod.github.io/blob/{new}/README.md"),
    ("organicmaps/organicmaps.github.io", "content/privacy.md"): (
        "organic-maps", "Organic Maps Privacy Policy (organicmaps.app, Zola site; path until 2022-11)",
        "\"Apache-2.0 (LICENSE; no separate licence stated for the page texts)\"",
        "https://github.com/organicmaps/organicmaps.github.io/blob/{new}/LICENSE"),
    ("organicmaps/organicmaps.github.io", "content/privacy/index.md"): (
        "organic-maps", "Organic Maps Privacy Policy (organicmaps.app, Zola site)",
        "\"Apache-2.0 (LICENSE; no separate licence stated for the page texts)\"",
        "https://github.com/organicmaps/organicmaps.github.io/blob/{new}/LICENSE"),
    ("DemocracyClub/Website", "democracy_club/templates/privacy.html"): (
        "democracy-club", "Democracy Club Privacy Policy (democracyclub.org.uk, Django template)",
        "\"BSD-3-Clause (LICENSE.rst, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/DemocracyClub/Website/blob/{new}/LICENSE.rst"),
    ("python-discord/site", "templates/main/about/privacy.html"): (
        "python-discord", "Python Discord Privacy Policy (pythondiscord.com, 2018 Flask site, Jinja2 template)",
        "\"MIT (LICENSE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/python-discord/site/blob/{new}/LICENSE"),
}

# Conversion per repository; "none" = Markdown byte for byte.
CONVERSION = {"DemocracyClub/Website": "django-markdown", "python-discord/site": "jinja-html"}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "django-markdown": ("the page_title block and every other Django template tag ({% ... %}, {{ ... }}, {# ... #}) dropped, "
                        "the one <h1> heading written as a Markdown '# ' heading (&amp; as &); the rest kept byte for byte "
                        "(source is a Django template whose body is Markdown inside {% filter markdown %}; same for both versions)"),
    "jinja-html": ("Jinja2 template tags ({% ... %}, {{ ... }}, {# ... #}) and layout <div>, <section>, <article>, <main> "
                   "and <header> tags dropped, then pandoc: pandoc -f html -t gfm-raw_html --wrap=none "
                   "(source is a Jinja2 HTML template; same for both versions)"),
}


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "django-markdown":
        text = raw.decode("utf-8")
        text = re.sub(r"\{% block page_title %\}.*?\{% endblock[^%]*%\}", "", text, flags=re.S)
        text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", "", text, flags=re.S)
        text = re.sub(r"<h1>(.*?)</h1>", lambda m: "# " + m.group(1).replace("&amp;", "&"), text)
        return text.encode("utf-8")
    if conversion == "jinja-html":
        text = raw.decode("utf-8")
        text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", "", text, flags=re.S)
        text = re.sub(r"</?(div|section|article|main|header)\b[^>]*>", "", text)
        return c.html_to_gfm(text)
    raise ValueError(f"unknown conversion {conversion}")


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, lambda repo, path: CONVERSION.get(repo, "none"), convert, CONVERSION_TEXT)
