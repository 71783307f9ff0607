# exercises: the project's own HTML-escape helper is a sanitizer when its body returns html.escape()/markupsafe.escape() or replaces &, <, > and quotes (in one chain or statement by statement); a helper that misses characters is not
import html

import markupsafe
from flask import Flask, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


def escape_html(text):
    return html.escape(text, quote=True)


def escape_markup(text):
    return str(markupsafe.escape(text))


def escape_for_html(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")


def encode_entities(value):
    value = value.replace("&", "&amp;")
    value = value.replace("<", "&lt;")
    value = value.replace(">", "&gt;")
    value = value.replace('"', "&quot;")
    return value


def strip_tags(value):
    # not an escape: "<" and ">" are removed, but quotes and "&" are kept, and the rest passes
    return value.replace("<script>", "")


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ok: reflected-xss
    return "<p>Hello " + escape_html(name) + "</p>"


@app.route("/hello-markup")
def hello_markup():
    name = request.args.get("name", "")
    # ok: reflected-xss
    return f"<p>Hello {escape_markup(name)}</p>"


@app.route("/search")
def search():
    term = request.args.get("q", "")
    # ok: reflected-xss
    return "<h1>Results for " + escape_for_html(term) + "</h1>"


@app.route("/search-entities")
def search_entities():
    term = request.args.get("q", "")
    # ok: reflected-xss
    return "<h1>Results for %s</h1>" % encode_entities(term)


@app.route("/search-stripped")
def search_stripped():
    term = request.args.get("q", "")
    # ruleid: reflected-xss
    return "<h1>Results for " + strip_tags(term) + "</h1>"


@app.route("/search-raw")
def search_raw():
    term = request.args.get("q", "")
    escaped = escape_for_html(term)
    # ruleid: reflected-xss
    return f"<h1>Results for {term}</h1><p>{escaped}</p>"
