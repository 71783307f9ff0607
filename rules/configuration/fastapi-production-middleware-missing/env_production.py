import os

import fastapi
from fastapi.middleware.trustedhost import TrustedHostMiddleware

ENVIRONMENT = os.environ.get("ENVIRONMENT", "production")

# ruleid: fastapi-production-middleware-missing
app = fastapi.FastAPI(title="shop")
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["api.example.com"])
