"""Impact models: the outcome panel's own measures (panel.py) and the estimate, families and
registration (estimates.py)."""

from __future__ import annotations

from partnerlens.impact.models.estimates import *  # noqa: F403
from partnerlens.impact.models.panel import *  # noqa: F403
