#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-n pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_n.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-n.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources and conversions (the same steps for both versions of a pair):
- elementary (elementary/website): the elementary privacy page (elementary OS
  and elementary.io), a PHP page with English HTML `privacy.php`
  (php-html: the `<?php ... ?>` blocks (page set-up, header and footer
  includes), layout `<div>` tags and decorative `<img>` icons dropped, then
  pandoc HTML -> gfm).
- sd-maid (d4rken-org/sdmaid-se): the privacy policy of the Android app
  SD Maid 2/SE, Markdown `PRIVACY_POLICY.md` (none: byte for byte
  `git show COMMIT:PATH`).
- pixelfed (pixelfed/pixelfed): the default privacy policy page of Pixelfed,
  a Laravel Blade template `resources/views/site/privacy.blade.php`
  (blade-html: Blade directive lines (@extends, @section, @if/@else/@endif,
  ...), `@push('meta') ... @endpush` blocks and `{!! ... !!}` / `{{ ... }}`
  expressions dropped, layout `<div>` tags dropped, then pandoc HTML -> gfm).
- moj-send-money (ministryofjustice/money-to-prisoners-send-money): the
  privacy policy of the 'Send money to someone in prison' service (HM Prison
  and Probation Service, Ministry of Justice), a Django template
  `mtp_send_money/templates/privacy.html` (django-html: the page-title block
  dropped, `{% trans '...' %}` replaced by its English string,
  `{% blocktrans with name='value' %}...{% endblocktrans %}` replaced by its
  English text with the named values filled in, other `{% ... %}` and
  `{{ ... }}` tags and layout `<div>` tags dropped, then pandoc HTML -> gfm).

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import re

import collect_common as c

PART = "heldout-n"

SOURCES = {
    # repository: (org, title, conversion, licence, licence_url)
    "elementary/website": ("elementary", "elementary Privacy", "php-html", "MIT",
                           "https://github.com/elementary/website/blob/{new}/LICENSE.md"),
    "d4rken-org/sdmaid-se": ("sd-maid", "SD Maid 2/SE Privacy Policy", "none", "GPL-3.0",
                             "https://github.com/d4rken-org/sdmaid-se/blob/{new}/LICENSE"),
    "pixelfed/pixelfed": ("pixelfed", "Pixelfed Privacy Policy", "blade-html", "AGPL-3.0",
                          "https://github.com/pixelfed/pixelfed/blob/{new}/LICENSE"),
    "ministryofjustice/money-to-prisoners-send-money": (
        "moj-send-money", "Send money to someone in prison: Privacy policy", "django-html", "MIT",
        "https://github.com/ministryofjustice/money-to-prisoners-send-money/blob/{new}/LICENSE.txt"),
}

DOCUMENTS = [
    ("elementary/website", "privacy.php"),
    ("d4rken-org/sdmaid-se", "PRIVACY_POLICY.md"),
    ("pixelfed/pixelfed", "resources/views/site/privacy.blade.php"),
    ("ministryofjustice/money-to-prisoners-send-money", "mtp_send_money/templates/privacy.html"),
]

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "php-html": "PHP blocks <?php ... ?> (page set-up, header/footer includes), layout <div> tags and decorative "
                "<img> icons dropped, then pandoc -f html -t gfm-raw_html --wrap=none (same for both versions)",
    "blade-html": "Blade directive lines (@extends, @section, @if/@else/@endif, ...), @push('meta')...@endpush blocks, "
                  "{!! ... !!} and {{ ... }} expressions and layout <div> tags dropped, then pandoc -f html "
                  "-t gfm-raw_html --wrap=none (same for both versions)",
    "django-html": "Django page-title block dropped, {% trans '...' %} replaced by its string, {% blocktrans with "
                   "name='value' %}...{% endblocktrans %} by its text with the values filled in, other {% %} and "
                   "{{ }} tags and layout <div> tags dropped, then pandoc -f html -t gfm-raw_html --wrap=none "
                   "(same for both versions)",
}


def php_html(text):
    text = re.sub(r"<\?php.*?\?>", "", text, flags=re.S)
    text = re.sub(r"<img\b[^>]*>", "", text)
    return c.layout_to_gfm(text)


def blade_html(text):
    text = re.sub(r"^\s*@push\(.*?^\s*@endpush\b.*?$", "", text, flags=re.S | re.M)
    text = re.sub(r"^\s*@(extends|section|endsection|if|elseif|else|endif|yield|include|stop|show)\b.*$", "",
                  text, flags=re.M)
    text = re.sub(r"\{!!.*?!!\}|\{\{.*?\}\}", "", text, flags=re.S)
    return c.layout_to_gfm(text)


def _unquote(s):
    return s[1:-1].replace("\\'", "'").replace('\\"', '"')


def django_html(text):
    text = re.sub(r"\{% block page_title %\}.*?\{% endblock %\}", "", text, flags=re.S)

    def trans(m):
        return _unquote(m.group(1))

    text = re.sub(r"\{%\s*trans\s+('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*%\}", trans, text)

    def blocktrans(m):
        values = {k: _unquote(v) for k, v in
                  re.findall(r"(\w+)=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")", m.group(1))}
        body = m.group(2)
        body = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda v: values.get(v.group(1), ""), body)
        if "trimmed" in m.group(1).split():
            body = " ".join(line.strip() for line in body.strip().splitlines())
        return body

    text = re.sub(r"\{%\s*blocktrans\b(.*?)%\}(.*?)\{%\s*endblocktrans\s*%\}", blocktrans, text, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", text, flags=re.S)
    return c.layout_to_gfm(text)


convert = c.converter({"php-html": php_html, "blade-html": blade_html, "django-html": django_html})


if __name__ == "__main__":
    c.rebuild(PART, {(repo, path): (SOURCES[repo][0], SOURCES[repo][1], SOURCES[repo][3], SOURCES[repo][4])
                     for repo, path in DOCUMENTS},
              lambda repo, path: SOURCES[repo][2], convert, CONVERSION_TEXT)
