"""Pure impact analytics: numpy/scipy/pandas only, never Django (see docs/methods.md,
"Impact: comparison families and difference-in-differences").

- ``families``: comparison families of similar schools outside a partnership, with balance.
- ``did``: difference-in-differences with school and year effects, event study, pre-trends.
- ``wild``: the regression kernel, CR1 cluster-robust errors and the wild cluster bootstrap.
- ``effects``: effect sizes, months' progress, multi-year averages, small-cohort suppression.
- ``registration``: a frozen pre-registered specification and its hash.
- ``synthetic``: simulated school panels for tests and the benchmark.

Every function returns numbers and codes, never sentences.
"""
