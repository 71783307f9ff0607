import httpx
import requests
from requests import post

API = "https://internal.example.com/api"
CA_BUNDLE = "/etc/ssl/certs/internal-ca.pem"


def fetch_status():
    # ruleid: tls-verification-disabled
    resp = requests.get(API + "/status", verify=False)
    return resp.json()


def upload_report(data):
    # ruleid: tls-verification-disabled
    return post(API + "/reports", json=data, timeout=10, verify=False)


def delete_item(item_id):
    # ruleid: tls-verification-disabled
    return requests.request(
        "DELETE",
        f"{API}/items/{item_id}",
        verify=False,
        timeout=5,
    )


def login(user, password):
    session = requests.Session()
    # ruleid: tls-verification-disabled
    session.verify = False
    # ruleid: tls-verification-disabled
    session.post(API + "/login", data={"user": user, "password": password}, verify=False)
    return session


def list_users():
    with requests.Session() as s:
        # ruleid: tls-verification-disabled
        return s.get(API + "/users", verify=False, timeout=5).json()


def legacy_session_factory():
    s = requests.session()
    # ruleid: tls-verification-disabled
    return s.get(API + "/health", verify=False, timeout=5)


def fetch_with_httpx():
    # ruleid: tls-verification-disabled
    return httpx.get(API + "/status", verify=False)


async def fetch_async():
    # ruleid: tls-verification-disabled
    async with httpx.AsyncClient(verify=False) as client:
        return await client.get(API + "/status")


def make_client():
    # ruleid: tls-verification-disabled
    return httpx.Client(base_url=API, verify=False)


def fetch_status_safely():
    # ok: tls-verification-disabled
    return requests.get(API + "/status", timeout=5)


def fetch_status_explicit():
    # ok: tls-verification-disabled
    return requests.get(API + "/status", verify=True, timeout=5)


def fetch_with_internal_ca():
    # ok: tls-verification-disabled
    return requests.get(API + "/status", verify=CA_BUNDLE, timeout=5)


def make_safe_client():
    # ok: tls-verification-disabled
    return httpx.Client(base_url=API, verify=CA_BUNDLE)


def login_safely(user, password):
    session = requests.Session()
    # ok: tls-verification-disabled
    session.verify = CA_BUNDLE
    # ok: tls-verification-disabled
    return session.post(API + "/login", data={"user": user, "password": password})
