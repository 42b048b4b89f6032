#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-d pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_d.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-d.
Each new_commit is a commit that changed the policy file (on the default
branch, or on a branch merged into it), and old_commit is its first parent,
so the two texts are successive versions of the file. The file's path at
old_commit is found with `git log --follow --name-status`.

With --candidates, the script prints the candidate commits listed in
CANDIDATES with word counts instead of writing folders (this is how the
pairs were chosen: by dates, sizes and changed-word counts, not by meaning);
candidates whose two converted texts are identical are marked and were not
used.

Conversions (the same steps for both versions of a pair):
- none: Markdown (or Fluent .ftl message text), byte for byte
  `git show COMMIT:PATH`.
- hbs-html: a Handlebars HTML template (www.rust-lang.org): every `{{...}}`
  tag and the layout `<div>`, `<section>` and `<header>` tags are removed, then `pandoc -f html -t gfm-raw_html --wrap=none`
  (layout divs and classes go).
- php-html: a WordPress PHP page (nextcloud.com): each translation call
  `<?php echo $l->t('...');?>` is replaced by its English string argument,
  other `<?php ... ?>` tags, `<head>` tags, `<link>` and `<script>` elements and layout `<div>`, `<section>` and `<header>` tags
  are removed (later versions leave `<head>` unclosed), then
  `pandoc -f html -t gfm-raw_html --wrap=none`.
- svelte-html: a Svelte page (gitpod.io): `<script>` blocks and the
  `<OpenGraph .../>` meta component are removed, then
  `pandoc -f html -t gfm-raw_html --wrap=none`.
