"""Stored link hashes must keep matching after the two hashers became one."""

from __future__ import annotations

import pytest

from partnerlens.core.tokens import hash_token

TOKEN = "Xb3_k9QmZ-7pL2vN8rT4wY6uE1aS0dF5gH"

# Digests of TOKEN computed by the code before this change, which is what the database holds:
# directory.services.hash_token(TOKEN) and enquiries.models.token_hash(purpose, TOKEN).
BEFORE = {
    "": "352a65a0b6e0998f42beada7dbbe3d6dca734aa437ddb93dda07ed0cb6570b8e",
    "invitee": "54f135826b0b29feaf0795e253924fb0e29ff39da3caf8d70017e108074e95b4",
    "response": "742335670c943e29d9c3dea122827411f53305f6ea29761478d0075aceb02623",
    "submitted": "d630cf1d995573006f889ddcf80bf4b78627ab5fbeb4eec139320803c2af6d4d",
    "public": "93350c50531fa5c30b7aa08e1870034228cdc2af47b8bd829c0d5a61739668b9",
}


@pytest.mark.parametrize("purpose", BEFORE)
def test_it_gives_the_digest_the_old_code_stored(purpose):
    assert hash_token(TOKEN, purpose=purpose) == BEFORE[purpose]


def test_a_role_invitation_hash_has_no_purpose():
    assert hash_token(TOKEN) == BEFORE[""]


def test_purposes_keep_one_token_s_hashes_apart():
    digests = {hash_token(TOKEN, purpose=purpose) for purpose in BEFORE}
    assert len(digests) == len(BEFORE)
