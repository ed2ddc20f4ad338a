"""Aggregates of submitted answers, kept current as responses are submitted.

A dashboard must not re-read every answer (300,000 for a large partnership), so three tables
hold what the statistics need, each updated in the same transaction as the submission
(``aggregates.add_responses``) and rebuildable from the raw answers at any time
(``services.rebuild_aggregates``):

- ``QuestionStat``: sufficient statistics per cycle x organisation x role x question (and,
  for relationship questions, x partner): counts, sum, sum of squares and how many
  respondents gave each level, so means, sds, intervals, medians and level distributions of
  any union of cells come from adding rows.
- ``ResponseThemeScore``: each respondent's score on each theme (the weighted mean of
  their scored answers in it, on one common scale), so respondent-level theme, dimension
  and framework figures read about 5,000 x themes rows, not every answer.
- ``ThemeRollup``: per cycle x theme x role sums, so the national comparison reads a few
  thousand rows.

Anonymity: these tables hold no more than the answers do. ``QuestionStat`` and
``ThemeRollup`` have no response at all; ``ResponseThemeScore`` points at the Response only,
which in anonymous cycles has no link to any person (docs/anonymity.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from partnerlens.core.jobs import JobFields
from partnerlens.directory.models import Role
from partnerlens.enquiries.models import Cycle, Response
from partnerlens.frameworks.models import Question, Theme
from partnerlens.insights.analytics.suppression import (
    DEFAULT_K,
    DEFAULT_ROLE_K,
    MIN_K,
    SuppressionPolicy,
)


def respondent_key(response_id: uuid.UUID | str) -> int:
    """63 of the response UUID's random bits: distinct for distinct responses in practice
    (two of a cycle's 5,000 collide with probability about 1e-12). Takes the UUID or its
    text (as SQLite returns it)."""
    if isinstance(response_id, uuid.UUID):
        return response_id.int >> 65
    return int(str(response_id).replace("-", ""), 16) >> 65


# Organisation columns below are plain integers, not foreign keys: a unique key with a NULL
# never conflicts in SQL, and the upsert needs one row per key. 0 stands for "none", as
# ``analytics.frames.NO_ORGANISATION`` does.
NONE = 0


class QuestionStat(models.Model):
    """Respondents' answers to one question in one cell (organisation x role) of a cycle.

    ``about_organisation_id = 0``: one value per respondent (their answer; for a relationship
    question the mean of their answers about each partner), the unit the engine scores.
    ``about_organisation_id = p``: a relationship question's answers about partner ``p``.

    Counts: ``n_asked`` respondents with any stored answer row, ``n_responses`` who gave a
    value or "don't know", ``n_dont_know`` who said "don't know" (about any partner), ``n``
    who gave a value. ``total`` and ``total_squares`` add up the ``n`` values; ``levels``
    maps each value (as ``repr(float)``) to how many gave it.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    organisation_id = models.BigIntegerField(default=NONE)
    role = models.CharField(max_length=30, choices=Role.choices)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    about_organisation_id = models.BigIntegerField(default=NONE)
    n_asked = models.PositiveIntegerField(default=0)
    n_responses = models.PositiveIntegerField(default=0)
    n_dont_know = models.PositiveIntegerField(default=0)
    n = models.PositiveIntegerField(default=0)
    total = models.FloatField(default=0.0)
    total_squares = models.FloatField(default=0.0)
    levels = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organisation_id", "role", "question", "about_organisation_id"],
                name="one_question_stat_per_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} in cycle {self.cycle_id}: n={self.n}"


class ResponseThemeScore(models.Model):
    """One respondent's score on one theme: the weighted mean of their scored answers in it,
    each first placed on the theme's scale by its position on its own question's scale
    (docs/methods.md, "One common scale").

    A relationship question counts once, as the mean of the answers about each partner.
    ``score`` is NULL when every answer in the theme was "don't know" or left blank.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    # ``respondent_key(response.pk)``: the same response as a number, so a dashboard tells
    # 5,000 respondents apart by reading integers rather than UUIDs. Derived from the
    # response's own key, it links to nothing the response link does not.
    respondent = models.BigIntegerField()
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(null=True)
    dont_know = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # Also what makes counting a response twice fail loudly instead of silently.
            models.UniqueConstraint(fields=["response", "theme"], name="one_score_per_theme"),
        ]
        indexes = [
            # Covers the dashboard's read of a cycle: no row lookups besides the index.
            models.Index(
                fields=["cycle", "respondent", "theme", "score", "dont_know"],
                name="theme_scores_of_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id} on {self.theme_id}: {self.score}"


# A roll-up row's key and the sums it keeps (the field names of ``ThemeRollup``), written by
# ``aggregates`` and read by ``loaders.rollups``.
ROLLUP_KEY = ("cycle_id", "theme_id", "role")
ROLLUP_SUMS = (
    "n",
    "n_dont_know",
    "total",
    "total_squares",
    "n_answers",
    "answer_total",
    "answer_total_squares",
)


class ThemeRollup(models.Model):
    """Sums per cycle x theme x role, for comparisons across partnerships.

    Respondent level (``n``, ``total``, ``total_squares``, ``n_dont_know``): over the
    respondents' theme scores, the engine's unit. Answer level (``n_answers``,
    ``answer_total``, ``answer_total_squares``): over every scored answer with a value.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=30, choices=Role.choices)
    n = models.PositiveIntegerField(default=0)
    n_dont_know = models.PositiveIntegerField(default=0)
    total = models.FloatField(default=0.0)
    total_squares = models.FloatField(default=0.0)
    n_answers = models.PositiveIntegerField(default=0)
    answer_total = models.FloatField(default=0.0)
    answer_total_squares = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "theme", "role"], name="one_rollup_per_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.theme_id} {self.role} in cycle {self.cycle_id}: n={self.n}"


