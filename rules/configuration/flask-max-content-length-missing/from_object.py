from flask import Flask, request

# ok: flask-max-content-length-missing
app = Flask(__name__)
app.config.from_object("shop.config.ProductionConfig")


@app.post("/avatar")
def avatar():
    request.files["file"].save("/srv/uploads/avatar.png")
    return "ok"
