"""Opens handover's Word redline in LibreOffice headless and checks its tracked changes.

Usage: office.py REDLINE.docx NEW.md OLD.md AUTHOR DATE

NEW.md and OLD.md are `handover convert` of the two policies. Checks: the document has
tracked insertions and deletions (and they are by AUTHOR at DATE); after "accept all" the
text after the policy heading has the new policy's words in order; after "reject all", the
old policy's. Words are compared (letters and digits), since Word draws list bullets itself.
Runs with the system Python, which has LibreOffice's `uno` module (Debian: python3-uno).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue

POLICY_HEADING = "The new policy, with changes tracked"


def words(text):
    return re.findall(r"[^\W_]+", text.lower())


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(200):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.2)
    sys.exit("office.py: LibreOffice did not start")


def policy_words(doc):
    text = doc.getText().getString()
    at = text.find(POLICY_HEADING)
    if at < 0:
        raise SystemExit("office.py: the policy heading is missing")
    return words(text[at + len(POLICY_HEADING):])


def main(redline, new_md, old_md, author, date):
    profile = tempfile.mkdtemp(prefix="handover-office-")
    pipe = f"handover_{os.getpid()}"
    soffice = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = []
    try:
        ctx = connect(pipe)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        url = uno.systemPathToFileUrl(os.path.abspath(redline))
        for action, source in (("AcceptAllTrackedChanges", new_md), ("RejectAllTrackedChanges", old_md)):
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            redlines = doc.getRedlines()
            kinds, authors, dates = {}, set(), set()
            enum = redlines.createEnumeration()
            while enum.hasMoreElements():
                r = enum.nextElement()
                kinds[r.RedlineType] = kinds.get(r.RedlineType, 0) + 1
                authors.add(r.RedlineAuthor)
                d = r.RedlineDateTime
                dates.add(f"{d.Year:04}-{d.Month:02}-{d.Day:02}T{d.Hours:02}:{d.Minutes:02}:{d.Seconds:02}Z")
            if action.startswith("Accept"):
                print(f"office: {redlines.getCount()} tracked changes: {kinds}")
                if not kinds.get("Insert") or not kinds.get("Delete"):
                    failures.append(f"expected insertions and deletions, got {kinds}")
                if authors != {author}:
                    failures.append(f"authors {authors}, want {{{author!r}}}")
                if dates != {date}:
                    failures.append(f"dates {dates}, want {{{date!r}}}")
            dispatcher.executeDispatch(doc.getCurrentController().getFrame(), f".uno:{action}", "", 0, ())
            got = policy_words(doc)
            want = words(open(source, encoding="utf-8").read())
            left = doc.getRedlines().getCount()
            if left:
                failures.append(f"{action}: {left} tracked changes left")
            if got != want:
                at = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w), min(len(got), len(want)))
                failures.append(f"{action}: text differs from {source} at word {at}: "
                                f"got {' '.join(got[at:at + 8])!r}, want {' '.join(want[at:at + 8])!r}")
            else:
                print(f"office: {action}: {len(got)} words, same as {os.path.basename(source)}")
            doc.close(True)
    finally:
        soffice.terminate()
        try:
            soffice.wait(20)
        except subprocess.TimeoutExpired:
            soffice.kill()
        shutil.rmtree(profile, ignore_errors=True)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(*sys.argv[1:6])
