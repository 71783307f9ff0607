from flask import Flask, request

# ruleid: flask-max-content-length-missing
app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = "/srv/uploads"


@app.post("/avatar")
def avatar():
    request.files["file"].save("/srv/uploads/avatar.png")
    return "ok"
