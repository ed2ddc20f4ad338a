"""``manage.py serve_demo --after FILE [addrport]``: the web server of ``make run`` (scripts/run).

It is ``runserver`` (whichever the installed apps provide), but it runs the system checks
and loads everything the first page needs (the URLs and every view they import, the
middleware, the home page template) at once, then waits until FILE exists before it
listens. scripts/run starts it alongside ``load_demo`` and creates FILE when the demo is
loaded, so Python and Django start while the demo loads, and nobody reaches the site before
it is ready.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management import get_commands, load_command_class
from django.db import connections
from django.template.loader import get_template
from django.urls import get_resolver

Runserver = type(load_command_class(get_commands()["runserver"], "runserver"))


class Command(Runserver):
    help = "runserver that loads the site at once but listens only once FILE exists."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--after", required=True, help="Listen only once this file exists.")

    def inner_run(self, *args, **options):
        if not options["skip_checks"]:  # now, rather than once load_demo is done
            self.check(display_num_errors=False)
            options["skip_checks"] = True
        self._handler = super().get_handler(*args, **options)
        get_resolver().url_patterns  # noqa: B018 - imports the URLs and every view now
        get_template("home.html")
        ready = Path(options["after"])
        if options["verbosity"] >= 2:
            self.stdout.write(f"Site loaded; listening once {ready} exists.")
        while not ready.exists():
            time.sleep(0.05)
        for connection in connections.all(initialized_only=True):
            connection.close()
        super().inner_run(*args, **options)

    def get_handler(self, *args, **options):
        return getattr(self, "_handler", None) or super().get_handler(*args, **options)
