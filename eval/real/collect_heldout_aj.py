#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-aj pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_aj.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"; the fetch tool's /work/.mirror has this layout). The pairs are
the rows of pairs.tsv whose part is heldout-aj. Each new_commit is a commit on
the default branch's first-parent line that changed the policy file (merge
commits included, so a merged branch counts as one revision), and old_commit
is its first parent, so the two texts are successive versions of the file
(renames in new_commit are followed).

Sources:
- medium (Medium/medium-policy): the Medium Privacy Policy (Medium, the
  online publishing platform of A Medium Corporation), Markdown
  `privacy-policy.md` (2014-2020); byte for byte `git show COMMIT:PATH`. Its
  first version was plain text, `privacy-policy.txt`, renamed to the
  Markdown file (with edits) on 2014-03-18: medium-01's old.md is that plain
  text, byte for byte. The repository licence
  changed: LICENSE is CC0 1.0 Universal up to 2014-04-11 and Creative
  Commons Attribution-ShareAlike 4.0 from 2016 (README: "We've made these
  policies available under a Creative Commons Sharealike license"), so each
  pair's licence is read from the first line of LICENSE at its new commit
  (`source_at`).
- govtrack (govtrack/govtrack.us-web): the GovTrack.us legal page (GovTrack.us,
  a website that tracks the United States Congress, run by Civic Impulse,
  LLC), a Django HTML page template `templates/website/legal.html`
  (2013-2026), titled "Privacy Policy and Terms of Service" / "Legal Notices".
  The page is one document (a privacy policy followed by terms of use) and is
  kept whole. Conversion `django-html`: the head-only `{% block title %}` and
  `{% block style %}` blocks are dropped, every other `{% ... %}` tag and
  `{# ... #}` comment is removed (the text of the blocks stays), any
  `{{ ... }}` expression is refused rather than guessed at (none occurs),
  layout `<div>`/`<section>`/`<header>`/`<main>`/`<article>` tags are
  removed, then `pandoc -f html -t gfm-raw_html --wrap=none` (pandoc
  2.17.1.1). Both versions of a pair go through the same steps. No licence
  file or licence statement in the repository at any commit used.
- web-scrobbler (web-scrobbler/web-scrobbler): the Web Scrobbler Privacy
  Policy (Web Scrobbler, an open-source browser extension that scrobbles
  music played on websites to Last.fm, Libre.fm and ListenBrainz, by David
  Sabata and the Web Scrobbler team), Markdown `src/PRIVACY.md` (2018-2019),
  renamed on 2019-05-14 (identical text) to `src/_locales/en/privacy.md`
  (2019-2023); byte for byte. Repository licence MIT (LICENSE.md, "Copyright
  (c) 2010-2020 David Sabata & Web Scrobbler Team").
- lineageos (LineageOS/www): the LineageOS legal page (LineageOS, the
  open-source Android distribution, and its website lineageos.org), Jekyll
  Markdown with YAML front matter `legal.md` (2016-2023): one document, Terms
  of Service followed by a Privacy Policy, kept whole; byte for byte.
  Repository licence MIT (LICENSE, "Copyright (c) 2015 Barry Clark", the
  licence of the Jekyll theme the site was built from; no separate licence
  for the texts).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import re
import subprocess

import collect_common as c

PART = "heldout-aj"

MEDIUM = ("medium", "Medium Privacy Policy", None, None)  # see medium_licence
GOVTRACK = ("govtrack", "GovTrack.us Legal Notices: Privacy Policy and Terms of Service",
            "none stated (no licence file or licence statement in the repository)",
            "https://github.com/govtrack/govtrack.us-web/tree/{new}")
LINEAGEOS = ("lineageos", "LineageOS Legal: Terms of Service and Privacy Policy", "MIT",
             "https://github.com/LineageOS/www/blob/{new}/LICENSE")
WEB_SCROBBLER = ("web-scrobbler", "Web Scrobbler Privacy Policy", "MIT",
                 "https://github.com/web-scrobbler/web-scrobbler/blob/{new}/LICENSE.md")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("Medium/medium-policy", "privacy-policy.md"): MEDIUM,
    ("govtrack/govtrack.us-web", "templates/website/legal.html"): GOVTRACK,
    ("web-scrobbler/web-scrobbler", "src/PRIVACY.md"): WEB_SCROBBLER,
    ("web-scrobbler/web-scrobbler", "src/_locales/en/privacy.md"): WEB_SCROBBLER,
    ("LineageOS/www", "legal.md"): LINEAGEOS,
}

CONVERSION = {"govtrack/govtrack.us-web": "django-html"}

CONVERSION_TEXT = {
    "none": c.MARKDOWN_TEXT,
    "django-html": "template clean-up (Django head-only title/style blocks dropped; other {% %} tags and {# #} comments dropped, block text kept; layout <div>/<section>/<header>/<main>/<article> tags dropped), then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none (source is an HTML page template; same for both versions)",
}

HEAD_BLOCK = re.compile(r"\{%\s*block\s+(title|style)\s*%\}.*?\{%\s*endblock(\s+\w+)?\s*%\}", re.S)
COMMENT = re.compile(r"\{#.*?#\}", re.S)
TAG = re.compile(r"\{%.*?%\}", re.S)


def clean_django(text):
    text = HEAD_BLOCK.sub("", text)
    text = COMMENT.sub("", text)
    text = TAG.sub("", text)
    if "{{" in text:
        raise ValueError("a {{ }} expression is left in the GovTrack template; extend clean_django")
    return text


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "django-html":
        return c.layout_to_gfm(clean_django(raw.decode("utf-8")))
    raise ValueError(f"unknown conversion {conversion}")


def medium_licence(repo_dir, commit):
    """The licence of Medium/medium-policy at `commit`, from the first line of its LICENSE."""
    first = c.git(repo_dir, "show", f"{commit}:LICENSE").decode().strip().splitlines()[0]
    url = "https://github.com/Medium/medium-policy/blob/{new}/LICENSE"
    if first.startswith("Creative Commons Attribution-ShareAlike 4.0"):
        return "CC-BY-SA-4.0", url
    if first.startswith("CC0 1.0 Universal"):
        return "CC0-1.0", url
    raise ValueError(f"unexpected LICENSE at {commit}: {first}")


def source_at(row, repo_dir):
    org, title, licence, licence_url = SOURCES[(row["repository"], row["path"])]
    if licence is None:
        licence, licence_url = medium_licence(repo_dir, row["new_commit"])
    return org, title, licence, licence_url


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, lambda repo, path: CONVERSION.get(repo, "none"), convert,
              CONVERSION_TEXT, source_at)
