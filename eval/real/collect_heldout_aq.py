#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-aq pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_aq.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"; the fetch tool's /work/.mirror has this layout). The pairs are
the rows of pairs.tsv whose part is heldout-aq. Each new_commit is a commit on
the default branch's first-parent line that changed the policy file (merge
commits included, so a merged branch counts as one revision), and old_commit
is its first parent, so the two texts are successive versions of the file
(renames in new_commit are followed).

Sources:
- code-for-life (ocadotechnology/codeforlife-portal): the privacy notice of
  Code for Life (codeforlife.education, a free coding-education portal for
  schools, teachers and children run by Ocado Innovation Limited / Ocado
  Technology, with the games Rapid Router and Kurono), a Django HTML page
  template `portal/templates/portal/privacy_policy.html` (2019-2023),
  renamed on 2023-01-24 to `portal/templates/portal/privacy_notice.html`
  (2023-2025). Conversion `django-html-cfl`: the head-only blocks
  `{% block css %}`, `{% block scripts %}` and `{% block pageID %}` are
  dropped, `{{ block.super }}` is dropped, every other `{% ... %}` tag
  (extends, load, block/endblock, url, include, banner) and `{# ... #}`
  comment is removed (the text of the kept blocks stays; an `{% include %}`d
  partial, such as the cookie list of 2025, is not inlined), other
  `{{ ... }}` expressions (`{{ last_updated }}`, `{{ last_updated_children }}`,
  filled in by the view) are kept as literal text, layout
  `<div>`/`<section>`/`<header>`/`<main>`/`<article>` tags are removed, then
  `pandoc -f html -t gfm-raw_html --wrap=none` (pandoc 2.17.1.1). Both
  versions of a pair go through the same steps. Repository licence: AGPL-3.0
  (LICENSE.md, the GNU AGPL v3 text) up to 2023-11-03; from then LICENSE.md
  only points to the LICENSE.md of ocadotechnology/codeforlife-workspace
  (read per pair at its new commit, `source_at`).
- project-segfault (ProjectSegfault/website): the Project Segfault privacy
  policy (Project Segfault, projectsegfau.lt, a volunteer group hosting
  privacy-respecting front-ends and services such as Invidious, Nitter,
  Libreddit, a pubnix and game servers), Markdown
  `src/routes/legal/privacy-policy.md` (2022), renamed on 2022-08-24 to
  `src/routes/legal/privacy-policy/+page.md` (2022-2023). From 2023-01-25
  the policy is a Svelte page (`src/routes/legal/privacy-policy/+page.svelte`,
  a new file, not a rename) and is not used. Default branch `dev`.
  Repository licence: none stated before 2022-08-04 (no licence file, no
  statement in README.md or package.json), MIT from then (LICENSE,
  "Copyright (c) 2021 - present, Project Segfault team"); read per pair at its
  new commit (`source_at`).
- checkly (checkly/docs.checklyhq.com, checkly/headless-recorder): the
  Checkly privacy policy (Checkly, checklyhq.com, a synthetic-monitoring and
  API-monitoring SaaS of Checkly Inc. / Checkly GmbH, earlier Pink Robots
  B.V.), Hugo Markdown with YAML front matter `site/content/privacy/_index.md`
  in the docs/marketing-site repository (2021-2023; the file was deleted on
  2023-06-01 when the marketing site left the repository), and the privacy
  policy of Checkly's Headless Recorder browser extension, Markdown
  `PRIVACY_POLICY.md` (2021-2022). Repository licence MIT (LICENSE,
  "Copyright (c) 2021 Checkly Inc.", at every commit used) in both.

Markdown sources are byte for byte `git show COMMIT:PATH`.

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import re

import collect_common as c

PART = "heldout-aq"

CFL_PATHS = ("portal/templates/portal/privacy_policy.html",
             "portal/templates/portal/privacy_notice.html")
CFL_TITLE = "Code for Life Privacy Notice"
SEGFAULT = ("project-segfault", "Project Segfault Privacy Policy", None, None)
CHECKLY = ("checkly", "Checkly Privacy Policy", "MIT",
           "https://github.com/checkly/docs.checklyhq.com/blob/{new}/LICENSE")
