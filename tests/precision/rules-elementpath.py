# exercises: an XPath expression given to elementpath.select()/Selector() built from request data is XPath injection; a fixed expression with the value compared in Python, or an allow-listed value, is not
import elementpath
from defusedxml import ElementTree
from flask import Flask, abort, jsonify, request

# ruleid: flask-csrf-protection-missing, flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)
CATALOG = ElementTree.parse("/srv/app/catalog.xml").getroot()
CATEGORIES = {"books", "music", "games"}


@app.route("/catalog/items")
def catalog_items():
    sku = request.args["sku"]
    # ruleid: xpath-injection
    found = elementpath.select(CATALOG, f"//item[@sku='{sku}']")
    return jsonify([item.get("name") for item in found])


@app.route("/catalog/items-safe")
def catalog_items_safe():
    sku = request.args["sku"]
    # ok: xpath-injection
    found = elementpath.select(CATALOG, "//item")
    return jsonify([item.get("name") for item in found if item.get("sku") == sku])


@app.route("/catalog/category")
def catalog_category():
    category = request.args["category"]
    if category not in CATEGORIES:
        abort(400)
    # ok: xpath-injection
    found = elementpath.select(CATALOG, f"//item[@category='{category}']")
    return jsonify([item.get("name") for item in found])


@app.route("/catalog/query", methods=["POST"])
def catalog_query():
    expression = request.form["xpath"]
    # ruleid: xpath-injection
    selector = elementpath.Selector(expression)
    return jsonify([str(node) for node in selector.select(CATALOG)])
