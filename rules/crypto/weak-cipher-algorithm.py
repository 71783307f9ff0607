import os

from Crypto.Cipher import AES, ARC4, DES, DES3
from Cryptodome.Cipher import Blowfish
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305


def legacy_encrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ruleid: weak-cipher-algorithm
    cipher = DES.new(key, DES.MODE_CBC, iv)
    return cipher.encrypt(data)


def legacy_triple_des(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ruleid: weak-cipher-algorithm
    return DES3.new(key, DES3.MODE_CBC, iv=iv).encrypt(data)


def stream_encrypt(key: bytes, data: bytes) -> bytes:
    # ruleid: weak-cipher-algorithm
    return ARC4.new(key).encrypt(data)


def blowfish_encrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ruleid: weak-cipher-algorithm
    cipher = Blowfish.new(key, Blowfish.MODE_CBC, iv)
    return cipher.encrypt(data)


def rc4_with_cryptography(key: bytes, data: bytes) -> bytes:
    # ruleid: weak-cipher-algorithm
    encryptor = Cipher(algorithms.ARC4(key), mode=None).encryptor()
    return encryptor.update(data)


def tdes_with_cryptography(key: bytes, iv: bytes, data: bytes) -> bytes:
    cipher = Cipher(
        # ruleid: weak-cipher-algorithm
        algorithms.TripleDES(key),
        modes.CBC(iv),
    )
    encryptor = cipher.encryptor()
    return encryptor.update(data) + encryptor.finalize()


def modern_encrypt(key: bytes, data: bytes) -> bytes:
    nonce = os.urandom(12)
    # ok: weak-cipher-algorithm
    return nonce + AESGCM(key).encrypt(nonce, data, None)


def modern_stream_encrypt(key: bytes, data: bytes) -> bytes:
    nonce = os.urandom(12)
    # ok: weak-cipher-algorithm
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, data, None)


def pycryptodome_gcm(key: bytes, data: bytes) -> tuple[bytes, bytes, bytes]:
    # ok: weak-cipher-algorithm
    cipher = AES.new(key, AES.MODE_GCM)
    ciphertext, tag = cipher.encrypt_and_digest(data)
    return cipher.nonce, ciphertext, tag


def aes_with_cryptography(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ok: weak-cipher-algorithm
    encryptor = Cipher(algorithms.AES(key), modes.GCM(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()
