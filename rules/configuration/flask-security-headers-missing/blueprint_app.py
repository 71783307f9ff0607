import flask

bp = flask.Blueprint("shop", __name__)


@bp.get("/items")
def items():
    return []


def create_app():
    # ruleid: flask-security-headers-missing
    app = flask.Flask(__name__)
    app.register_blueprint(bp)
    return app
