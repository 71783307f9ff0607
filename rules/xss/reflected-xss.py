import html

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.html import escape as django_escape
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from flask import Flask, Response, jsonify, make_response, render_template, render_template_string, request
from markupsafe import Markup, escape
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
client = OpenAI()


@app.route("/search")
def search():
    q = request.args.get("q", "")
    # ruleid: reflected-xss
    return f"<h1>Results for {q}</h1>"


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # Request data in a template's text is template injection (server-side-template-injection).
    # ok: reflected-xss
    return render_template_string(f"<h1>Hello {name}!</h1>")


@app.route("/error")
def error():
    reason = request.args.get("reason", "unknown")
    # ruleid: reflected-xss
    return "<p>Error: " + reason + "</p>", 400


@app.route("/greet/<user>")
def greet(user):
    # ruleid: reflected-xss
    return "<p>Welcome back, %s</p>" % user


@app.route("/bio", methods=["POST"])
def bio():
    # ruleid: reflected-xss
    return make_response(Markup(request.form["bio"]))


@app.route("/page")
def page():
    title = request.args["title"]
    # ruleid: reflected-xss
    return Response("<title>{}</title>".format(title))


@app.route("/list")
def tag_list():
    out = "<ul>"
    for tag in request.args.getlist("tag"):
        out += f"<li>{tag}</li>"
    out += "</ul>"
    # ruleid: reflected-xss
    return out


@app.get("/note")
def note():
    text = request.args.get("text", "")
    # ruleid: reflected-xss
    return "<blockquote>{}</blockquote>".format(text)


def django_search(request):
    term = request.GET.get("q", "")
    # ruleid: reflected-xss
    return HttpResponse(f"<p>No results for {term}</p>")


def django_comment(request):
    body = request.POST.get("body", "")
    # ruleid: reflected-xss
    return HttpResponseBadRequest(mark_safe("<pre>" + body + "</pre>"))


@api.get("/widget", response_class=HTMLResponse)
async def widget(color: str):
    # ruleid: reflected-xss
    return f"<div style='color: {color}'>widget</div>"


@app.route("/assistant", methods=["POST"])
def assistant():
    answer = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": request.form["q"]}])
    # ruleid: reflected-xss
    return Markup(answer.choices[0].message.content)


# --- moved through a helper function, a dict and an f-string --------------------------------


def card(title, body):
    return f"<div class='card'><h2>{title}</h2><p>{body}</p></div>"


@app.route("/card")
def show_card():
    html_card = card(request.args["title"], "static body")
    # ruleid: reflected-xss
    return Response(html_card, mimetype="text/html")


@app.route("/profile")
def profile():
    user = {"name": request.args["name"], "role": "member"}
    # ruleid: reflected-xss
    return f"<h2>{user['name']}</h2><p>{user['role']}</p>"


# --- safe ------------------------------------------------------------------------------------


@app.route("/search-safe")
def search_safely():
    q = request.args.get("q", "")
    # ok: reflected-xss
    return f"<h1>Results for {escape(q)}</h1>"


@app.route("/hello-safe")
def hello_safely():
    name = request.args.get("name", "")
    # ok: reflected-xss
    return render_template_string("<h1>Hello {{ name }}!</h1>", name=name)


@app.route("/search-template")
def search_template():
    # ok: reflected-xss
    return render_template("search.html", q=request.args.get("q", ""))


@app.route("/error-safe")
def error_safely():
    reason = html.escape(request.args.get("reason", "unknown"))
    # ok: reflected-xss
    return "<p>Error: " + reason + "</p>", 400


@app.route("/greet-safe/<user>")
def greet_safely(user):
    # ok: reflected-xss
    return Markup("<p>Welcome back, {}</p>").format(user)


@app.route("/api/search")
def api_search():
    q = request.args.get("q", "")
    # ok: reflected-xss
    return make_response(jsonify(query=q, results=[]))


@app.route("/raw")
def raw_text():
    # ok: reflected-xss
    return Response(request.args.get("text", ""), mimetype="text/plain")


def django_search_safely(request):
    term = request.GET.get("q", "")
    # ok: reflected-xss
    return HttpResponse(format_html("<p>No results for {}</p>", term))


