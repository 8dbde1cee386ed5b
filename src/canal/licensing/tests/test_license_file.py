"""Signed license files (R2.4): verified offline with the vendor's published key; tampering fails."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from canal.licensing import codes, license_file

pytestmark = pytest.mark.django_db


def published_key(api_as, customer, key_id):
    return api_as(customer).client.get(f"/api/v1/licensing/public-keys/{key_id}").json()["public_key"]


def test_r2_4_a_license_file_verifies_with_the_vendors_published_key(appliance, api_as, customer):
    document = appliance.activate().json()["license"]

    public = published_key(api_as, customer, document["key_id"])
    result = license_file.verify(document, license_file.public_key_from(public), now=datetime.now(UTC))

    assert result.valid
    assert result.payload["vendor"] == "Redwall Networks S.L."


def test_r2_4_a_tampered_license_file_fails_verification(appliance, api_as, customer):
    document = appliance.activate().json()["license"]
    public = license_file.public_key_from(published_key(api_as, customer, document["key_id"]))
    tampered = json.loads(json.dumps(document))
    tampered["payload"]["clients"] = 5000

    assert license_file.verify(tampered, public).reason == "bad_signature"


def test_r2_4_canal_license_verify_accepts_a_genuine_file_and_rejects_a_tampered_one(
    appliance, tmp_path, capsys
):
    document = appliance.activate().json()["license"]
    genuine = tmp_path / "license.json"
    genuine.write_text(json.dumps(document))
    document["payload"]["modules"].append("hotspot")
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(document))

    call_command("license", "verify", str(genuine))
    assert "valid license" in capsys.readouterr().out
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("license", "verify", str(forged))


def test_r2_4_an_expired_file_is_reported(appliance, tmp_path):
    document = appliance.activate().json()["license"]
    path = tmp_path / "license.json"
    path.write_text(json.dumps(document))
    valid_until = datetime.fromisoformat(document["payload"]["valid_until"])

    result = license_file.verify(
        document, license_file.public_key_from(_key_text(document)), now=valid_until + timedelta(seconds=1)
    )

    assert result.reason == "expired"


def _key_text(document):
    from canal.licensing.models import SigningKey

    return SigningKey.objects.get(key_id=document["key_id"]).public_key


def test_r2_4_public_keys_are_published_without_login(appliance, client):
    appliance.activate()

    keys = client.get("/api/v1/licensing/public-keys").json()

    assert [key["vendor"] for key in keys] == ["Redwall Networks S.L."]
    assert keys[0]["algorithm"] == "Ed25519"
    assert "private" not in json.dumps(keys)


@given(st.text(min_size=8, max_size=200), st.text(min_size=8, max_size=200))
def test_r2_4_the_license_code_follows_the_hardware(first, second):
    one = codes.license_code("redwall-server", codes.hardware_digest(first))
    assert one == codes.license_code("redwall-server", codes.hardware_digest(first))
    assert len(one) == 24
    assert codes.masked(one).endswith(one[-9:])
    if first.strip() != second.strip():
        assert one != codes.license_code("redwall-server", codes.hardware_digest(second))
