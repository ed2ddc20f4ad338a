"""Insights has no staff screens on purpose.

The aggregates (QuestionStat, ThemeRollup) hold counts and sums per small group, down to a
single respondent, and ResponseThemeScore holds one row per respondent; a staff screen
listing them would show cells that every page and export suppresses. Support staff read
results through a release, like everyone else.
"""
