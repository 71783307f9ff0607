import flask


class Config:
    UPLOAD_FOLDER = "/srv/uploads"


# ruleid: flask-max-content-length-missing
app = flask.Flask(__name__)


@app.route("/upload", methods=["POST"])
def upload():
    for f in flask.request.files.getlist("docs"):
        f.save("/srv/uploads/" + "doc.pdf")
    return "ok"
