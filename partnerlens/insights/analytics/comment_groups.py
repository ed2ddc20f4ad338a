"""Which free-text comments may be shown, grouped by role and/or organisation: the groups
are protected exactly like score cells (``suppression.protect_breakdown``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .suppression import CELL_COLUMNS, SuppressionPolicy, protect_breakdown


def visible_comments(
    comments: pd.DataFrame,
    respondents: pd.DataFrame,
    policy: SuppressionPolicy,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """The comments that may be shown grouped ``by`` role and/or organisation_id.

    A group's size is the number of people in it who responded to the cycle (a commenter hides
    among all of them). Groups are protected exactly like score cells, with the partnership as
    the visible total, so the comments left over from hidden groups never come from one small
    group. ``by=()`` shows comments unattributed, if the whole partnership reaches k.
    """
    allowed = {(), ("role",), ("organisation_id",), ("role", "organisation_id")}
    if tuple(by) not in allowed:
        raise ValueError(f"comments can be grouped by role and/or organisation_id, not {by!r}")
    if comments.empty:
        return comments.copy()
    kept = []
    for cycle, people in respondents.groupby("cycle_id", sort=False):
        counts = _respondent_cells(people, tuple(by))
        protected = protect_breakdown(counts.assign(cycle_id=cycle), policy, ["cycle_id"])
        wanted = {
            (): "partnership",
            ("role",): "role",
            ("organisation_id",): "organisation",
            ("role", "organisation_id"): "role_organisation",
        }[tuple(by)]
        shown = protected[(protected["group"] == wanted) & ~protected["suppressed"]]
        mine = comments[comments["cycle_id"] == cycle]
        if by:
            mine = mine.merge(shown[list(by)].drop_duplicates(), on=list(by), how="inner")
        elif shown.empty:
            mine = mine.iloc[0:0]
        kept.append(mine)
    return pd.concat(kept, ignore_index=True) if kept else comments.iloc[0:0].copy()


def _respondent_cells(people: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    frames = [pd.DataFrame({"group": ["partnership"], "n": [len(people)]})]
    if "role" in by:
        counts = people.groupby("role").size().rename("n").reset_index()
        frames.append(counts.assign(group="role"))
    if "organisation_id" in by:
        counts = people.groupby("organisation_id").size().rename("n").reset_index()
        frames.append(counts.assign(group="organisation"))
    if by == ("role", "organisation_id"):
        counts = people.groupby(["role", "organisation_id"]).size().rename("n").reset_index()
        frames.append(counts.assign(group="role_organisation"))
    cells = pd.concat(frames, ignore_index=True).reindex(columns=[*CELL_COLUMNS, "n"])
    cells["organisation_id"] = cells["organisation_id"].astype("Int64")
    return cells.assign(n_responses=cells["n"])
