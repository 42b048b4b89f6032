"""What the heldout-c to heldout-f rebuild scripts share: reading the snapshots, pandoc,
counting changed words, and writing a pair folder (old.md, new.md, source.yaml).

Each collect_heldout_*.py keeps only what is its own: its sources and licences, its
conversions, and how it finds the old version of a file.
"""
import csv
import difflib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def git(repo_dir, *args):
    return subprocess.run(["git", "-C", repo_dir, *args], check=True, capture_output=True).stdout


def repo_dir(mirror, repo):
    """The bare clone of `owner/name` under MIRROR_DIR (OWNER+NAME/repo)."""
    return os.path.join(mirror, repo.replace("/", "+"), "repo")


def date(repo_dir, commit):
    """The commit date. Read with `git log -1`, not `git show -s`: on a merge, `git show`
    also works out the combined diff, which fails when the snapshot lacks one of its blobs
    (release merges of Trio and Amethyst); the date printed is the same."""
    return git(repo_dir, "log", "-1", "--format=%cs", commit).decode().strip()


def first_parent(repo_dir, commit):
    return git(repo_dir, "rev-parse", commit + "^1").decode().strip()


def old_path_of(repo_dir, commit, path, first_parent_only=False):
    """Path of the file in commit's first parent (follows a rename in commit)."""
    extra = ["--first-parent"] if first_parent_only else []
    out = git(repo_dir, "log", "-1", "--follow", *extra, "--format=", "--name-status",
              commit, "--", path).decode()
    for line in out.splitlines():
        fields = line.split("\t")
        if fields[0].startswith("R"):
            return fields[1]
    return path


def pandoc(text, src, dst):
    return subprocess.run(["pandoc", "-f", src, "-t", dst, "--wrap=none"], input=text,
                          check=True, capture_output=True).stdout


def html_to_gfm(text):
    """HTML (a str) to GitHub Markdown without raw HTML, as every HTML conversion here does."""
    return pandoc(text.encode("utf-8"), "html", "gfm-raw_html")


# Layout elements of a page template, dropped before pandoc (their text stays).
LAYOUT = re.compile(r"</?(div|section|header|main|article)\b[^>]*>")


def layout_to_gfm(text):
    """Drops the layout elements of an HTML page (`LAYOUT`), then converts it to gfm."""
    return html_to_gfm(LAYOUT.sub("", text))


def converter(table):
    """A `convert(raw, conversion)` for `rebuild`: "none" keeps the bytes; any other name is
    looked up in `table` (name -> function of the decoded text)."""
    def convert(raw, conversion):
        if conversion == "none":
            return raw
        if conversion not in table:
            raise ValueError(f"unknown conversion {conversion}")
        return table[conversion](raw.decode("utf-8"))
    return convert


MARKDOWN_TEXT = "none (byte-for-byte git show COMMIT:PATH; source is Markdown)"


def rebuild_markdown(part, sources, source_at=None):
    """`rebuild` for a part whose every source is Markdown: no conversion, the bytes kept.
    `source_at(row, repo_dir)`, when given, returns a row's (org, title, licence,
    licence_url) instead of `sources` (a licence that depends on the new commit)."""
    rebuild(part, sources, lambda repo, path: "none", converter({}), {"none": MARKDOWN_TEXT},
            source_at)


def rows(part):
    """The rows of pairs.tsv of one part."""
    with open(os.path.join(HERE, "pairs.tsv"), newline="") as f:
        return [r for r in csv.DictReader(f, delimiter="\t") if r["part"] == part]


