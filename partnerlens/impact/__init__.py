"""Impact on pupils (issue 13). For now only the pure engines in ``analytics``; the Django app
(outcome panel, pages, importers) is built on top of them later."""
