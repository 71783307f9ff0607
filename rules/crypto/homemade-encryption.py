import base64
import codecs
import hmac
from itertools import cycle

from cryptography.fernet import Fernet


def encrypt(data: bytes, key: bytes) -> bytes:
    # ruleid: homemade-encryption
    return bytes(b ^ k for b, k in zip(data, cycle(key)))


def xor_cipher(text: str, key: str) -> str:
    # ruleid: homemade-encryption
    return "".join(chr(ord(c) ^ ord(key[i % len(key)])) for i, c in enumerate(text))


def scramble(buf: bytearray, key: bytes) -> bytearray:
    for i in range(len(buf)):
        # ruleid: homemade-encryption
        buf[i] = buf[i] ^ key[i % len(key)]
    return buf


def encrypt_password(password: str) -> str:
    # ruleid: homemade-encryption
    return base64.b64encode(password.encode()).decode()


def encrypt_note(note):
    # ruleid: homemade-encryption
    return codecs.encode(note, "rot13")


def encrypt_safe(data: bytes, key: bytes) -> bytes:
    # ok: homemade-encryption
    return Fernet(key).encrypt(data)


def encrypt_for_transport(data: bytes, key: bytes) -> str:
    token = Fernet(key).encrypt(data)
    # ok: homemade-encryption
    return base64.urlsafe_b64encode(token).decode()


def checksum(data: bytes) -> int:
    value = 0
    for b in data:
        # ok: homemade-encryption
        value = (value << 1) ^ b
    return value


def constant_time_equal(a: str, b: str) -> bool:
    diff = 0
    for x, y in zip(a, b):
        # ok: homemade-encryption
        diff |= ord(x) ^ ord(y)
    return diff == 0 and hmac.compare_digest(a, b)


def encode_payload(payload: str) -> str:
    # ok: homemade-encryption
    return base64.b64encode(payload.encode()).decode()


def store_secret(secret: str) -> bytes:
    # ruleid: homemade-encryption
    encrypted = base64.b64encode(secret.encode())
    return encrypted


def store_secret_safe(secret: str, key: bytes) -> bytes:
    ciphertext = Fernet(key).encrypt(secret.encode())
    # ok: homemade-encryption
    encrypted = base64.b64encode(ciphertext)
    return encrypted