def django_escaped(request):
    term = django_escape(request.GET.get("q", ""))
    # ok: reflected-xss
    return HttpResponse(mark_safe(f"<p>{term}</p>"))


@api.get("/echo")
async def api_echo(text: str):
    # a str returned from a FastAPI route is sent as JSON
    # ok: reflected-xss
    return f"<p>{text}</p>"


@app.route("/count")
def count():
    n = int(request.args.get("n", "0"))
    # ok: reflected-xss
    return f"<p>{n} items</p>"


@app.route("/banner")
def banner():
    message = request.args.get("msg", "")
    message = "Welcome!"
    # ok: reflected-xss
    return f"<div class='banner'>{message}</div>"


@app.route("/debug")
def debug_page():
    detail = "disabled"
    if False:
        detail = request.args["detail"]
    # ok: reflected-xss
    return f"<pre>{detail}</pre>"


def profile_card(request):
    # One flaw, one finding: the value is unsafe HTML from mark_safe on; the response that
    # carries it on is the same flaw, reported once, where the user must act.
    name = request.GET.get("name", "")
    # ruleid: reflected-xss
    html = mark_safe("<b>" + name + "</b>")
    # ok: reflected-xss
    return HttpResponse(html)


def two_sinks(request):
    # Two sinks of one source on separate paths are two flaws.
    name = request.GET.get("name", "")
    # ruleid: reflected-xss
    first = mark_safe("<i>" + name + "</i>")
    # ruleid: reflected-xss
    return HttpResponse("<p>" + name + "</p>")


@app.route("/tuple-headers")
def tuple_headers():
    name = request.args["name"]
    # Only the headers carry the request's data: header injection, not XSS.
    # ok: reflected-xss
    return make_response(("<p>Your report</p>", {"Content-Disposition": f'attachment; filename="{name}.html"'}))


@app.route("/tuple-body")
def tuple_body():
    name = request.args["name"]
    # ruleid: reflected-xss
    return make_response((f"<p>Hello {name}</p>", 200))


# A literal route's path is that route: a known string.
@app.route("/docs/index")
def docs_index():
    section = request.path.split("/")[1]
    # ok: reflected-xss
    return f"<h1>{section}</h1>"


# An error handler runs for any path the client asks for.
@app.errorhandler(404)
def page_not_found(error):
    # ruleid: reflected-xss
    return make_response(f"<p>No page at {request.path}</p>", 404)


# Converted route values are numbers, not markup.
@app.route("/orders/<int:order_id>")
def order_page(order_id):
    # ok: reflected-xss
    return f"<h1>Order {order_id}</h1>"


@api.get("/orders/{order_id}/card", response_class=HTMLResponse)
def order_card(order_id: int, note: str = ""):
    # ruleid: reflected-xss
    return f"<h1>Order {order_id}</h1><p>{note}</p>"


def escape_for_html(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def encode_entities(value):
    value = value.replace("&", "&amp;")
    value = value.replace("<", "&lt;")
    value = value.replace(">", "&gt;")
    value = value.replace("'", "&#39;")
    return value


def encode_brackets(value):
    value = value.replace("&", "&amp;")
    value = value.replace("<", "&lt;")
    value = value.replace(">", "&gt;")
    return value


def drop_brackets(value):
    return value.replace("<", "").replace(">", "")


@app.route("/escaped-by-helper")
def escaped_by_helper():
    name = request.args.get("name", "")
    # ok: reflected-xss
    return "<p>" + escape_for_html(name) + "</p>"


@app.route("/encoded-by-helper")
def encoded_by_helper():
    name = request.args.get("name", "")
    # ok: reflected-xss
    return f"<p>{encode_entities(name)}</p>"


@app.route("/partly-escaped")
def partly_escaped():
    name = request.args.get("name", "")
    # ruleid: reflected-xss
    return "<p>" + drop_brackets(name) + "</p>"


@app.route("/attribute")
def attribute():
    name = request.args.get("name", "")
    # quotes are left as they are: unsafe in an attribute
    # ruleid: reflected-xss
    return '<a title="' + encode_brackets(name) + '">me</a>'
