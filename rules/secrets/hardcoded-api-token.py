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


# ruleid: hardcoded-api-token
ANTHROPIC_API_KEY = "sk-ant-api03-U89K1D5a0HECbLMQsNcCGctd76LCNUH1lS_2wLfKkaVE-tNMO66iv9b4-b8p6k_csDZVefZO9jDOmlpFbYfogYtGEwbEFAA"


def claude_client():
    import anthropic as ai

    # ruleid: hardcoded-api-token
    return ai.Anthropic(api_key="sk-ant-api03-U89K1D5a0HECbLMQsNcCGctd76LCNUH1lS_2wLfKkaVE-tN")


def claude_client_from_env():
    import anthropic

    # ok: hardcoded-api-token
    return anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])


# ok: hardcoded-api-token
ANTHROPIC_KEY_PREFIX = "sk-ant-api03-"

# ruleid: hardcoded-api-token
OPENAI_API_KEY = "sk-proj-onsIX0eZ776Hehdz2GXnBo1nKo63sZEqqZ3CYxU_w0A2c-MLpjN_E8A4r-knOh7k"

# ruleid: hardcoded-api-token
LEGACY_OPENAI_KEY = "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"

# ok: hardcoded-api-token
OPENAI_MODEL = "gpt-4o-mini"

# ruleid: hardcoded-api-token
GOOGLE_MAPS_KEY = "AIzaCAIdB89Sr6wnyclVKmtexpDSA3lxl7kettu"

# ok: hardcoded-api-token
GOOGLE_MAPS_KEY_FROM_ENV = os.getenv("GOOGLE_MAPS_KEY")

# ruleid: hardcoded-api-token
AZURE_STORAGE = "DefaultEndpointsProtocol=https;AccountName=pywardtest;AccountKey=A1fToZ0HpXyT4V3cSykBX0hB0RfZScs1EPvZhWfZ5esavyL0dgpaqOkM5s2K0ksfMHM4OjHWN9cpoQZI5LBIb8==;EndpointSuffix=core.windows.net"

# ok: hardcoded-api-token
AZURE_STORAGE_TEMPLATE = "DefaultEndpointsProtocol=https;AccountName={name};AccountKey={key}"

# ruleid: hardcoded-api-token
AZURE_CLIENT_SECRET = "SaU8Q~zk1tCR0nIbOvV1LUBuzfkJacmIynp~~Tca"

# ruleid: hardcoded-api-token
TWILIO_API_KEY = "SK28d3adfc7695755cb24064d289daac6a"

# ok: hardcoded-api-token
TWILIO_API_KEY_FROM_ENV = os.environ["TWILIO_API_KEY"]

# ruleid: hardcoded-api-token
SENDGRID_API_KEY = "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"

# ruleid: hardcoded-api-token
NPM_TOKEN = "npm_fFdtOp3rzHjUsGd0wyanwfQuvxBGtpMZh4mN"

# ruleid: hardcoded-api-token
PYPI_TOKEN = "pypi-AgEIcHlwaS5vcmclq2xqzuB7FAs2KemDVLDhnblmuseX3UNDuwRSY1EM0tSn1W-TsWF23xz3iW0nbF7OT6ixK"

# ruleid: hardcoded-api-token
HF_TOKEN = "hf_fgNxXvN1G4rMdWnBgr9BpRIue1BD7p6Gx3"

# ruleid: hardcoded-api-token
GITLAB_TOKEN = "glpat-JUO4lFRbFl4MTuVlXR_q"

# ruleid: hardcoded-api-token
SERVICE_JWT = "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiMTIzNDU2Nzg5MCIsICJuYW1lIjogIlB5d2FyZCBUZXN0IiwgImlhdCI6IDE1MTYyMzkwMjJ9.tmVZLyeQLGuSNNr23WaINK5V_MQOMg7v_T1BciR8cIe"

# ok: hardcoded-api-token
UNSIGNED_JWT_FIXTURE = "eyJhbGciOiAibm9uZSIsICJ0eXAiOiAiSldUIn0.eyJzdWIiOiAiMTIzNDU2Nzg5MCIsICJuYW1lIjogIlB5d2FyZCBUZXN0In0."

# ok: hardcoded-api-token
JWT_HEADER_PREFIX = "eyJhbGciOiJIUzI1NiJ9"

# ruleid: hardcoded-api-token
CLAUDE_KEY = "sk-ant-api03-Xq8Fz2LmP0vXc7RtY1bN"

# ruleid: hardcoded-api-token
OPENAI_KEY_OLD_STYLE = "sk-Xq8Fz2LmP0vXc7RtY1bNw4KsJq8Fz2LmP0vXc7RtY1bNw4Ks"

# ok: hardcoded-api-token
OPENAI_KEY_NAME = "sk-openai-key-name"
