#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-p pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_p.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-p.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources and conversions (the same steps for both versions of a pair):
- hmcts-money-claims (hmcts/cmc-citizen-frontend): the privacy policy of
  HM Courts & Tribunals Service's 'Money Claims' online service, a Nunjucks
  page `src/main/views/privacy-policy.njk` whose English text sits in
  `{{ t('...') }}` translation calls (njk-i18n-html: each such call replaced
  by its string literals joined, a link macro call kept as its link text;
  then njk-html: the page-title block dropped, other `{% ... %}` and
  `{{ ... }}` tags and layout `<div>`/`<main>` tags dropped, then pandoc
  HTML -> gfm).
- defra-ahwr (DEFRA/ffc-ahwr-farmer-apply): the privacy notice of Defra's
  'Apply for an annual health and welfare review of livestock' (AHWR)
  service, a Nunjucks page `app/views/privacy-policy.njk` (njk-html, as above).
- nhs-service-manual (nhsuk/nhsuk-service-manual): the privacy policy of the
  NHS digital service manual website (NHS Digital, later NHS England), a
  Nunjucks page `app/views/privacy-policy.njk`, from 2019-07 `app/views/privacy.njk`
  (njk-html, as above).

- iai-redbox (i-dot-ai/redbox): the privacy notice (later privacy policy) of
  Redbox, the generative-AI assistant for civil servants built by the
  Incubator for Artificial Intelligence (i.AI; Cabinet Office, then the
  Department for Science, Innovation and Technology), a Jinja page
  `django_app/redbox_app/templates/privacy-notice.html` (jinja-set-html: the
  title block dropped; the page as served without the 'uktrade' feature flag, i.e. the flag's
  `{% if %}` branch dropped and its `{% else %}` branch kept; `{{ NAME }}`
  replaced by the value of the page's `{% set NAME = "..." %}`; other tags
  and layout `<div>` tags dropped, then pandoc HTML -> gfm).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import re

import collect_common as c

PART = "heldout-p"

SOURCES = {
    # repository: (org, title, conversion, licence, licence_url)
    "hmcts/cmc-citizen-frontend": (
        "hmcts-money-claims", "Money Claims (HMCTS) Privacy policy", "njk-i18n-html", "MIT",
        "https://github.com/hmcts/cmc-citizen-frontend/blob/{new}/LICENSE.md"),
    "DEFRA/ffc-ahwr-farmer-apply": (
        "defra-ahwr", "Annual health and welfare review of livestock: Privacy notice", "njk-html", "OGL-UK-3.0",
        "https://github.com/DEFRA/ffc-ahwr-farmer-apply/blob/{new}/LICENCE"),
    "i-dot-ai/redbox": (
        "iai-redbox", "Redbox (i.AI) Privacy notice / Privacy policy", "jinja-set-html", "MIT",
        "https://github.com/i-dot-ai/redbox/blob/{new}/LICENCE"),
    "nhsuk/nhsuk-service-manual": (
        "nhs-service-manual", "NHS digital service manual Privacy policy", "njk-html", "MIT",
        "https://github.com/nhsuk/nhsuk-service-manual/blob/1ed624d4381414563b6c45750a32b4b36f7f1453/LICENSE"),
}

DOCUMENTS = [
    ("hmcts/cmc-citizen-frontend", "src/main/views/privacy-policy.njk"),
    ("DEFRA/ffc-ahwr-farmer-apply", "app/views/privacy-policy.njk"),
    ("nhsuk/nhsuk-service-manual", "app/views/privacy-policy.njk"),
    ("nhsuk/nhsuk-service-manual", "app/views/privacy.njk"),
    ("i-dot-ai/redbox", "django_app/redbox_app/templates/privacy-notice.html"),
]

