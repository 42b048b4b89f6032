#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-am pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_am.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"; the fetch tool's /work/.mirror has this layout). The pairs are
the rows of pairs.tsv whose part is heldout-am. Each new_commit is a commit on
the default branch's first-parent line that changed the policy file (merge
commits included, so a merged branch counts as one revision), and old_commit
is its first parent, so the two texts are successive versions of the file
(renames in new_commit are followed).

Sources:
- coronamelder (minvws/nl-covid19-notification-app-website, default branch
  `production`): the English CoronaMelder Privacy Statement (CoronaMelder, the
  Dutch government's COVID-19 exposure-notification app, run by the Ministry
  of Health, Welfare and Sport, VWS; coronamelder.nl), Jekyll Markdown with
  YAML front matter `en/privacy.md` (2020-2022). The in-app copy
  (`en/privacy-in-app.md`), the Dutch and other-language statements and the
  cookie statements are not used. Repository licence EUPL-1.2 (LICENSE.txt,
  and LICENSES.md: "the work that is created in the Covid19 context, such as
  the notification app, is available under the EUPL/1.2 license", at every
  commit used).
- scratch (scratchfoundation/scratch-www, formerly LLK/scratch-www, default
  branch `develop`): the Scratch Privacy Policy (Scratch, the MIT Media Lab's,
  later the Scratch Foundation's, online programming community for children,
  scratch.mit.edu), a React JSX page `src/views/privacypolicy/privacypolicy.jsx`
  whose English text is written in the JSX (2016-2019). Conversion `jsx-html`
  (below). From 2023-05-25 the text lives in a translation file (`l10n.json`,
  read through `<FormattedMessage>` ids); those versions are not used.
  Repository licence BSD-3-Clause (LICENSE, "Copyright (c) 2015, Massachusetts
  Institute of Technology", and package.json, at every commit used).
- meshtastic (meshtastic/meshtastic, the Meshtastic documentation site): the
  Meshtastic Privacy Policy (Meshtastic, an open-source off-grid LoRa mesh
  messaging project, and Meshtastic LLC, which runs its apps and public
  servers; meshtastic.org), Docusaurus Markdown with YAML front matter
  `docs/legal/privacy.md` (2021-2022), renamed on 2022-04-02 (identical text)
  to MDX `docs/legal/privacy.mdx` (2022-2025); before 2021-12-21 the file was
  `website/docs/legal/privacy.md` (its one earlier version has no old
  version). Repository licence GPL-3.0 (package.json "license":
  "GPL-3.0-only" at the commits before 2022-05-12, when no LICENSE file
  existed; LICENSE, GNU GPL v3, from 2022-05-12).
- correlaid (CorrelAid/hugo-website): the English Privacy Policy of
  CorrelAid e.V. (a German non-profit network of volunteer data scientists
  working for civil-society organisations; correlaid.org), Hugo Markdown with
  YAML front matter `content/en/privacy.md` (2018-2019), moved with edits on
  2020-09-28 to `content/en/about/privacy.md` (2020-2023). No licence
  statement at the commits before 2021-01-08; from 2021-01-08 LICENSE is MIT
  and says it "only applies to the code in this repository", so no licence
  is stated for the page texts, which are kept as evaluation data with
  attribution only.
All four sources except Scratch are Markdown or MDX: none, byte for byte
`git show COMMIT:PATH`.

Conversion jsx-html (the same for both versions of a pair): the JSX element
tree of the page (from the first `<InformationPage` or `<Box` tag to its
closing tag) is read as HTML: the root tag becomes an `<h1>` with its
`title` attribute; `{' '}` becomes a space (any other `{...}` expression is
refused; none occurs in the versions used); self-closing tags are closed;
the page's side navigation (`<nav>...</nav>`, in-page links to the section
headings) is dropped; `<dl>` tags are dropped and `<dt>`/`<dd>` become
paragraphs (pandoc drops headings inside a `<dl>`); layout `<div>`/`<section>`
tags are dropped; then pandoc 2.17.1.1:
`pandoc -f html -t gfm-raw_html --wrap=none`.

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning); versions that cannot be converted (Scratch's
translation-file versions) are listed as such.
"""

import re
import subprocess
import sys

import collect_common as c

PART = "heldout-am"

CORONAMELDER = ("coronamelder", "CoronaMelder Privacy Statement", "EUPL-1.2",
                "https://github.com/minvws/nl-covid19-notification-app-website/blob/{new}/LICENSES.md")
SCRATCH = ("scratch", "Scratch Privacy Policy", "BSD-3-Clause",
           "https://github.com/scratchfoundation/scratch-www/blob/{new}/LICENSE")

MESHTASTIC = ("meshtastic", "Meshtastic Privacy Policy", None, None)  # see licence_at
CORRELAID = ("correlaid", "CorrelAid Privacy Policy", None, None)  # see licence_at

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("minvws/nl-covid19-notification-app-website", "en/privacy.md"): CORONAMELDER,
    ("scratchfoundation/scratch-www", "src/views/privacypolicy/privacypolicy.jsx"): SCRATCH,
    ("meshtastic/meshtastic", "docs/legal/privacy.md"): MESHTASTIC,
    ("meshtastic/meshtastic", "docs/legal/privacy.mdx"): MESHTASTIC,
    ("CorrelAid/hugo-website", "content/en/privacy.md"): CORRELAID,
    ("CorrelAid/hugo-website", "content/en/about/privacy.md"): CORRELAID,
}

CONVERSION_TEXT = {
    "none": c.MARKDOWN_TEXT,
    "jsx-html": "JSX element tree read as HTML (root <InformationPage>/<Box> as an <h1> with its title; {' '} as a space, any other {...} refused; self-closing tags closed; the side <nav> dropped; <dl> dropped and <dt>/<dd> as paragraphs; layout <div>/<section> tags dropped), then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none (source is a React JSX page with its English text in the markup; same for both versions)",
}


def conversion_of(repo, path):
    return "jsx-html" if path.endswith(".jsx") else "none"


# --- jsx-html -------------------------------------------------------------

JSX_ROOT = re.compile(r"<(InformationPage|Box)\b([^>]*)>")
JSX_TITLE = re.compile(r"""title=\{\s*(['"])(.*?)\1\s*\}""")
JSX_SPACE = re.compile(r"""\{\s*(['"]) \1\s*\}""")
SELF_CLOSING = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b([^<>]*?)\s*/>")
VOID = {"br", "hr", "img", "input", "meta", "link"}
NAV = re.compile(r"<nav\b.*?</nav>", re.S)
DL = re.compile(r"</?dl\b[^>]*>")
DT_DD_OPEN = re.compile(r"<d[td]\b[^>]*>")
DT_DD_CLOSE = re.compile(r"</d[td]>")


def jsx_html(text):
    m = JSX_ROOT.search(text)
    if not m:
        raise ValueError("no <InformationPage> or <Box> root in the JSX page")
    root = m.group(1)
    end = text.rfind(f"</{root}>")
    if end < 0:
        raise ValueError(f"no closing </{root}> in the JSX page")
    title = JSX_TITLE.search(m.group(2))
    body = text[m.end():end]
    body = JSX_SPACE.sub(" ", body)
    if "{" in body or "}" in body:
        raise ValueError("a JSX expression other than {' '} is left in the page (translation-file version?)")
    body = SELF_CLOSING.sub(
        lambda s: f"<{s.group(1)}{s.group(2)}>" if s.group(1).lower() in VOID
        else f"<{s.group(1)}{s.group(2)}></{s.group(1)}>", body)
    body = NAV.sub("", body)
    body = DL.sub("", body)
    body = DT_DD_OPEN.sub("<p>", body)
    body = DT_DD_CLOSE.sub("</p>", body)
    if title:
        body = f"<h1>{title.group(2)}</h1>\n" + body
    return c.layout_to_gfm(body)


convert = c.converter({"jsx-html": jsx_html})


def has(repo_dir, commit, path):
    return subprocess.run(["git", "-C", repo_dir, "cat-file", "-e", f"{commit}:{path}"],
                          capture_output=True).returncode == 0


def licence_at(repo, repo_dir, commit):
    """The licence of Meshtastic's or CorrelAid's repository at `commit` (both changed)."""
    if repo == "meshtastic/meshtastic":
        if has(repo_dir, commit, "LICENSE"):
            text = c.git(repo_dir, "show", f"{commit}:LICENSE").decode()
            if "GNU GENERAL PUBLIC LICENSE" not in text or "Version 3" not in text:
                raise ValueError(f"unexpected Meshtastic LICENSE at {commit}")
            return "GPL-3.0 (LICENSE)", "https://github.com/meshtastic/meshtastic/blob/{new}/LICENSE"
        if '"license": "GPL-3.0-only"' not in c.git(repo_dir, "show", f"{commit}:package.json").decode():
            raise ValueError(f"no GPL-3.0-only licence field in Meshtastic's package.json at {commit}")
        return ("GPL-3.0-only (package.json license field; no LICENSE file at this commit)",
                "https://github.com/meshtastic/meshtastic/blob/{new}/package.json")
    if repo == "CorrelAid/hugo-website":
        if has(repo_dir, commit, "LICENSE"):
            text = c.git(repo_dir, "show", f"{commit}:LICENSE").decode()
            if "only applies to the code" not in text or "MIT License" not in text:
                raise ValueError(f"unexpected CorrelAid LICENSE at {commit}")
            return ("none stated for the texts (LICENSE: MIT, which 'only applies to the code in "
                    "this repository')", "https://github.com/CorrelAid/hugo-website/blob/{new}/LICENSE")
        return ("none stated (no licence file or licence statement in the repository at this commit)",
                "https://github.com/CorrelAid/hugo-website/tree/{new}")
    raise ValueError(repo)


def source_at(row, repo_dir):
    org, title, licence, licence_url = SOURCES[(row["repository"], row["path"])]
    if licence is None:
        licence, licence_url = licence_at(row["repository"], repo_dir, row["new_commit"])
        licence = f'"{licence}"'
    return org, title, licence, licence_url


def print_candidates(mirror):
    """As collect_common.print_candidates, but a version that cannot be converted (a
    ValueError from its conversion) is listed as such instead of stopping the list."""
    for (repo, path) in SOURCES:
        d = c.repo_dir(mirror, repo)
        commits = c.git(d, "log", "--first-parent", "--format=%H", "HEAD", "--", path).decode().split()
        for new in commits:
            at = lambda p: (lambda raw, k=conversion_of(repo, p if (repo, p) in SOURCES else path): convert(raw, k))
            try:
                old, old_path, o, n = c.texts_at_first_parent(d, new, path, at)
                when = c.date(d, new)
            except subprocess.CalledProcessError:
                print(repo, path, new, "missing from the snapshot")
                continue
            except ValueError as e:
                print(repo, path, new, c.date(d, new), "not convertible:", e)
                continue
            if o is None:
                print(repo, path, new, when, "no old version")
                continue
            ow, nw, changed = c.changed_words(o, n)
            print(repo, path, old[:10], new[:10], when, ow, nw, "changed_words=%d" % changed,
                  "IDENTICAL" if o == n else "", "" if old_path == path else f"(renamed from {old_path})")


if __name__ == "__main__":
    if "--candidates" in sys.argv:
        print_candidates(sys.argv[1])
    else:
        c.rebuild(PART, SOURCES, conversion_of, convert, CONVERSION_TEXT, source_at)
