"""Triggers' workflows: indicators (indicators.py), evaluation (evaluating.py), the daily
schedule (schedule.py) and what the register and heatmap show (register.py)."""
