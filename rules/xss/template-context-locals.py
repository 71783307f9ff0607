from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from flask import Flask, render_template

app = Flask(__name__)


def invoice(request, pk):
    invoice = Invoice.objects.get(pk=pk, owner=request.user)
    api_token = settings.BILLING_TOKEN
    # ruleid: template-context-locals
    return render(request, "invoice.html", locals())


def summary_email(order):
    # ruleid: template-context-locals
    return render_to_string("summary.txt", globals())


@app.route("/profile")
def profile():
    user = current_user()
    # ruleid: template-context-locals
    return render_template("profile.html", **locals())


def invoice_safe(request, pk):
    invoice = Invoice.objects.get(pk=pk, owner=request.user)
    # ok: template-context-locals
    return render(request, "invoice.html", {"invoice": invoice})


@app.route("/profile-safe")
def profile_safe():
    user = current_user()
    # ok: template-context-locals
    return render_template("profile.html", user=user)


def current_user():
    return None


class Invoice:
    objects = None
