from lxml import etree, objectify

import defusedxml.ElementTree as SafeET


def parse_invoice(upload):
    # ruleid: lxml-resolve-entities
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(upload, parser)
    return doc.findtext("total")


def parse_feed(upload):
    # ruleid: lxml-resolve-entities
    parser = etree.XMLParser(
        remove_blank_text=True,
        resolve_entities=True,
        no_network=False,
    )
    return etree.fromstring(upload, parser)


def stream_records(path):
    # ruleid: lxml-resolve-entities
    for _event, elem in etree.iterparse(path, tag="record", resolve_entities=True):
        yield elem.attrib


def load_objects(upload):
    # ruleid: lxml-resolve-entities
    parser = objectify.makeparser(resolve_entities=True)
    return objectify.fromstring(upload, parser)


def parse_invoice_safely(upload):
    # ok: lxml-resolve-entities
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    doc = etree.fromstring(upload, parser)
    return doc.findtext("total")


def stream_records_safely(path):
    # ok: lxml-resolve-entities
    for _event, elem in etree.iterparse(path, tag="record", resolve_entities=False):
        yield elem.attrib


def parse_invoice_defused(upload):
    # ok: lxml-resolve-entities
    doc = SafeET.fromstring(upload)
    return doc.findtext("total")
