import jinja2
from jinja2 import Environment, FileSystemLoader, PackageLoader, Template, select_autoescape
from jinja2.sandbox import SandboxedEnvironment


def make_site_env():
    # ruleid: jinja2-autoescape-disabled
    return Environment(loader=FileSystemLoader("templates"))


def make_admin_env():
    # ruleid: jinja2-autoescape-disabled
    return jinja2.Environment(loader=PackageLoader("admin"), autoescape=False)


def make_report_env():
    escape_html = False
    # ruleid: jinja2-autoescape-disabled
    env = Environment(
        loader=FileSystemLoader("reports"),
        autoescape=escape_html,
        trim_blocks=True,
    )
    return env


def make_user_template_env():
    # ruleid: jinja2-autoescape-disabled
    return SandboxedEnvironment()


def render_snippet(text):
    # ruleid: jinja2-autoescape-disabled
    return Template("<p>{{ text }}</p>").render(text=text)


def make_site_env_safe():
    # ok: jinja2-autoescape-disabled
    return Environment(loader=FileSystemLoader("templates"), autoescape=True)


def make_admin_env_safe():
    # ok: jinja2-autoescape-disabled
    return jinja2.Environment(
        loader=PackageLoader("admin"),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
    )


def make_user_template_env_safe():
    # ok: jinja2-autoescape-disabled
    return SandboxedEnvironment(autoescape=select_autoescape())


def render_snippet_safe(text):
    # ok: jinja2-autoescape-disabled
    return Template("<p>{{ text }}</p>", autoescape=True).render(text=text)
