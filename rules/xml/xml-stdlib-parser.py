import xml.dom.minidom
import xml.etree.ElementTree as ET
import xml.sax
from xml.dom import pulldom

import defusedxml.ElementTree as SafeET
import defusedxml.minidom
from defusedxml.sax import parseString as safe_sax_parse_string


def read_config(path):
    # ruleid: xml-stdlib-parser
    tree = ET.parse(path)
    return {child.tag: child.text for child in tree.getroot()}


def parse_upload(body):
    # ruleid: xml-stdlib-parser
    root = ET.fromstring(body)
    return root.findall("item")


def parse_with_custom_parser(body):
    # ruleid: xml-stdlib-parser
    parser = ET.XMLParser(encoding="utf-8")
    # ruleid: xml-stdlib-parser
    return ET.fromstring(body, parser=parser)


def pretty_print(body):
    # ruleid: xml-stdlib-parser
    doc = xml.dom.minidom.parseString(body)
    return doc.toprettyxml()


def count_events(path):
    total = 0
    # ruleid: xml-stdlib-parser
    for event, _node in pulldom.parse(path):
        if event == pulldom.START_ELEMENT:
            total += 1
    return total


def sax_titles(body, handler):
    # ruleid: xml-stdlib-parser
    xml.sax.parseString(body, handler)
    return handler.titles


def parse_upload_safely(body):
    # ok: xml-stdlib-parser
    root = SafeET.fromstring(body)
    return root.findall("item")


def pretty_print_safely(body):
    # ok: xml-stdlib-parser
    doc = defusedxml.minidom.parseString(body)
    return doc.toprettyxml()


def sax_titles_safely(body, handler):
    # ok: xml-stdlib-parser
    safe_sax_parse_string(body, handler)
    return handler.titles


def build_document(items):
    # ok: xml-stdlib-parser
    root = ET.Element("items")
    for item in items:
        ET.SubElement(root, "item").text = item
    return ET.tostring(root)
