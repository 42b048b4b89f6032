#!/usr/bin/env python3
"""Writes two long Markdown privacy policies that differ the way real revisions do.

The old policy is generated section by section from a privacy vocabulary until it reaches
the requested number of words. The new one is the old one after:

- a few hundred sentence edits (a modal, an object, a purpose or a condition replaced, a
  clause added or dropped),
- a few moved sections,
- some inserted and some deleted paragraphs,
- and pure formatting changes: every paragraph wrapped at another width (some not at all),
  some lists with other markers, some headings as bold lines instead of `##`.

Only the standard library is used, and the output depends only on the seed:

    python3 bench/gen_policy.py --seed 1 --words 20000 --out bench/out

writes bench/out/old.md and bench/out/new.md and prints what it did.
"""

import argparse
import os
import random
import textwrap

SUBJECTS = [
    "We", "Sakura Travel", "Our service providers", "Our partners", "The mobile app",
    "Our support team", "Our payment processors", "Companies in the Sakura Group",
    "Our analytics providers", "Tour operators we work with",
]
MODALS = ["may", "will", "do not", "never", "can", "must", "might", "routinely"]
VERBS = [
    "collect", "use", "share", "store", "process", "disclose", "retain", "delete",
    "transfer", "analyse", "combine", "record",
]
OBJECTS = [
    "your email address", "your name and postal address", "your precise location",
    "device identifiers", "payment card details", "your purchase history",
    "information about your travel plans", "your passport number", "your date of birth",
    "the pages you visit", "messages you send to our guides", "reviews you publish",
    "your IP address", "cookie identifiers", "your phone number", "your loyalty points",
    "photos you upload", "your dietary preferences", "the language you prefer",
    "information from social networks you connect",
]
PURPOSES = [
    "to provide the services you request", "to improve our services",
    "to prevent fraud and abuse", "to personalise the offers we show you",
    "to meet our legal and accounting obligations", "to contact you about your booking",
    "to measure how our website is used", "to train the models that power our recommendations",
    "to show you relevant advertising on other websites", "to answer your questions",
    "to process your payments", "to keep our systems secure",
]
CONDITIONS = [
    "when you create an account", "if you contact us", "unless you opt out",
    "where the law requires it", "after you give your consent", "while your account is active",
    "for as long as we need it", "when you book a tour or hotel", "if you enable location services",
    "in accordance with this policy", "for up to seven years after your account is closed",
    "only with your permission",
]
EXTRAS = [
    "You can change this at any time in your account settings.",
    "We explain your choices in the section on your rights.",
    "These providers act on our instructions and under confidentiality agreements.",
    "Where possible we use pseudonymous identifiers instead.",
    "Some of these providers are located outside Japan.",
]
TOPICS = [
    "Information We Collect", "How We Use Information", "Sharing and Disclosure",
    "Cookies and Similar Technologies", "Retention", "International Transfers",
    "Your Choices", "Children", "Security", "Advertising", "Location Data", "Payments",
    "Reviews and Community Content", "Customer Support", "Research and Analytics",
    "Mergers and Acquisitions", "Marketing Messages", "Loyalty Programme",
    "Third-Party Services", "Changes to this Policy",
]
QUALIFIERS = [
    "for Members", "for Guests", "in the Mobile App", "on Our Website", "for Tour Bookings",
    "for Hotel Bookings", "for Business Customers", "in Japan", "outside Japan", "for Guides",
]


def sentence(rng):
    words = [rng.choice(SUBJECTS), rng.choice(MODALS), rng.choice(VERBS), rng.choice(OBJECTS)]
    words.append(rng.choice(PURPOSES))
    if rng.random() < 0.6:
        words.append(rng.choice(CONDITIONS))
    if rng.random() < 0.25:
        words.append("and " + rng.choice(PURPOSES))
    text = " ".join(words) + "."
    if rng.random() < 0.15:
        text += " " + rng.choice(EXTRAS)
    return text


def paragraph(rng):
    return {"kind": "p", "sentences": [sentence(rng) for _ in range(rng.randint(2, 6))]}


def bullet_list(rng):
    return {"kind": "ul", "sentences": [sentence(rng) for _ in range(rng.randint(3, 8))]}


def section(rng, number):
    title = "%d. %s %s" % (number, rng.choice(TOPICS), rng.choice(QUALIFIERS))
    blocks = [paragraph(rng) if rng.random() < 0.7 else bullet_list(rng)
              for _ in range(rng.randint(2, 6))]
    return {"title": title, "blocks": blocks}