CHECKLY_RECORDER = ("checkly", "Headless Recorder Privacy Policy (Checkly)", "MIT",
                    "https://github.com/checkly/headless-recorder/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url); licence None: read per commit
    ("ocadotechnology/codeforlife-portal", CFL_PATHS[0]): ("code-for-life", CFL_TITLE, None, None),
    ("ocadotechnology/codeforlife-portal", CFL_PATHS[1]): ("code-for-life", CFL_TITLE, None, None),
    ("ProjectSegfault/website", "src/routes/legal/privacy-policy.md"): SEGFAULT,
    ("ProjectSegfault/website", "src/routes/legal/privacy-policy/+page.md"): SEGFAULT,
    ("checkly/docs.checklyhq.com", "site/content/privacy/_index.md"): CHECKLY,
    ("checkly/headless-recorder", "PRIVACY_POLICY.md"): CHECKLY_RECORDER,
}

CONVERSION = {"ocadotechnology/codeforlife-portal": "django-html-cfl"}

CONVERSION_TEXT = {
    "none": c.MARKDOWN_TEXT,
    "django-html-cfl": "template clean-up (Django head-only css/scripts/pageID blocks and {{ block.super }} dropped; other {% %} tags and {# #} comments dropped, block text kept, included partials not inlined; other {{ }} expressions kept as text; layout <div>/<section>/<header>/<main>/<article> tags dropped), then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none (source is an HTML page template; same for both versions)",
}

HEAD_BLOCK = re.compile(r"\{%\s*block\s+(css|scripts|pageID)\s*%\}.*?\{%\s*endblock(\s+\w+)?\s*%\}", re.S)
SUPER = re.compile(r"\{\{\s*block\.super\s*\}\}")
COMMENT = re.compile(r"\{#.*?#\}", re.S)
TAG = re.compile(r"\{%.*?%\}", re.S)


def clean_django(text):
    text = HEAD_BLOCK.sub("", text)
    text = SUPER.sub("", text)
    text = COMMENT.sub("", text)
    return TAG.sub("", text)


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "django-html-cfl":
        return c.layout_to_gfm(clean_django(raw.decode("utf-8")))
    raise ValueError(f"unknown conversion {conversion}")


def cfl_licence(repo_dir, commit):
    """The licence of ocadotechnology/codeforlife-portal at `commit`, from LICENSE.md."""
    text = c.git(repo_dir, "show", f"{commit}:LICENSE.md").decode()
    url = "https://github.com/ocadotechnology/codeforlife-portal/blob/{new}/LICENSE.md"
    if "GNU Affero General Public License".lower() in text.lower():
        return "AGPL-3.0", url
    if "codeforlife-workspace" in text:
        return ("see ocadotechnology/codeforlife-workspace LICENSE.md (LICENSE.md at this commit "
                "only points there)"), url
    raise ValueError(f"unexpected LICENSE.md at {commit}")


def segfault_licence(repo_dir, commit):
    """The licence of ProjectSegfault/website at `commit`: MIT once LICENSE exists (2022-08-04)."""
    try:
        first = c.git(repo_dir, "show", f"{commit}:LICENSE").decode().strip().splitlines()[0]
    except c.subprocess.CalledProcessError:
        return ("none stated (no licence file or licence statement in the repository at this commit)",
                "https://github.com/ProjectSegfault/website/tree/{new}")
    if first == "MIT License":
        return "MIT", "https://github.com/ProjectSegfault/website/blob/{new}/LICENSE"
    raise ValueError(f"unexpected LICENSE at {commit}: {first}")


def source_at(row, repo_dir):
    org, title, licence, licence_url = SOURCES[(row["repository"], row["path"])]
    if licence is None:
        licence_of = cfl_licence if org == "code-for-life" else segfault_licence
        licence, licence_url = licence_of(repo_dir, row["new_commit"])
    return org, title, licence, licence_url


if __name__ == "__main__":
    c.rebuild(PART, SOURCES, lambda repo, path: CONVERSION.get(repo, "none"), convert,
              CONVERSION_TEXT, source_at)
