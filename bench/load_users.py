"""The simulated respondents of ``bench/load.py``: locust used as a library, in a process of
its own (locust patches the standard library for gevent as it is imported, so it is kept
apart from the Django process that builds the world and checks the answers afterwards).

    .venv/bin/python bench/load_users.py <plan.json> <result.json>

The plan names the mode and its numbers (see ``bench/load.py``):

- ``burst``: ``respondents`` people, ``first`` of them arriving within ``first_window``
  seconds and the rest within ``rest_window`` more; each walks the whole cycle (start page,
  Start, every theme page read then saved with Save and continue, Check your answers,
  Submit), spending ``think`` (low, high) seconds on each page before acting on it;
- ``closed``: ``users`` people with no pause at all, each taking the next unused link and
  walking the cycle as above, for ``duration`` seconds: the saturation throughput;
- ``healthz``: ``users`` clients asking for ``/healthz`` with no pause, for ``duration`` s.

The result holds every request's time (ms) by page, the failures, the number of requests
and the seconds they took, and every acknowledged write: each theme save answered with a
redirect, with the answers it carried, and each acknowledged submission.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_world import answers_for

PLAN: dict = {}
TIMES: dict[str, list[float]] = {}
FAILURES: list[str] = []
ACKS: list[dict] = []
DONE = {"journeys": 0}
TOKENS: list[str] = []
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def _count(request_type, name, response_time, response_length, exception=None, **kwargs):
    TIMES.setdefault(name, []).append(response_time)
    if exception is not None:
        FAILURES.append(f"{name}: {str(exception)[:200]}")


def _url(name: str, token: str, number: int = 0) -> str:
    return PLAN["paths"][name].replace("TOKEN", token).replace("999", str(number))


class Respondent(FastHttpUser):
    wait_time = constant(0)

    def pause(self) -> None:
        low, high = PLAN.get("think", (0, 0))
        if high:
            gevent.sleep(self.rng.uniform(low, high))

    def on_start(self) -> None:
        self.rng = random.Random()

    def get(self, name: str, url: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as reply:
            if reply.status_code != 200:
                reply.failure(f"status {reply.status_code}")
                return ""
            return reply.text or ""

    def post(self, name: str, url: str, form: dict) -> bool:
        """True if the server acknowledged the write (it answers a save with a redirect)."""
        body = urlencode(
            {k: v if isinstance(v, list) else [v] for k, v in form.items()}, doseq=True
        )
        with self.client.post(
            url, name=name, data=body, headers=FORM, allow_redirects=False, catch_response=True
        ) as reply:
            if reply.status_code not in (302, 303):
                reply.failure(f"status {reply.status_code}")
                return False
            return True

    def journey(self, token: str) -> None:
        page = self.get("start", _url("start", token))
        self.pause()
        csrf = CSRF.search(page)
        if not csrf or not self.post(
            "start: begin", _url("start", token), {"csrfmiddlewaretoken": csrf.group(1)}
        ):
            return
        for number in range(1, PLAN["themes"] + 1):
            address = _url("theme", token, number)
            page = self.get("theme", address)
            if not page:
                return
            self.pause()
            form = answers_for(page, number, self.rng)
            if not self.post("theme: save", address, form):
                return
            ACKS.append({"token": token, "answers": _answers_only(form)})
        page = self.get("check answers", _url("review", token))
        self.pause()
        csrf = CSRF.search(page)
        if csrf and self.post(
            "submit", _url("submit", token), {"csrfmiddlewaretoken": csrf.group(1)}
        ):
            ACKS.append({"token": token, "submitted": True})

    @task
    def walk(self) -> None:
        if PLAN["mode"] == "healthz":
            self.client.get(PLAN["paths"]["healthz"], name="healthz")
            return
        if not TOKENS:
            gevent.sleep(3600)  # every link used: this person has nothing left to do
            return
        self.journey(TOKENS.pop())
        DONE["journeys"] += 1
        if PLAN["mode"] == "burst":
            gevent.sleep(3600)  # one journey each: a respondent does not come back


def _answers_only(form: dict) -> dict:
    return {k: v[0] for k, v in form.items() if re.fullmatch(r"q\d+", k)}


def run(plan: dict) -> dict:
    PLAN.update(plan)
    TOKENS.extend(reversed(plan.get("tokens", [])))
    environment = Environment(user_classes=[Respondent], events=events, host=plan["host"])
    runner = environment.create_local_runner()
    started = time.perf_counter()
    if plan["mode"] == "burst":
        total, first = plan["respondents"], plan["first"]
        runner.start(first, spawn_rate=first / plan["first_window"])
        gevent.sleep(plan["first_window"])
        runner.start(total, spawn_rate=(total - first) / plan["rest_window"])
        deadline = started + plan["first_window"] + plan["rest_window"] + plan["timeout"]
        while DONE["journeys"] < total and time.perf_counter() < deadline:
            gevent.sleep(1)
    else:
        runner.start(plan["users"], spawn_rate=plan["users"])
        gevent.sleep(plan["duration"])
    seconds = time.perf_counter() - started
    runner.quit()
    return {
        "mode": plan["mode"],
        "seconds": seconds,
        "times": TIMES,
        "failures": FAILURES,
        "acks": ACKS,
        "journeys": DONE["journeys"],
    }


if __name__ == "__main__":
    plan_path, result_path = sys.argv[1], sys.argv[2]
    result = run(json.loads(Path(plan_path).read_text()))
    Path(result_path).write_text(json.dumps(result))
