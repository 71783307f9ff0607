# exercises: in a view of a literal route (no <placeholder>), request.path and its segments are known strings; in a route with a placeholder or an error handler the client chooses the path
from flask import Flask, make_response, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


@app.route("/docs/index")
def docs_index():
    section = request.path.split("/")[1]
    # ok: reflected-xss
    return f"<h1>{section}</h1><a href='{request.path}'>permalink</a>"


@app.get("/about/team")
def about_team():
    crumbs = " / ".join(request.path.strip("/").split("/"))
    # ok: reflected-xss
    return make_response("<nav>" + crumbs + "</nav>")


@app.route("/docs/<page>")
def docs_page(page):
    title = request.path.rsplit("/", 1)[-1]
    # ruleid: reflected-xss
    return f"<h1>{title}</h1>"


@app.errorhandler(404)
def not_found(error):
    # ruleid: reflected-xss
    return make_response(f"<p>No page at {request.path}</p>", 404)
