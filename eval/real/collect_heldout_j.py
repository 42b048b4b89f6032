"""Rebuild the eval/real/heldout-j pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_j.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-j.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file (same path in both).

Markdown sources (Department for Education's Get help with technology
app/views/pages/privacy.md, MHCLG's CORE app/views/content/privacy_notice.md):
old.md and new.md are byte for byte `git show COMMIT:PATH`. The Environment
Agency pages (waste exemptions, waste carriers), the Get help with technology
privacy-notice partial, the DocumentCloud page and the Rails Girls Kraków page are Rails ERB
templates: both versions go through the same template clean-up (link helpers
`govuk_link_to 'X', url` and `mail_to 'addr', 'X'` kept as their text X,
`mail_to 'addr'` as the address, every other <% %> / <%= %> tag dropped,
layout <div>/<section> tags dropped), then `pandoc -f html -t gfm-raw_html
--wrap=none`.

With --candidates, the script prints every first-parent commit that touched
the policy file with word counts and changed-word counts instead of writing
folders (this is how the pairs were chosen: by dates, sizes and changed-word
counts, not by meaning).
"""
import re

import collect_common as c

PART = "heldout-j"

OGL = "\"OGL-UK-3.0 (LICENSE: Open Government Licence v3, Copyright Environment Agency; for the repository, no separate licence stated for the page texts)\""

SOURCES = {
    ("DEFRA/waste-exemptions-front-office", "app/views/pages/privacy.html.erb"): (
        "environment-agency", "Waste exemptions privacy notice / privacy policy (Environment Agency, Register your waste exemptions service; Rails ERB page)",
        OGL, "https://github.com/DEFRA/waste-exemptions-front-office/blob/{new}/LICENSE"),
    ("DEFRA/waste-carriers-engine", "app/views/pages/privacy.html.erb"): (
        "environment-agency", "Waste carriers, brokers and dealers privacy notice / privacy policy (Environment Agency, waste carriers registration service; Rails ERB page)",
        OGL, "https://github.com/DEFRA/waste-carriers-engine/blob/{new}/LICENSE"),
    ("DFE-Digital/get-help-with-tech", "app/views/pages/privacy.md"): (
        "dfe-tech", "Get help with technology privacy notice (Department for Education, Get help with technology service)",
        "\"MIT (LICENSE/LICENCE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/DFE-Digital/get-help-with-tech/blob/{new}/LICENSE"),
    ("DFE-Digital/get-help-with-tech", "app/views/shared/_privacy_notice_text.html.erb"): (
        "dfe-tech", "Get help with technology general privacy notice text (Department for Education; Rails ERB partial)",
        "\"MIT (LICENSE/LICENCE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/DFE-Digital/get-help-with-tech/blob/{new}/LICENSE"),
    ("communitiesuk/submit-social-housing-lettings-and-sales-data", "app/views/content/privacy_notice.md"): (
        "mhclg-core", "CORE (Submit social housing lettings and sales data) privacy notice (Ministry of Housing, Communities and Local Government)",
        "\"MIT (LICENSE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/communitiesuk/submit-social-housing-lettings-and-sales-data/blob/{new}/LICENSE"),
    ("documentcloud/documentcloud", "app/views/home/privacy.html.erb"): (
        "documentcloud", "DocumentCloud Privacy Policy (DocumentCloud, a project of Investigative Reporters & Editors until 2017; documentcloud.org Rails ERB page)",
        "\"MIT (LICENSE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/documentcloud/documentcloud/blob/{new}/LICENSE"),
    ("LunarLogic/rails-girls-submissions", "app/views/pages/privacy_policy.html.erb"): (
        "rails-girls-krakow", "Rails Girls Kraków Privacy Policy (workshop application system by Lunar Logic; Rails ERB page)",
        "\"MIT (LICENSE, for the repository; no separate licence stated for the page texts)\"",
        "https://github.com/LunarLogic/rails-girls-submissions/blob/{new}/LICENSE"),
}

ERB_FILES = {path for (_, path) in SOURCES if path.endswith(".erb")}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "erb-html": "ERB clean-up (govuk_link_to/mail_to helpers kept as their link text, mail_to without text as its address; other <% %> and <%= %> tags and layout <div>/<section> tags dropped), then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none (source is a Rails ERB page template; same for both versions)",
}

Q = r"""(['"])(.*?)\1(?:\.html_safe)?"""
LINK = re.compile(r"<%=\s*(?:govuk_)?link_to\s*\(?\s*" + Q + r"\s*,.*?%>", re.S)
MAIL_TEXT = re.compile(r"<%=\s*(?:govuk_)?mail_to\s*\(?\s*" + Q + r"\s*,\s*" + Q.replace(r"\1", r"\3") + r".*?%>", re.S)
MAIL = re.compile(r"<%=\s*(?:govuk_)?mail_to\s*\(?\s*" + Q + r"\s*\)?\s*%>", re.S)
ERB = re.compile(r"<%.*?%>", re.S)
DIV = re.compile(r"</?(div|section|article|main|header)\b[^>]*>", re.I)


def clean_erb(text):
    text = LINK.sub(lambda m: m.group(2), text)
    text = MAIL_TEXT.sub(lambda m: m.group(4), text)
    text = MAIL.sub(lambda m: m.group(2), text)
    text = ERB.sub("", text)
    text = DIV.sub("", text)
    return text


def conversion_of(path):
    return "erb-html" if path in ERB_FILES else "none"


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "erb-html":
        return c.html_to_gfm(clean_erb(raw.decode("utf-8")))
    raise ValueError(f"unknown conversion {conversion}")


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, lambda repo, path: conversion_of(path), convert, CONVERSION_TEXT)
