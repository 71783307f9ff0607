import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask, jsonify
from flask_cors import CORS, cross_origin
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware as StarletteCORSMiddleware

# --- Flask + Flask-CORS ---

app = Flask(__name__)


def create_public_api():
    application = Flask(__name__)
    # ruleid: cors-wildcard-with-credentials
    CORS(application, origins="*", supports_credentials=True)
    return application


def create_internal_api():
    application = Flask(__name__)
    # ruleid: cors-wildcard-with-credentials
    CORS(application, resources={r"/api/*": {"origins": "*"}}, supports_credentials=True)
    return application


def create_legacy_api():
    application = Flask(__name__)
    # ruleid: cors-wildcard-with-credentials
    CORS(application, supports_credentials=True)
    return application


def create_partner_api():
    application = Flask(__name__)
    # ok: cors-wildcard-with-credentials
    CORS(application, origins=["https://app.example.com"], supports_credentials=True)
    return application


def create_open_data_api():
    application = Flask(__name__)
    # ok: cors-wildcard-with-credentials
    CORS(application, origins="*")
    return application


@app.route("/api/me")
# ruleid: cors-wildcard-with-credentials
@cross_origin(origins=["*"], supports_credentials=True)
def me():
    return jsonify(user="alice")


@app.route("/api/stats")
# ok: cors-wildcard-with-credentials
@cross_origin(origins=["https://dashboard.example.com"], supports_credentials=True)
def stats():
    return jsonify(visits=42)


# --- FastAPI / Starlette ---

api = FastAPI()

# ruleid: cors-wildcard-with-credentials
api.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)

partner_api = FastAPI()

# ok: cors-wildcard-with-credentials
partner_api.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)

open_data_api = FastAPI()

# ok: cors-wildcard-with-credentials
open_data_api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])

middleware = [
    # ruleid: cors-wildcard-with-credentials
    Middleware(StarletteCORSMiddleware, allow_origins=["*"], allow_credentials=True),
]

starlette_app = Starlette(routes=[], middleware=middleware)

# --- Django settings (django-cors-headers) ---

DJANGO_ENV = os.environ.get("DJANGO_ENV", "production")

if DJANGO_ENV == "development":
    # ruleid: cors-wildcard-with-credentials
    CORS_ALLOW_ALL_ORIGINS = True
    CORS_ALLOW_CREDENTIALS = True
elif DJANGO_ENV == "legacy":
    # ruleid: cors-wildcard-with-credentials
    CORS_ALLOW_CREDENTIALS = True
    CORS_URLS_REGEX = r"^/api/.*$"
    CORS_ORIGIN_ALLOW_ALL = True
elif DJANGO_ENV == "open-data":
    # ok: cors-wildcard-with-credentials
    CORS_ALLOW_ALL_ORIGINS = True
    CORS_ALLOW_CREDENTIALS = False
else:
    # ok: cors-wildcard-with-credentials
    CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    CORS_ALLOW_CREDENTIALS = True
