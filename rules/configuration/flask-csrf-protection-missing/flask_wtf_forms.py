from flask import Flask, request
from flask_wtf import FlaskForm
from wtforms import StringField

# ok: flask-csrf-protection-missing
app = Flask(__name__)


class EmailForm(FlaskForm):
    email = StringField("email")


@app.route("/email", methods=["POST"])
def change_email():
    form = EmailForm(request.form)
    return str(form.validate_on_submit())
