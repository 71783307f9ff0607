from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask
from flask_cors import CORS
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware as StarletteCORS

app = FastAPI()

# ruleid: cors-wildcard-origin
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])

# ok: cors-wildcard-origin
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_methods=["GET"])

# ok: cors-wildcard-origin
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)

# ruleid: cors-wildcard-origin
middleware = [Middleware(StarletteCORS, allow_origin_regex=".*")]

flask_app = Flask(__name__)
# ruleid: cors-wildcard-origin
CORS(flask_app, origins="*")
# ok: cors-wildcard-origin
CORS(flask_app, origins=["https://app.example.com"])

# --- django-cors-headers settings ---
# ruleid: cors-wildcard-origin
CORS_ALLOW_ALL_ORIGINS = True
# ok: cors-wildcard-origin
CORS_ALLOW_ALL_ORIGINS = False


# Flask-CORS defaults to every origin, and the header can be written by hand.
from flask import Flask as _Flask, make_response as _make_response
from flask_cors import CORS as _CORS, cross_origin as _cross_origin

default_app = _Flask("default")
# ruleid: cors-wildcard-origin
_CORS(default_app)

# ok: cors-wildcard-origin
_CORS(default_app, origins=["https://app.example.com"])


@default_app.route("/public")
# ruleid: cors-wildcard-origin
@_cross_origin()
def public_data():
    resp = _make_response("{}")
    # ruleid: cors-wildcard-origin
    resp.headers["Access-Control-Allow-Origin"] = "*"
    # ok: cors-wildcard-origin
    resp.headers["Access-Control-Allow-Origin"] = "https://app.example.com"
    return resp
