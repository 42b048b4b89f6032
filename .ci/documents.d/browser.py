"""Loads handover's HTML reports in headless Chromium over the DevTools protocol and checks
the DOM against the JSON report of the same comparison.

Usage: browser.py --out DIR REPORT.html REPORT.json [REPORT.html REPORT.json ...]

For each pair: the verdict, the number of practice changes and of text changes, the number
of insertions and deletions in the inline view (computed from the JSON), both views
switchable, no script ran (window.__pwned stays undefined, no <script> element), no request
other than the file itself, and no CSP violation other than the blocked policy content. A
screenshot of the first report is kept as DIR/report.png.
"""
import argparse
import asyncio
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import websockets

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-port=0", "--window-size=1400,1800", "about:blank",
]


def expected_counts(report):
    """Insertions and deletions the inline view must show, from the JSON report."""
    ins = dels = 0
    for change in report["text_changes"]:
        kind = change["kind"]
        blocks = lambda text: len(text.split("\n\n")) if text else 0
        if kind == "inserted":
            ins += blocks(change["new_text"])
        elif kind == "deleted":
            dels += blocks(change["old_text"])
        elif kind in ("modified", "moved"):
            ins += sum(1 for w in change["words"] if w["op"] == "insert")
            dels += sum(1 for w in change["words"] if w["op"] == "delete")
    return ins, dels


class Page:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []

    async def call(self, method, **params):
        self.next_id += 1
        mine = self.next_id
        await self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        while True:
            message = json.loads(await self.ws.recv())
            if message.get("id") == mine:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    async def wait_for(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for e in self.events:
                if e.get("method") == method:
                    return e
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(method)
            message = json.loads(await asyncio.wait_for(self.ws.recv(), remaining))
            self.events.append(message)

    async def eval(self, expression):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")


async def check(page, html, report, screenshot):
    page.events.clear()
    url = "file://" + os.path.abspath(html)
    await page.call("Page.navigate", url=url)
    await page.wait_for("Page.loadEventFired")
    await asyncio.sleep(0.3)
    failures = []
    expect = lambda what, got, want: got == want or failures.append(f"{what}: got {got!r}, want {want!r}")

    verdict = report["verdict"]
    want_verdict = ("material" if verdict["material"] else "changed" if verdict["practices_changed"]
                    else "wording" if verdict["text_changed"] else "identical")
    expect("verdict", await page.eval("document.body.dataset.verdict"), want_verdict)
    expect("verdict banner", await page.eval("document.querySelector('header.verdict').dataset.verdict"), want_verdict)
    expect("practice changes", await page.eval("document.querySelectorAll('tr.practice').length"),
           len(report["practice_changes"]))
    expect("material practice changes",
           await page.eval("document.querySelectorAll('tr.practice.material').length"),
           sum(1 for c in report["practice_changes"] if c["material"]))
    expect("text changes listed", await page.eval("document.querySelectorAll('nav.changes li').length"),
           len(report["text_changes"]))
    ins, dels = expected_counts(report)
    expect("insertions", await page.eval("document.querySelectorAll('.cell.i ins').length"), ins)
    expect("deletions", await page.eval("document.querySelectorAll('.cell.i del').length"), dels)
    expect("moves", await page.eval("document.querySelectorAll('.row[data-kind=moved-to]').length") > 0,
           any(c["kind"] == "moved" for c in report["text_changes"]))
    # Each change in the margin links to a row that exists.
    broken = await page.eval(
        "[...document.querySelectorAll('nav.changes a')].filter(a => !document.getElementById(a.hash.slice(1))).length")
    expect("broken change links", broken, 0)
    broken = await page.eval(
        "[...document.querySelectorAll('.ev a, a.mvlink')].filter(a => !document.getElementById(a.hash.slice(1))).length")
    expect("broken evidence and move links", broken, 0)
    # Views: side by side first, inline on a click.
    display = "getComputedStyle(document.querySelector('.row:not(.heads) .cell.{}')).display"
    expect("side view shows old", await page.eval(display.format("o")) != "none", True)
    expect("side view hides inline", await page.eval(display.format("i")), "none")
    if screenshot:
        shot = await page.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    await page.eval("document.querySelector('input.view-inline').click()")
    expect("inline view shows inline", await page.eval(display.format("i")) != "none", True)
    expect("inline view hides old", await page.eval(display.format("o")), "none")
    # Nothing from the policy ran, and nothing left the page.
    expect("script ran", await page.eval("typeof window.__pwned"), "undefined")
    expect("script elements", await page.eval("document.scripts.length"), 0)
    expect("iframes, images, links", await page.eval(
        "document.querySelectorAll('iframe, img, link, object, embed, svg').length"), 0)
    requests = [e["params"]["request"]["url"] for e in page.events
                if e.get("method") == "Network.requestWillBeSent"]
    expect("requests", [r for r in requests if r != url], [])
    csp = [e for e in page.events if e.get("method") == "Log.entryAdded"
           and "Content Security Policy" in e["params"]["entry"].get("text", "")]
    expect("CSP violations (our own style must be allowed)", [e["params"]["entry"]["text"] for e in csp], [])
    return failures


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        sys.exit("browser.py: chromium is not installed")
    profile = tempfile.mkdtemp(prefix="handover-chromium-")
    proc = subprocess.Popen([chromium, f"--user-data-dir={profile}", *CHROMIUM_FLAGS],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1:
                break
            time.sleep(0.1)
        port = open(port_file).read().split("\n")[0].strip()
        import urllib.request
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        target = next(t for t in targets if t["type"] == "page")
        async with websockets.connect(target["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024) as ws:
            page = Page(ws)
            for domain in ("Page", "Runtime", "Network", "Log"):
                await page.call(f"{domain}.enable")
            all_failures = []
            pairs = list(zip(args.files[0::2], args.files[1::2]))
            for n, (html, report_json) in enumerate(pairs):
                with open(report_json) as f:
                    report = json.load(f)
                shot = os.path.join(args.out, "report.png") if n == 0 else None
                failures = await check(page, html, report, shot)
                status = "ok" if not failures else "FAILED"
                print(f"browser: {html}: {status} (verdict {report['verdict']['summary'][:60]}...)")
                all_failures += [f"{html}: {f}" for f in failures]
        if all_failures:
            print("\n".join(all_failures), file=sys.stderr)
            sys.exit(1)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


asyncio.run(main())
