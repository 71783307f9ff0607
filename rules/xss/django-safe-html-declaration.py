from django import template
from django.utils.html import format_html, html_safe
from django.utils.safestring import SafeString

register = template.Library()


# ruleid: django-safe-html-declaration
class TrustedSnippet(SafeString):
    pass


class UserBadge:
    def __init__(self, name):
        self.name = name

    # ruleid: django-safe-html-declaration
    def __html__(self):
        return '<span class="badge">%s</span>' % self.name


# todoruleid: django-safe-html-declaration
@html_safe
class Banner:
    def __str__(self):
        return "<b>%s</b>" % self.text


# ruleid: django-safe-html-declaration
@register.filter(is_safe=True)
def highlight(value):
    return f"<mark>{value}</mark>"


# ok: django-safe-html-declaration
@register.filter
def shout(value):
    return value.upper()


class EscapedBadge:
    def __init__(self, name):
        self.name = name

    # ok: django-safe-html-declaration
    def __html__(self):
        return format_html('<span class="badge">{}</span>', self.name)


# ok: django-safe-html-declaration
class Plain(str):
    pass
