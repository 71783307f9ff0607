import smtplib
import smtplib as mail
import ssl
from smtplib import SMTP


def send_report(msg, user, password):
    # ruleid: smtp-without-tls
    server = smtplib.SMTP("smtp.example.com", 587)
    server.login(user, password)
    server.send_message(msg)
    server.quit()


def send_with(msg, user, password):
    # ruleid: smtp-without-tls
    with SMTP("smtp.example.com", 25) as smtp:
        smtp.login(user, password)
        smtp.send_message(msg)


def send_alias(msg):
    # ruleid: smtp-without-tls
    conn = mail.SMTP(host="mail.example.org", port=25)
    conn.sendmail("noreply@example.org", ["ops@example.org"], msg)


def send_report_safe(msg, user, password):
    # ok: smtp-without-tls
    server = smtplib.SMTP("smtp.example.com", 587)
    server.starttls(context=ssl.create_default_context())
    server.login(user, password)
    server.send_message(msg)
    server.quit()


def send_with_safe(msg, user, password):
    # ok: smtp-without-tls
    with SMTP("smtp.example.com", 587) as smtp:
        smtp.ehlo()
        smtp.starttls()
        smtp.login(user, password)
        smtp.send_message(msg)


def send_ssl(msg, user, password):
    # ok: smtp-without-tls
    with smtplib.SMTP_SSL("smtp.example.com", 465, context=ssl.create_default_context()) as smtp:
        smtp.login(user, password)
        smtp.send_message(msg)


def send_local(msg):
    # ok: smtp-without-tls
    with smtplib.SMTP("localhost") as smtp:
        smtp.send_message(msg)


def two_connections(report):
    # ruleid: smtp-without-tls
    relay = smtplib.SMTP("relay.example.com", 587)
    relay.sendmail("a@example.com", ["b@example.com"], report)
    # ok: smtp-without-tls
    secure = smtplib.SMTP("mail.example.com", 587)
    secure.starttls()
    secure.sendmail("a@example.com", ["b@example.com"], report)
