import datetime
from datetime import timedelta

from flask import Flask

# --- Django settings.py ---

# ruleid: session-lifetime-too-long
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365

# ruleid: session-lifetime-too-long
SESSION_COOKIE_AGE = 1209600

# ruleid: session-lifetime-too-long
SESSION_COOKIE_AGE = 31_536_000

# ruleid: session-lifetime-too-long
SESSION_COOKIE_AGE = int(timedelta(days=30).total_seconds())

# ok: session-lifetime-too-long
SESSION_COOKIE_AGE = 60 * 60 * 8

# ok: session-lifetime-too-long
SESSION_COOKIE_AGE = 86400

# ok: session-lifetime-too-long
SESSION_COOKIE_AGE = 60 * 60 * 24


# a constant of the module
ONE_DAY = 60 * 60 * 24

# ruleid: session-lifetime-too-long
SESSION_COOKIE_AGE = 30 * ONE_DAY

# ok: session-lifetime-too-long
SESSION_COOKIE_AGE = 1 * ONE_DAY

# --- Flask ---


class Config:
    # ruleid: session-lifetime-too-long
    PERMANENT_SESSION_LIFETIME = timedelta(days=365)


class ShortConfig:
    # ok: session-lifetime-too-long
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)


app = Flask(__name__)
# ruleid: session-lifetime-too-long
app.config["PERMANENT_SESSION_LIFETIME"] = datetime.timedelta(weeks=52)
# ok: session-lifetime-too-long
app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=7)
# ruleid: session-lifetime-too-long
app.config.update(SESSION_COOKIE_SECURE=True, PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * 90)
# ok: session-lifetime-too-long
app.config.update(SESSION_COOKIE_SECURE=True, PERMANENT_SESSION_LIFETIME=3600)
# ruleid: session-lifetime-too-long
app.permanent_session_lifetime = timedelta(365)
# ok: session-lifetime-too-long
app.permanent_session_lifetime = timedelta(minutes=30)

mapped = Flask("mapped")
# ruleid: session-lifetime-too-long
mapped.config.from_mapping(PERMANENT_SESSION_LIFETIME=timedelta(days=365))
# ok: session-lifetime-too-long
mapped.config.from_mapping(PERMANENT_SESSION_LIFETIME=timedelta(hours=8))
