import os

import fastapi
from fastapi import FastAPI
from fastapi import FastAPI as API
from starlette.applications import Starlette

DEBUG = True

# ruleid: fastapi-debug-enabled
app = FastAPI(title="shop", debug=True)

# ok: fastapi-debug-enabled
prod = FastAPI(title="shop", debug=False)

# ruleid: fastapi-debug-enabled
admin = fastapi.FastAPI(debug=DEBUG)

# ok: fastapi-debug-enabled
internal = fastapi.FastAPI(debug=os.environ.get("APP_DEBUG") == "1")

# ruleid: fastapi-debug-enabled
aliased = API(debug=True)

# ruleid: fastapi-debug-enabled
star = Starlette(debug=True, routes=[])

# ok: fastapi-debug-enabled
quiet = Starlette(routes=[])

# ruleid: fastapi-debug-enabled
prod.debug = True

# ok: fastapi-debug-enabled
prod.debug = False