def changed_words(old, new):
    """Word counts of both texts and the number of words changed between them."""
    ow, nw = old.decode().split(), new.decode().split()
    sm = difflib.SequenceMatcher(None, ow, nw, autojunk=False)
    changed = sum(max(i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in sm.get_opcodes() if t != "equal")
    return len(ow), len(nw), changed


def check_pair(r, parent, old_text, new_text):
    """A pair's old_commit is its new_commit's first parent, and the texts differ."""
    assert parent == r["old_commit"], f"{r['org']}-{r['nn']}: old_commit is not the first parent of new_commit"
    assert old_text is not None and old_text != new_text, f"{r['org']}-{r['nn']}: the two texts are identical"


def write_pair(part, r, repo_dir, old_text, new_text, *, org, title, old_path, licence, licence_url,
               conversion):
    """Writes the folder of pairs.tsv row `r` and prints its path."""
    repo, path, old, new = r["repository"], r["path"], r["old_commit"], r["new_commit"]
    folder = os.path.join(HERE, part, f"{r['org']}-{r['nn']}")
    os.makedirs(folder, exist_ok=True)
    for name, data in (("old.md", old_text), ("new.md", new_text)):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    with open(os.path.join(folder, "source.yaml"), "w") as f:
        f.write(f"org: {org}\n")
        f.write(f"title: \"{title}\"\n")
        f.write(f"repository: {repo}\n")
        f.write(f"path: {path}\n")
        f.write(f"old_path: {old_path}\n")
        f.write(f"old_commit: {old}\n")
        f.write(f"new_commit: {new}\n")
        f.write(f"old_date: {date(repo_dir, old)}\n")
        f.write(f"new_date: {date(repo_dir, new)}\n")
        f.write(f"licence: {licence}\n")
        f.write(f"licence_url: {licence_url.format(new=new)}\n")
        f.write(f"conversion: \"{conversion}\"\n")
    print(folder)


def texts_at_first_parent(repo_dir, new, path, convert_at):
    """(first parent, old path, old text or None, new text), both converted. The old version
    is read at the path the file had in the first parent (a rename in `new` is followed);
    `convert_at(p)` gives the conversion of the version at path `p`."""
    old = first_parent(repo_dir, new)
    old_path = old_path_of(repo_dir, new, path, first_parent_only=True)
    try:
        old_raw = git(repo_dir, "show", f"{old}:{old_path}")
    except subprocess.CalledProcessError:
        old_raw = None
    new_raw = git(repo_dir, "show", f"{new}:{path}")
    o = convert_at(old_path)(old_raw) if old_raw is not None else None
    return old, old_path, o, convert_at(path)(new_raw)


def print_candidates(mirror, documents, convert_for):
    """Every first-parent commit that touched each (repository, path), with word counts and
    changed-word counts: how the pairs were chosen (by dates and sizes, not by meaning).
    `convert_for(repo, path)` gives the conversion of one document."""
    for (repo, path) in documents:
        d = repo_dir(mirror, repo)
        commits = git(d, "log", "--first-parent", "--format=%H", "HEAD", "--", path).decode().split()
        for new in commits:
            try:
                # A renamed version converts as its old path says, when that is listed too.
                at = lambda p: convert_for(repo, p if (repo, p) in documents else path)
                old, old_path, o, n = texts_at_first_parent(d, new, path, at)
                when = date(d, new)
            except subprocess.CalledProcessError:
                print(repo, path, new, "missing from the snapshot")
                continue
            if o is None:
                print(repo, path, new, when, "no old version")
                continue
            ow, nw, changed = changed_words(o, n)
            print(repo, path, old[:10], new[:10], when, ow, nw, "changed_words=%d" % changed,
                  "IDENTICAL" if o == n else "", "" if old_path == path else f"(renamed from {old_path})")


def rebuild(part, sources, conversion_of, convert, conversion_text, source_at=None):
    """The command line of a part's rebuild script whose pairs are successive first-parent
    versions of one document (renames followed): `SCRIPT MIRROR_DIR` writes every pair folder
    of `part` from pairs.tsv; `SCRIPT MIRROR_DIR --candidates` prints the candidate commits
    instead. `sources` maps (repository, path) to (org, title, licence, licence_url);
    `conversion_of(repo, path)` names a document's conversion, `convert(raw, conversion)`
    applies it and `conversion_text[conversion]` describes it in source.yaml. A renamed
    version is converted as its old path says when `sources` lists that path, else as the
    new one. `source_at(row, repo_dir)`, when given, returns a row's (org, title, licence,
    licence_url) in place of `sources`."""
    mirror = sys.argv[1]

    def conversion_at(repo, path, fallback):
        return conversion_of(repo, path if (repo, path) in sources else fallback)

    def convert_for(repo, path):
        return lambda raw, k=conversion_of(repo, path): convert(raw, k)

    if "--candidates" in sys.argv:
        print_candidates(mirror, sources, convert_for)
        return
    for r in rows(part):
        repo, path = r["repository"], r["path"]
        d = repo_dir(mirror, repo)
        org, title, licence, licence_url = (
            source_at(r, d) if source_at else sources[(repo, path)])
        convert_at = lambda p: (lambda raw, k=conversion_at(repo, p, path): convert(raw, k))
        parent, old_path, o, n = texts_at_first_parent(d, r["new_commit"], path, convert_at)
        check_pair(r, parent, o, n)
        write_pair(part, r, d, o, n, org=org, title=title, old_path=old_path, licence=licence,
                   licence_url=licence_url, conversion=conversion_text[conversion_of(repo, path)])
