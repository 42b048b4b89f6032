#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-f pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_f.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-f.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file. Every source is Markdown: old.md and
new.md are byte for byte `git show COMMIT:PATH` (front matter kept).

With --candidates, the script prints every first-parent commit that touched
the policy file with word counts and changed-word counts instead of writing
folders (this is how the pairs were chosen: by dates, sizes and changed-word
counts, not by meaning).
"""
import csv
import difflib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PART = "heldout-f"

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("minetest/contentdb", "app/flatpages/privacy_policy.md"): (
        "contentdb", "ContentDB Privacy Policy (content.luanti.org, formerly content.minetest.net; operated by rubenwardy)",
        "\"AGPL-3.0-or-later (README.md: 'license AGPLv3.0+'; LICENSE.md; no separate licence stated for the page texts)\"",
        "https://github.com/minetest/contentdb/blob/{new}/LICENSE.md"),
    ("publiccodenet/about", "organization/privacy.md"): (
        "publiccode", "Foundation for Public Code: Privacy and GDPR (about.publiccode.net)", "CC0-1.0",
        "https://github.com/publiccodenet/about/blob/{new}/LICENSE.md"),
    ("tropos-io/legal", "docs/privacy.md"): (
        "tropos", "Tropos.io Privacy Policy (legal.tropos.io)", "\"none stated\"",
        "https://github.com/tropos-io/legal/tree/{new}"),
    ("stirtrek/stirtrek.github.io", "source/Info/Privacy/index.md"): (
        "stir-trek", "Stir Trek Privacy Policy (stirtrek.com conference site, Hexo source; path until 2021-03)", "\"none stated\"",
        "https://github.com/stirtrek/stirtrek.github.io/tree/{new}"),
    ("stirtrek/stirtrek.github.io", "source/info/privacy/index.md"): (
        "stir-trek", "Stir Trek Privacy Policy (stirtrek.com conference site, Hexo source)", "\"none stated\"",
        "https://github.com/stirtrek/stirtrek.github.io/tree/{new}"),
}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
}


def convert(raw, conversion):
    if conversion == "none":
        return raw
    raise ValueError(f"unknown conversion {conversion}")


def git(repo_dir, *args):
    return subprocess.run(["git", "-C", repo_dir, *args], check=True, capture_output=True).stdout


def texts(repo_dir, new, path):
    old = git(repo_dir, "rev-parse", new + "^1").decode().strip()
    try:
        old_raw = git(repo_dir, "show", f"{old}:{path}")
    except subprocess.CalledProcessError:
        old_raw = None
    conversion = "none"
    new_raw = git(repo_dir, "show", f"{new}:{path}")
    return old, (convert(old_raw, conversion) if old_raw is not None else None), convert(new_raw, conversion)


def candidates(mirror):
    for (repo, path) in SOURCES:
        repo_dir = os.path.join(mirror, repo.replace("/", "+"), "repo")
        commits = git(repo_dir, "log", "--first-parent", "--format=%H", "HEAD", "--", path).decode().split()
        for new in commits:
            try:
                old, o, n = texts(repo_dir, new, path)
            except subprocess.CalledProcessError:
                print(repo, path, new, "missing from the snapshot")
                continue
            try:
                date = git(repo_dir, "show", "-s", "--format=%cs", new).decode().strip()
            except subprocess.CalledProcessError:
                print(repo, path, new, "missing from the snapshot")
                continue
            if o is None:
                print(repo, path, new, date, "no old version")
                continue
            ow, nw = o.decode().split(), n.decode().split()
            sm = difflib.SequenceMatcher(None, ow, nw, autojunk=False)
            changed = sum(max(i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in sm.get_opcodes() if t != "equal")
            print(repo, path, old[:10], new[:10], date, len(ow), len(nw), "changed_words=%d" % changed,
                  "IDENTICAL" if o == n else "")


def main():
    mirror = sys.argv[1]
    if "--candidates" in sys.argv:
        candidates(mirror)
        return
    with open(os.path.join(HERE, "pairs.tsv"), newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["part"] == PART]
    for r in rows:
        repo, path = r["repository"], r["path"]
        org, title, licence, licence_url = SOURCES[(repo, path)]
        repo_dir = os.path.join(mirror, repo.replace("/", "+"), "repo")
        old, new = r["old_commit"], r["new_commit"]
        parent, o, n = texts(repo_dir, new, path)
        assert parent == old, f"{r['org']}-{r['nn']}: old_commit is not the first parent of new_commit"
        assert o is not None and o != n, f"{r['org']}-{r['nn']}: the two texts are identical"
        folder = os.path.join(HERE, PART, f"{r['org']}-{r['nn']}")
        os.makedirs(folder, exist_ok=True)
        for name, data in (("old.md", o), ("new.md", n)):
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
        dates = {c: git(repo_dir, "show", "-s", "--format=%cs", c).decode().strip() for c in (old, new)}
        with open(os.path.join(folder, "source.yaml"), "w") as f:
            f.write(f"org: {org}\n")
            f.write(f"title: \"{title}\"\n")
            f.write(f"repository: {repo}\n")
            f.write(f"path: {path}\n")
            f.write(f"old_path: {path}\n")
            f.write(f"old_commit: {old}\n")
            f.write(f"new_commit: {new}\n")
            f.write(f"old_date: {dates[old]}\n")
            f.write(f"new_date: {dates[new]}\n")
            f.write(f"licence: {licence}\n")
            f.write(f"licence_url: {licence_url.format(new=new)}\n")
            f.write(f"conversion: \"{CONVERSION_TEXT['none']}\"\n")
        print(folder)


if __name__ == "__main__":
    main()
