import base64
import os

from Crypto.Cipher import AES
from Cryptodome.Cipher import ChaCha20
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

FERNET_KEY = b"hQ6u7G1m0H3S2aYxq1w0Zp6uJ7nC4vR9tK2eL5bM8dA="
AES_KEY = os.environ["AES_KEY"].encode()


def token_box():
    # ruleid: hardcoded-encryption-key
    return Fernet(FERNET_KEY)


def encrypt_record(data: bytes):
    # ruleid: hardcoded-encryption-key
    cipher = AES.new(b"0123456789abcdef", AES.MODE_GCM)
    return cipher.encrypt_and_digest(data)


def encrypt_stream(data: bytes, nonce: bytes):
    # ruleid: hardcoded-encryption-key
    cipher = ChaCha20.new(key="k" * 32, nonce=nonce)
    return cipher.encrypt(data)


def zero_key_cipher(iv: bytes):
    # ruleid: hardcoded-encryption-key
    return Cipher(algorithms.AES(bytes(32)), modes.CBC(iv))


def sealed(data: bytes, nonce: bytes):
    # ruleid: hardcoded-encryption-key
    return AESGCM(bytes.fromhex("00112233445566778899aabbccddeeff")).encrypt(nonce, data, None)


def sealed_chacha(data: bytes, nonce: bytes):
    # ruleid: hardcoded-encryption-key
    box = ChaCha20Poly1305(base64.b64decode("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M="))
    return box.encrypt(nonce, data, None)


def token_box_safe():
    # ok: hardcoded-encryption-key
    return Fernet(os.environ["FERNET_KEY"])


def encrypt_record_safe(data: bytes):
    # ok: hardcoded-encryption-key
    cipher = AES.new(AES_KEY, AES.MODE_GCM)
    return cipher.encrypt_and_digest(data)


def fresh_box():
    # ok: hardcoded-encryption-key
    return Fernet(Fernet.generate_key())


def sealed_safe(data: bytes, key: bytes):
    nonce = os.urandom(12)
    # ok: hardcoded-encryption-key
    return nonce + AESGCM(key).encrypt(nonce, data, None)


def random_key_cipher(iv: bytes):
    # ok: hardcoded-encryption-key
    return Cipher(algorithms.AES(os.urandom(32)), modes.CBC(iv))
