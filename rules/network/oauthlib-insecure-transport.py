import os
import os as operating_system
from os import environ

# ruleid: oauthlib-insecure-transport
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

# ruleid: oauthlib-insecure-transport
environ["AUTHLIB_INSECURE_TRANSPORT"] = "true"

# ruleid: oauthlib-insecure-transport
operating_system.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")

# ruleid: oauthlib-insecure-transport
os.putenv("OAUTHLIB_INSECURE_TRANSPORT", "1")

# ruleid: oauthlib-insecure-transport
os.environ.update(OAUTHLIB_INSECURE_TRANSPORT="1")

# ok: oauthlib-insecure-transport
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "0"

# ok: oauthlib-insecure-transport
os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)

# ok: oauthlib-insecure-transport
os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = "1"

# ok: oauthlib-insecure-transport
environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "")
