import hmac
import os

from Crypto.Cipher import AES
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_cbc(key, padded):
    iv = os.urandom(16)
    # ruleid: cipher-mode-without-authentication
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(padded) + encryptor.finalize()


def encrypt_ctr(key, data):
    nonce = os.urandom(16)
    # ruleid: cipher-mode-without-authentication
    cipher = Cipher(algorithms.AES(key), mode=modes.CTR(nonce))
    return nonce + cipher.encryptor().update(data)


def encrypt_legacy(key, padded):
    iv = os.urandom(16)
    # ruleid: cipher-mode-without-authentication
    return iv + AES.new(key, AES.MODE_CBC, iv).encrypt(padded)


def encrypt_then_mac(enc_key, mac_key, padded):
    iv = os.urandom(16)
    # ok: cipher-mode-without-authentication
    encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    ct = iv + encryptor.update(padded) + encryptor.finalize()
    h = crypto_hmac.HMAC(mac_key, hashes.SHA256())
    h.update(ct)
    return ct + h.finalize()


def encrypt_then_mac_stdlib(enc_key, mac_key, padded):
    iv = os.urandom(16)
    # ok: cipher-mode-without-authentication
    ct = iv + AES.new(enc_key, AES.MODE_CBC, iv).encrypt(padded)
    tag = hmac.new(mac_key, ct, "sha256").digest()
    return ct + tag


def encrypt_gcm(key, data):
    nonce = os.urandom(12)
    # ok: cipher-mode-without-authentication
    return nonce + AESGCM(key).encrypt(nonce, data, None)


def encrypt_gcm_hazmat(key, data):
    nonce = os.urandom(12)
    # ok: cipher-mode-without-authentication
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    return nonce + encryptor.update(data) + encryptor.finalize() + encryptor.tag


class Box:
    def __init__(self, enc_key, mac_key):
        self.enc_key = enc_key
        self.mac_key = mac_key

    def _mac(self, data):
        return hmac.new(self.mac_key, data, "sha256").digest()

    def seal(self, padded):
        iv = os.urandom(16)
        # ok: cipher-mode-without-authentication
        ct = iv + Cipher(algorithms.AES(self.enc_key), modes.CBC(iv)).encryptor().update(padded)
        tag = self._mac(ct)
        return ct + tag

    def open(self, blob):
        self._verify_mac(blob)
        iv, ct = blob[:16], blob[16:-32]
        # ok: cipher-mode-without-authentication
        return Cipher(algorithms.AES(self.enc_key), modes.CBC(iv)).decryptor().update(ct)

    def _verify_mac(self, blob):
        if not hmac.compare_digest(self._mac(blob[:-32]), blob[-32:]):
            raise ValueError("bad tag")
