from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def create_app():
    # ok: flask-csrf-protection-missing
    app = Flask(__name__)
    csrf.init_app(app)

    @app.route("/email", methods=["POST"])
    def change_email():
        return request.form["email"]

    return app
