from django.utils.html import format_html, format_html_join


def author_link(user):
    # ruleid: format-html-preformatted
    return format_html(f'<a href="/u/{user.pk}">{user.display_name}</a>')


def greeting(name):
    # ruleid: format-html-preformatted
    return format_html("<p>Hello %s</p>" % name)


def tag(label, css):
    # ruleid: format-html-preformatted
    return format_html('<span class="{}">' + label + "</span>", css)


def rows(items):
    # ruleid: format-html-preformatted
    return format_html_join("\n", "<li>{}</li>".format(items[0]), ((i,) for i in items))


def author_link_safe(user):
    # ok: format-html-preformatted
    return format_html('<a href="/u/{}">{}</a>', user.pk, user.display_name)


def rows_safe(items):
    # ok: format-html-preformatted
    return format_html_join("\n", "<li>{}</li>", ((i,) for i in items))


def divider():
    # ok: format-html-preformatted
    return format_html(f"<hr>")
