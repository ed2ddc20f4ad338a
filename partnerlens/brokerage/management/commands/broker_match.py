"""broker_match: run the matching engine on the open CSV format (docs/brokerage.md)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from partnerlens.brokerage.engine import (
    DEFAULT_AREAS,
    InputErrors,
    Rules,
    SolverFailed,
    match,
    parse_area_list,
    progress_steps,
    read_instance,
    write_matches,
    write_unmet,
)


class Command(BaseCommand):
    help = (
        "Match schools' needs to other schools' offers of support: first the most total "
        "severity met, then the best matches. Writes matches.csv; see docs/brokerage.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", required=True, type=Path, help="schools.csv")
        parser.add_argument("--needs", required=True, type=Path, help="needs.csv")
        parser.add_argument("--offers", required=True, type=Path, help="offers.csv")
        parser.add_argument("--out", required=True, type=Path, help="matches.csv to write")
        parser.add_argument(
            "--max-km", type=float, default=25.0, help="distance limit in km (default 25)"
        )
        parser.add_argument(
            "--areas",
            help="comma-separated support area ids (default: " + ",".join(DEFAULT_AREAS) + ")",
        )
        parser.add_argument("--exclude", type=Path, help="school_a,school_b[,area] never paired")
        parser.add_argument(
            "--relationships", type=Path, help="school_a,school_b[,area] already working together"
        )
        parser.add_argument("--pins", type=Path, help="need_school_id,area,support_school_id")
        parser.add_argument("--unmet-out", type=Path, help="also write unmet needs and why")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, **options):
        if options["max_km"] <= 0:
            raise CommandError("--max-km must be above 0")
        try:
            areas = parse_area_list(options["areas"]) if options["areas"] else tuple(DEFAULT_AREAS)
        except ValueError as error:
            raise CommandError(f"--areas: {error}") from error
        rules = Rules(max_km=options["max_km"], areas=areas)
        bar = tqdm(
            total=progress_steps(rules) + 1,
            desc="broker_match",
            unit="step",
            file=sys.stderr,
            disable=options["no_progress"],
        )
        with bar:
            try:
                instance = read_instance(
                    options["schools"],
                    options["needs"],
                    options["offers"],
                    areas=areas,
                    exclusions=options["exclude"],
                    relationships=options["relationships"],
                    pins=options["pins"],
                )
                bar.update()
                rules = Rules(
                    max_km=options["max_km"],
                    areas=areas,
                    exclusions=tuple(instance.exclusions),
                    relationships=tuple(instance.relationships),
                    pins=tuple(instance.pins),
                )

                def step(label: str) -> None:
                    bar.set_postfix_str(label, refresh=False)
                    bar.update()

                result = match(
                    instance.schools, instance.needs, instance.offers, rules, progress=step
                )
            except InputErrors as errors:
                count = len(errors.problems)
                listing = "\n".join(f"  {problem}" for problem in errors.problems)
                raise CommandError(
                    f"{count} problem{'s' if count != 1 else ''} in the input:\n{listing}"
                ) from errors
            except SolverFailed as error:
                raise CommandError(f"the solver could not finish (status {error})") from error
        try:
            write_matches(options["out"], result.matches)
            if options["unmet_out"]:
                write_unmet(options["unmet_out"], result.unmet)
        except OSError as error:
            raise CommandError(f"cannot write {error.filename}: {error.strerror}") from error
        self._summarise(result, options)

    def _summarise(self, result, options) -> None:
        t = result.totals
        out = self.stdout
        out.write(
            f"Needs met: {t.needs_met} of {t.needs} "
            f"(severity {t.severity_met} of {t.severity_total}); "
            f"match quality {t.quality_met} points; {t.candidate_pairs} allowed pairs."
        )
        unmet = Counter(u.reason.value for u in result.unmet)
        if unmet:
            out.write(f"Unmet: {len(result.unmet)}")
            labels = {
                "no_offer": "no other school offers the area",
                "out_of_range": "no supporter within the distance limit",
                "incompatible": "only supporters of an incompatible phase or language",
                "excluded": "only excluded supporters",
                "capacity": "supporters full with needs of equal or higher severity",
            }
            for reason, count in unmet.most_common():
                out.write(f"  {count:>6}  {labels[reason]} ({reason})")
        out.write(f"Wrote {len(result.matches)} matches to {options['out']}")
        if options["unmet_out"]:
            out.write(f"Wrote {len(result.unmet)} unmet needs to {options['unmet_out']}")
