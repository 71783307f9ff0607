import jinja2
from django.http import HttpResponse
from django.template import Context, Template as DjangoTemplate, engines
from fastapi import FastAPI
from flask import Flask, render_template, render_template_string, request
from jinja2.sandbox import SandboxedEnvironment
from mako.template import Template as MakoTemplate
from markupsafe import escape

app = Flask(__name__)
api = FastAPI()
env = jinja2.Environment(autoescape=True)

PAGE = "<h1>{{ heading }}</h1><p>{{ body }}</p>"


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: server-side-template-injection
    return render_template_string("<h1>Hello " + name + "!</h1>")


@app.route("/hello-safe")
def hello_safe():
    name = request.args.get("name", "")
    # ok: server-side-template-injection
    return render_template_string("<h1>Hello {{ name }}!</h1>", name=name)


@app.route("/page")
def page():
    # The user's data is a variable of a constant template: escaped, never run.
    # ok: server-side-template-injection
    return render_template_string(PAGE, heading="Search", body=request.args.get("q", ""))


@app.route("/escaped")
def escaped():
    # Escaping is no defence: "{{7*7}}" has nothing to escape.
    name = escape(request.args.get("name", ""))
    # ruleid: server-side-template-injection
    return render_template_string(f"<h1>Hello {name}!</h1>")


@app.route("/jinja")
def jinja_template():
    text = request.form["template"]
    # ruleid: server-side-template-injection
    return jinja2.Template(text).render()


@app.route("/env")
def env_template():
    text = request.form["template"]
    # ruleid: server-side-template-injection
    return env.from_string(text).render()


@app.route("/app-env")
def app_env_template():
    text = request.args["t"]
    # ruleid: server-side-template-injection
    return app.jinja_env.from_string(text).render()


@app.route("/sandbox")
def sandboxed():
    text = request.form["template"]
    # ok: server-side-template-injection
    return SandboxedEnvironment().from_string(text).render()


@app.route("/mako")
def mako_page():
    text = request.args.get("layout", "")
    # ruleid: server-side-template-injection
    return MakoTemplate("<div>" + text + "</div>").render()


@app.route("/file")
def from_file():
    # ok: server-side-template-injection
    return render_template("hello.html", name=request.args.get("name", ""))


@app.route("/number")
def number():
    count = int(request.args.get("n", "0"))
    # ok: server-side-template-injection
    return render_template_string("<p>" + str(count) + " items</p>")


def django_view(request):
    greeting = request.GET.get("greeting", "Hello")
    # ruleid: server-side-template-injection
    template = DjangoTemplate("<p>" + greeting + ", {{ user }}</p>")
    return HttpResponse(template.render(Context({"user": "you"})))


def django_engine_view(request):
    # ruleid: server-side-template-injection
    template = engines["django"].from_string(request.POST["body"])
    return HttpResponse(template.render({}))


def django_constant(request):
    # ok: server-side-template-injection
    template = DjangoTemplate("<p>{{ greeting }}</p>")
    return HttpResponse(template.render(Context({"greeting": request.GET.get("g", "")})))


@api.get("/report")
def report(title: str):
    # ruleid: server-side-template-injection
    return jinja2.Template("<h1>" + title + "</h1>").render()
