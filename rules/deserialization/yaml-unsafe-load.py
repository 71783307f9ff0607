import yaml
from yaml import CSafeLoader, SafeLoader


def load_config(path):
    with open(path) as fh:
        # ruleid: yaml-unsafe-load
        return yaml.load(fh)


def load_job(text):
    # ruleid: yaml-unsafe-load
    return yaml.load(text, Loader=yaml.Loader)


def load_positional(text):
    # ruleid: yaml-unsafe-load
    return yaml.load(text, yaml.FullLoader)


def load_all_docs(stream):
    # ruleid: yaml-unsafe-load
    return list(yaml.load_all(stream, Loader=yaml.UnsafeLoader))


def load_trusted(text):
    # ruleid: yaml-unsafe-load
    return yaml.unsafe_load(text)


def load_full(text):
    # ruleid: yaml-unsafe-load
    return yaml.full_load(text)


def load_config_safe(path):
    with open(path) as fh:
        # ok: yaml-unsafe-load
        return yaml.safe_load(fh)


def load_job_safe(text):
    # ok: yaml-unsafe-load
    return yaml.load(text, Loader=yaml.SafeLoader)


def load_job_imported_loader(text):
    # ok: yaml-unsafe-load
    return yaml.load(text, Loader=SafeLoader)


def load_all_docs_safe(stream):
    # ok: yaml-unsafe-load
    return list(yaml.load_all(stream, Loader=CSafeLoader))


def load_strings_only(text):
    # ok: yaml-unsafe-load
    return yaml.load(text, yaml.BaseLoader)


def dump_config(config):
    # ok: yaml-unsafe-load
    return yaml.safe_dump(config)


def default_job():
    # A constant document: reported at LOW severity only, the loader itself is unsafe.
    # ruleid: yaml-unsafe-load
    return yaml.load("retries: 3\ntimeout: 30\n", Loader=yaml.Loader)