# --- Partnership settings for insights (owned by the dashboard work) ------------------------

# The largest minimum group size a partnership may choose.
MAX_K = 100


class InsightSettings(models.Model):
    """A partnership's choices about its insights: minimum group sizes and benchmarking.

    A partnership without a row uses the defaults (``for_partnership`` does not create one),
    so reading a dashboard never writes. The minimum sizes may be raised but never set below
    ``analytics.suppression.MIN_K``: smaller groups let people work out each other's answers.
    """

    partnership = models.OneToOneField(
        "directory.Partnership", on_delete=models.CASCADE, related_name="insight_settings"
    )
    min_group_size = models.PositiveSmallIntegerField(
        default=DEFAULT_K, validators=[MinValueValidator(MIN_K), MaxValueValidator(MAX_K)]
    )
    min_parent_group_size = models.PositiveSmallIntegerField(
        default=DEFAULT_ROLE_K["parent"],
        validators=[MinValueValidator(MIN_K), MaxValueValidator(MAX_K)],
    )
    share_benchmarks = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "insight settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=MIN_K, min_parent_group_size__gte=MIN_K),
                name="minimum_group_size_at_least_three",
            ),
        ]

    def __str__(self) -> str:
        return f"Insight settings of partnership {self.partnership_id}"

    @classmethod
    def for_partnership(cls, partnership) -> InsightSettings:
        found = cls.objects.filter(partnership=partnership).first()
        return found or cls(partnership=partnership)

    def policy(self):
        return SuppressionPolicy(
            k=int(self.min_group_size), role_k={"parent": int(self.min_parent_group_size)}
        )


# --- Releases: what users see (owned by the release work) -----------------------------------


class ReleaseReason(models.TextChoices):
    CLOSED = "closed", "closed"
    PUBLISHED = "published", "published"
    REOPENED_AND_CLOSED = "reopened_and_closed", "reopened and closed"
    SETTINGS = "settings", "settings changed"
    REBUILT = "rebuilt", "rebuilt"


class ReleaseImmutable(Exception):
    """A stored release was about to be changed or removed: releases are never rewritten."""


class ReleaseQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ReleaseImmutable("releases are never updated")

    def for_cycle(self, cycle):
        return self.filter(cycle=cycle)

    def light(self):
        """Without the download tables and the audit tables (the page needs neither)."""
        return self.defer("exports", "tables", "members", "benchmark")


class Release(models.Model):
    """One cycle's results as they were shown, frozen: written once, never changed.

    Every reader (the page, the PDF, CSV, XLSX) reads the latest release the user may see;
    nothing recomputes results per request. ``insights.releases.make_release`` writes them,
    numbered 1, 2, ... per cycle. Everything is JSON:

    - ``members``: the ids of the submitted responses the release counts (for differencing
      against later releases, and so trends use only what was released);
    - ``page`` / ``exports``: per language ("en", "cy"), the dashboard (``dashboard.codec``)
      and the download tables;
    - ``tables``: the protected theme, dimension and framework breakdowns as records, for
      later audits of every published figure (``analytics.disclosure.audit``);
    - ``benchmark``: the benchmark table as published (None when the partnership does not
      share).
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    reason = models.CharField(max_length=30, choices=ReleaseReason.choices)
    k = models.PositiveSmallIntegerField()
    parent_k = models.PositiveSmallIntegerField()
    respondents = models.PositiveIntegerField()
    hidden_changed = models.PositiveIntegerField(default=0)  # cells hidden by differencing
    members = models.JSONField(default=list)
    page = models.JSONField(default=dict)
    exports = models.JSONField(default=dict)
    tables = models.JSONField(default=dict)
    benchmark = models.JSONField(null=True, default=None)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="one_release_number"),
        ]

    def __str__(self) -> str:
        return f"Release {self.number} of cycle {self.cycle_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("update_fields"):
            raise ReleaseImmutable("a release is written once and never changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)


class ReleaseJob(JobFields):
    """The latest request to build a cycle's release, and how it went (``insights.jobs``):
    the results page says "being prepared" while it is queued or running, and offers leads
    "Try again" when it failed. The release itself is a ``Release``; this row only follows
    the work."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="release_job")
    reason = models.CharField(max_length=30, choices=ReleaseReason.choices)
    force = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=30, blank=True)  # make_release's code once done

    def __str__(self) -> str:
        return f"Release job of cycle {self.cycle_id} ({self.status})"


class PreparedDownload(JobFields):
    """A download too slow to make while someone waits (the governors' PDF of a large
    partnership: WeasyPrint and every chart), made once per release x language x format by
    the task worker and kept through Django's storage (``insights.exporters.prepared``).

    A release never changes, so neither does its file: everyone who may see the release is
    served the same stored file, and nothing is made twice."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="downloads")
    language = models.CharField(max_length=5)
    identifier = models.CharField(max_length=20)  # the exporter's
    file = models.FileField(upload_to="downloads/", max_length=200, blank=True)
    filename = models.CharField(max_length=200, blank=True)  # what the browser saves it as
    size = models.PositiveIntegerField(default=0)  # bytes, for the link's label

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "language", "identifier"], name="one_prepared_download"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} ({self.language}) of release {self.release_id}: {self.status}"
