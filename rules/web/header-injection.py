import hashlib
from urllib.parse import quote

import requests
from django.http import HttpResponse
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from flask import Flask, Response, jsonify, make_response, request, send_file

app = Flask(__name__)
api = FastAPI()

ALLOWED_ORIGINS = {"https://app.example.com", "https://admin.example.com"}
THEMES = {"light", "dark"}


@app.route("/export")
def export():
    name = request.args["name"]
    resp = send_file("/srv/reports/latest.csv", mimetype="text/csv")
    # ruleid: header-injection
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return resp


@app.route("/api/data")
def api_data():
    resp = jsonify(items=[1, 2, 3])
    # ruleid: header-injection
    resp.headers.add("Access-Control-Allow-Origin", request.headers.get("Origin", "*"))
    return resp


@app.route("/track")
def track():
    resp = make_response("ok")
    # ruleid: header-injection
    resp.headers.set("X-Campaign", request.args.get("campaign", ""))
    return resp


@app.route("/lang")
def set_language():
    resp = make_response("saved")
    # ruleid: header-injection
    resp.set_cookie("lang", request.args["lang"], max_age=31536000)
    return resp


@app.route("/download/<filename>")
def download(filename):
    # ruleid: header-injection
    return Response(b"...", headers={"Content-Disposition": "attachment; filename=" + filename})


@app.route("/legacy-link")
def legacy_link():
    link = request.args["preload"]
    # ruleid: header-injection
    return "moved", 200, {"Link": f"<{link}>; rel=preload"}


def django_export(request):
    name = request.GET.get("name", "report")
    response = HttpResponse("a,b,c\n", content_type="text/csv")
    # ruleid: header-injection
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@api.get("/plain")
async def plain(trace: str):
    # ruleid: header-injection
    return PlainTextResponse("ok", headers={"X-Trace-Id": trace})


# --- moved through a helper function, a dict and an f-string --------------------------------


def with_header(resp, name, value):
    resp.headers[name] = value
    return resp


@app.route("/echo")
def echo():
    # ruleid: header-injection
    return with_header(make_response("ok"), "X-Echo", request.args["v"])


@app.route("/attachment")
def attachment():
    meta = {"title": request.args["title"], "ext": "pdf"}
    disposition = f"attachment; filename={meta['title']}.{meta['ext']}"
    resp = make_response(b"%PDF-1.7")
    # ruleid: header-injection
    resp.headers["Content-Disposition"] = disposition
    return resp


# --- safe ------------------------------------------------------------------------------------


@app.route("/export-safe")
def export_safely():
    name = quote(request.args["name"])
    resp = send_file("/srv/reports/latest.csv", mimetype="text/csv")
    # ok: header-injection
    resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}.csv"
    return resp


@app.route("/api/data-safe")
def api_data_safely():
    resp = jsonify(items=[1, 2, 3])
    origin = request.headers.get("Origin", "")
    if origin in ALLOWED_ORIGINS:
        # ok: header-injection
        resp.headers["Access-Control-Allow-Origin"] = origin
    return resp


@app.route("/theme")
def set_theme():
    theme = request.args.get("theme", "light")
    if theme not in THEMES:
        theme = "light"
    resp = make_response("saved")
    # ok: header-injection
    resp.set_cookie("theme", theme)
    return resp


@app.route("/page")
def page():
    page_no = int(request.args.get("page", "1"))
    resp = make_response("...")
    # ok: header-injection
    resp.headers["X-Page"] = str(page_no)
    return resp


@app.route("/etag")
def etag():
    body = request.args.get("q", "")
    resp = make_response(body)
    # ok: header-injection
    resp.headers["ETag"] = hashlib.sha256(body.encode()).hexdigest()
    return resp


@app.route("/static-header")
def static_header():
    version = request.args.get("v")
    version = "1.4.2"
    resp = make_response("ok")
    # ok: header-injection
    resp.headers["X-App-Version"] = version
    return resp


@app.route("/debug-header")
def debug_header():
    value = "off"
    if False:
        value = request.args["debug"]
    resp = make_response("ok")
    # ok: header-injection
    resp.headers["X-Debug"] = value
    return resp


@app.route("/forward")
def forward():
    session = requests.Session()
    # an outgoing request's header, not the response's
    # ok: header-injection
    session.headers["X-Request-Id"] = request.headers.get("X-Request-Id", "")
    return session.get("https://api.example.com/status", timeout=5).text


@app.route("/client-ip")
def client_ip():
    # reading a request header is not setting one
    # ok: header-injection
    forwarded = request.headers["X-Forwarded-For"]
    return jsonify(ip=forwarded)


@app.route("/tuple-headers")
def tuple_headers():
    name = request.args["name"]
    headers = {"Content-Disposition": f'attachment; filename="{name}.txt"'}
    # ruleid: header-injection
    return make_response(("report", headers))


@app.route("/tuple-status-headers")
def tuple_status_headers():
    # ruleid: header-injection
    return make_response(("created", 201, {"X-Request-Ref": request.args["ref"]}))


@app.route("/tuple-headers/safe")
def tuple_headers_safe():
    name = quote(request.args["name"])
    # ok: header-injection
    return make_response(("report", {"Content-Disposition": f"attachment; filename*=UTF-8''{name}.txt"}))


@app.route("/return-headers")
def return_headers():
    # ruleid: header-injection
    return "ok", {"X-Trace": request.headers.get("X-Trace", "")}


@app.route("/return-status")
def return_status():
    # The second item is a status, not headers.
    # ok: header-injection
    return "ok", int(request.args.get("code", "200"))
