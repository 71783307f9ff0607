import markupsafe
from django.utils.html import escape as django_escape
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from flask import Markup as FlaskMarkup
from markupsafe import Markup, escape


def greeting(name):
    # ruleid: markup-formatted-string
    return Markup(f"<b>Hello {name}</b>")


def badge(label):
    # ruleid: markup-formatted-string
    return markupsafe.Markup("<span class='badge'>{}</span>".format(label))


def flash_message(text):
    # ruleid: markup-formatted-string
    return FlaskMarkup("<div class='flash'>%s</div>" % text)


def render_bio(bio_html):
    # ruleid: markup-formatted-string
    return Markup(bio_html)


def comment_html(body):
    # ruleid: markup-formatted-string
    return mark_safe("<p>" + body + "</p>")


def user_link(user):
    html = f"<a href='/users/{user.id}'>{user.name}</a>"
    # ruleid: markup-formatted-string
    return mark_safe(html)


def greeting_safe(name):
    # ok: markup-formatted-string
    return Markup("<b>Hello {}</b>").format(name)


def flash_message_safe(text):
    # ok: markup-formatted-string
    return Markup("<div class='flash'>%s</div>") % text


def title_safe(title):
    # ok: markup-formatted-string
    return Markup.escape(title)


def label_safe(label):
    # ok: markup-formatted-string
    return escape(label)


def comment_html_safe(body):
    # ok: markup-formatted-string
    return format_html("<p>{}</p>", body)


def line_break():
    # ok: markup-formatted-string
    return mark_safe("<br>")


def escaped_bio(bio):
    # ok: markup-formatted-string
    return mark_safe(django_escape(bio))
