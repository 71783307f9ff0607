import urllib.request

import httpx
import requests
import requests as rq
from requests import post

PAYMENTS_URL = "http://payments.example.com/v1/charge"
PAYMENTS_URL_SAFE = "https://payments.example.com/v1/charge"


def charge(body):
    # ruleid: cleartext-http-request
    return requests.post("http://api.example.com/v1/payments", json=body, timeout=10)


def charge_constant(body):
    # ruleid: cleartext-http-request
    return post(PAYMENTS_URL, json=body, timeout=10)


def profile(user_id):
    # ruleid: cleartext-http-request
    return rq.get(f"http://accounts.example.org/users/{user_id}", timeout=10)


def fetch_with_client(path):
    with httpx.Client() as client:
        # ruleid: cleartext-http-request
        return client.get("http://203.0.113.7/status")


def head_request():
    # ruleid: cleartext-http-request
    return requests.request("HEAD", "http://cdn.example.net/asset.js", timeout=5)


def legacy_fetch():
    # ruleid: cleartext-http-request
    return urllib.request.urlopen("http://feeds.example.com/rss.xml", timeout=5)


def charge_safe(body):
    # ok: cleartext-http-request
    return requests.post("https://api.example.com/v1/payments", json=body, timeout=10)


def charge_constant_safe(body):
    # ok: cleartext-http-request
    return post(PAYMENTS_URL_SAFE, json=body, timeout=10)


def local_health():
    # ok: cleartext-http-request
    return requests.get("http://localhost:8000/health", timeout=2)


def loopback_metrics():
    # ok: cleartext-http-request
    return httpx.get("http://127.0.0.1:9090/metrics")


def computed_host(host):
    # ok: cleartext-http-request
    return requests.get(f"http://{host}/status", timeout=2)


def api_client():
    # ruleid: cleartext-http-request
    return httpx.Client(base_url="http://api.example.com/v2", timeout=10)


def api_client_safe():
    # ok: cleartext-http-request
    return httpx.Client(base_url="https://api.example.com/v2", timeout=10)
