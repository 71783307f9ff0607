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


# --- Django settings.py: TEMPLATES ---

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # ruleid: jinja2-autoescape-disabled
            "autoescape": False,
            "context_processors": ["django.template.context_processors.request"],
        },
    },
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # ruleid: jinja2-autoescape-disabled
        "OPTIONS": {"autoescape": False, "environment": "shop.jinja2.environment"},
    },
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            # ok: jinja2-autoescape-disabled
            "autoescape": True,
            "context_processors": [],
        },
    },
]

# ok: jinja2-autoescape-disabled
TEMPLATE_OPTIONS = {"autoescape": False}


# Django's template API: a Context or an Engine built with autoescape=False renders every
# variable unescaped.
from django.template import Context, Engine
from django.template import Template as DjangoTemplate


def render_profile(bio):
    template = DjangoTemplate("<p>{{ bio }}</p>")
    # ruleid: jinja2-autoescape-disabled
    return template.render(Context({"bio": bio}, autoescape=False))


# ruleid: jinja2-autoescape-disabled
raw_engine = Engine(dirs=["templates"], autoescape=False)


def render_profile_escaped(bio):
    template = DjangoTemplate("<p>{{ bio }}</p>")
    # ok: jinja2-autoescape-disabled
    return template.render(Context({"bio": bio}))


# ok: jinja2-autoescape-disabled
engine = Engine(dirs=["templates"], autoescape=True)
