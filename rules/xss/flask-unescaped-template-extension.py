from flask import Flask, make_response, render_template, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    # ruleid: flask-unescaped-template-extension
    return render_template("hello.jinja", name=request.args["name"])


@app.route("/notes")
def notes():
    context = {"notes": load_notes()}
    # ruleid: flask-unescaped-template-extension
    return render_template("notes.txt", **context)


@app.route("/card")
def card():
    # ruleid: flask-unescaped-template-extension
    return render_template("cards/card.j2", title=request.args.get("title"))


@app.route("/hello-safe")
def hello_safe():
    # ok: flask-unescaped-template-extension
    return render_template("hello.html", name=request.args["name"])


@app.route("/feed")
def feed():
    # ok: flask-unescaped-template-extension
    return render_template("feed.xml", items=load_notes())


@app.route("/about")
def about():
    # ok: flask-unescaped-template-extension
    return render_template("about.txt")


def load_notes():
    return []


@app.route("/invoice")
def invoice():
    # ok: flask-unescaped-template-extension
    body = render_template("invoice.txt", order=load_notes())
    response = make_response(body)
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    return response


@app.route("/card-page")
def card_page():
    # ruleid: flask-unescaped-template-extension
    return make_response(render_template("card.jinja", title=request.args.get("title")), 200)
