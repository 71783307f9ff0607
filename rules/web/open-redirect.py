from urllib.parse import urlparse

from django.http import HttpResponseRedirect
from django.shortcuts import redirect as django_redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from flask import Flask, abort, redirect, request, session, url_for

app = Flask(__name__)
api = FastAPI()

ALLOWED_RETURN_URLS = {"/", "/dashboard", "/settings"}
FRONTEND_URL = "https://app.example.com"


@app.route("/login", methods=["POST"])
def login():
    session["user"] = request.form["user"]
    # ruleid: open-redirect
    return redirect(request.args.get("next", "/"))


@app.route("/logout")
def logout():
    session.clear()
    return_to = request.args.get("return_to", "/")
    # ruleid: open-redirect
    return redirect(return_to)


@app.route("/go")
def go():
    # "/" + "/evil.example" is the protocol-relative "//evil.example"
    # ruleid: open-redirect
    return redirect("/" + request.args["path"])


def django_login(request):
    next_url = request.POST.get("next", "/")
    # ruleid: open-redirect
    return HttpResponseRedirect(next_url)


def django_continue(request):
    # ruleid: open-redirect
    return django_redirect(request.GET.get("continue"))


@api.get("/sso/continue")
async def sso_continue(redirect_uri: str):
    # ruleid: open-redirect
    return RedirectResponse(url=redirect_uri, status_code=303)


@api.get("/sso/callback")
async def sso_callback(state: str, redirect_uri: str):
    # a later parameter of a route is a source too (once a known miss, a `todoruleid`)
    # ruleid: open-redirect
    return RedirectResponse(redirect_uri, status_code=303)


# --- moved through a helper function, a dict and an f-string --------------------------------


def back_to(target):
    return redirect(target, code=302)


@app.route("/cancel")
def cancel():
    # ruleid: open-redirect
    return back_to(request.args["from"])


@app.route("/share")
def share():
    params = {"site": request.args["site"], "ref": "share"}
    # ruleid: open-redirect
    return redirect(f"{params['site']}?ref={params['ref']}")


# --- safe ------------------------------------------------------------------------------------


@app.route("/login-safe", methods=["POST"])
def login_safely():
    session["user"] = request.form["user"]
    next_url = request.args.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.host}):
        next_url = url_for("index")
    # ok: open-redirect
    return redirect(next_url)


def django_login_safely(request):
    next_url = request.POST.get("next", "/")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=True):
        # ok: open-redirect
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect(reverse("home"))


@app.route("/logout-safe")
def logout_safely():
    return_to = request.args.get("return_to", "/")
    if return_to not in ALLOWED_RETURN_URLS:
        abort(400)
    # ok: open-redirect
    return redirect(return_to)


@app.route("/profile")
def profile():
    # ok: open-redirect
    return redirect(url_for("user_profile", name=request.args["name"]))


@app.route("/u/<name>")
def short_profile(name):
    # ok: open-redirect
    return redirect(f"/profile/{name}")


@app.route("/welcome")
def welcome():
    # ok: open-redirect
    return redirect(f"{FRONTEND_URL}/welcome?name={request.args['name']}")


@app.route("/home")
def home():
    target = request.args.get("next")
    target = "/dashboard"
    # ok: open-redirect
    return redirect(target)


@app.route("/legacy")
def legacy():
    target = "/"
    if False:
        target = request.args["next"]
    # ok: open-redirect
    return redirect(target)


def django_page(request):
    page = int(request.GET.get("page", "1"))
    # ok: open-redirect
    return django_redirect(f"{reverse('articles')}?page={page}")


@app.route("/sso/return")
def sso_return():
    target = request.args.get("next", "/")
    parsed = urlparse(target)
    if parsed.hostname not in {"app.example.com", "accounts.example.com"}:
        abort(400)
    # ok: open-redirect
    return redirect(target)


@app.route("/sso/return-inline")
def sso_return_inline():
    target = request.args.get("next", "/")
    if urlparse(target).netloc != "app.example.com":
        # ruleid: open-redirect
        return redirect(target)
    # ok: open-redirect
    return redirect(target)


@app.route("/back")
def go_back():
    # ruleid: open-redirect
    return redirect(request.referrer)


@app.route("/back-home")
def go_back_home():
    # ok: open-redirect
    return redirect(url_for("index"))
