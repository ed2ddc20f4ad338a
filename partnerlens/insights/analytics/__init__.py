"""Pure analytics for insights: pandas/numpy/scipy only, never Django.

The public API, one module per domain noun (see docs/methods.md for every rule):

- ``frames``: the canonical input frames (answers, themes, comments) and their validation.
- ``suppression``: the anonymity policy (minimum group size k) and complementary suppression.
- ``scores``: respondent scores and protected breakdowns (n, mean, sd, median, 95% CI).
- ``gaps``: perception gaps (role, organisation, self vs peer/external) and optimism.
- ``trends``: series across cycles of one framework lineage.
- ``maturity``: strand profile, spectrum stage, deep x tight, relationships, priorities.
- ``benchmarking``: position among other sharing partnerships of the same type.
- ``synthetic``: generated answer sets for tests and benchmarks.
"""
