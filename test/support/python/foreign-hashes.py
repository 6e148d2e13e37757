# Password hashes made by the real libraries of other ecosystems, for the tests of
# lib/passwords/foreign-hashes.ts: Django's make_password, passlib, argon2-cffi, and Firebase's
# modified scrypt from hashlib + cryptography. Prints a JSON list of {source, password, hash}.
# Low cost parameters keep the tests fast; one Django PBKDF2 hash keeps Django's own default.
import base64
import hashlib
import json
import os
import sys

import argon2
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

settings.configure(
    PASSWORD_HASHERS=[
        'django.contrib.auth.hashers.PBKDF2PasswordHasher',
        'django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher',
        'django.contrib.auth.hashers.BCryptSHA256PasswordHasher',
        'django.contrib.auth.hashers.BCryptPasswordHasher',
        'django.contrib.auth.hashers.Argon2PasswordHasher',
    ]
)
from django.contrib.auth import hashers  # noqa: E402  (needs the settings)
from passlib import hash as passlib  # noqa: E402

PASSWORDS = [
    'correct horse battery staple',
    'pässwörd ✓ 密码 😀',
    # 100 bytes: bcrypt alone would cut it at 72; bcrypt_sha256 must not.
    'x' * 80 + 'ü' * 10,
]


class CheapPbkdf2(hashers.PBKDF2PasswordHasher):
    iterations = 1000


class CheapPbkdf2Sha1(hashers.PBKDF2SHA1PasswordHasher):
    iterations = 1000


class CheapBcryptSha256(hashers.BCryptSHA256PasswordHasher):
    rounds = 4


class CheapBcrypt(hashers.BCryptPasswordHasher):
    rounds = 4


class CheapArgon2(hashers.Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 2


class Argon2iLikeDjango31(CheapArgon2):
    # Django before 3.2 made argon2i; its encode() is the same.
    def params(self):
        import argon2 as library
        return library.Parameters(type=library.low_level.Type.I, version=19, salt_len=16, hash_len=16, time_cost=1, memory_cost=512, parallelism=2)


def b64(data, pad=True):
    text = base64.b64encode(data).decode('ascii')
    return text if pad else text.rstrip('=')


def firebase(password, ln, rounds):
    signer_key, salt, separator = os.urandom(64), os.urandom(12), b'\x07'
    key = hashlib.scrypt(password.encode(), salt=salt + separator, n=2**ln, r=rounds, p=1, dklen=32, maxmem=2**26)
    encryptor = Cipher(algorithms.AES(key), modes.CTR(b'\0' * 16)).encryptor()
    digest = encryptor.update(signer_key) + encryptor.finalize()
    return {
        'firebase': {
            'signerKey': b64(signer_key),
            'saltSeparator': b64(separator),
            'rounds': rounds,
            'memCost': ln,
            'salt': b64(salt),
            'hash': b64(digest),
        }
    }


def phc_pbkdf2(password, digest, iterations):
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac(digest, password.encode(), salt, iterations)
    return '$pbkdf2-%s$i=%d,l=%d$%s$%s' % (digest, iterations, len(key), b64(salt, False), b64(key, False))


def cases(password):
    yield 'django pbkdf2_sha256', hashers.make_password(password, hasher=CheapPbkdf2())
    yield 'django pbkdf2_sha256 (default cost)', hashers.make_password(password, hasher='pbkdf2_sha256')
    yield 'django pbkdf2_sha1', hashers.make_password(password, hasher=CheapPbkdf2Sha1())
    yield 'django bcrypt_sha256', hashers.make_password(password, hasher=CheapBcryptSha256())
    yield 'django argon2', hashers.make_password(password, hasher=CheapArgon2())
    yield 'django argon2i (before 3.2)', hashers.make_password(password, hasher=Argon2iLikeDjango31())
    yield 'passlib pbkdf2_sha256', passlib.pbkdf2_sha256.using(rounds=1000).hash(password)
    yield 'passlib pbkdf2_sha512', passlib.pbkdf2_sha512.using(rounds=1000).hash(password)
    yield 'passlib pbkdf2_sha1', passlib.pbkdf2_sha1.using(rounds=1000).hash(password)
    yield 'passlib bcrypt_sha256 v2', passlib.bcrypt_sha256.using(rounds=4).hash(password)
    yield 'passlib bcrypt_sha256 v1', passlib.bcrypt_sha256.using(rounds=5, version=1).hash(password)
    yield 'passlib scrypt', passlib.scrypt.using(rounds=8, block_size=8, parallelism=1).hash(password)
    yield 'passlib scrypt p=2', passlib.scrypt.using(rounds=6, block_size=4, parallelism=2).hash(password)
    yield 'argon2-cffi argon2id', argon2.PasswordHasher(time_cost=1, memory_cost=256, parallelism=2, type=argon2.Type.ID).hash(password)
    yield 'argon2-cffi argon2id t=3', argon2.PasswordHasher(time_cost=3, memory_cost=64, parallelism=1, hash_len=16, salt_len=8, type=argon2.Type.ID).hash(password)
    yield 'argon2-cffi argon2d', argon2.PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=argon2.Type.D).hash(password)
    yield 'argon2-cffi argon2i', argon2.PasswordHasher(time_cost=2, memory_cost=512, parallelism=4, type=argon2.Type.I).hash(password)
    yield 'argon2-cffi argon2i v=16', argon2.low_level.hash_secret(password.encode(), os.urandom(16), time_cost=2, memory_cost=64, parallelism=1, hash_len=32, type=argon2.low_level.Type.I, version=0x10).decode()
    yield 'hashlib pbkdf2 sha256 (PHC)', phc_pbkdf2(password, 'sha256', 1000)
    yield 'hashlib pbkdf2 sha512 (PHC)', phc_pbkdf2(password, 'sha512', 1000)
    yield 'hashlib scrypt + AES-CTR (Firebase)', firebase(password, 10, 8)


out = []
for password in PASSWORDS:
    for source, made in cases(password):
        out.append({'source': source, 'password': password, 'hash': made})
# Plain bcrypt uses only the first 72 bytes (newer bcrypt refuses longer): short passwords only.
for password in PASSWORDS[:2]:
    out.append({'source': 'django bcrypt', 'password': password, 'hash': hashers.make_password(password, hasher=CheapBcrypt())})
    out.append({'source': 'passlib bcrypt 2y', 'password': password, 'hash': passlib.bcrypt.using(rounds=4, ident='2y').hash(password)})
    out.append({'source': 'passlib bcrypt 2a', 'password': password, 'hash': passlib.bcrypt.using(rounds=4, ident='2a').hash(password)})
    out.append({'source': 'passlib bcrypt 2b', 'password': password, 'hash': passlib.bcrypt.using(rounds=5, ident='2b').hash(password)})
json.dump(out, sys.stdout, ensure_ascii=False)
