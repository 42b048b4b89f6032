#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-c pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_c.py MIRROR_DIR

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-c;
each new_commit is a first-parent commit of the repository's default branch
that changed the policy file, and old_commit is its first parent, so the two
versions are successive published versions. The file's path at old_commit is
found with `git log --follow --name-status`.

Conversions (the same steps for both versions of a pair):
- none: Markdown sources, byte for byte `git show COMMIT:PATH`.
- pandoc-rst: reStructuredText (Read the Docs) ->
  `pandoc -f rst -t gfm --wrap=none`.
- simplate-html: an Aspen simplate or HTML page with Jinja tags (Gittip /
  Gratipay): the Python sections before the last page break (a form-feed line
  or a `^L` line, or a `[---]` line) are dropped, `{% ... %}` tags and layout `<div>` tags are removed, then
  `pandoc -f html -t gfm-raw_html --wrap=none` (layout divs and classes go).
"""
import csv
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

SOURCES = {
    # repository: (org, title, conversion, licence, licence_url)
    "npm/policies": ("npm", "npm Privacy Policy", "none", "none stated",
                     "https://github.com/npm/policies"),
    "readthedocs/readthedocs.org": ("read-the-docs", "Read the Docs Privacy Policy", "pandoc-rst", "MIT",
                                    "https://github.com/readthedocs/readthedocs.org/blob/{new}/LICENSE"),
    "GSA-TTS/identity-site": ("login-gov", "Login.gov Privacy & security: Our privacy act statement", "none", "CC0-1.0",
                              "https://github.com/GSA-TTS/identity-site/blob/{new}/LICENSE.md"),
    "liberapay/liberapay.com": ("gratipay", "Gittip / Gratipay Privacy Policy", "simplate-html", "CC0-1.0",
                                "https://github.com/liberapay/liberapay.com/blob/{new}/COPYING"),
}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "pandoc-rst": "pandoc 2.17.1.1: pandoc -f rst -t gfm --wrap=none (source is reStructuredText; same for both versions)",
    "simplate-html": ("simplate Python sections, Jinja {% %} tags and layout div tags dropped, then pandoc 2.17.1.1: "
                      "pandoc -f html -t gfm-raw_html --wrap=none (source is an HTML simplate; same for both versions)"),
}


def git(repo_dir, *args):
    return subprocess.run(["git", "-C", repo_dir, *args], check=True, capture_output=True).stdout


def old_path_of(repo_dir, commit, path):
    """Path of the file in commit's first parent (follows a rename in commit)."""
    out = git(repo_dir, "log", "-1", "--follow", "--first-parent", "--format=", "--name-status",
              commit, "--", path).decode()
    for line in out.splitlines():
        fields = line.split("\t")
        if fields[0].startswith("R"):
            return fields[1]
    return path


def pandoc(text, src, dst):
    return subprocess.run(["pandoc", "-f", src, "-t", dst, "--wrap=none"], input=text,
                          check=True, capture_output=True).stdout


def convert(raw, conversion):
    if conversion == "none":
        return raw
    if conversion == "pandoc-rst":
        return pandoc(raw, "rst", "gfm")
    if conversion == "simplate-html":
        text = raw.decode("utf-8")
        lines = text.split("\n")
        breaks = [i for i, l in enumerate(lines) if l.strip(" \t\r") in ("\f", "^L") or l.startswith("[---]")]
        if breaks:
            lines = lines[breaks[-1] + 1:]
        body = "\n".join(lines)
        body = re.sub(r"\{%.*?%\}", "", body, flags=re.S)
        body = re.sub(r"</?div[^>]*>", "", body)
        return pandoc(body.encode("utf-8"), "html", "gfm-raw_html")
    raise ValueError(f"unknown conversion {conversion}")


def main():
    mirror = sys.argv[1]
    with open(os.path.join(HERE, "pairs.tsv"), newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["part"] == "heldout-c"]
    for r in rows:
        repo = r["repository"]
        org, title, conversion, licence, licence_url = SOURCES[repo]
        repo_dir = os.path.join(mirror, repo.replace("/", "+"), "repo")
        path, old, new = r["path"], r["old_commit"], r["new_commit"]
        parent = git(repo_dir, "rev-parse", new + "^1").decode().strip()
        assert parent == old, f"{r['org']}-{r['nn']}: old_commit is not the first parent of new_commit"
        old_path = old_path_of(repo_dir, new, path)
        folder = os.path.join(HERE, "heldout-c", f"{r['org']}-{r['nn']}")
        os.makedirs(folder, exist_ok=True)
        for name, commit, p in (("old.md", old, old_path), ("new.md", new, path)):
            with open(os.path.join(folder, name), "wb") as f:
                f.write(convert(git(repo_dir, "show", f"{commit}:{p}"), conversion))
        if repo == "npm/policies" and b"creativecommons.org/licenses/by-sa/4.0" in git(repo_dir, "show", f"{new}:{path}"):
            # The 2014-2016 policy states its own licence in its "Credit and
            # License" section; the 2018 rewrite dropped that section.
            licence = "CC-BY-SA-4.0"
            licence_url = f"https://github.com/npm/policies/blob/{new}/privacy.md"
        dates = {c: git(repo_dir, "show", "-s", "--format=%cs", c).decode().strip() for c in (old, new)}
        with open(os.path.join(folder, "source.yaml"), "w") as f:
            f.write(f"org: {org}\n")
            f.write(f"title: \"{title}\"\n")
            f.write(f"repository: {repo}\n")
            f.write(f"path: {path}\n")
            f.write(f"old_path: {old_path}\n")
            f.write(f"old_commit: {old}\n")
            f.write(f"new_commit: {new}\n")
            f.write(f"old_date: {dates[old]}\n")
            f.write(f"new_date: {dates[new]}\n")
            f.write(f"licence: {licence}\n")
            f.write(f"licence_url: {licence_url.format(new=new)}\n")
            f.write(f"conversion: \"{CONVERSION_TEXT[conversion]}\"\n")
        print(folder)


if __name__ == "__main__":
    main()
