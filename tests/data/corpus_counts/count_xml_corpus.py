#!/usr/bin/env python3
"""Counts the nodes of the mm, opml and xmind maps in ../shared/corpus with
Python's own XML and JSON parsers, independently of mindcards, and writes
tests/data/corpus_counts/{mm,opml,xmind}.tsv. Run once by hand:
    python3 tests/data/corpus_counts/count_xml_corpus.py ../shared/corpus
The rules are those documented in docs/formats.md:
  opml:  <outline> elements in <body>, plus one root made from the title
         when the body has not exactly one top-level outline;
  mm:    <node> elements of the first top-level <node>'s tree, less
         Freeplane's bare group markers (empty text, a FirstGroupNode or
         SummaryNode hook, and no note, link, icon or attribute);
  xmind: topics of every group (attached, detached, summary, callout) of
         the first sheet whose root topic has a title or children."""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

HEADER = "# file\tnodes  (counted by tests/data/corpus_counts/count_xml_corpus.py: {})\n"


def count_opml(path):
    body = ET.parse(path).getroot().find("body")
    outlines = len(list(body.iter("outline")))
    top = len(body.findall("outline"))
    return outlines + (0 if top == 1 else 1)


def mm_is_bare_marker(n):
    hooks = {h.get("NAME") for h in n.findall("hook")}
    if not hooks & {"FirstGroupNode", "SummaryNode"}:
        return False
    text = n.get("TEXT") or n.get("LOCALIZED_TEXT") or ""
    for rc in n.findall("richcontent"):
        if rc.get("TYPE") == "NODE":
            text += "".join(rc.itertext())
        elif "".join(rc.itertext()).strip():
            return False  # a note or details
    return (not text.strip() and n.get("LINK") is None
            and not n.findall("icon") and not n.findall("attribute"))


def count_mm(path):
    root = ET.parse(path).getroot().find("node")
    nodes = list(root.iter("node"))
    return len(nodes) - sum(1 for n in nodes[1:] if mm_is_bare_marker(n))


def count_json_topic(t):
    n = 1
    for group in (t.get("children") or {}).values():
        for c in group:
            n += count_json_topic(c)
    return n


def count_xmind(path):
    if path.endswith(".json"):
        sheets = json.load(open(path, encoding="utf-8"))
        for s in sheets:
            t = s.get("rootTopic") or {}
            if t.get("title") or t.get("children"):
                return count_json_topic(t)
        return 0
    root = ET.parse(path).getroot()
    ns = "{urn:xmind:xmap:xmlns:content:2.0}"
    for s in root.findall(ns + "sheet"):
        t = s.find(ns + "topic")
        if t is None:
            continue
        if (t.findtext(ns + "title") or t.find(ns + "children") is not None):
            return len(list(t.iter(ns + "topic")))
    return 0


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"
    out_dir = os.path.dirname(os.path.abspath(__file__))
    for kind, pattern, counter, rule in [
        ("opml", "opml/*.opml", count_opml, "xml.etree, <outline> elements"),
        ("mm", "mm/*.mm", count_mm, "xml.etree, <node> elements less bare group markers"),
        ("xmind", "xmind/*", count_xmind, "xml.etree/json, topics of the first non-empty sheet"),
    ]:
        with open(os.path.join(out_dir, kind + ".tsv"), "w") as f:
            f.write(HEADER.format(rule))
            for path in sorted(glob.glob(os.path.join(corpus, pattern))):
                f.write("{}\t{}\n".format(os.path.relpath(path, corpus), counter(path)))


main()
