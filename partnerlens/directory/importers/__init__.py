"""Importers for the published school data Partnerlens reads (see docs/data.md).

One module per file format, each with a ``FORMAT`` that says how to recognise the file by
its header, how to read a row (pure), and how to apply the rows (``apply.py``). ``runner``
ties them together for the ``import_data`` and ``load_demo`` commands.
"""
