"""Brokerage workflows, by domain noun. Each verb owns its transaction and writes an audit
entry. profiles: save_areas, derive_assessments, adjust_assessment; offers: declare_offer;
scenarios: create_scenario, run_scenario, remove_pin, remove_exclusion; matches:
accept_match, reject_match, pin_match, exclude_pair; support: record_progress, end_support.
"""
