import flask
from flask import Flask, render_template, render_template_string, request

app = Flask(__name__)

PROFILE_TEMPLATE = "<h2>{{ user }}</h2><p>{{ bio }}</p>"


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: flask-render-template-string
    return render_template_string(f"<h1>Hello {name}!</h1>")


@app.route("/search")
def search():
    term = request.args.get("q", "")
    # ruleid: flask-render-template-string
    return render_template_string("<p>Results for %s</p>" % term)


@app.route("/page/<title>")
def page(title):
    # ruleid: flask-render-template-string
    return flask.render_template_string("<title>{}</title>".format(title))


@app.route("/comment", methods=["POST"])
def comment():
    body = request.form["body"]
    # ruleid: flask-render-template-string
    return render_template_string(
        "<div class='comment'>" + body + "</div>",
    )


@app.route("/preview", methods=["POST"])
def preview():
    template = request.form["template"]
    # ruleid: flask-render-template-string
    return render_template_string(template, user=request.form.get("user"))


@app.route("/greet")
def greet():
    who = request.args.get("who", "")
    page_source = "<h1>Welcome, " + who + "</h1>"
    # ruleid: flask-render-template-string
    return render_template_string(page_source)


@app.route("/hello-safe")
def hello_safe():
    name = request.args.get("name", "")
    # ok: flask-render-template-string
    return render_template_string("<h1>Hello {{ name }}!</h1>", name=name)


@app.route("/profile/<user>")
def profile(user):
    bio = request.args.get("bio", "")
    # ok: flask-render-template-string
    return render_template_string(PROFILE_TEMPLATE, user=user, bio=bio)


@app.route("/about")
def about():
    # ok: flask-render-template-string
    return render_template("about.html", version="1.2.0")


@app.route("/search-safe")
def search_safe():
    term = request.args.get("q", "")
    # ok: flask-render-template-string
    return render_template("search.html", term=term)
