import xml.dom.minidom
import xml.sax
from xml.dom import pulldom
from xml.sax.handler import feature_external_ges, feature_external_pes

from flask import Flask, request
from lxml import etree, objectify

app = Flask(__name__)


@app.route("/invoice", methods=["POST"])
def parse_invoice():
    parser = etree.XMLParser(resolve_entities=True)
    # ruleid: xxe-external-entities
    doc = etree.fromstring(request.data, parser)
    return doc.findtext("total")


@app.route("/feed", methods=["POST"])
def parse_feed():
    upload = request.files["feed"].read()
    parser = etree.XMLParser(
        remove_blank_text=True,
        no_network=False,
    )
    # ruleid: xxe-external-entities
    return etree.tostring(etree.fromstring(upload, parser=parser))


@app.route("/records", methods=["POST"])
def stream_records():
    # ruleid: xxe-external-entities
    for _event, elem in etree.iterparse(request.stream, tag="record", resolve_entities=True):
        yield elem.attrib


@app.route("/objects", methods=["POST"])
def load_objects():
    parser = objectify.makeparser(resolve_entities=True)
    # ruleid: xxe-external-entities
    return objectify.fromstring(request.get_data(), parser).text


@app.route("/sax", methods=["POST"])
def sax_titles():
    handler = xml.sax.ContentHandler()
    parser = xml.sax.make_parser()
    parser.setContentHandler(handler)
    parser.setFeature(feature_external_ges, True)
    # ruleid: xxe-external-entities
    parser.parse(request.files["doc"])
    return "ok"


@app.route("/dom", methods=["POST"])
def dom_pretty():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    # ruleid: xxe-external-entities
    doc = xml.dom.minidom.parseString(request.data, parser)
    return doc.toprettyxml()


@app.route("/events", methods=["POST"])
def count_events():
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_pes, True)
    # ruleid: xxe-external-entities
    events = pulldom.parseString(request.data.decode(), parser=parser)
    return str(sum(1 for event, _node in events if event == pulldom.START_ELEMENT))


@app.route("/invoice-safe", methods=["POST"])
def parse_invoice_safely():
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    # ok: xxe-external-entities
    doc = etree.fromstring(request.data, parser)
    return doc.findtext("total")


@app.route("/invoice-default", methods=["POST"])
def parse_invoice_default():
    # lxml 5 and later resolve internal entities only, by default.
    # ok: xxe-external-entities
    doc = etree.fromstring(request.data)
    return doc.findtext("total")


@app.route("/sax-default", methods=["POST"])
def sax_default():
    handler = xml.sax.ContentHandler()
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, False)
    parser.setContentHandler(handler)
    # ok: xxe-external-entities
    parser.parse(request.files["doc"])
    return "ok"


def parse_bundled_catalog():
    parser = etree.XMLParser(resolve_entities=True)
    # The document is the program's own constant: nothing untrusted to resolve.
    # ok: xxe-external-entities
    return etree.fromstring(b"<catalog><item>a</item></catalog>", parser)
