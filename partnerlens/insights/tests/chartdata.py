"""Hand-made results in the shapes the engine hands the charts (and a Dashboard built from
them): the inputs of the chart property test and of the report tests, without a database."""

from __future__ import annotations

import math

import pandas as pd

from partnerlens.insights.analytics.maturity import CONTINUUM, PlanePosition

WELSH = [
    "Cydweithio rhwng ysgolion a'r gymuned leol ehangach",
    "Arweinyddiaeth ar y cyd a chynllunio strategol tymor hir ar draws y bartneriaeth",
    "Dysgu proffesiynol",
    "Ysgol Gynradd Gymraeg Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    "Lles a chynhwysiant",
    "Ŵyr, ŷd a môr: adnoddau a rennir",
]
SHORT = ["Trust", "Purpose", "Practice", "Links", "A", "Data use"]
ROLES = ["headteacher", "teacher", "governor", "parent"]
ROLE_NAMES = {
    "headteacher": "Penaethiaid",
    "teacher": "Athrawon",
    "governor": "Llywodraethwyr",
    "parent": "Rhieni a gofalwyr",
}


def _row(key, mean, width, scale_max, hidden, **extra):
    low, high = max(1.0, mean - width), min(scale_max, mean + width)
    return {
        "theme_key": key,
        "suppressed": hidden,
        "n": 0 if hidden else 12,
        "n_dont_know": 0 if hidden else 1,
        "mean": math.nan if hidden else mean,
        "ci_low": math.nan if hidden else low,
        "ci_high": math.nan if hidden else high,
        "scale_min": 1.0,
        "scale_max": scale_max,
        **extra,
    }


def breakdown(drawn) -> pd.DataFrame:
    rows = []
    for key, _label, mean, width, target, hidden in drawn["themes"]:
        progress = (
            None if math.isnan(target) else ("below_target" if mean < target else "above_target")
        )
        rows.append(
            _row(
                key,
                mean,
                width,
                drawn["scale_max"],
                hidden,
                group="partnership",
                role=None,
                target_level=target,
                progress=None if hidden else progress,
            )
        )
        for j, role in enumerate(drawn["roles"]):
            rows.append(
                _row(
                    key,
                    min(drawn["scale_max"], mean + j * 0.1),
                    width,
                    drawn["scale_max"],
                    hidden or drawn["all_hidden"],
                    group="role",
                    role=role,
                    target_level=target,
                    progress=None,
                )
            )
    columns = (
        "theme_key group role suppressed n n_dont_know mean ci_low ci_high scale_min scale_max "
        "target_level progress"
    ).split()
    return pd.DataFrame(rows, columns=columns)


def trend_table(drawn) -> pd.DataFrame:
    rows = []
    for order, cycle in enumerate(drawn["cycles"], start=1):
        for key, _label, mean, width, _target, hidden in drawn["themes"]:
            value = min(drawn["scale_max"], mean + 0.2 * (order - 1))
            rows.append(
                _row(
                    key,
                    value,
                    width,
                    drawn["scale_max"],
                    hidden,
                    group="partnership",
                    order=order,
                    cycle_id=order,
                    label=cycle,
                    change=math.nan if order == 1 else 0.2,
                    change_ci_low=-0.1,
                    change_ci_high=0.5,
                )
            )
    columns = (
        "theme_key group order cycle_id label suppressed n mean ci_low ci_high scale_min "
        "scale_max change change_ci_low change_ci_high"
    ).split()
    return pd.DataFrame(rows, columns=columns)


def strand_profile(drawn) -> pd.DataFrame:
    rows = [
        _row(key, mean, width, drawn["scale_max"], hidden, dimension=f"Dimensiwn {i % 3}")
        for i, (key, _l, mean, width, _t, hidden) in enumerate(drawn["themes"])
    ]
    columns = "theme_key dimension suppressed n mean ci_low ci_high scale_min scale_max".split()
    return pd.DataFrame(rows, columns=columns)


def relationship_levels(drawn) -> pd.DataFrame:
    orgs = list(range(1, len(drawn["organisations"]) + 1))
    rows = []
    for a in orgs:
        for b in orgs:
            if a < b:
                hidden = drawn["all_hidden"] or (a + b) % 4 == 0
                level = (a + b) % len(CONTINUUM)
                rows.append(
                    {
                        "organisation_a": a,
                        "organisation_b": b,
                        "suppressed": hidden,
                        "level": level,
                        "level_key": CONTINUUM[level],
                        "median": 2.0,
                        "n_respondents": 8,
                    }
                )
    columns = (
        "organisation_a organisation_b suppressed level level_key median n_respondents".split()
    )
    return pd.DataFrame(rows, columns=columns)


