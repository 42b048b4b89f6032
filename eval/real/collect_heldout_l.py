"""Rebuild the eval/real/heldout-l pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_l.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-l.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file. When the commit renamed the file, the
old version is read at its old path (`git log --follow --name-status`), and
source.yaml names it as old_path.

Sources and conversions (the same steps for both versions of a pair):
- goatcounter (arp242/goatcounter): the GoatCounter privacy policy, a Go
  HTML template `tpl/privacy.gohtml` until 2021-12 (gohtml-html: every
  `{{...}}` action is removed, then `pandoc -f html -t gfm-raw_html
  --wrap=none`), then Markdown `tpl/help/privacy.markdown` /
  `tpl/help/privacy.md` (none: byte for byte `git show COMMIT:PATH`).
- weblate (WeblateOrg/wllegal, whose history starts in the wlhosted module):
  the Weblate privacy policy, a Django template (django-html: the English text
  is rendered by a few fixed rules: `{% trans "X" %}` / `{% translate "X" %}`
  become X; the variables of `{% blocktrans with k="v" %}` are put in their
  `{{ k }}`; `{% law_link C Y "S" as v %}` and `{% law_url ... as v %}` become
  the link "C/Y" and its address as the repository's lawlinks tag builds them
  for English; `{{ terms_url }}` becomes /terms/; `{% if %}` blocks that test
  LANGUAGE_CODE (the notice shown only on translated pages) are dropped; every
  other `{% ... %}` tag is removed; then the same pandoc command).
- modrinth (modrinth/knossos): the Modrinth privacy policy, a Vue single-file
  component `pages/legal/privacy.vue` (vue-html: the `<template>` element's
  content is kept, `<script>` and `<style>` blocks are dropped, Vue
  `{{ ... }}` interpolations and layout `<div>` tags are removed, then the
  same pandoc command).
- audacity (audacity/audacity.github.io): the Audacity desktop privacy notice,
  Astro Markdown pages `src/pages/desktop-privacy-notice.md` and, from
  2025-12, `src/pages/legal/privacy-notice.md` (none: byte for byte).

With --candidates, the script prints every first-parent commit that touched
each policy file with word counts and changed-word counts instead of writing
folders (this is how the pairs were chosen: by dates, sizes and changed-word
counts, not by meaning).
"""
import re

import collect_common as c

PART = "heldout-l"

GOAT_LICENCE = ("\"EUPL-1.2 (LICENSE: 'a slightly modified version of European Union Public License (EUPL) 1.2'; "
                "for the repository; no separate licence stated for the page texts)\"")
GOAT_URL = "https://github.com/arp242/goatcounter/blob/{new}/LICENSE"
WEBLATE_LICENCE = "\"GPL-3.0-or-later (REUSE.toml for wllegal/templates/**; LICENSE for the repository)\""
WEBLATE_URL = "https://github.com/WeblateOrg/wllegal/blob/{new}/LICENSE"
MODRINTH_LICENCE = "\"AGPL-3.0-only (COPYING.md and LICENSE, for the repository; no separate licence stated for the page texts)\""
MODRINTH_URL = "https://github.com/modrinth/knossos/blob/{new}/COPYING.md"
AUDACITY_LICENCE = "\"none stated\""
AUDACITY_URL = "https://github.com/audacity/audacity.github.io"

GOAT_TITLE = "GoatCounter privacy policy (goatcounter.com hosted web analytics; Martin Tournoij)"
WEBLATE_TITLE = "Weblate Privacy Policy (Hosted Weblate and weblate.org; Michal Čihař, later Weblate s.r.o.; Django template)"
MODRINTH_TITLE = "Modrinth Privacy Policy (modrinth.com; Rinth, Inc.; Vue page)"
AUDACITY_TITLE = "Audacity Desktop Privacy Notice (Audacity desktop application; Muse Group; Astro Markdown page)"

# (repository, path): (org, title, conversion, licence, licence_url)
SOURCES = {
    ("arp242/goatcounter", "tpl/privacy.gohtml"): ("goatcounter", GOAT_TITLE, "gohtml-html", GOAT_LICENCE, GOAT_URL),
    ("arp242/goatcounter", "tpl/help/privacy.markdown"): ("goatcounter", GOAT_TITLE, "none", GOAT_LICENCE, GOAT_URL),
    ("arp242/goatcounter", "tpl/help/privacy.md"): ("goatcounter", GOAT_TITLE, "none", GOAT_LICENCE, GOAT_URL),
    ("WeblateOrg/wllegal", "wlhosted/templates/legal/documents/privacy.html"): (
        "weblate", WEBLATE_TITLE, "django-html", WEBLATE_LICENCE, WEBLATE_URL),
    ("WeblateOrg/wllegal", "wlhosted/legal/templates/legal/documents/privacy.html"): (
        "weblate", WEBLATE_TITLE, "django-html", WEBLATE_LICENCE, WEBLATE_URL),
    ("WeblateOrg/wllegal", "wllegal/templates/legal/documents/privacy.html"): (
        "weblate", WEBLATE_TITLE, "django-html", WEBLATE_LICENCE, WEBLATE_URL),
    ("modrinth/knossos", "pages/legal/privacy.vue"): ("modrinth", MODRINTH_TITLE, "vue-html", MODRINTH_LICENCE, MODRINTH_URL),
    ("audacity/audacity.github.io", "src/pages/desktop-privacy-notice.md"): (
        "audacity", AUDACITY_TITLE, "none", AUDACITY_LICENCE, AUDACITY_URL),
    ("audacity/audacity.github.io", "src/pages/legal/privacy-notice.md"): (
        "audacity", AUDACITY_TITLE, "none", AUDACITY_LICENCE, AUDACITY_URL),
}

