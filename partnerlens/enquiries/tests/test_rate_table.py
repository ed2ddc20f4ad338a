"""The response-rate table's protection, checked against a reader who works figures out.

The reader's audit here is independent of ``protect``'s own linear program: it enumerates
every table of submitted counts that agrees with what the page shows (the shown figures,
the invited counts and the "fewer than k" labels) and requires every hidden figure to take
at least two values among them.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from partnerlens.enquiries.rate_table import ALL, protect


def totals_of(cells: dict, submitted: dict) -> dict:
    """Every figure of the table (cells and totals) for given submitted counts."""
    figures = dict(submitted)
    roles = {r for r, _o in cells}
    orgs = {o for _r, o in cells}
    for r in roles:
        figures[(r, ALL)] = sum(v for (rr, _o), v in submitted.items() if rr == r)
    for o in orgs:
        figures[(ALL, o)] = sum(v for (_r, oo), v in submitted.items() if oo == o)
    figures[(ALL, ALL)] = sum(submitted.values())
    return figures


def invited_of(cells: dict) -> dict:
    return totals_of(cells, {key: n for key, (n, _s) in cells.items()})


def agrees(shown: dict, invited: dict, k: int, figures: dict) -> bool:
    """Would a table with these figures show the same page?"""
    for key, figure in shown.items():
        value = figures[key]
        if figure.submitted is not None and value != figure.submitted:
            return False
        if figure.submitted_below and not value < k:
            return False
        if figure.waiting_below and not invited[key] - value < k:
            return False
        if figure.submitted is None and invited[key] > 2 * k:
            labelled = figure.submitted_below or figure.waiting_below
            # A large hidden group without a label was hidden only to protect another.
            if not labelled and not (k <= value <= invited[key] - k) and not _withheld(figure):
                return False
    return True


def _withheld(figure) -> bool:
    return figure.submitted is None and not (figure.submitted_below or figure.waiting_below)


def worked_out(cells: dict, k: int, *, anonymous: bool = False) -> list:
    """Hidden figures that every table agreeing with the page gives the same value."""
    shown = protect(cells, k, anonymous=anonymous)
    invited = invited_of(cells)
    keys = sorted(cells, key=repr)
    seen: dict = {key: set() for key, f in shown.items() if f.submitted is None}
    for values in itertools.product(*(range(cells[key][0] + 1) for key in keys)):
        figures = totals_of(cells, dict(zip(keys, values, strict=True)))
        if agrees(shown, invited, k, figures):
            for key in seen:
                seen[key].add(figures[key])
    return [key for key, values in seen.items() if len(values) < 2]


def random_table(rng: random.Random, roles: int, orgs: int, most: int) -> dict:
    cells = {}
    for r, o in itertools.product(range(roles), range(orgs)):
        if rng.random() < 0.85:
            n = rng.randint(1, most)
            cells[(f"role{r}", o + 1)] = (n, rng.randint(0, n))
    return cells or {("role0", 1): (3, 1)}


def test_a_one_of_one_cell_is_never_shown():
    shown = protect({("governor", 1): (1, 1), ("teacher", 1): (30, 12)}, 5)
    assert shown[("governor", 1)].submitted is None
    assert shown[("governor", 1)].waiting is None
    # and the totals do not give it away by subtraction
    assert worked_out({("governor", 1): (1, 1), ("teacher", 1): (30, 12)}, 5) == []


def test_a_large_group_with_few_submitted_reads_fewer_than_k():
    shown = protect({("teacher", 1): (20, 2), ("teacher", 2): (20, 9), ("head", 1): (20, 8)}, 5)
    assert shown[("teacher", 1)].submitted is None and shown[("teacher", 1)].submitted_below
    assert not shown[("teacher", 1)].waiting_below


def test_a_small_group_carries_no_label_that_would_pin_its_count():
    # 4 of 8 with k = 5: "fewer than 5" on both sides would say exactly 4.
    shown = protect({("teacher", 1): (8, 4), ("teacher", 2): (30, 12)}, 5)
    cell = shown[("teacher", 1)]
    assert cell.submitted is None and not cell.submitted_below and not cell.waiting_below


def test_a_total_that_would_give_away_a_hidden_cell_hides_another():
    cells = {("teacher", 1): (20, 10), ("teacher", 2): (20, 2), ("teacher", 3): (20, 11)}
    shown = protect(cells, 5)
    row = [shown[("teacher", o)] for o in (1, 2, 3)] + [shown[("teacher", ALL)]]
    assert sum(f.submitted is None for f in row) >= 2


@pytest.mark.parametrize("seed", range(40))
def test_no_sum_is_left_with_exactly_one_hidden_figure(seed):
    rng = random.Random(seed)
    cells = random_table(rng, rng.randint(1, 4), rng.randint(1, 5), 25)
    shown = protect(cells, rng.choice([3, 5]))
    roles = {r for r, _o in cells}
    orgs = {o for _r, o in cells}
    sums = [[(r, ALL)] + [(r, o) for o in orgs if (r, o) in cells] for r in roles]
    sums += [[(ALL, o)] + [(r, o) for r in roles if (r, o) in cells] for o in orgs]
    sums += [[(ALL, ALL)] + [(r, ALL) for r in roles], [(ALL, ALL)] + [(ALL, o) for o in orgs]]
    for members in sums:
        assert sum(shown[m].submitted is None for m in members) != 1, members


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("anonymous", [False, True])
def test_no_hidden_count_can_be_worked_out_from_the_page(seed, anonymous):
    rng = random.Random(seed)
    roles, orgs = rng.choice([(2, 2), (1, 3), (3, 1), (2, 3)])
    cells = random_table(rng, roles, orgs, 7 if roles * orgs > 4 else 10)
    assert worked_out(cells, 3, anonymous=anonymous) == []


def test_anonymous_mode_shows_no_cell_count_and_totals_only_for_large_groups():
    cells = {
        ("teacher", 1): (30, 14),
        ("teacher", 2): (25, 12),
        ("governor", 1): (3, 2),
        ("governor", 2): (2, 1),
    }
    shown = protect(cells, 5, anonymous=True)
    for key in cells:
        figure = shown[key]
        assert figure.submitted is None and not figure.submitted_below
        assert figure.invited == cells[key][0]  # the lead's own list is still shown
    assert shown[("governor", ALL)].submitted is None  # 5 invited, but 3 answered
    assert not shown[("governor", ALL)].submitted_below  # 5 invited: too few for a label
    assert shown[(ALL, ALL)].submitted == 29
    # The teachers' total would follow from the grand total minus the governors' hidden
    # one, so it is hidden too.
    assert shown[("teacher", ALL)].submitted is None
    assert worked_out(cells, 5, anonymous=True) == []


def determined_by_sums(cells: dict, shown: dict) -> list:
    """Hidden figures the sums fix exactly, by linear algebra (independent of ``protect``):
    a hidden figure is fixed when its unit vector lies in the row space of the sums
    restricted to the hidden figures."""
    roles = {r for r, _o in cells}
    orgs = {o for _r, o in cells}
    sums = [[(r, ALL)] + [(r, o) for o in orgs if (r, o) in cells] for r in roles]
    sums += [[(ALL, o)] + [(r, o) for r in roles if (r, o) in cells] for o in orgs]
    sums += [[(ALL, ALL)] + [(r, ALL) for r in roles], [(ALL, ALL)] + [(ALL, o) for o in orgs]]
    hidden = sorted((key for key, f in shown.items() if f.submitted is None), key=repr)
    index = {key: i for i, key in enumerate(hidden)}
    matrix = np.zeros((len(sums), len(hidden)))
    for row, members in enumerate(sums):
        for position, key in enumerate(members):
            if key in index:
                matrix[row, index[key]] += 1.0 if position == 0 else -1.0
    rank = np.linalg.matrix_rank(matrix)
    fixed = []
    for key in hidden:
        unit = np.zeros(len(hidden))
        unit[index[key]] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            fixed.append(key)
    return fixed


def test_two_groups_of_hidden_cells_joined_by_one_cell_do_not_give_it_away():
    # Every role and organisation sum holds two or more hidden cells, yet adding the sums
    # of roles A and B and taking away those of organisations 1 and 2 leaves cell B3 alone.
    small = {("A", 1), ("A", 2), ("B", 1), ("B", 2), ("B", 3), ("C", 3), ("C", 4)}
    small |= {("D", 3), ("D", 4)}
    cells = {}
    for role in "ABCDE":
        for org in range(1, 6):
            cells[(role, org)] = (20, 1) if (role, org) in small else (20, 10)
    shown = protect(cells, 3)
    assert {key for key, f in shown.items() if f.submitted is None} >= small
    assert determined_by_sums(cells, shown) == []
