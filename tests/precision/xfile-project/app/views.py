# exercises: flows across files: helpers imported from other modules of the project (a query helper that reaches the sink, an escape helper, a pass-through helper, a helper returning request data; absolute, relative and module imports, an import cycle) get the same summary as helpers of the same file
from flask import Flask, make_response, request

from app.db import find_user, find_user_safe
from .utils import escape_for_html, shout
from . import utils
from .cycle_a import relay
from .request_helpers import current_search, default_search
import app.db as db

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


@app.route("/users")
def users():
    name = request.args.get("name", "")
    # ruleid: tainted-sql-query
    rows = find_user(name)
    return {"rows": rows}


@app.route("/users/safe")
def users_safe():
    name = request.args.get("name", "")
    # ok: tainted-sql-query
    rows = find_user_safe(name)
    return {"rows": rows}


@app.route("/lookup")
def lookup():
    # ruleid: tainted-sql-query
    return {"rows": db.find_user(request.args["q"])}


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ok: reflected-xss
    return make_response("<h1>Hello " + escape_for_html(name) + "</h1>")


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    # ok: reflected-xss
    return make_response("<p>" + utils.escape_for_html(name) + "</p>")


@app.route("/shout")
def loud():
    name = request.args.get("name", "")
    # ruleid: reflected-xss
    return make_response("<h1>" + shout(name) + "</h1>")


@app.route("/relay")
def relayed():
    name = request.args.get("name", "")
    # ruleid: reflected-xss
    return make_response("<p>" + relay(name, 3) + "</p>")


@app.route("/search")
def search():
    term = current_search()
    # ruleid: reflected-xss
    return make_response("<p>Results for " + term + "</p>")


@app.route("/search/default")
def search_default():
    term = default_search()
    # ok: reflected-xss
    return make_response("<p>Results for " + term + "</p>")