def plane(drawn) -> PlanePosition:
    if drawn["plane"] is None:
        return PlanePosition(None, None, None, None, None, False, suppressed=drawn["all_hidden"])
    depth, tight = drawn["plane"]
    quadrant = ("deep" if depth >= 0.5 else "shallow") + ("_tight" if tight >= 0.5 else "_loose")
    quadrant = {"deep_tight": "deep_and_tight"}.get(quadrant, quadrant)
    return PlanePosition(
        depth,
        (max(0, depth - 0.2), min(1, depth + 0.2)),
        tight,
        (max(0, tight - 0.2), min(1, tight + 0.2)),
        quadrant,
        False,
    )


def case(themes, *, all_hidden=False, organisations=(), plane=None, cycles=("2024", "2025")):
    return {
        "themes": themes,
        "scale_max": 5.0,
        "roles": ["headteacher", "teacher", "parent"],
        "all_hidden": all_hidden,
        "cycles": list(cycles),
        "organisations": list(organisations),
        "plane": plane,
    }


NAN = math.nan
EMPTY = case([])
ONE_THEME = case([("t0", "Trust", 3.2, 0.4, 4.0, False)], cycles=("2024",))
NO_TARGETS = case([(f"t{i}", name, 2.0 + i / 3, 0.3, NAN, False) for i, name in enumerate(SHORT)])
ALL_HIDDEN = case(
    [(f"t{i}", name, 3.0, 0.3, 3.0, True) for i, name in enumerate(WELSH[:3])],
    all_hidden=True,
    organisations=WELSH[:3],
)
LONG_WELSH = case(
    [(f"t{i}", name, 1.0 + i * 0.7, 0.5, NAN, False) for i, name in enumerate(WELSH)],
    organisations=WELSH[:4],
    plane=(0.97, 0.03),
    cycles=("Adolygiad gwanwyn 2024", "Adolygiad gwanwyn 2025", "Hydref 2025", "2026"),
)


def dashboard(drawn, *, comments=(), trends=True, title="Spring review"):
    """A Dashboard as ``dashboard.build`` makes one, from hand-made results: summary,
    scores, roles, priorities, trends (if ``trends``) and comments (role, theme, text)."""
    from django.utils.translation import gettext as _

    from partnerlens.insights import charts
    from partnerlens.insights.dashboard import Dashboard, Section, Table
    from partnerlens.insights.dashboard.trends import changes_table

    labels = {key: label for key, label, *_rest in drawn["themes"]}
    table = breakdown(drawn)
    scores = charts.theme_bars(table, labels, translate=_)
    roles = charts.role_gap_dots(table, labels, ROLE_NAMES, translate=_)
    ranked = sorted(
        (t for t in drawn["themes"] if not t[5]), key=lambda t: t[2] - drawn["scale_max"]
    )
    sections = [
        Section(
            "scores",
            _("Scores by theme"),
            ["Scores run from 1 to 5."],
            scores.svg,
            [Table.from_chart(scores.table, numeric=(1, 2, 3))],
        ),
        Section(
            "roles",
            _("How different roles see each theme"),
            [],
            roles.svg,
            [Table.from_chart(roles.table)],
        ),
        Section(
            "priorities",
            _("Suggested priorities"),
            [_("Themes that matter most.")],
            tables=[
                Table(
                    _("Suggested priorities, most pressing first"),
                    [
                        _("Rank"),
                        _("Theme"),
                        _("Mean"),
                        _("Target, or middle of your themes"),
                        _("Clearly below it"),
                    ],
                    [
                        [
                            str(i + 1),
                            label,
                            f"{mean:.2f}",
                            f"{drawn['scale_max']:.2f}",
                            _("Yes") if i == 0 else _("Not certain"),
                        ]
                        for i, (_k, label, mean, *_r) in enumerate(ranked[:5])
                    ],
                )
            ],
        ),
    ]
    if trends:  # as dashboard.trends makes it: the chart's table, then the fair changes
        chart = charts.trend_lines(trend_table(drawn), labels, translate=_)
        cycles = drawn["cycles"]
        changes = (
            [
                [
                    label,
                    cycles[-2],
                    cycles[-1],
                    "+0.40",
                    "0.10 to 0.70",
                    _("Yes") if i % 2 else _("No"),
                ]
                for i, (_k, label, *_r) in enumerate(drawn["themes"])
            ]
            if len(cycles) > 1
            else []
        )
        tables = [Table.from_chart(chart.table, numeric=(2, 3))]
        if changes:
            tables.append(changes_table(changes))
        sections.append(Section("trends", _("Change over time"), [], chart.svg, tables))
    rows = [list(c) for c in comments]
    sections.append(
        Section(
            "comments",
            _("What people wrote"),
            ["Comments from roles of at least 5."],
            tables=[Table(_("Comments"), [_("Role"), _("Theme"), _("Comment")], rows)]
            if rows
            else [],
        )
    )
    summary = [
        "40 people responded; 40 of the 60 people invited (67%) completed the enquiry.",
        "No difference between roles or between organisations is larger than its uncertainty.",
    ]
    return Dashboard(
        title, "Partneriaeth Ysgolion Self-improving", 5, 10, 40, 60, 40, summary, sections
    )
