import os

from django.conf import settings
from flask import Flask
from hashids import Hashids

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]

# ruleid: hashids-with-secret-key
order_ids = Hashids(salt=settings.SECRET_KEY, min_length=8)

# ruleid: hashids-with-secret-key
invoice_ids = Hashids(app.secret_key, 10)

# ruleid: hashids-with-secret-key
share_ids = Hashids(salt=app.config["SECRET_KEY"])

# ok: hashids-with-secret-key
ticket_ids = Hashids(salt=os.environ["HASHIDS_SALT"], min_length=8)

# ok: hashids-with-secret-key
coupon_ids = Hashids(salt=settings.HASHIDS_SALT)
