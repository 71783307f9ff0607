"""LinkCard: a Flask service that builds link previews and relays webhooks for a chat app."""
import re
import ssl
import urllib.request

import requests
from flask import Flask, Response, jsonify, request

app = Flask(__name__)

TITLE_RE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@app.route("/preview")
def preview():
    url = request.args["url"]
    resp = requests.get(url, headers={"User-Agent": "LinkCard/1.0"})
    match = TITLE_RE.search(resp.text)
    return jsonify(url=url, title=match.group(1).strip() if match else None)


@app.route("/image-proxy")
def image_proxy():
    src = request.args.get("src", "")
    context = ssl._create_unverified_context()
    with urllib.request.urlopen(src, context=context, timeout=10) as upstream:
        return Response(upstream.read(), content_type=upstream.headers.get("Content-Type"))


@app.route("/webhooks/test", methods=["POST"])
def test_webhook():
    target = request.json["callback_url"]
    payload = {"event": "ping", "source": "linkcard"}
    resp = requests.post(target, json=payload, timeout=5, verify=False)
    return jsonify(status=resp.status_code, body=resp.text[:500])


@app.route("/avatar")
def avatar():
    user_id = request.args.get("user", "0")
    host = request.args.get("cdn", "avatars.internal")
    resp = requests.get(f"http://{host}/users/{user_id}.png", timeout=3)
    return Response(resp.content, content_type="image/png")


@app.route("/oembed")
def oembed():
    provider = request.args.get("provider", "https://www.youtube.com/oembed")
    params = {"url": request.args.get("url"), "format": "json"}
    session = requests.Session()
    session.verify = False
    resp = session.get(provider, params=params, timeout=5)
    return jsonify(resp.json())


def refresh_feed(feed_url):
    data = requests.get(feed_url, timeout=None).text
    return data.count("<item>")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