PANDOC = "pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none"
CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "gohtml-html": f"Go template {{{{...}}}} actions removed, then {PANDOC} (source is a Go HTML template; same for both versions)",
    "django-html": ("Django template rendered in English by fixed rules (trans strings kept, blocktrans variables "
                    "substituted, law_link/law_url tags made links, LANGUAGE_CODE if-blocks dropped, other {% %} tags "
                    f"removed), then {PANDOC} (source is a Django HTML template; same for both versions)"),
    "vue-html": (f"Vue single-file component: <template> content kept, <script>/<style> dropped, {{{{...}}}} and layout <div> tags removed, "
                 f"then {PANDOC} (same for both versions)"),
}

EU_LINK = "https://eur-lex.europa.eu/legal-content/ALL/?uri=celex:3{}R0{}"
GDPR_LINK = "http://www.privacy-regulation.eu/en/{}.htm"
CZ_LINKS = {
    ("2012", "89"): "http://obcanskyzakonik.justice.cz/images/pdf/Civil-Code.pdf",
    ("2000", "101"): "https://www.uoou.cz/en/vismo/zobraz_dok.asp?id_ktg=1107",
    ("2000", "121"): "http://www.wipo.int/wipolex/en/text.jsp?file_id=126153",
    ("2004", "480"): "https://www.uoou.cz/en/vismo/zobraz_dok.asp?id_org=200156&id_ktg=1155&archiv=0",
}


def _law_args(args):
    """Positional and keyword arguments of a law_link / law_url tag: (coll, year, scope)."""
    pos, kw = [], {}
    for a in args:
        if "=" in a:
            k, v = a.split("=", 1)
            kw[k] = v.strip("\"'")
        else:
            pos.append(a.strip("\"'"))
    coll = pos[0] if pos else kw.get("coll", "")
    year = pos[1] if len(pos) > 1 else kw.get("year")
    scope = pos[2] if len(pos) > 2 else kw.get("scope")
    return coll, year, scope


def _law_url(coll, year, scope):
    if scope == "EU":
        return EU_LINK.format(year, coll)
    if scope == "GDPR":
        return GDPR_LINK.format(coll)
    return CZ_LINKS.get((year, coll), f"https://www.zakonyprolidi.cz/cs/{year}-{coll}")


def render_django(text):
    """The English text of a wllegal privacy template, by the fixed rules in the docstring."""
    out, ctx, block_vars = [], {"terms_url": "/terms/"}, None
    skip_depth = 0  # inside an {% if %} that tests LANGUAGE_CODE (and its nested ifs)
    pos = 0
    for m in re.finditer(r"\{%(.*?)%\}|\{\{(.*?)\}\}", text, flags=re.S):
        if not skip_depth:
            out.append(text[pos:m.start()])
        pos = m.end()
        if m.group(1) is not None:
            words = m.group(1).split()
            tag = words[0] if words else ""
            if skip_depth:
                if tag == "if":
                    skip_depth += 1
                elif tag == "endif":
                    skip_depth -= 1
                continue
            if tag == "if" and "LANGUAGE_CODE" in m.group(1):
                skip_depth = 1
            elif tag in ("trans", "translate"):
                s = re.match(r"\s*\w+\s+(\"(.*?)\"|'(.*?)')", m.group(1), flags=re.S)
                out.append(s.group(2) if s.group(2) is not None else s.group(3))
            elif tag in ("blocktrans", "blocktranslate"):
                block_vars = dict(re.findall(r"(\w+)=\"(.*?)\"", m.group(1)))
            elif tag in ("endblocktrans", "endblocktranslate"):
                block_vars = None
            elif tag in ("law_link", "law_url"):
                args = words[1:]
                name = None
                if "as" in args:
                    name = args[args.index("as") + 1]
                    args = args[:args.index("as")]
                coll, year, scope = _law_args(args)
                url = _law_url(coll, year, scope)
                value = url if tag == "law_url" else f'<a href="{url}">{coll}/{year}</a>'
                if name:
                    ctx[name] = value
                else:
                    out.append(value)
            # load, url, endif, comment and any other tag: removed
        else:
            if skip_depth:
                continue
            name = m.group(2).strip()
            if block_vars and name in block_vars:
                out.append(block_vars[name])
            else:
                out.append(ctx.get(name, ""))
    if not skip_depth:
        out.append(text[pos:])
    return "".join(out)


def convert(raw, conversion):
    if conversion == "none":
        return raw
    text = raw.decode("utf-8")
    if conversion == "gohtml-html":
        body = re.sub(r"\{\{.*?\}\}", "", text, flags=re.S)
        return c.html_to_gfm(body)
    if conversion == "django-html":
        return c.html_to_gfm(render_django(text))
    if conversion == "vue-html":
        body = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
        body = re.sub(r"<style\b.*?</style>", "", body, flags=re.S)
        start = body.find("<template>")
        end = body.rfind("</template>")
        if start != -1 and end != -1:
            body = body[start + len("<template>"):end]
        body = re.sub(r"\{\{.*?\}\}", "", body, flags=re.S)
        body = re.sub(r"</?div\b[^>]*>", "", body)
        return c.html_to_gfm(body)
    raise ValueError(f"unknown conversion {conversion}")


if __name__ == "__main__":
    c.rebuild(PART, {k: (v[0], v[1], v[3], v[4]) for k, v in SOURCES.items()},
              lambda repo, path: SOURCES[(repo, path)][2], convert, CONVERSION_TEXT)
