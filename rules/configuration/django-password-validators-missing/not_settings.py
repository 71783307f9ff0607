# ok: django-password-validators-missing
PAGE_SIZE = 20
