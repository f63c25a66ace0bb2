"""The CDS client's JWT (conditions.clinical.trust), as an EHR signs it
(ES384 or RS384, a key of its published set): checked only when the site
names trusted issuers; the set read from the configured address, kept,
read again for a rotated key; every claim CDS Hooks 2.0 asks for."""

import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.cds_client import FhirServer, patient_view, post

ISSUER = "https://ehr.example.org"
AUDIENCE = "http://testserver/cds-services/patient-view"


def _jwk(private, kid):
    algorithm = (
        jwt.algorithms.ECAlgorithm
        if isinstance(private, ec.EllipticCurvePrivateKey)
        else (jwt.algorithms.RSAAlgorithm)
    )
    return {**json.loads(algorithm.to_jwk(private.public_key())), "kid": kid, "use": "sig"}


@pytest.fixture
def ehr(db, settings):
    """An EHR's key set served on 127.0.0.1 and trusted; ``sign(**claims)``."""
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.CDS_HOOKS_FHIR_HTTPS_ONLY = False
    settings.SITE_URL = "http://testserver"
    key = ec.generate_private_key(ec.SECP384R1())
    with FhirServer({"jwks.json": {"keys": [_jwk(key, "ehr-1")]}}, token=None) as server:
        settings.CDS_HOOKS_TRUSTED_ISSUERS = {ISSUER: f"{server.base}/jwks.json"}

        def sign(private=key, kid="ehr-1", algorithm="ES384", **claims):
            now = int(time.time())
            payload = {
                "iss": ISSUER,
                "sub": "ehr-client",
                "aud": AUDIENCE,
                "iat": now,
                "exp": now + 300,
                "jti": str(uuid.uuid4()),
                **claims,
            }
            payload = {k: v for k, v in payload.items() if v is not None}
            token = jwt.encode(payload, private, algorithm=algorithm, headers={"kid": kid})
            return {"Authorization": f"Bearer {token}"}

        server.sign = sign
        yield server


def _refused(response, words):
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Bearer")
    error = response.json()["error"]
    assert error["code"] == "invalid_token" and words in error["message"], error
    return error


def test_a_call_signed_by_a_trusted_ehr_is_served(ehr, client):
    assert post(client, "patient-view", patient_view(), **ehr.sign()).status_code == 200
    # The key set was read once and is kept.
    assert post(client, "patient-view", patient_view(), **ehr.sign()).status_code == 200
    assert [path for path, _q, _a in ehr.requests] == ["jwks.json"]
    # Discovery needs no JWT.
    assert client.get("/cds-services").status_code == 200


def test_without_trusted_issuers_no_jwt_is_needed(db, client, settings):
    settings.CDS_HOOKS_TRUSTED_ISSUERS = {}
    assert post(client, "patient-view", patient_view()).status_code == 200


@pytest.mark.parametrize(
    "claims, words",
    [
        ({"iss": "https://elsewhere.example"}, "issuer is not one"),
        ({"aud": "https://other.example/cds-services/patient-view"}, "audience"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 3900}, "expired"),
        ({"exp": int(time.time()) + 3600}, "five minutes"),
        ({"jti": None}, "jti"),
        ({"kid": "unknown"}, "does not publish"),
        ({"algorithm": "HS256", "private": "a-shared-secret-of-32-characters!"}, "ES384 or RS384"),
    ],
)
def test_a_jwt_that_is_not_trusted_is_refused(ehr, client, claims, words):
    _refused(post(client, "patient-view", patient_view(), **ehr.sign(**claims)), words)


def test_a_missing_or_malformed_jwt_is_refused(ehr, client):
    _refused(post(client, "patient-view", patient_view()), "required")
    _refused(post(client, "patient-view", patient_view(), Authorization="Bearer x.y"), "not a JWT")


def test_a_key_the_ehr_does_not_publish_is_refused(ehr, client):
    other = ec.generate_private_key(ec.SECP384R1())
    _refused(post(client, "patient-view", patient_view(), **ehr.sign(private=other)), "not valid")


def test_a_jwt_is_accepted_once(ehr, client):
    headers = ehr.sign()
    assert post(client, "patient-view", patient_view(), **headers).status_code == 200
    _refused(post(client, "patient-view", patient_view(), **headers), "used before")


def test_a_rotated_key_is_found_by_reading_the_set_again(ehr, client):
    assert post(client, "patient-view", patient_view(), **ehr.sign()).status_code == 200
    rotated = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ehr.served["jwks.json"]["keys"].append(_jwk(rotated, "ehr-2"))
    headers = ehr.sign(private=rotated, kid="ehr-2", algorithm="RS384")
    assert post(client, "patient-view", patient_view(), **headers).status_code == 200
    assert [path for path, _q, _a in ehr.requests] == ["jwks.json", "jwks.json"]


def test_a_key_set_that_cannot_be_read_refuses(ehr, client):
    ehr.answer = (500, b"")
    _refused(post(client, "patient-view", patient_view(), **ehr.sign()), "cannot be read")
