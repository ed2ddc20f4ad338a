"""The partnership network (issue 15): who works with whom, how deeply, and who is isolated.

``analytics`` is the pure engine (numpy, scipy, igraph; never Django). The app around it (models,
the loader from the database, views) builds on it.
"""
