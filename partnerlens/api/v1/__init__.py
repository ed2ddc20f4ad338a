"""Version 1 of the API (``/api/v1/``): what it promises is in docs/api.md."""
