#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-o pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_o.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-o.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources and conversions (the same steps for both versions of a pair):
- aicrowd (AICrowd/aicrowd): the privacy policy of crowdAI / AIcrowd (EPFL
  spin-off AIcrowd SA/Ltd, Lausanne; the crowdAI challenge platform from
  2016), a Rails ERB page `app/views/pages/privacy.html.erb` (erb-html:
  `<%= mail_to 'ADDRESS' %>` kept as its address, other `<% %>` tags, HTML
  comments and layout `<div>` tags dropped, then pandoc HTML -> gfm).
- pilosa (FeatureBaseDB/www): the Pilosa Corp. website privacy policy
  (pilosa.com, later FeatureBase), Hugo Markdown `content/legal/privacy.md`
  (none: byte for byte `git show COMMIT:PATH`).
- moj-prison-visits (ministryofjustice/help-with-prison-visits-external): the
  privacy notice of 'Get help with the cost of prison visits' (HM Prison and
  Probation Service, Ministry of Justice), a Nunjucks page
  `app/views/privacy.html` (njk-html: the page-title block dropped, other
  `{% ... %}` and `{{ ... }}` tags and layout `<div>`/`<main>` tags dropped,
  then pandoc HTML -> gfm). The 2018 commit that split the notice out of the
  terms-and-conditions page is not used (its old version is another document).
- regulated-professions (UKGovernmentBEIS/regulated-professions-register):
  the privacy policy / privacy notice of the Regulated Professions Register
  (BEIS, then the Department for Business and Trade), a Nunjucks page
  `views/pages/privacy-policy.njk` (njk-html, as above; `{{ title }}` replaced
  by the value of the page's `{% set title = "..." %}`).
- emf (emfcamp/Website): the privacy policy of Electromagnetic Field
  (Electromagnetic Field Ltd, a UK non-profit camping festival), a Jinja page
  `templates/privacy.html`, from 2018-03 `templates/about/privacy.html`
  (jinja-html: the title block and other `{% ... %}` / `{{ ... }}` tags
  (extends, block, url_for and config expressions) dropped, then pandoc
  HTML -> gfm), and from 2023-12 Markdown `templates/about/privacy.md` (none:
  byte for byte). The commit that turned the page from HTML into Markdown is
  not used (its two versions would not be converted the same way).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import re

import collect_common as c

PART = "heldout-o"

SOURCES = {
    # repository: (org, title, conversion, licence, licence_url)
    "AICrowd/aicrowd": ("aicrowd", "crowdAI / AIcrowd Privacy Policy", "erb-html", "AGPL-3.0",
                        "https://github.com/AICrowd/aicrowd/blob/855c8da08292b0064766568e2acc936da47a2322/LICENSE.md"),
    "FeatureBaseDB/www": ("pilosa", "Pilosa Privacy Policy", "none", "none stated",
                          "https://github.com/FeatureBaseDB/www"),
    "ministryofjustice/help-with-prison-visits-external": (
        "moj-prison-visits", "Get help with the cost of prison visits: Privacy notice", "njk-html", "MIT",
        "https://github.com/ministryofjustice/help-with-prison-visits-external/blob/{new}/LICENSE"),
    "UKGovernmentBEIS/regulated-professions-register": (
        "regulated-professions", "Regulated Professions Register: Privacy policy / Privacy Notice", "njk-html", "MIT",
        "https://github.com/UKGovernmentBEIS/regulated-professions-register/blob/{new}/LICENSE"),
    "emfcamp/Website": (
        "emf", "Electromagnetic Field Privacy policy", "jinja-html", "AGPL-3.0",
        "https://github.com/emfcamp/Website/blob/e6576f9fd13e639301c4f597dc3ffd4da9db1c6c/LICENSE"),
}

DOCUMENTS = [
    ("AICrowd/aicrowd", "app/views/pages/privacy.html.erb"),
    ("FeatureBaseDB/www", "content/legal/privacy.md"),
    ("ministryofjustice/help-with-prison-visits-external", "app/views/privacy.html"),
    ("UKGovernmentBEIS/regulated-professions-register", "views/pages/privacy-policy.njk"),
    ("emfcamp/Website", "templates/privacy.html"),
    ("emfcamp/Website", "templates/about/privacy.html"),
    ("emfcamp/Website", "templates/about/privacy.md"),
]

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "erb-html": "ERB clean-up (<%= mail_to 'ADDRESS' %> kept as its address; other <% %> tags, HTML comments "
                "and layout <div> tags dropped), then pandoc -f html -t gfm-raw_html --wrap=none (source is a "
                "Rails ERB page template; same for both versions)",
    "jinja-html": "Jinja clean-up (the title block dropped, other {% %} and {{ }} tags (extends, block, "
                  "url_for and config expressions) dropped), then pandoc -f html -t gfm-raw_html --wrap=none "
                  "(same for both versions)",
    "njk-html": "Nunjucks clean-up (the page-title block dropped, {{ title }} replaced by the value of its "
                "{% set title = '...' %}, other {% %} and {{ }} tags (extends, block, include, import) and layout "
                "<div>/<main> tags dropped), then pandoc -f html -t gfm-raw_html --wrap=none (same for both versions)",
}


def erb_html(text):
    text = re.sub(r"<%=\s*mail_to\s+['\"]([^'\"]+)['\"]\s*%>", r"\1", text)
    text = re.sub(r"<%.*?%>", "", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return c.layout_to_gfm(text)


def njk_html(text):
    text = re.sub(r"\{%\s*block\s+(pageTitle|page_title)\s*%\}.*?\{%\s*endblock\s*%\}", "", text, flags=re.S)
    m = re.search(r"\{%\s*set\s+title\s*=\s*\"([^\"]*)\"\s*%\}", text)
    if m:
        text = re.sub(r"\{\{\s*title\s*\}\}", m.group(1), text)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", text, flags=re.S)
    return c.layout_to_gfm(text)


def jinja_html(text):
    text = re.sub(r"\{%\s*block\s+title\s*%\}.*?\{%\s*endblock\s*%\}", "", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", text, flags=re.S)
    return c.layout_to_gfm(text)


def conversion_of(repo, path):
    """EMF's page became Markdown in 2023-12; its HTML versions are Jinja templates."""
    if repo == "emfcamp/Website" and path.endswith(".md"):
        return "none"
    return SOURCES[repo][2]


convert = c.converter({"erb-html": erb_html, "jinja-html": jinja_html, "njk-html": njk_html})


if __name__ == "__main__":
    c.rebuild(PART, {(repo, path): (SOURCES[repo][0], SOURCES[repo][1], SOURCES[repo][3], SOURCES[repo][4])
                     for repo, path in DOCUMENTS},
              conversion_of, convert, CONVERSION_TEXT)
