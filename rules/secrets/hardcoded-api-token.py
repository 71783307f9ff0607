import os

import boto3
import requests
import stripe
from github import Github
from slack_sdk import WebClient

# ruleid: hardcoded-api-token
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"

# ok: hardcoded-api-token
AWS_ACCESS_KEY_ID_FROM_ENV = os.environ["AWS_ACCESS_KEY_ID"]

# ok: hardcoded-api-token
PLACEHOLDER_KEY_ID = "AKIAXXXXEXAMPLE"


def s3_client():
    return boto3.client(
        "s3",
        # ruleid: hardcoded-api-token
        aws_access_key_id="ASIAY34FZKBOKMUTVV7A",
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    )


def s3_client_default_chain():
    # ok: hardcoded-api-token
    return boto3.client("s3")


def github_client():
    # ruleid: hardcoded-api-token
    return Github("ghp_FAKEfakeFAKEfake0123456789abcdefABCD")


def github_client_from_env():
    # ok: hardcoded-api-token
    return Github(os.environ["GITHUB_TOKEN"])


def list_issues(repo):
    # ruleid: hardcoded-api-token
    headers = {"Authorization": "Bearer github_pat_11FAKEEXAMPLE000000000_fakeFineGrainedTokenForPywardTests0123456789abcdefghijklmno"}
    return requests.get(f"https://api.github.com/repos/{repo}/issues", headers=headers, timeout=10)


# ruleid: hardcoded-api-token
slack = WebClient(token="xoxb-000000000000-0000000000000-FAKEexampleSlackBotToken")

# ok: hardcoded-api-token
slack_from_env = WebClient(token=os.environ["SLACK_BOT_TOKEN"])

# ruleid: hardcoded-api-token
stripe.api_key = "sk_live_51FAKEexampleKEYdoNotUse0000"

# ok: hardcoded-api-token
stripe.api_key = os.environ["STRIPE_SECRET_KEY"]

# ok: hardcoded-api-token
STRIPE_TEST_KEY = "sk_test_51FAKEexampleKEYdoNotUse0000"

# ruleid: hardcoded-api-token
DEPLOY_KEY = """-----BEGIN OPENSSH PRIVATE KEY-----
FAKEKEYMATERIALFORPYWARDTESTSONLYFAKEKEYMATERIALFORPYWARDTESTSONLY
-----END OPENSSH PRIVATE KEY-----
"""

# ruleid: hardcoded-api-token
SERVICE_RSA_KEY = "-----BEGIN RSA PRIVATE KEY-----\nFAKERSAKEYMATERIALFORPYWARDTESTSONLYFAKERSAKEYMATERIAL\n-----END RSA PRIVATE KEY-----\n"

# ok: hardcoded-api-token
PEM_PRIVATE_KEY_MARKER = b"-----BEGIN RSA PRIVATE KEY-----"

# ok: hardcoded-api-token
SIGNING_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
FAKEPUBLICKEYMATERIALFORPYWARDTESTSONLY
-----END PUBLIC KEY-----
"""


def load_deploy_key():
    # ok: hardcoded-api-token
    with open(os.environ["DEPLOY_KEY_PATH"], encoding="ascii") as fh:
        return fh.read()
