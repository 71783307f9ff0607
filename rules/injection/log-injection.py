import json
import logging

import structlog
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI, Request
from flask import Flask, current_app, request

app = Flask(__name__)
api = FastAPI()
log = logging.getLogger(__name__)
audit = logging.getLogger("audit")
event_log = structlog.get_logger()


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    # ruleid: log-injection
    log.warning(f"failed login for {user}")
    # As an argument: not the message (see the rule's docs).
    # ok: log-injection
    log.warning("failed login for %s", user)
    # ok: log-injection
    log.warning("failed login for %r", user)
    return "", 401


@app.route("/search")
def search():
    term = request.args.get("q", "")
    # ruleid: log-injection
    logging.info("search: " + term)
    # Line breaks removed first.
    clean = term.replace("\r", "").replace("\n", " ")
    # ok: log-injection
    logging.info("search: " + clean)
    # ok: log-injection
    logging.info("search: %s" % json.dumps(term))
    return "", 204


@app.route("/items/<item_id>")
def show_item(item_id):
    # ruleid: log-injection
    current_app.logger.info("item %s viewed" % item_id)
    return "", 204


def describe(action, detail):
    return "%s: %s" % (action, detail)


@app.route("/report", methods=["POST"])
def report():
    # Passed through a helper function of the same file.
    message = describe("report", request.form["comment"])
    # ruleid: log-injection
    audit.error(message)
    return "", 204


@app.route("/profile", methods=["POST"])
def update_profile():
    # Moved through a dict, then an f-string.
    changes = {"name": request.form["name"], "source": "web"}
    # ruleid: log-injection
    log.info(f"profile changed: name={changes['name']} via {changes['source']}")
    return "", 204


@app.route("/retry")
def retry():
    attempt = int(request.args["attempt"])
    # ok: log-injection
    log.info(f"retry number {attempt}")
    reason = request.args.get("reason", "")
    # Overwritten with a constant.
    reason = "manual"
    # ok: log-injection
    log.info(f"retry requested: {reason}")
    if False:
        reason = request.args["reason"]
    # ok: log-injection
    log.info("retry reason: " + reason)
    return "", 204


@app.route("/track")
def track():
    # ruleid: log-injection
    log.info(request.args.get("event"))
    # ruleid: log-injection
    log.log(logging.WARNING, "tracked " + request.args["event"], extra={"source": "web"})
    return "", 204


def django_view(request):
    agent = request.META["HTTP_USER_AGENT"]
    # ruleid: log-injection
    logging.getLogger("django.request").warning("odd agent: " + agent, extra={"path": request.path})
    return HttpResponse("ok")


@api.post("/events")
async def events(request: Request, kind: str):
    # ruleid: log-injection
    event_log.info(f"event {kind}")
    # ok: log-injection
    event_log.info("event", kind=kind)
    return {"ok": True}


def unrelated(request):
    # Django's messages framework is not a logger.
    # ok: log-injection
    messages.error(request, "Please try again: " + request.GET.get("why", ""))
    return JsonResponse({})
