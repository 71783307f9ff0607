import xml.dom.minidom
import xml.etree.ElementTree as ET
import xml.sax
from xml.dom import pulldom

import defusedxml.ElementTree as SafeET
import defusedxml.minidom
from defusedxml.sax import parseString as safe_sax_parse_string
from flask import Flask, request

app = Flask(__name__)


@app.route("/upload", methods=["POST"])
def parse_upload():
    # ruleid: xml-entity-expansion
    root = ET.fromstring(request.data)
    return ",".join(item.text for item in root.findall("item"))


@app.route("/custom", methods=["POST"])
def parse_with_custom_parser():
    parser = ET.XMLParser(encoding="utf-8")
    # ruleid: xml-entity-expansion
    parser.feed(request.get_data())
    return parser.close().tag


@app.route("/pretty", methods=["POST"])
def pretty_print():
    # ruleid: xml-entity-expansion
    doc = xml.dom.minidom.parseString(request.form["xml"])
    return doc.toprettyxml()


@app.route("/events", methods=["POST"])
def count_events():
    total = 0
    # ruleid: xml-entity-expansion
    for event, _node in pulldom.parseString(request.form["xml"]):
        if event == pulldom.START_ELEMENT:
            total += 1
    return str(total)


@app.route("/sax", methods=["POST"])
def sax_titles():
    handler = xml.sax.ContentHandler()
    # ruleid: xml-entity-expansion
    xml.sax.parseString(request.data, handler)
    return "ok"


@app.route("/upload-safe", methods=["POST"])
def parse_upload_safely():
    # ok: xml-entity-expansion
    root = SafeET.fromstring(request.data)
    return ",".join(item.text for item in root.findall("item"))


@app.route("/pretty-safe", methods=["POST"])
def pretty_print_safely():
    # ok: xml-entity-expansion
    doc = defusedxml.minidom.parseString(request.form["xml"])
    return doc.toprettyxml()


@app.route("/sax-safe", methods=["POST"])
def sax_titles_safely():
    handler = xml.sax.ContentHandler()
    # ok: xml-entity-expansion
    safe_sax_parse_string(request.data, handler)
    return "ok"


def read_config(path):
    # The program's own configuration file, not request data.
    # ok: xml-entity-expansion
    tree = ET.parse(path)
    return {child.tag: child.text for child in tree.getroot()}


def build_document(items):
    # ok: xml-entity-expansion
    root = ET.Element("items")
    for item in items:
        ET.SubElement(root, "item").text = item
    return ET.tostring(root)
