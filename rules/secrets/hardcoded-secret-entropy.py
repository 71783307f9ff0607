import os

import requests

# ruleid: hardcoded-secret-entropy
MAILGUN_API_KEY = "key3ax6xnjp29jd6fds4gc373sgvjxteol0"
# ok: hardcoded-secret-entropy
SENTRY_API_KEY = os.environ["SENTRY_API_KEY"]
# ok: hardcoded-secret-entropy
API_KEY_HEADER = "X-Api-Key"


class Settings:
    # ruleid: hardcoded-secret-entropy
    webhook_signing_key = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    # ok: hardcoded-secret-entropy
    token_placeholder = "your-token-goes-here"


def call_service(payload):
    return requests.post(
        "https://api.example.invalid/v1/send",
        json=payload,
        # ruleid: hardcoded-secret-entropy
        headers={"X-Auth-Token": "Zr7Qp2Lw9Xc4Vb8Nm1Kj6Hg3"},
        timeout=10,
    )


def connect(client_cls, access_token=os.environ.get("ACCESS_TOKEN")):
    # ok: hardcoded-secret-entropy
    return client_cls(access_token=access_token)


# ruleid: hardcoded-secret-entropy
def make_client(client_cls, api_token="q8Fz2LmP0vXc7RtY1bNw4KsJ"):
    return client_cls(api_token=api_token)
