import httpx
import requests
from requests import get

RATES_URL = "https://api.example.com/rates"
WEBHOOK_URL = "https://hooks.example.com/notify"


def current_rates():
    # ruleid: request-without-timeout
    return requests.get(RATES_URL).json()


def notify(event):
    # ruleid: request-without-timeout
    requests.post(
        WEBHOOK_URL,
        json={"event": event},
        headers={"Content-Type": "application/json"},
    )


def fetch_profile(user_id):
    # ruleid: request-without-timeout
    return get(f"https://api.example.com/users/{user_id}")


def wait_forever(url):
    # ruleid: request-without-timeout
    return requests.request("GET", url, timeout=None)


def stream_export(url):
    # ruleid: request-without-timeout
    with httpx.Client(timeout=None) as client:
        return client.get(url).content


def current_rates_with_timeout():
    # ok: request-without-timeout
    return requests.get(RATES_URL, timeout=5).json()


def notify_with_timeout(event):
    # ok: request-without-timeout
    requests.post(WEBHOOK_URL, json={"event": event}, timeout=(3.05, 10))


def fetch_with_options(url, **options):
    # ok: request-without-timeout
    return requests.get(url, **options)


def fetch_with_httpx(url):
    # ok: request-without-timeout
    return httpx.get(url)


def fetch_with_httpx_timeout(url):
    # ok: request-without-timeout
    return httpx.get(url, timeout=10.0)
