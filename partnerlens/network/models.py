"""A partnership's network as it stood on one day, stored once and read by the pages.

``Snapshot`` keeps what the engine (``analytics``) found for one partnership's scope (its
members and every open school in their local authorities): each organisation with its
measures and place in the picture, each tie with its level and sources, the partnership's
own figures, isolation by area and the components' sizes. Everything is codes and numbers,
never sentences (templates speak). Snapshots are kept, so a page can show change over time.

``SnapshotJob`` is the status of the latest request to compute one (``core.jobs``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from partnerlens.core.jobs import JobFields
from partnerlens.directory.models import Partnership
from partnerlens.network.analytics.graph import LEVEL_CODES

DEPTH = {code: i for i, code in enumerate(LEVEL_CODES)}  # a level code's place, for sorting


class Snapshot(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="network_snapshots"
    )
    on = models.DateField()  # the day the network stands as
    computed_at = models.DateTimeField(default=timezone.now)
    organisations = models.JSONField()  # list[dict]: one per organisation in scope
    ties = models.JSONField()  # list[dict]: one per pair (a < b)
    figures = models.JSONField()  # dict: the partnership's measures
    areas = models.JSONField()  # list[dict]: isolation by local authority
    components = models.JSONField()  # list[int]: sizes, largest first

    class Meta:
        ordering = ["-on", "-computed_at", "-id"]

    def __str__(self) -> str:
        return f"Network of {self.partnership_id} on {self.on}"

    def _by_id(self) -> dict[int, dict]:
        cached = self.__dict__.get("_organisations_by_id")
        if cached is None:
            cached = {row["id"]: row for row in self.organisations}
            self.__dict__["_organisations_by_id"] = cached
        return cached

    def organisation(self, org_id) -> dict | None:
        """The organisation's row, or None when it is outside this snapshot's scope."""
        try:
            return self._by_id().get(int(org_id))
        except (TypeError, ValueError):
            return None

    def ties_of(self, org_id) -> list[dict]:
        """The organisation's ties (either end), deepest first."""
        org_id = int(org_id)
        rows = [tie for tie in self.ties if org_id in (tie["a"], tie["b"])]
        return sorted(rows, key=lambda tie: (-DEPTH.get(tie["level"], 0), tie["a"], tie["b"]))


class SnapshotEntry(models.Model):
    """One organisation of a snapshot: its row and its ties, as in the snapshot's lists.

    Stored beside the snapshot so that a profile reads one small row, and an organisation's
    history one row per stored day, instead of decoding every snapshot of a large scope."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="entries")
    organisation_id = models.IntegerField(db_index=True)  # not a key: the register may drop it
    row = models.JSONField()  # dict: the organisation's row of Snapshot.organisations
    ties = models.JSONField()  # list[dict]: its rows of Snapshot.ties, deepest first

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "organisation_id"], name="network_entry_once_per_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"Organisation {self.organisation_id} in {self.snapshot_id}"


def entries_of(organisations: list[dict], ties: list[dict]) -> list[tuple[int, dict, list]]:
    """(organisation id, row, its ties deepest first) for each organisation of a snapshot."""
    mine: dict[int, list[dict]] = {row["id"]: [] for row in organisations}
    for tie in ties:
        for end in (tie["a"], tie["b"]):
            if end in mine:
                mine[end].append(tie)
    return [
        (
            row["id"],
            row,
            sorted(
                mine[row["id"]],
                key=lambda tie: (-DEPTH.get(tie["level"], 0), tie["a"], tie["b"]),
            ),
        )
        for row in organisations
    ]


class SnapshotJob(JobFields):
    """The latest request to compute a partnership's network."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="network_job"
    )
    on = models.DateField(null=True, blank=True)  # the day asked for; null: today
