"""A loopback SMTP server for the tests of `handover notify --smtp` (aiosmtpd).

Every message it accepts is stored in OUT as `<n>-<uuid>.eml` (the raw bytes as received)
and `<n>-<uuid>.json` (what Python's own `email` parser reads from it: headers decoded,
text and HTML parts decoded), each written to a temporary name and renamed, so a reader never
sees half a file. It is stored when the message has been received in full, before the
server answers; `--delay` then holds the answer back, so a client killed meanwhile never
learns the outcome.

    python server.py --out DIR [--reject SUBSTR]... [--defer SUBSTR=N]... [--delay SECONDS]

`--reject` answers 550 to RCPT for recipients containing SUBSTR; `--defer` answers 451 to RCPT
the first N times for recipients containing SUBSTR. When listening, the port is written to
OUT/port (then the server runs until killed).
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import socket
import sys
import uuid

from aiosmtpd.controller import Controller


def store(out, name, data):
    tmp = os.path.join(out, "." + name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, os.path.join(out, name))


class Handler:
    def __init__(self, args):
        self.args = args
        self.deferred = {}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        for substr in self.args.reject:
            if substr in address.lower():
                return "550 5.1.1 <%s>: mailbox unavailable" % address
        for rule in self.args.defer:
            substr, times = rule.split("=")
            if substr in address.lower():
                seen = self.deferred.get(address, 0)
                if seen < int(times):
                    self.deferred[address] = seen + 1
                    return "451 4.7.1 <%s>: try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        parsed = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {k.lower(): str(v) for k, v in msg.items()},
            "content_type": msg.get_content_type(),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
            "defects": [str(d) for d in msg.defects],
        }
        self.count += 1
        name = "%06d-%s" % (self.count, uuid.uuid4().hex)
        store(self.args.out, name + ".eml", raw)
        store(self.args.out, name + ".json", json.dumps(parsed).encode("utf-8"))
        if self.args.delay > 0:
            await asyncio.sleep(self.args.delay)
        return "250 2.0.0 Message accepted"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--defer", action="append", default=[])
    p.add_argument("--delay", type=float, default=0.0)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    controller = Controller(Handler(args), hostname="127.0.0.1", port=port)
    controller.start()
    store(args.out, "port", str(port).encode())
    try:
        while True:
            import time

            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
