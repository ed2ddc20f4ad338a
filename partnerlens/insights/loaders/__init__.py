"""Thin loaders: stored answers and aggregates as the frames ``insights.analytics`` reads,
one module per thing loaded.

Read with ``values_list`` (no model instances), shaped with pandas, from two sources:

- raw answers (``answers``: ``scored_answers``, ``answers_frame``, ``comments_frame``): exact,
  but one row per answer; for tests, small cycles, trends and repairs;
- the aggregates kept by ``insights.aggregates`` (``theme_scores``, ``question_stats``,
  ``rollups``): what the dashboard and the national roll-up read, a few thousand rows however
  many people answered.

``questions`` loads a framework version's questions and themes; ``rows`` reads rows fast.
"""