CONVERSION_TEXT = {
    "jinja-set-html": "Jinja clean-up (the title block dropped; the page as served without the 'uktrade' flag: the flag's {% if %} branch "
                      "dropped and its {% else %} branch kept; {{ NAME }} and {{ NAME | safe }} replaced by the value "
                      "of the page's {% set NAME = '...' %}; other {% %} and {{ }} tags dropped), then pandoc -f html "
                      "-t gfm-raw_html --wrap=none (same for both versions)",
    "njk-i18n-html": "Nunjucks i18n clean-up (each {{ t('...' + '...', {...}) }} expression replaced by the string "
                     "literals of its first argument joined, an externalLink/internalLink macro call kept as its link text), then the "
                     "Nunjucks clean-up and pandoc as for njk-html (same for both versions)",
    "njk-html": "Nunjucks clean-up (the page-title block dropped, {{ title }} replaced by the value of its "
                "{% set title = '...' %}, other {% %} and {{ }} tags (extends, block, include, import) and layout "
                "<div>/<main> tags dropped), then pandoc -f html -t gfm-raw_html --wrap=none (same for both versions)",
}


def njk_html(text):
    text = re.sub(r"\{%\s*block\s+(pageTitle|page_title)\s*%\}.*?\{%\s*endblock\s*%\}", "", text, flags=re.S)
    m = re.search(r"\{%\s*set\s+title\s*=\s*\"([^\"]*)\"\s*%\}", text)
    if m:
        text = re.sub(r"\{\{\s*title\s*\}\}", m.group(1), text)
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", text, flags=re.S)
    return c.layout_to_gfm(text)


LIT = r"'((?:[^'\\\\]|\\\\.)*)'"


def t_first_argument(text, i):
    """From index i (just after `{{ t(`), the source of t()'s first argument and the index just
    after the closing `}}` of the expression; string literals are skipped whole, so `{{ ... }}`
    or commas inside them do not end anything."""
    depth, arg_end, j = 1, None, i
    while j < len(text):
        ch = text[j]
        if ch == "'":
            j += 1
            while text[j] != "'":
                j += 2 if text[j] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and arg_end is None:
                arg_end = j
        elif ch == "," and depth == 1 and arg_end is None:
            arg_end = j
        elif text.startswith("}}", j) and depth <= 0:
            return text[i:arg_end], j + 2
        j += 1
    raise ValueError("unterminated {{ t(...) }} expression")


def t_text(arg):
    """The English text of t()'s first argument: its string literals joined, a link macro call
    kept as its link text."""
    arg = re.sub(r"(?:external|internal)Link\(\s*" + LIT + r"\s*,[^)]*\)", r"'\1'", arg)
    return "".join(re.sub(r"\\\\(.)", r"\1", s) for s in re.findall(LIT, arg))


def njk_i18n_html(text):
    out, i = [], 0
    for m in re.finditer(r"\{\{\s*t\(", text):
        if m.start() < i:
            continue
        arg, end = t_first_argument(text, m.end())
        out.append(text[i:m.start()])
        out.append(t_text(arg))
        i = end
    out.append(text[i:])
    return njk_html("".join(out))


def jinja_set_html(text):
    text = re.sub(r"\{%\s*block\s+title\s*%\}.*?\{%\s*endblock\s*%\}", "", text, flags=re.S)
    text = re.sub(r"\{%\s*if\s+waffle_flag\(request,\s*\"uktrade\"\)\s*%\}.*?\{%\s*else\s*%\}(.*?)\{%\s*endif\s*%\}",
                  r"\1", text, flags=re.S)
    values = {}
    for m in re.finditer(r"\{%\s*set\s+(\w+)\s*=\s*(\"[^\"]*\"|'[^']*')\s*%\}", text):
        values[m.group(1)] = m.group(2)[1:-1]
    text = re.sub(r"\{\{\s*(\w+)\s*(?:\|\s*safe\s*)?\}\}",
                  lambda m: values.get(m.group(1), m.group(0)), text)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", text, flags=re.S)
    return c.layout_to_gfm(text)


def conversion_of(repo, path):
    return SOURCES[repo][2]


convert = c.converter({"njk-html": njk_html, "jinja-set-html": jinja_set_html,
                       "njk-i18n-html": njk_i18n_html})


if __name__ == "__main__":
    c.rebuild(PART, {(repo, path): (SOURCES[repo][0], SOURCES[repo][1], SOURCES[repo][3], SOURCES[repo][4])
                     for repo, path in DOCUMENTS},
              conversion_of, convert, CONVERSION_TEXT)
