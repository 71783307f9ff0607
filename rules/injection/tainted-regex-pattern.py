import re
import re as regexp
from re import compile as compile_rx

from flask import Flask, request

app = Flask(__name__)
PRODUCTS = ["apple", "banana"]


@app.get("/search")
def search():
    # ruleid: tainted-regex-pattern
    rx = re.compile(request.args["q"])
    return [p for p in PRODUCTS if rx.search(p)]


@app.get("/search-safe")
def search_safe():
    # ok: tainted-regex-pattern
    rx = re.compile(re.escape(request.args["q"]), re.IGNORECASE)
    return [p for p in PRODUCTS if rx.search(p)]


@app.get("/filter")
def filter_names():
    pattern = request.args.get("pattern", "")
    # ruleid: tainted-regex-pattern
    return [p for p in PRODUCTS if regexp.match(pattern, p)]


@app.get("/filter-safe")
def filter_safe():
    needle = request.args.get("needle", "")
    # ok: tainted-regex-pattern
    return [p for p in PRODUCTS if regexp.search(r"^[a-z]+$", needle)]


@app.get("/prefix/<prefix>")
def by_prefix(prefix):
    # ruleid: tainted-regex-pattern
    rx = compile_rx("^" + prefix + ".*")
    return [p for p in PRODUCTS if rx.match(p)]


@app.get("/prefix-safe/<prefix>")
def by_prefix_safe(prefix):
    # ok: tainted-regex-pattern
    rx = compile_rx("^" + re.escape(prefix))
    return [p for p in PRODUCTS if rx.match(p)]


def django_view(request):
    # ruleid: tainted-regex-pattern
    return re.findall(request.GET["rx"], "some text")


def django_view_text(request):
    # ok: tainted-regex-pattern
    return re.findall(r"\d+", request.GET["text"])
