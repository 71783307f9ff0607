# exercises: request data in the headers of make_response((body, headers)), make_response((body, status, headers)) or a view's return (body, headers) is header injection (CWE-113), not reflected XSS; an encoded or allow-listed value is not
from urllib.parse import quote

from flask import Flask, make_response, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)
ORIGINS = {"https://shop.example.com", "https://admin.example.com"}


@app.route("/download/csv")
def download_csv():
    name = request.args["name"]
    headers = {"Content-Type": "text/csv", "Content-Disposition": f'attachment; filename="{name}.csv"'}
    # ok: reflected-xss
    # ruleid: header-injection
    return make_response(("id,total\n", headers))


@app.route("/download/csv-safe")
def download_csv_safe():
    name = quote(request.args["name"])
    headers = {"Content-Type": "text/csv", "Content-Disposition": f"attachment; filename*=UTF-8''{name}.csv"}
    # ok: header-injection
    return make_response(("id,total\n", headers))


@app.route("/api/ping")
def ping():
    origin = request.headers.get("Origin", "")
    # ok: reflected-xss
    # ruleid: header-injection
    return make_response(("pong", 200, {"Access-Control-Allow-Origin": origin}))


@app.route("/api/ping-safe")
def ping_safe():
    origin = request.headers.get("Origin", "")
    if origin not in ORIGINS:
        origin = "https://shop.example.com"
    # ok: header-injection
    return make_response(("pong", 200, {"Access-Control-Allow-Origin": origin}))


@app.route("/api/trace")
def trace():
    # ruleid: header-injection
    return "ok", {"X-Trace-Id": request.args.get("trace", "")}
