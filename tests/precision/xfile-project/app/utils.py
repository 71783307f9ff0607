# exercises: flows across files: an escape helper (a sanitizer wherever it is imported) and a pass-through helper
import html


def escape_for_html(text):
    return html.escape(text)


def shout(text):
    return text.upper() + "!"
