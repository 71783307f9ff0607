import os

from flask import Flask, jsonify

app = Flask(__name__)

# ruleid: flask-debug-enabled
app.config["DEBUG"] = True

# ok: flask-debug-enabled
app.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"


@app.route("/health")
def health():
    return jsonify(status="ok")


def create_app():
    application = Flask(__name__)
    # ruleid: flask-debug-enabled
    application.debug = True
    return application


def create_app_configured():
    application = Flask(__name__)
    # ruleid: flask-debug-enabled
    application.config.update(DEBUG=True, TESTING=False)
    return application


def create_app_mapped():
    application = Flask(__name__)
    # ruleid: flask-debug-enabled
    application.config.from_mapping(DEBUG=True, SECRET_KEY_FILE="/run/secrets/key")
    # ok: flask-debug-enabled
    application.config.from_mapping(DEBUG=False)
    return application


def create_app_safe():
    application = Flask(__name__)
    # ok: flask-debug-enabled
    application.debug = False
    # ok: flask-debug-enabled
    application.config.update(DEBUG=os.environ.get("FLASK_DEBUG") == "1")
    return application


if __name__ == "__main__":
    if os.environ.get("APP_ENV") == "production":
        # ok: flask-debug-enabled
        app.run(host="127.0.0.1", port=5000, debug=False)
    elif os.environ.get("APP_ENV") == "staging":
        # ok: flask-debug-enabled
        app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    else:
        # ruleid: flask-debug-enabled
        app.run(host="127.0.0.1", port=5000, debug=True)
