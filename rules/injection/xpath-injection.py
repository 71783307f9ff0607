import sys
import xml.etree.ElementTree as ET

from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI
from flask import Flask, abort, jsonify, request
from lxml import etree

app = Flask(__name__)
api = FastAPI()

USERS = etree.parse("users.xml")
CATALOG = ET.parse("catalog.xml").getroot()
ROLES = {"admin", "editor", "viewer"}


# ---- lxml -------------------------------------------------------------------------


@app.route("/user")
def find_user():
    name = request.args["name"]
    # ruleid: xpath-injection
    nodes = USERS.xpath(f"//user[@name='{name}']")
    return etree.tostring(nodes[0]) if nodes else ("", 404)


@app.route("/user/safe")
def find_user_safe():
    name = request.args["name"]
    # An XPath variable: the value is never parsed as XPath.
    # ok: xpath-injection
    nodes = USERS.xpath("//user[@name=$name]", name=name)
    return etree.tostring(nodes[0]) if nodes else ("", 404)


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    password = request.form["password"]
    query = "//user[@name='" + user + "' and @password='" + password + "']"
    # ruleid: xpath-injection
    if not USERS.xpath(query):
        abort(401)
    return "", 204


@app.route("/user/<int:user_id>")
def user_by_id(user_id):
    # ok: xpath-injection
    nodes = USERS.xpath("//user[@id=%d]" % int(user_id))
    return etree.tostring(nodes[0])


@app.route("/users/by-role")
def users_by_role():
    role = request.args.get("role", "viewer")
    if role not in ROLES:
        abort(400)
    # ok: xpath-injection
    return jsonify([u.get("name") for u in USERS.xpath(f"//user[@role='{role}']")])


def compile_finder(field, value):
    return etree.XPath("//user[@%s='%s']" % (field, value))


@app.route("/users/find")
def users_find():
    # Reported in the helper, where the expression is compiled.
    # ruleid: xpath-injection
    finder = compile_finder("email", request.args["email"])
    return jsonify([u.get("name") for u in finder(USERS)])


@app.route("/users/query")
def users_query():
    # ruleid: xpath-injection
    return jsonify([str(n) for n in USERS.xpath(request.args.get("xpath", "//user/@name"))])


@app.route("/users/search")
def users_search():
    # Moved through a dict, then an f-string.
    search = {"attr": "city", "value": request.args["city"]}
    expr = f"//user[@{search['attr']}='{search['value']}']/@name"
    evaluator = etree.XPathEvaluator(USERS)
    # ruleid: xpath-injection
    return jsonify([str(n) for n in evaluator(expr)])


@app.route("/users/fixed")
def users_fixed():
    expr = request.args.get("xpath", "//user/@name")
    # Overwritten with a constant.
    expr = "//user/@name"
    # ok: xpath-injection
    return jsonify([str(n) for n in USERS.xpath(expr)])


# ---- ElementTree ------------------------------------------------------------------


@app.route("/products")
def find_product():
    sku = request.args["sku"]
    # ruleid: xpath-injection
    product = CATALOG.find(f".//product[@sku='{sku}']")
    return ET.tostring(product) if product is not None else ("", 404)


def product_names(request):
    category = request.GET["category"]
    root = ET.fromstring(open("catalog.xml").read())
    # ruleid: xpath-injection
    names = [p.findtext("name") for p in root.iterfind("./category/" + category + "/product")]
    return JsonResponse({"names": names})


def product_names_safe(request):
    category = request.GET["category"]
    root = ET.fromstring(open("catalog.xml").read())
    # Compared in Python, not in the path.
    # ok: xpath-injection
    names = [c.findtext("name") for c in root.iter("category") if c.get("name") == category]
    return JsonResponse({"names": names})


@api.get("/tags/{tag}")
def tag_search(tag: str, text: str):
    # A string search, not an XPath path.
    # ok: xpath-injection
    position = text.find(tag)
    return {"position": position}


def main():
    # ruleid: xpath-injection
    for node in USERS.xpath("//user[@name='%s']" % sys.argv[1]):
        print(etree.tostring(node))


@app.route("/users/quoted")
def users_quoted():
    name = request.args.get("name", "")
    if "'" in name:
        abort(400)
    # ok: xpath-injection
    return jsonify([n.get("id") for n in USERS.xpath(f"//user[@name='{name}']")])


@app.route("/users/escaped")
def users_escaped():
    name = request.args.get("name", "").replace("'", "&apos;")
    # ok: xpath-injection
    return jsonify([n.get("id") for n in USERS.xpath(f"//user[@name='{name}']")])


@app.route("/users/other-escape")
def users_other_escape():
    name = request.args.get("name", "").replace("<", "&lt;")
    # ruleid: xpath-injection
    return jsonify([n.get("id") for n in USERS.xpath(f"//user[@name='{name}']")])


# ---- elementpath (XPath 2.0) ------------------------------------------------------


@app.route("/ep/select")
def ep_select():
    import elementpath

    query = request.args["q"]
    # ruleid: xpath-injection
    return jsonify([str(n) for n in elementpath.select(CATALOG, query)])


@app.route("/ep/fixed")
def ep_fixed():
    import elementpath

    name = request.args["name"]
    # The value is compared in Python, not pasted into the path.
    # ok: xpath-injection
    items = elementpath.select(CATALOG, "//item")
    return jsonify([str(n) for n in items if n.get("name") == name])


@app.route("/ep/selector")
def ep_selector():
    from elementpath import Selector

    # ruleid: xpath-injection
    return jsonify([str(n) for n in Selector(f"//item[@sku='{request.args['sku']}']").select(CATALOG)])


@app.route("/ep/role")
def ep_role():
    import elementpath

    role = request.args["role"]
    if role not in ROLES:
        abort(400)
    # ok: xpath-injection
    return jsonify([str(n) for n in elementpath.select(CATALOG, f"//user[@role='{role}']")])
