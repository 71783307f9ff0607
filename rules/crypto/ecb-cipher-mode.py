from Crypto.Cipher import AES
from Cryptodome.Cipher import AES as DomeAES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_session(key: bytes, data: bytes) -> bytes:
    # ruleid: ecb-cipher-mode
    cipher = AES.new(key, AES.MODE_ECB)
    return cipher.encrypt(data)


def encrypt_record(key: bytes, data: bytes) -> bytes:
    # ruleid: ecb-cipher-mode
    return DomeAES.new(key, mode=DomeAES.MODE_ECB).encrypt(data)


def encrypt_blob(key: bytes, data: bytes) -> bytes:
    # ruleid: ecb-cipher-mode
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def encrypt_configured(key: bytes, data: bytes) -> bytes:
    mode = AES.MODE_ECB
    # ruleid: ecb-cipher-mode
    cipher = AES.new(key, mode)
    return cipher.encrypt(data)


def encrypt_session_safe(key: bytes, data: bytes) -> tuple[bytes, bytes, bytes]:
    # ok: ecb-cipher-mode
    cipher = AES.new(key, AES.MODE_GCM)
    ciphertext, tag = cipher.encrypt_and_digest(data)
    return cipher.nonce, ciphertext, tag


def encrypt_record_safe(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ok: ecb-cipher-mode
    return DomeAES.new(key, DomeAES.MODE_CBC, iv=iv).encrypt(data)


def encrypt_blob_safe(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ok: ecb-cipher-mode
    encryptor = Cipher(algorithms.AES(key), modes.GCM(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def is_legacy(mode_id: int) -> bool:
    # ok: ecb-cipher-mode
    return mode_id == AES.MODE_ECB
