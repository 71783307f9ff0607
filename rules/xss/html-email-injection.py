from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.utils.html import escape
from flask import Flask, request
from flask_mail import Mail, Message

app = Flask(__name__)
mail = Mail(app)


def invite(request):
    note = request.POST.get("note")
    # ruleid: html-email-injection
    send_mail("Invitation", note, "noreply@example.com", ["a@example.com"], html_message=f"<p>{note}</p>")


def newsletter(request):
    # ruleid: html-email-injection
    email = EmailMessage("News", request.POST["body"], "noreply@example.com", ["list@example.com"])
    email.content_subtype = "html"
    email.send()


def receipt(request):
    msg = EmailMultiAlternatives("Receipt", "See HTML part", "shop@example.com", ["c@example.com"])
    # ruleid: html-email-injection
    msg.attach_alternative("<h1>Thanks " + request.GET.get("name") + "</h1>", "text/html")
    msg.send()


@app.route("/share", methods=["POST"])
def share():
    # ruleid: html-email-injection
    msg = Message("A friend shared a page", recipients=[request.form["to"]], html=request.form["comment"])
    mail.send(msg)
    return "sent"


def invite_safe(request):
    note = request.POST.get("note")
    html = render_to_string("invite_email.html", {"note": note})
    # ok: html-email-injection
    send_mail("Invitation", note, "noreply@example.com", ["a@example.com"], html_message=html)


def newsletter_plain(request):
    # ok: html-email-injection
    email = EmailMessage("News", request.POST["body"], "noreply@example.com", ["list@example.com"])
    email.send()


def receipt_escaped(request):
    msg = EmailMultiAlternatives("Receipt", "See HTML part", "shop@example.com", ["c@example.com"])
    # ok: html-email-injection
    msg.attach_alternative("<h1>Thanks " + escape(request.GET.get("name")) + "</h1>", "text/html")
    msg.send()
