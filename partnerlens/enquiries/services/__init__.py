"""The enquiries' workflows, one module per domain noun: ``cycles``, ``invitees`` (who is asked,
their cycle invitation emails, reminders and the open link), ``responses`` and
``reflections``. Each function owns its transaction and writes the audit log."""
