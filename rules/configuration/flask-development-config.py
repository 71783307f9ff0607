import os
import unittest

import pytest
from flask import Flask

app = Flask(__name__)
# ruleid: flask-development-config
app.config["TESTING"] = True
# ruleid: flask-development-config
app.config["ENV"] = "development"
# ruleid: flask-development-config
app.config.update(LOGIN_DISABLED=True, SESSION_COOKIE_SECURE=True)


def create_app():
    application = Flask(__name__)
    # ruleid: flask-development-config
    application.testing = True
    return application


# ok: flask-development-config
app.config["TESTING"] = os.environ.get("FLASK_TESTING") == "1"
# ok: flask-development-config
app.config["SESSION_COOKIE_SECURE"] = True


@pytest.fixture
def client():
    # ok: flask-development-config
    app.config["TESTING"] = True
    return app.test_client()


class ViewsTest(unittest.TestCase):
    def setUp(self):
        # ok: flask-development-config
        app.config.update(TESTING=True)
