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
