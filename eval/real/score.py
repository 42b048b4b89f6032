#!/usr/bin/env python3
"""Score `handover diff` on labelled real pairs (eval/real/<part>/*/expected.yaml).

An independent check of the Rust harness (`cargo run --release --example eval`), written
against the label format and the figures issue 10 names, with nothing but the standard
library and the tool's JSON output:

  eval/real/score.py [--bin target/release/handover] [--verbose] [--also] eval/real/heldout

Per pair, the labelled material categories L are those with a `material: true` change; the
predicted ones P are those with a practice change that is material or a review change
(`review: true`), by its `category` only; with `--also`, a review change's
`also_categories` count as predicted too, as the Rust harness counts them. Figures:
- verdict right: the tool's verdict.practices_changed and verdict.material both match;
- material-category precision sum|L&P|/sum|P|, recall sum|L&P|/sum|L|;
- silent misses: labelled material categories with neither a material nor a review change
  in that category, as a share of all labelled material categories;
- review changes per wording-only pair (revision `formatting` or `wording`).
"""
import argparse
import json
import os
import re
import subprocess
import sys


def load_label(path):
    """The few fields we need from expected.yaml (flow mappings, one per line)."""
    text = open(path, encoding="utf-8").read()
    revision = re.search(r"^revision:\s*(\S+)", text, re.M)
    verdict = re.search(r"^verdict:\s*\{practices_changed:\s*(true|false),\s*material:\s*(true|false)\}", text, re.M)
    changes = []
    for m in re.finditer(r"^\s*-\s*\{category:\s*([\w-]+),\s*kind:\s*(\w+),\s*material:\s*(true|false)", text, re.M):
        changes.append({"category": m.group(1), "kind": m.group(2), "material": m.group(3) == "true"})
    if not verdict:
        raise SystemExit(f"{path}: no verdict line")
    return {
        "revision": revision.group(1) if revision else "",
        "practices_changed": verdict.group(1) == "true",
        "material": verdict.group(2) == "true",
        "changes": changes,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/handover")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--also", action="store_true",
                    help="count a review change's also_categories as predicted")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    pairs = []
    for d in a.dirs:
        for name in sorted(os.listdir(d)):
            folder = os.path.join(d, name)
            if os.path.exists(os.path.join(folder, "expected.yaml")):
                pairs.append(folder)
    n = verdict_ok = 0
    tp = predicted = expected = silent = 0
    wording_pairs = wording_reviews = 0
    for folder in pairs:
        label = load_label(os.path.join(folder, "expected.yaml"))
        out = subprocess.run(
            [a.bin, "diff", "--format", "json", os.path.join(folder, "old.md"), os.path.join(folder, "new.md")],
            capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{folder}: handover exited {out.returncode}: {out.stderr.strip()[:200]}", file=sys.stderr)
            continue
        diff = json.loads(out.stdout)
        n += 1
        v = diff["verdict"]
        ok = v["practices_changed"] == label["practices_changed"] and v["material"] == label["material"]
        verdict_ok += ok
        changes = diff.get("practice_changes", [])
        reviews = [c for c in changes if c.get("review")]
        P = {c["category"] for c in changes if c.get("material") or c.get("review")}
        if a.also:
            P |= {x for c in reviews for x in c.get("also_categories", [])}
        L = {c["category"] for c in label["changes"] if c["material"]}
        tp += len(L & P)
        predicted += len(P)
        expected += len(L)
        silent += len(L - P)
        if label["revision"] in ("formatting", "wording"):
            wording_pairs += 1
            wording_reviews += len(reviews)
        if a.verbose and (not ok or L != P):
            print(f"{os.path.basename(folder)}: verdict {'ok' if ok else 'WRONG'} "
                  f"(tool changed={v['practices_changed']} material={v['material']}; "
                  f"label changed={label['practices_changed']} material={label['material']}); "
                  f"missed {sorted(L - P)}; extra {sorted(P - L)}; reviews {len(reviews)}")
    def ratio(x, y):
        return f"{x / y:.3f}" if y else "-"
    print(f"pairs {n}")
    print(f"verdict right {verdict_ok}/{n} ({ratio(verdict_ok, n)})")
    print(f"material categories: precision {ratio(tp, predicted)} ({tp}/{predicted}), "
          f"recall {ratio(tp, expected)} ({tp}/{expected})")
    print(f"silent misses {silent}/{expected} ({ratio(silent, expected)})")
    print(f"review changes per wording-only pair {ratio(wording_reviews, wording_pairs)} "
          f"({wording_reviews} over {wording_pairs} pairs)")


if __name__ == "__main__":
    main()
