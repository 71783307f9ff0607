from flask import Flask, redirect, render_template, request

# ruleid: flask-csrf-protection-missing
app = Flask(__name__)


@app.route("/")
def index():
    return render_template("index.html")


@app.route("/email", methods=["GET", "POST"])
def change_email():
    if request.method == "POST":
        save_email(request.form["email"])
        return redirect("/")
    return render_template("email.html")


def save_email(address):
    return address