"""
import re
import subprocess
import sys

import collect_common as c

PART = "heldout-d"

SOURCES = {
    # (repository, path): (org, title, conversion, licence, licence_url)
    ("rubygems/rubygems.org", "app/views/policies/privacy.md"): (
        "rubygems", "RubyGems.org Privacy Notice (Ruby Central)", "none", "MIT",
        "https://github.com/rubygems/rubygems.org/blob/{new}/MIT-LICENSE"),
    ("rust-lang/www.rust-lang.org", "templates/policies/privacy.hbs"): (
        "rust-project", "Rust Project Privacy Notice (www.rust-lang.org)", "hbs-html", "MIT OR Apache-2.0",
        "https://github.com/rust-lang/www.rust-lang.org/blob/{new}/LICENSE-MIT"),
    ("rust-lang/www.rust-lang.org", "locales/en-US/privacy.ftl"): (
        "rust-project", "Rust Project Privacy Notice (www.rust-lang.org, en-US Fluent strings)", "none",
        "MIT OR Apache-2.0", "https://github.com/rust-lang/www.rust-lang.org/blob/{new}/LICENSE-MIT"),
    ("gitpod-io/website", "src/routes/privacy.svelte"): (
        "gitpod", "Gitpod Privacy Policy (gitpod.io)", "svelte-html", "MIT",
        "https://github.com/gitpod-io/website/blob/{new}/LICENSE"),
    ("hackclub/site", "content/privacy-and-terms.md"): (
        "hack-club", "Hack Club Privacy Notice & Terms and Conditions", "none", "GPL-3.0",
        "https://github.com/hackclub/site/blob/{new}/LICENSE"),
    ("nextcloud/nextcloud.com", "page-privacy.php"): (
        "nextcloud", "Nextcloud Privacy and Legal Policy (nextcloud.com)", "php-html",
        "\"none stated for the texts (LICENSE: the site is AGPL-3.0; 'logo's, screenshots or texts are not covered')\"",
        "https://github.com/nextcloud/nextcloud.com/blob/{new}/LICENSE"),
}

CANDIDATES = {
    ("rubygems/rubygems.org", "app/views/policies/privacy.md"): [
        "9ad687dd4", "9d46f14fa", "d256bfd56", "f008b500a", "9c4020d72", "c1ac8154f", "ebe2c6aa1",
        "294a1234b", "5ebe5e380", "c5787572d"],
    ("rust-lang/www.rust-lang.org", "templates/policies/privacy.hbs"): [
        "e9bb9cc7", "074bf138", "343f540f", "c73f1a14", "198d671a", "43c67ff3", "f3e75c8a", "81c2e51a"],
    ("rust-lang/www.rust-lang.org", "locales/en-US/privacy.ftl"): ["d6f70231", "17046a81"],
    ("gitpod-io/website", "src/routes/privacy.svelte"): [
        "4324f4b", "fbe80f7", "0d4c9f1", "6162d6f", "665be24", "3966345", "8adf43d", "e5ca780", "7344202"],
    ("hackclub/site", "content/privacy-and-terms.md"): [
        "94cb3383", "206e6f4b", "eecda3a1", "855a20d9", "8e693a0e"],
    ("nextcloud/nextcloud.com", "page-privacy.php"): [
        "666499e6", "fec33e03", "4751c956", "17ed055b", "d9c2198d", "921d8c3e", "29ad0b69", "a302a52b", "91b9f8c7", "ea23e06c", "ab4545ae", "d69ee7b0", "b228df32", "e39fabec", "30d9ad20", "db92e98d", "fc5a1565", "febf8f3e", "518bee18", "dac52bbc", "a670b1b3", "faed6979", "b30270e0", "f04d1d34", "f3000a81", "026b021e", "c9ab0f8e", "66f58261", "ff0130c5", "23fb185a", "bd8bca29", "8711af97", "a76f3c04", "a4d07182", "37f8e235", "5c9a0944", "f3e41367", "8bfb48a3", "4fb72cf4", "d08be86d", "41638b81", "c44898c8", "f442007e", "f42deb2a", "80615ed0", "855c54e7", "a18ff25c", "92131590", "4b743f7f", "001639dd", "5c72a82b", "f0086bce", "fbb1d50a", "bf2650e3", "efa9f8d9", "7c88b0db", "cec00423", "8090dd49", "8d730706"],
}

CONVERSION_TEXT = {
    "none": "none (byte-for-byte git show COMMIT:PATH; source is Markdown)",
    "none-ftl": "none (byte-for-byte git show COMMIT:PATH; source is a Fluent .ftl message file, plain text)",
    "hbs-html": ("Handlebars {{...}} tags and layout <div>, <section> and <header> tags dropped, then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none "
                 "(source is a Handlebars HTML template; same for both versions)"),
    "php-html": ("PHP translation calls <?php echo $l->t('...');?> replaced by their English string, other <?php ?> tags, "
                 "<head> tags, <link> and <script> elements and layout <div>, <section> and <header> tags dropped, then pandoc 2.17.1.1: pandoc -f html -t gfm-raw_html --wrap=none "
                 "(source is a WordPress PHP page template; same for both versions)"),
    "svelte-html": ("Svelte <script> blocks and the <OpenGraph/> meta component dropped, then pandoc 2.17.1.1: "
                    "pandoc -f html -t gfm-raw_html --wrap=none (source is a Svelte page; same for both versions)"),
}


def convert(raw, conversion):
    if conversion == "none":
        return raw
    text = raw.decode("utf-8")
    if conversion == "hbs-html":
        text = re.sub(r"\{\{.*?\}\}", "", text, flags=re.S)
        text = re.sub(r"</?(div|section|header)\b[^>]*>", "", text)
        return c.html_to_gfm(text)
    if conversion == "svelte-html":
        text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
        text = re.sub(r"<OpenGraph\b.*?/>", "", text, flags=re.S)
        return c.html_to_gfm(text)
    if conversion == "php-html":
        def string_arg(m):
            body = m.group(2)
            return body.replace("\\" + m.group(1), m.group(1))
        text = re.sub(r"<\?php\s+echo\s+\$l->t\(\s*(['\"])(.*?)(?<!\\)\1\s*\)\s*;?\s*\?>", string_arg, text, flags=re.S)
        text = re.sub(r"<\?php.*?\?>", "", text, flags=re.S)
        text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
        text = re.sub(r"<link\b[^>]*>|</?head>", "", text)
        text = re.sub(r"</?(div|section|header)\b[^>]*>", "", text)
        return c.html_to_gfm(text)
    raise ValueError(f"unknown conversion {conversion}")


def texts(repo_dir, new, path, conversion):
    old = c.first_parent(repo_dir, new)
    old_path = c.old_path_of(repo_dir, new, path)
    try:
        old_raw = c.git(repo_dir, "show", f"{old}:{old_path}")
    except subprocess.CalledProcessError:
        old_raw = None
    new_raw = c.git(repo_dir, "show", f"{new}:{path}")
    return old, old_path, (convert(old_raw, conversion) if old_raw is not None else None), convert(new_raw, conversion)


def candidates(mirror):
    for (repo, path), commits in CANDIDATES.items():
        conversion = SOURCES[(repo, path)][2]
        d = c.repo_dir(mirror, repo)
        for short in commits:
            new = c.git(d, "rev-parse", short).decode().strip()
            old, old_path, o, n = texts(d, new, path, conversion)
            date = c.date(d, new)
            if o is None:
                print(repo, path, new, date, "no old version")
                continue
            ow, nw, changed = c.changed_words(o, n)
            print(repo, path, old, new, date, ow, nw, "changed_words=%d" % changed,
                  "IDENTICAL" if o == n else "", old_path if old_path != path else "")


def main():
    mirror = sys.argv[1]
    if "--candidates" in sys.argv:
        candidates(mirror)
        return
    for r in c.rows(PART):
        repo, path = r["repository"], r["path"]
        org, title, conversion, licence, licence_url = SOURCES[(repo, path)]
        d = c.repo_dir(mirror, repo)
        parent, old_path, o, n = texts(d, r["new_commit"], path, conversion)
        c.check_pair(r, parent, o, n)
        c.write_pair(PART, r, d, o, n, org=org, title=title, old_path=old_path, licence=licence,
                     licence_url=licence_url,
                     conversion=CONVERSION_TEXT["none-ftl" if path.endswith(".ftl") else conversion])


if __name__ == "__main__":
    main()
