"""Who is the same person across an enquiry's cycles, for trends that pair their answers.

Only named and confidential cycles link a response to a person, through its invitation; an
anonymous cycle never does (docs/anonymity.md). Frames carry a keyed hash of the invitation
email, never the email, and the key changes with every process.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

import numpy as np
import pandas as pd

from partnerlens.enquiries.models import AnonymityMode, Response, ResponseState
from partnerlens.insights.models import respondent_key

# Keys the hash that stands for a person in frames: fixed for this process (so two reads of
# one page agree), random between processes, so the number leads back to no email.
_LINK_KEY = secrets.token_bytes(16)


def person_column(keys: np.ndarray, cycle_ids: Sequence[int], link: bool = True) -> np.ndarray:
    """For each respondent key, a number standing for the invited person (the same
    invitation email in several cycles gives the same number), or 0 when not linked.

    Only responses of named and confidential cycles are linked, through their invitation;
    anonymous cycles never are (docs/anonymity.md). The number is a keyed hash, never the
    email. One query (none when ``link`` is false: a single cycle has nothing to pair).
    """
    if not link or not len(keys):
        return np.zeros(len(keys), dtype=np.int64)
    rows = list(
        Response.objects.filter(
            cycle_id__in=list(cycle_ids), state=ResponseState.SUBMITTED, invitee__isnull=False
        )
        .exclude(cycle__anonymity_mode=AnonymityMode.ANONYMOUS)
        .values_list("id", "invitee__email")
    )
    if not rows:
        return np.zeros(len(keys), dtype=np.int64)
    linked = pd.Series(
        [_person_number(email) for _id, email in rows],
        index=[respondent_key(pk) for pk, _email in rows],
    )
    linked = linked[~linked.index.duplicated()]
    return linked.reindex(keys).fillna(0).to_numpy(dtype=np.int64)


def _person_number(email: str) -> int:
    digest = hashlib.blake2b(email.strip().lower().encode(), digest_size=7, key=_LINK_KEY)
    return int.from_bytes(digest.digest(), "big") + 1
