"""Pure peer-review engines (issue 14): numpy/scipy/OR-Tools only, never Django (see
docs/methods.md, "Peer review: agreement, conflicts and teams (issue 14, engines)").

- ``agreement``: the reality check — weighted kappa between the host's self-evaluation and
  the review's judgements, its standard error and interval, the mean signed difference, the
  largest gaps, and both per theme and per period (tracking over time).
- ``conflicts``: the conflict-of-interest codes for a proposed reviewer and a host.
- ``teams``: a suggested lead and peer reviewers, free of conflict, covering the focus
  areas, spreading the load (CP-SAT, exact, deterministic).

Every function returns numbers and codes, never sentences.
"""
