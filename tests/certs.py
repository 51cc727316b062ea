"""A test certificate authority: a root, an intermediate, and Alexa-like signing certificates."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime(2026, 11, 21, 9, 0, 0, tzinfo=dt.UTC)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _ca(
    subject: str, key: rsa.RSAPrivateKey, issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey | None,
) -> x509.Certificate:  # fmt: skip
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=365))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    signer = issuer_key or key
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False
        )
    return builder.sign(signer, hashes.SHA256())


def _leaf(
    key: rsa.RSAPrivateKey, issuer: x509.Certificate, issuer_key: rsa.RSAPrivateKey, *,
    names: list[str] | None, start: dt.datetime, end: dt.datetime,
) -> x509.Certificate:  # fmt: skip
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name("echo-api.amazon.com"))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if names is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass(frozen=True)
class Chain:
    """A signing key and the PEM chain a SignatureCertChainUrl would serve."""

    key: rsa.RSAPrivateKey
    pem: bytes

    def sign(self, body: bytes) -> str:
        signature = self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")


@dataclass(frozen=True)
class Authority:
    """The trusted root, and chains that should pass or fail verification."""

    root: x509.Certificate
    good: Chain
    expired: Chain
    no_san: Chain
    wrong_san: Chain
    untrusted: Chain


def _pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@cache
def authority() -> Authority:
    """Built once per test run: RSA key generation is the slow part."""
    root_key, inter_key, leaf_key = _key(), _key(), _key()
    root = _ca("Test Root CA", root_key, None, None)
    inter = _ca("Test Intermediate CA", inter_key, root, root_key)
    valid = {"start": NOW - dt.timedelta(days=30), "end": NOW + dt.timedelta(days=335)}

    def chain(names: list[str] | None, **when: dt.datetime) -> Chain:
        leaf = _leaf(leaf_key, inter, inter_key, names=names, **{**valid, **when})
        return Chain(leaf_key, _pem(leaf, inter))

    other_root_key, other_inter_key = _key(), _key()
    other_root = _ca("Someone Else's Root", other_root_key, None, None)
    other_inter = _ca("Someone Else's Intermediate", other_inter_key, other_root, other_root_key)
    stranger = _leaf(leaf_key, other_inter, other_inter_key, names=["echo-api.amazon.com"], **valid)
    return Authority(
        root=root,
        good=chain(["echo-api.amazon.com"]),
        expired=chain(
            ["echo-api.amazon.com"],
            start=NOW - dt.timedelta(days=400),
            end=NOW - dt.timedelta(days=1),
        ),
        no_san=chain(None),
        wrong_san=chain(["not-alexa.example.com"]),
        untrusted=Chain(leaf_key, _pem(stranger, other_inter, other_root)),
    )
