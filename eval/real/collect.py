#!/usr/bin/env python3
"""Rebuild every pair folder of the real-revision corpus from fetched repositories.

Usage: collect.py MIRROR_DIR [PART ...]

MIRROR_DIR holds one bare git directory per source repository, named
OWNER+NAME/repo (the layout the project's fetch tool produces; `git clone
--bare https://github.com/OWNER/NAME MIRROR_DIR/OWNER+NAME/repo` makes the
same). PART limits the run to "heldout" or "dev"; default both.

Reads pairs.tsv (written by choose_pairs.py, next to this script) and, for each
row, writes PART/ORG-NN/old.md, new.md and source.yaml under this folder.
Markdown sources are copied byte for byte (`git show COMMIT:PATH`); a source
that sources.tsv marks with a conversion (one web template) goes through
convert.py, which needs pandoc. The script refuses a source that is neither
Markdown/text nor given a conversion, and a file over 300 KB or not UTF-8.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from convert import CONVERSIONS, convert  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_BYTES = 300_000

ODC_BY = dict(
    licence="ODC-By-1.0",
    licence_name="Open Data Commons Attribution License v1.0",
    licence_scope=(
        "ODC-By covers the database (the collection of versions); by its section 2.4 "
        "it does not license copyright in the individual contents. The policy text "
        "remains the work of the organisation that published it."
    ),
)

LICENCES = {
    "OpenTermsArchive/pga-versions": dict(
        ODC_BY,
        licence_url="https://github.com/OpenTermsArchive/pga-versions/blob/main/LICENSE",
        attribution=(
            "Contains information from the Platform Governance Archive (PGA), Dataset PGA v2 "
            "(Katzenbach, C., Dergachava, D., Fischer, A., Kopps, A., Kolesnikov, S., Redeker, D., "
            "Viejo Otero, P. (2023), https://doi.org/10.26092/elib/2373), collected with Open "
            "Terms Archive, made available under the ODC Attribution License 1.0."
        ),
    ),
    "OpenTermsArchive/genai-eu-versions": dict(
        ODC_BY,
        licence_url="https://github.com/OpenTermsArchive/genai-eu-versions/blob/main/LICENSE",
        attribution=(
            "Contains information from the Open Terms Archive genai-eu collection, tracked by the "
            "Lab Platform Governance, Media and Technology (ZeMKI, University of Bremen) and Open "
            "Terms Archive contributors, made available under the ODC Attribution License 1.0."
        ),
    ),
    "OpenTermsArchive/contrib-versions": dict(
        ODC_BY,
        licence_url="https://github.com/OpenTermsArchive/contrib-versions/blob/main/LICENSE",
        attribution=(
            "Contains information from the Open Terms Archive contrib collection by Open Terms "
            "Archive contributors, made available under the ODC Attribution License 1.0."
        ),
    ),
    "OpenTermsArchive/dating-versions": dict(
        ODC_BY,
        licence_url="https://github.com/OpenTermsArchive/dating-versions/blob/main/README.md#license",
        attribution=(
            "Contains information from Open Terms Archive with contributions from the Dating "
            "Privacy collective (https://dating-privacy.hestialabs.org/en/), made available "
            "under the ODC Attribution License 1.0."
        ),
    ),
    "OpenTermsArchive/vlopses-us-versions": dict(
        ODC_BY,
        licence_url="https://github.com/OpenTermsArchive/vlopses-us-versions/blob/main/LICENSE",
        attribution=(
            "Contains information from the Open Terms Archive vlopses-us collection by the Open "
            "Terms Archive Core Team and Open Terms Archive contributors, made available under "
            "the ODC Attribution License 1.0."
        ),
    ),
    "psf/policies": dict(
        licence="none stated",
        licence_url="https://github.com/psf/policies (no licence file or statement in the repository)",
        attribution="Python Software Foundation policies, https://github.com/psf/policies",
    ),
    "arXiv/arxiv-docs": dict(
        licence="MIT",
        licence_url="https://github.com/arXiv/arxiv-docs/blob/master/LICENSE",
        attribution="arXiv documentation, Copyright arXiv, Inc., https://github.com/arXiv/arxiv-docs",
    ),
    "apache/privacy-website": dict(
        licence="Apache-2.0",
        licence_url="https://www.apache.org/licenses/LICENSE-2.0 (stated in the header of each policy file)",
        attribution="The Apache Software Foundation, https://github.com/apache/privacy-website",
    ),
    "hexpm/hexpm": dict(
        licence="Apache-2.0",
        licence_url="https://github.com/hexpm/hexpm/blob/main/README.md#license",
        attribution="Hex (hex.pm), Copyright 2015 Six Colors AB, https://github.com/hexpm/hexpm",
    ),
    "alphagov/notifications-admin": dict(
        licence="MIT",
        licence_url="https://github.com/alphagov/notifications-admin/blob/main/LICENCE",
        attribution=(
            "GOV.UK Notify, Copyright (c) Crown Copyright (Government Digital Service), "
            "https://github.com/alphagov/notifications-admin"
        ),
    ),
    "privacyguides/privacyguides.org": dict(
        licence="CC-BY-SA-4.0",
        licence_url="https://github.com/privacyguides/privacyguides.org/blob/main/LICENSE",
        attribution=(
            "Privacy Guides contributors, https://github.com/privacyguides/privacyguides.org, "
            "content licensed under CC BY-SA 4.0."
        ),
    ),
}


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True).stdout


def yaml_str(value):
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def title(repository, path, note):
    if repository.startswith("OpenTermsArchive/"):
        service, doc = path.rsplit("/", 1)
        return f"{service} {doc.removesuffix('.md')}"
    return note


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    mirror = sys.argv[1]
    parts = set(sys.argv[2:]) or {"heldout", "dev"}

    notes, conversions = {}, {}
    with open(os.path.join(HERE, "sources.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            org, _, repository, path, note, _, conversion = line.rstrip("\n").split("\t")
            notes[(org, repository, path)] = note
            conversions[(org, repository, path)] = conversion

    written = 0
    with open(os.path.join(HERE, "pairs.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            part, org, nn, repository, path, old_commit, new_commit = line.rstrip("\n").split("\t")
            if part not in parts:
                continue
            conversion = conversions[(org, repository, path)]
            if conversion == "none" and not path.endswith((".md", ".txt")):
                sys.exit(f"sources.tsv: {org}: {path} is not Markdown or text; give it a conversion")
            repo = os.path.join(mirror, repository.replace("/", "+"), "repo")
            folder = os.path.join(HERE, part, f"{org}-{nn}")
            os.makedirs(folder, exist_ok=True)
            for name, commit in (("old.md", old_commit), ("new.md", new_commit)):
                data = git(repo, "show", f"{commit}:{path}")
                text = data.decode("utf-8")  # raises on anything that is not UTF-8
                if conversion != "none":
                    data = convert(conversion, text, f"{org}-{nn} {path}@{commit}").encode("utf-8")
                if len(data) > MAX_BYTES:
                    sys.exit(f"{org}-{nn}: {path} at {commit} is {len(data)} bytes, over {MAX_BYTES}")
                with open(os.path.join(folder, name), "wb") as out:
                    out.write(data)
            dates = {c: git(repo, "log", "-1", "--format=%cI", c).decode().strip() for c in (old_commit, new_commit)}
            lic = LICENCES[repository]
            ota = repository.startswith("OpenTermsArchive/")
            lines = [
                f"org: {org}",
                f"document: {yaml_str(title(repository, path, notes[(org, repository, path)]))}",
                "language: en",
                f"repository: {repository}",
                f"repository_url: https://github.com/{repository}",
                f"path: {yaml_str(path)}",
                f"old_commit: {old_commit}",
                f"new_commit: {new_commit}",
                f"old_date: {yaml_str(dates[old_commit])}",
                f"new_date: {yaml_str(dates[new_commit])}",
                "date_meaning: "
                + yaml_str(
                    "commit date in the versions repository, i.e. when Open Terms Archive recorded the version"
                    if ota
                    else "commit date in the repository where the organisation keeps the policy"
                ),
                f"licence: {yaml_str(lic['licence'])}",
            ]
            if "licence_name" in lic:
                lines.append(f"licence_name: {yaml_str(lic['licence_name'])}")
            lines.append(f"licence_url: {yaml_str(lic['licence_url'])}")
            if "licence_scope" in lic:
                lines.append(f"licence_scope: {yaml_str(lic['licence_scope'])}")
            lines += [
                f"attribution: {yaml_str(lic['attribution'])}",
                "conversion: " + ("none" if conversion == "none" else yaml_str(CONVERSIONS[conversion])),
                "extraction: "
                + yaml_str(
                    "git show OLD_OR_NEW_COMMIT:PATH, byte for byte"
                    if conversion == "none"
                    else "git show OLD_OR_NEW_COMMIT:PATH, then the conversion (eval/real/convert.py)"
                ),
            ]
            with open(os.path.join(folder, "source.yaml"), "w", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
            written += 1
    print(f"wrote {written} pair folders", file=sys.stderr)


if __name__ == "__main__":
    main()