def count_words(sections):
    total = 0
    for s in sections:
        total += len(s["title"].split())
        for b in s["blocks"]:
            total += sum(len(x.split()) for x in b["sentences"])
    return total


def generate(rng, words):
    sections = []
    while count_words(sections) < words:
        sections.append(section(rng, len(sections) + 1))
    return sections


def edit_sentence(rng, text):
    """One realistic wording change; returns the new sentence."""
    choices = [
        (MODALS, 1), (OBJECTS, 3), (PURPOSES, 2), (CONDITIONS, 2),
    ]
    rng.shuffle(choices)
    for vocabulary, _ in choices:
        present = [v for v in vocabulary if (" " + v + " ") in (" " + text + " ")
                   or (" " + v + ".") in (" " + text)]
        if present:
            old = rng.choice(present)
            new = rng.choice([v for v in vocabulary if v != old])
            return text.replace(old, new, 1)
    # Nothing to replace: add a condition before the full stop.
    return text[:-1] + " " + rng.choice(CONDITIONS) + "."


def revise(rng, sections, sentence_edits, moves, inserts, deletes):
    """The new policy: the old one with wording edits, moves, insertions and deletions."""
    new = [{"title": s["title"], "blocks": [dict(b, sentences=list(b["sentences"]))
                                            for b in s["blocks"]]} for s in sections]
    stats = {"sentence edits": 0, "moved sections": 0, "inserted paragraphs": 0,
             "deleted paragraphs": 0}
    for _ in range(sentence_edits):
        block = rng.choice(rng.choice(new)["blocks"])
        k = rng.randrange(len(block["sentences"]))
        block["sentences"][k] = edit_sentence(rng, block["sentences"][k])
        stats["sentence edits"] += 1
    for _ in range(deletes):
        s = rng.choice([s for s in new if len(s["blocks"]) > 1])
        s["blocks"].pop(rng.randrange(len(s["blocks"])))
        stats["deleted paragraphs"] += 1
    for _ in range(inserts):
        s = rng.choice(new)
        s["blocks"].insert(rng.randint(0, len(s["blocks"])), paragraph(rng))
        stats["inserted paragraphs"] += 1
    for _ in range(moves):
        moved = new.pop(rng.randrange(len(new)))
        new.insert(rng.randrange(len(new) + 1), moved)
        stats["moved sections"] += 1
    return new, stats


def render(rng, sections, title, varied):
    """Markdown; with `varied`, every formatting choice is drawn at random."""
    out = ["# " + title, ""]
    for s in sections:
        if varied and rng.random() < 0.3:
            out += ["**" + s["title"] + "**", ""]
        else:
            out += ["## " + s["title"], ""]
        for b in s["blocks"]:
            width = rng.choice([0, 60, 72, 90, 110]) if varied else 78
            if b["kind"] == "p":
                text = " ".join(b["sentences"])
                out += (textwrap.wrap(text, width) if width else [text]) + [""]
            else:
                marker = rng.choice(["-", "*", "1."]) if varied else "-"
                for n, item in enumerate(b["sentences"], 1):
                    lead = "%d. " % n if marker == "1." else marker + " "
                    lines = textwrap.wrap(item, width, initial_indent=lead,
                                          subsequent_indent=" " * len(lead)) if width else [lead + item]
                    out += lines
                out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--words", type=int, default=20000)
    parser.add_argument("--edits", type=int, default=300, help="sentence edits")
    parser.add_argument("--moves", type=int, default=4, help="moved sections")
    parser.add_argument("--inserts", type=int, default=25, help="inserted paragraphs")
    parser.add_argument("--deletes", type=int, default=25, help="deleted paragraphs")
    parser.add_argument("--out", default="bench/out")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    old = generate(rng, args.words)
    new, stats = revise(rng, old, args.edits, args.moves, args.inserts, args.deletes)
    os.makedirs(args.out, exist_ok=True)
    texts = {
        "old.md": render(rng, old, "Sakura Travel Privacy Policy", varied=False),
        "new.md": render(rng, new, "Sakura Travel Privacy Policy", varied=True),
    }
    for name, text in texts.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            f.write(text)
        print("%s: %d words, %d lines, %d bytes" % (
            os.path.join(args.out, name), len(text.split()), text.count("\n"),
            len(text.encode("utf-8"))))
    print(", ".join("%d %s" % (v, k) for k, v in stats.items()))


if __name__ == "__main__":
    main()
