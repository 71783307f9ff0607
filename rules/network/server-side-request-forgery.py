import http.client
import urllib.request
from urllib.parse import urlparse

import aiohttp
import httpx
import requests
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, abort, jsonify, request
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
client = OpenAI()

ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}
API_BASE = "https://api.example.com"
SERVICES = {
    "billing": "https://billing.internal.example.com/health",
    "search": "https://search.internal.example.com/health",
}


@app.route("/preview")
def preview():
    url = request.args["url"]
    # ruleid: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/webhook/test", methods=["POST"])
def test_webhook():
    target = request.get_json()["callback_url"]
    # ruleid: server-side-request-forgery
    resp = requests.post(target, json={"event": "ping"}, timeout=5)
    return jsonify(status=resp.status_code)


@app.route("/proxy")
def proxy():
    # ruleid: server-side-request-forgery
    with urllib.request.urlopen(request.args.get("src")) as resp:
        return resp.read()


@app.route("/fetch")
def fetch_with_session():
    session = requests.Session()
    session.headers["User-Agent"] = "preview-bot"
    # ruleid: server-side-request-forgery
    return session.get(request.args["url"], timeout=5).content


@app.route("/status")
def host_status():
    host = request.args["host"]
    # ruleid: server-side-request-forgery
    conn = http.client.HTTPSConnection(host, timeout=5)
    conn.request("GET", "/status")
    return conn.getresponse().read()


def django_avatar(request):
    avatar_url = request.POST.get("avatar_url")
    # ruleid: server-side-request-forgery
    req = urllib.request.Request(avatar_url, headers={"User-Agent": "avatar-fetcher"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return JsonResponse({"size": len(resp.read())})


@api.get("/unfurl")
async def unfurl(link: str):
    async with httpx.AsyncClient() as http:
        # ruleid: server-side-request-forgery
        resp = await http.get(link, follow_redirects=True)
    return {"title": resp.text[:100]}


@api.post("/mirror")
async def mirror(source: str):
    async with aiohttp.ClientSession() as session:
        # ruleid: server-side-request-forgery
        async with session.get(source) as resp:
            return {"bytes": len(await resp.read())}


# --- moved through a helper function, a dict and an f-string --------------------------------


def download(url):
    return requests.get(url, timeout=10).content


@app.route("/import")
def import_feed():
    # ruleid: server-side-request-forgery
    return download(request.form["feed_url"])


def build_endpoint(host, path):
    return f"https://{host}/{path}"


@app.route("/relay")
def relay():
    endpoint = build_endpoint(request.args["host"], "v1/items")
    # ruleid: server-side-request-forgery
    return httpx.get(endpoint).text


@app.route("/tenant/report")
def tenant_report():
    tenant = {"name": request.args["tenant"], "region": "eu"}
    url = f"https://{tenant['name']}.internal.example.com/report"
    # ruleid: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/relative")
def relative_fetch():
    # without a "/" after the host, "@evil.example/" changes the host
    # ruleid: server-side-request-forgery
    return requests.get(API_BASE + request.args["path"], timeout=5).text


@app.route("/assistant/browse", methods=["POST"])
def assistant_browse():
    answer = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": request.form["q"]}])
    link = answer.choices[0].message.content.strip()
    # ruleid: server-side-request-forgery
    return requests.get(link, timeout=5).text


# --- safe ------------------------------------------------------------------------------------


@app.route("/preview-safe")
def preview_safely():
    url = request.args["url"]
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5, allow_redirects=False).text


@app.route("/image")
def image():
    url = request.args["src"]
    if urlparse(url).hostname in ALLOWED_HOSTS:
        # ok: server-side-request-forgery
        return requests.get(url, timeout=5).content
    abort(400)


@app.route("/service/health")
def service_health():
    # the user picks a key; the URL comes from the server's own table
    url = SERVICES[request.args["service"]]
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/users/<user_id>")
def user_profile(user_id):
    # ok: server-side-request-forgery
    return requests.get(f"https://api.example.com/users/{user_id}", timeout=5).json()


@app.route("/orders")
def orders():
    order_id = request.args["id"]
    # ok: server-side-request-forgery
    return requests.get(f"{API_BASE}/orders/{order_id}", timeout=5).json()


@app.route("/items")
def items():
    page = int(request.args.get("page", "1"))
    # ok: server-side-request-forgery
    return httpx.get(API_BASE + "/items?page=" + str(page)).json()


@app.route("/avatar-default")
def avatar_default():
    url = request.args.get("url")
    url = "https://cdn.example.com/default.png"
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).content


@app.route("/debug-fetch")
def debug_fetch():
    url = "https://status.example.com/ping"
    if False:
        url = request.args["url"]
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/search")
def search():
    # user data in the query parameters, not the URL
    # ok: server-side-request-forgery
    return requests.get("https://search.example.com/api", params={"q": request.args["q"]}, timeout=5).json()


@app.route("/thumbnail/parsed")
def thumbnail_parsed():
    url = request.args["url"]
    parsed = urlparse(url)
    if parsed.netloc not in ALLOWED_HOSTS:
        abort(400)
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).content


@app.route("/thumbnail/scheme")
def thumbnail_scheme():
    url = request.args["url"]
    if urlparse(url).scheme != "https":
        abort(400)
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).content


@app.route("/thumbnail/parsed-other")
def thumbnail_parsed_other():
    url = request.args["url"]
    parsed = urlparse(request.args["mirror"])
    if parsed.netloc not in ALLOWED_HOSTS:
        abort(400)
    # ruleid: server-side-request-forgery
    return requests.get(url, timeout=5).content
