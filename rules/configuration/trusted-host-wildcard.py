from fastapi import FastAPI
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware as StarletteTrustedHost

app = FastAPI()
# ruleid: trusted-host-wildcard
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["*"])

# ruleid: trusted-host-wildcard
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["example.com", "*"])

middleware = [
    # ruleid: trusted-host-wildcard
    Middleware(StarletteTrustedHost, allowed_hosts=["*"]),
]
site = Starlette(middleware=middleware)

api = FastAPI()
# ok: trusted-host-wildcard
api.add_middleware(TrustedHostMiddleware, allowed_hosts=["example.com", "*.example.com"])

safe_middleware = [
    # ok: trusted-host-wildcard
    Middleware(StarletteTrustedHost, allowed_hosts=["api.example.com"]),
]
