"""Turn a policy kept as a web template into Markdown (used by choose_pairs.py and collect.py).

Only one conversion exists, because only one source needs it:

* ``jinja-html``: a Jinja/Nunjucks HTML page (GOV.UK Notify's privacy notice).
  The page-title block is dropped (the page repeats it as its first heading),
  a ``content_metadata(data={"Last updated": "..."})`` call becomes the line
  "Last updated: ...", every other ``{% ... %}`` tag is removed, and the rest
  goes through ``pandoc -f html -t gfm-raw_html --wrap=none``: headings, lists,
  tables, links and emphasis are kept; layout ``<div>``s (removed before
  pandoc), classes and ids are not. Any ``{{ ... }}`` expression left after that is refused rather than
  guessed at.

``none`` returns the text unchanged: Markdown sources are kept byte for byte.
"""

import re
import subprocess

CONVERSIONS = {
    "none": "none",
    "jinja-html": "Jinja tags stripped, then pandoc -f html -t gfm-raw_html --wrap=none",
}


def _metadata(match):
    pairs = re.findall(r'"([^"]+)"\s*:\s*"([^"]*)"', match.group(1))
    return "<p>" + "; ".join(f"{k}: {v}" for k, v in pairs) + "</p>"


def convert(kind, text, where):
    """The Markdown for `text`, converted as `kind` says; `where` names it in errors."""
    if kind == "none":
        return text
    if kind != "jinja-html":
        raise ValueError(f"{where}: unknown conversion {kind!r}; known: {', '.join(CONVERSIONS)}")
    text = re.sub(r"{%-?\s*block per_page_title\s*-?%}.*?{%-?\s*endblock\s*-?%}", "", text, flags=re.S)
    text = re.sub(r"{{\s*content_metadata\((.*?)\)\s*}}", _metadata, text, flags=re.S)
    text = re.sub(r"{%.*?%}", "", text, flags=re.S)
    text = re.sub(r"</?div\b[^>]*>", "", text)  # layout only
    if "{{" in text:
        raise ValueError(f"{where}: a template expression is left after stripping tags; extend convert.py")
    out = subprocess.run(
        ["pandoc", "-f", "html", "-t", "gfm-raw_html", "--wrap=none"],
        input=text.encode(),
        check=True,
        capture_output=True,
    ).stdout.decode()
    return out
