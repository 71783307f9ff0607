# exercises: XXE only when it can happen: request XML given to a parser that resolves external entities (lxml resolve_entities=True or no_network=False, xml.sax feature_external_ges) is CWE-611; default parsers are not; untrusted XML to a standard-library parser is a LOW entity-expansion finding, XML that is not from the request is nothing
import xml.etree.ElementTree as ET
import xml.sax
from xml.sax.handler import feature_external_ges

import defusedxml.ElementTree as SafeET
from fastapi import FastAPI, Request
from lxml import etree

app = FastAPI()


@app.post("/invoices")
async def upload_invoice(request: Request):
    body = await request.body()
    parser = etree.XMLParser(resolve_entities=True)
    # ruleid: xxe-external-entities
    doc = etree.fromstring(body, parser)
    return {"total": doc.findtext("total")}


@app.post("/invoices/safe")
async def upload_invoice_safe(request: Request):
    body = await request.body()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    # ok: xxe-external-entities
    doc = etree.fromstring(body, parser)
    return {"total": doc.findtext("total")}


@app.post("/feeds")
async def upload_feed(request: Request):
    body = await request.body()
    handler = xml.sax.ContentHandler()
    parser = xml.sax.make_parser()
    parser.setContentHandler(handler)
    parser.setFeature(feature_external_ges, True)
    # ruleid: xxe-external-entities
    parser.feed(body)
    return {"ok": True}


@app.post("/feeds/default")
async def upload_feed_default(request: Request):
    body = await request.body()
    handler = xml.sax.ContentHandler()
    parser = xml.sax.make_parser()
    parser.setContentHandler(handler)
    # ok: xxe-external-entities
    parser.feed(body)
    return {"ok": True}


@app.post("/items")
async def upload_items(request: Request):
    body = await request.body()
    # ruleid: xml-entity-expansion
    root = ET.fromstring(body)
    return {"items": [i.text for i in root.findall("item")]}


@app.post("/items/safe")
async def upload_items_safe(request: Request):
    body = await request.body()
    # ok: xml-entity-expansion
    root = SafeET.fromstring(body)
    return {"items": [i.text for i in root.findall("item")]}


@app.get("/catalog")
def catalog():
    # The program's own document: no entity from outside.
    # ok: xml-entity-expansion
    root = ET.fromstring("<catalog><item>tea</item><item>cake</item></catalog>")
    return {"items": [i.text for i in root.findall("item")]}
