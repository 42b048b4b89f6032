"""Rebuild the eval/real/heldout-i pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_i.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-i.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file (same path in both).

Markdown sources (Outreachy's docs/privacy-policy.md, MLH's privacy-policy.md):
old.md and new.md are byte for byte `git show COMMIT:PATH`. The MetaBrainz
(Flask/Jinja2) and Django Girls (Django) policies are HTML page templates:
both versions go through the same template clean-up (template tags dropped,
the head-only title/description/meta_* blocks dropped, translated strings
`{{ _('X') }}`, `{% trans "X" %}` kept as their text X (a
string's escaped quote \\' read as '), other `{{ ... }}`
expressions such as URLs dropped), then `pandoc -f html -t gfm-raw_html
--wrap=none`.

With --candidates, the script prints every first-parent commit that touched
the policy file with word counts and changed-word counts instead of writing
folders (this is how the pairs were chosen: by dates, sizes and changed-word
counts, not by meaning).
"""
import re

import collect_common as c

PART = "heldout-i"

SOURCES = {
    ("outreachy/website", "docs/privacy-policy.md"): (
        "outreachy", "Privacy Statement for Outreachy (Software Freedom Conservancy's Outreachy internship program, outreachy.org)",
        "\"GPL-3.0 (LICENSE.md, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/outreachy/website/blob/{new}/LICENSE.md"),
    ("metabrainz/metabrainz.org", "metabrainz/templates/index/privacy.html"): (
        "metabrainz", "MetaBrainz Foundation Privacy Policy (MusicBrainz, ListenBrainz and other MetaBrainz projects; metabrainz.org page template)",
        "\"none stated (no licence file in the repository)\"",
        "https://github.com/metabrainz/metabrainz.org/tree/{new}"),
    ("DjangoGirls/djangogirls", "templates/core/privacy_cookies.html"): (
        "django-girls", "Cookie and Privacy Policies of Django Girls Website (Django Girls Foundation, djangogirls.org page template)",
        "\"BSD-3-Clause-style (LICENSE: 'Copyright (c) Django Girls Foundation and individual contributors. All rights reserved.' with redistribution conditions)\"",
        "https://github.com/DjangoGirls/djangogirls/blob/{new}/LICENSE"),
    ("OpenTTD/website", "pages/policy.html"): (
        "openttd", "OpenTTD Policy page: Privacy Statement and Cookies Policy (OpenTTD open-source game project, openttd.org Jekyll site)",
        "\"GPL-2.0 (LICENSE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/OpenTTD/website/blob/{new}/LICENSE"),
    ("canonical/ubuntu.com", "templates/legal/data-privacy/index.html"): (
        "canonical", "Canonical Data privacy policy (Canonical Group Limited, Ubuntu; ubuntu.com/legal/data-privacy, Flask/Jinja2 page template)",
        "\"LGPL-3.0 (LICENSE.md, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/canonical/ubuntu.com/blob/{new}/LICENSE.md"),
    ("MLH/mlh-policies", "privacy-policy.md"): (
        "mlh", "Major League Hacking Privacy Policy (Major League Hacking, Inc., mlh.io)",
        "CC-BY-SA-4.0",
        "https://github.com/MLH/mlh-policies/blob/{new}/LICENSE.md"),
}

CONVERSION = {"metabrainz/metabrainz.org": "template-html", "DjangoGirls/djangogirls": "template-html",
              "OpenTTD/website": "jekyll-html", "canonical/ubuntu.com": "template-html"}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "template-html": "template clean-up (Jinja2/Django tags dropped; head-only title/description/meta_* blocks dropped; translated strings kept as text; other {{ }} expressions and layout <div>/<section> tags dropped), then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none (source is an HTML page template; same for both versions)",
    "jekyll-html": "Jekyll front matter dropped, then the same template clean-up (Liquid tags and {{ }} expressions, layout <div>/<section> tags dropped), then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none (source is a Jekyll HTML page; same for both versions)",
}

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
HEAD_BLOCK = re.compile(r"\{%\s*block\s+(title|description|meta_\w+)\s*%\}.*?\{%\s*endblock(\s+\w+)?\s*%\}", re.S)
JINJA_GETTEXT = re.compile(r"\{\{\s*_\(\s*(['\"])(.*?)\1\s*\)\s*\}\}", re.S)
DJANGO_TRANS = re.compile(r"\{%\s*trans\s+(['\"])(.*?)\1\s*%\}", re.S)
COMMENT = re.compile(r"\{#.*?#\}", re.S)
TAG = re.compile(r"\{%.*?%\}", re.S)
EXPR = re.compile(r"\{\{.*?\}\}", re.S)
DIV = re.compile(r"</?(div|section|article|main|header)\b[^>]*>", re.I)


def clean_template(text):
    text = HEAD_BLOCK.sub("", text)
    text = COMMENT.sub("", text)
    text = JINJA_GETTEXT.sub(lambda m: m.group(2).replace("\\" + m.group(1), m.group(1)), text)
    text = DJANGO_TRANS.sub(lambda m: m.group(2), text)
    text = TAG.sub("", text)
    text = EXPR.sub("", text)
    text = DIV.sub("", text)
    return text


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "template-html":
        return c.html_to_gfm(clean_template(raw.decode("utf-8")))
    if conversion == "jekyll-html":
        return c.html_to_gfm(clean_template(FRONT_MATTER.sub("", raw.decode("utf-8"), count=1)))
    raise ValueError(f"unknown conversion {conversion}")


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, lambda repo, path: CONVERSION.get(repo, "none"), convert, CONVERSION_TEXT)
