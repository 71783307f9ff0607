import os

from Crypto.Cipher import AES
from Cryptodome.Cipher import AES as DomeAES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

STATIC_IV = b"\x00" * 16
NONCE = b"fixednonce12"


def encrypt_cbc(key: bytes, data: bytes):
    # ruleid: static-iv-nonce
    encryptor = Cipher(algorithms.AES(key), modes.CBC(STATIC_IV)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def encrypt_ctr(key: bytes, data: bytes):
    # ruleid: static-iv-nonce
    encryptor = Cipher(algorithms.AES(key), modes.CTR(bytes(16))).encryptor()
    return encryptor.update(data)


def seal(key: bytes, data: bytes):
    box = AESGCM(key)
    # ruleid: static-iv-nonce
    return box.encrypt(NONCE, data, None)


def seal_inline(key: bytes, data: bytes):
    # ruleid: static-iv-nonce
    return AESGCM(key).encrypt(b"000000000000", data, None)


def pycryptodome_cbc(key: bytes, data: bytes):
    # ruleid: static-iv-nonce
    return AES.new(key, AES.MODE_CBC, b"1234567890abcdef").encrypt(data)


def pycryptodome_gcm(key: bytes, data: bytes):
    # ruleid: static-iv-nonce
    return DomeAES.new(key, DomeAES.MODE_GCM, nonce=NONCE).encrypt_and_digest(data)


def encrypt_cbc_safe(key: bytes, data: bytes):
    iv = os.urandom(16)
    # ok: static-iv-nonce
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(data) + encryptor.finalize()


def seal_safe(key: bytes, data: bytes):
    box = AESGCM(key)
    nonce = os.urandom(12)
    # ok: static-iv-nonce
    return nonce + box.encrypt(nonce, data, None)


def pycryptodome_cbc_safe(key: bytes, data: bytes):
    # ok: static-iv-nonce
    cipher = AES.new(key, AES.MODE_CBC)
    return cipher.iv + cipher.encrypt(data)


def pycryptodome_gcm_safe(key: bytes, data: bytes, nonce: bytes):
    # ok: static-iv-nonce
    return DomeAES.new(key, DomeAES.MODE_GCM, nonce=nonce).encrypt_and_digest(data)
