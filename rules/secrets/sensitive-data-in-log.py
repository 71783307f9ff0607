import getpass
import logging
import logging as lg
import os
from logging import getLogger

from flask import Flask, current_app, request

app = Flask(__name__)
logger = logging.getLogger(__name__)
log = getLogger("auth")


def login(username, password):
    # ruleid: sensitive-data-in-log
    logger.info("login attempt user=%s password=%s", username, password)
    # ok: sensitive-data-in-log
    logger.info("login attempt user=%s", username)


@app.post("/login")
def login_view():
    form_password = request.form["password"]
    # ruleid: sensitive-data-in-log
    app.logger.debug(f"user {request.form['username']} sent {form_password}")
    # ok: sensitive-data-in-log
    app.logger.debug("password length %d", len(form_password))
    return "ok"


def connect():
    db_password = os.environ["DB_PASSWORD"]
    # ruleid: sensitive-data-in-log
    lg.warning("connecting with " + db_password)
    # ok: sensitive-data-in-log
    lg.warning("connecting with a password: %s", db_password is not None)


def refresh(client):
    tokens = client.refresh()
    access_token = tokens["access_token"]
    # ruleid: sensitive-data-in-log
    log.debug("new access token: {}".format(access_token))
    # ok: sensitive-data-in-log
    log.debug("new access token: %s...", access_token[:4])
    return access_token


def charge(card_number, amount):
    # ruleid: sensitive-data-in-log
    current_app.logger.info("charging %s for %s", card_number, amount)
    # ok: sensitive-data-in-log
    current_app.logger.info("charging %s for %s", mask_card(card_number), amount)


def mask_card(number):
    return "**** " + number[-4:]


def configure(settings):
    # ruleid: sensitive-data-in-log
    logging.info("settings: secret key %s", settings.SECRET_KEY)
    # ok: sensitive-data-in-log
    logging.info("settings loaded for %s", settings.SITE_NAME)


def llm_usage(response, max_tokens):
    # ok: sensitive-data-in-log
    logger.info("used %d of %d tokens", response.usage.total_tokens, max_tokens)


def ask_passphrase():
    phrase = getpass.getpass("Passphrase: ")
    # ruleid: sensitive-data-in-log
    logger.debug("passphrase entered: %s", phrase)
    # ok: sensitive-data-in-log
    logger.debug("passphrase entered")
    return phrase


class ApiClient:
    def __init__(self):
        self.api_key = os.getenv("SERVICE_API_KEY")
        self.log = logging.getLogger("client")

    def call(self):
        # ruleid: sensitive-data-in-log
        self.log.info("calling with key=%s", self.api_key)
        # ok: sensitive-data-in-log
        self.log.info("calling the service")


def password_policy(password_min_length):
    # ok: sensitive-data-in-log
    logger.info("password policy: min length %d", password_min_length)


def issue_token(user, jwt_lib, key):
    session_token = jwt_lib.encode({"sub": user.id}, key, algorithm="HS256")
    # ruleid: sensitive-data-in-log
    logger.info(f"issued token {session_token} for {user.id}")
    # ok: sensitive-data-in-log
    logger.info("issued a token for %s", user.id)
    return session_token


def lex(token, value):
    # ok: sensitive-data-in-log
    logger.debug("%s %r", token.tok_name[value], value)


@app.get("/whoami")
def whoami():
    # ruleid: sensitive-data-in-log
    logger.debug("auth header: %s", request.headers.get("Authorization"))
    # ok: sensitive-data-in-log
    logger.debug("user agent: %s", request.headers.get("User-Agent"))
    return "ok"


def tokenize(text):
    tokens = text.split()
    # ok: sensitive-data-in-log
    logger.debug("split into %d tokens", len(tokens))
    return tokens
