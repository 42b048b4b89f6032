#!/usr/bin/env python3
"""Rebuild the eval/real/heldout-ae pair folders (old.md, new.md, source.yaml).

Usage: python3 eval/real/collect_heldout_ae.py MIRROR_DIR [--candidates]

MIRROR_DIR holds bare clones named OWNER+NAME/repo (as in README.md,
"Rebuilding"). The pairs are the rows of pairs.tsv whose part is heldout-ae.
Each new_commit is a commit on the default branch's first-parent line that
changed the policy file, and old_commit is its first parent, so the two texts
are successive versions of the file.

Sources (all Markdown: none: byte for byte `git show COMMIT:PATH`):
- hugging-face (huggingface/chat-ui): the HuggingChat privacy policy
  (HuggingChat, the hosted chat service of Hugging Face, an AI
  company, built from its open-source chat-ui), Markdown `PRIVACY.md`
  (2023-2025). Repository licence Apache-2.0 (LICENSE, "Copyright 2018- The
  Hugging Face team"), added on 2023-05-11; the commits before it state no
  licence.
- joplin (laurent22/joplin): the Joplin Privacy Policy (Joplin, the
  open-source note-taking application of Laurent Cozic / JOPLIN SAS, France),
  Markdown `readme/privacy.md` (2020-2024). Repository licence MIT (LICENSE,
  "Copyright (c) 2016-2021 Laurent Cozic") until 2022-12-21, then
  AGPL-3.0-or-later (LICENSE, "Copyright (c) 2016-2022 Laurent Cozic").
- ocaml-org (ocaml/ocaml.org): the OCaml Privacy Policy of the OCaml.org
  website (run by the OCaml.org committee for the OCaml community), Markdown
  with YAML front matter `data/pages/privacy_policy.md` (2022-2026; until
  2022-03-14 `data/pages/en/privacy_policy.md`, not used). Repository LICENSE:
  content CC BY-SA 4.0, code ISC.

`--candidates` prints every first-parent commit that touched each document,
with word counts and changed-word counts (how the pairs were chosen: by dates
and sizes, not by meaning).
"""

import collect_common as c

PART = "heldout-ae"

HF_TITLE = "HuggingChat Privacy Policy"
HF_APACHE = ("hugging-face", HF_TITLE, "Apache-2.0",
             "https://github.com/huggingface/chat-ui/blob/{new}/LICENSE")
HF_NONE = ("hugging-face", HF_TITLE,
           "none stated at this commit (Apache-2.0 LICENSE added to the repository on 2023-05-11)",
           "https://github.com/huggingface/chat-ui/tree/{new}")
JOPLIN_TITLE = "Joplin Privacy Policy"
JOPLIN_MIT = ("joplin", JOPLIN_TITLE, "MIT",
              "https://github.com/laurent22/joplin/blob/{new}/LICENSE")
JOPLIN_AGPL = ("joplin", JOPLIN_TITLE, "AGPL-3.0-or-later",
               "https://github.com/laurent22/joplin/blob/{new}/LICENSE")
OCAML = ("ocaml-org", "OCaml Privacy Policy (OCaml.org)", "CC-BY-SA-4.0 (content; code ISC)",
         "https://github.com/ocaml/ocaml.org/blob/{new}/LICENSE")

SOURCES = {
    # (repository, path): (org, title, licence, licence_url)
    ("huggingface/chat-ui", "PRIVACY.md"): HF_APACHE,
    ("laurent22/joplin", "readme/privacy.md"): JOPLIN_AGPL,
    ("ocaml/ocaml.org", "data/pages/privacy_policy.md"): OCAML,
}


def source_at(r, d):
    """SOURCES, with the licence read from the new commit: HuggingChat's by whether the
    commit has a LICENSE file, Joplin's by which licence its LICENSE file names."""
    key = (r["repository"], r["path"])
    if key == ("huggingface/chat-ui", "PRIVACY.md"):
        files = c.git(d, "ls-tree", "--name-only", r["new_commit"]).decode().split("\n")
        return HF_APACHE if "LICENSE" in files else HF_NONE
    if key == ("laurent22/joplin", "readme/privacy.md"):
        text = c.git(d, "show", r["new_commit"] + ":LICENSE").decode()
        return JOPLIN_AGPL if "AGPL-3.0-or-later" in text else JOPLIN_MIT
    return SOURCES[key]


if __name__ == "__main__":
    c.rebuild_markdown(PART, SOURCES, source_at)
