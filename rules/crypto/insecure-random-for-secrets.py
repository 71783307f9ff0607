import random
import secrets
import string
from random import randint

ALPHABET = string.ascii_letters + string.digits
COLORS = ["red", "green", "blue", "orange"]


def create_user(db, email):
    # ruleid: insecure-random-for-secrets
    temp_password = "".join(random.choices(ALPHABET, k=12))
    db.insert(email=email, password=temp_password)


def send_login_code(sms, phone):
    # ruleid: insecure-random-for-secrets
    otp = randint(100000, 999999)
    sms.send(phone, f"Your login code is {otp}")


def generate_reset_token():
    # ruleid: insecure-random-for-secrets
    return "%032x" % random.getrandbits(128)


def make_api_key():
    chars = list(ALPHABET)
    # ruleid: insecure-random-for-secrets
    random.shuffle(chars)
    return "".join(chars[:40])


class Session:
    def __init__(self, user):
        self.user = user
        # ruleid: insecure-random-for-secrets
        self.session_id = str(random.random())[2:]


def store_credentials(store, username, password):
    salt = "".join(
        # ruleid: insecure-random-for-secrets
        random.choice(ALPHABET) for _ in range(16)
    )
    store.save(username, salt, password)


def create_user_safe(db, email):
    # ok: insecure-random-for-secrets
    temp_password = "".join(secrets.choice(ALPHABET) for _ in range(12))
    db.insert(email=email, password=temp_password)


def send_login_code_safe(sms, phone):
    # ok: insecure-random-for-secrets
    otp = secrets.randbelow(900000) + 100000
    sms.send(phone, f"Your login code is {otp}")


def generate_reset_token_safe():
    # ok: insecure-random-for-secrets
    return secrets.token_urlsafe(32)


def generate_password_system_random(length=16):
    rng = random.SystemRandom()
    # ok: insecure-random-for-secrets
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def pick_color():
    # ok: insecure-random-for-secrets
    color = random.choice(COLORS)
    return color


def shuffle_playlist(songs):
    # ok: insecure-random-for-secrets
    random.shuffle(songs)
    return songs


def roll_dice(sides=6):
    # ok: insecure-random-for-secrets
    return random.randint(1, sides)
