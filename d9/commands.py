"""What each `d9` sub-command does, in terms of the pipeline stages under `tasks/` and the flows.

`d9 check` and `d9 indicators` run the stages directly (they must answer in a second or two),
validating with the Polars executor of the rules (same findings as Great Expectations, without
its seconds of import). `d9 report` and `d9 demo` run the report pipeline of `flows.pipeline`:
with `PREFECT_API_URL` set, as the Prefect flow, recorded on that server like scheduled runs;
without it, with plain steps and no Prefect at all (no temporary API server to start or leave
behind) — the same stage functions in the same order, so the same outputs and exit codes.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from d9.table import format_table
from schemas.errors import ConfigError, ValidationFailed
from schemas.periods import default_period_notice, resolve_as_of
from schemas.settings import Settings, demo_settings, load_settings

if TYPE_CHECKING:
    from flows.outcome import ReportOutcome
    from schemas.results import Indicators


def settings_for(config: str | None) -> Settings:
    """Read the configuration chosen on the command line or by $D9_CONFIG."""
    return load_settings(config)


def as_of_for(
    period: str | None,
    as_of: date | None,
    today: date | None = None,
    settings: Settings | None = None,
) -> date:
    """The as-of date of a run: --as-of, else the end of --period, else the default period.

    The default is the last half-year ended, at most the programme deadline's half-year (with
    `settings`); when it is clamped, one line on stderr says so.
    """
    today = today or date.today()
    if settings is None:
        return resolve_as_of(period, as_of, today)
    deadline, language = settings.programme.deadline, settings.report.language
    if notice := default_period_notice(period, as_of, today, deadline, language):
        print(notice, file=sys.stderr)
    return resolve_as_of(period, as_of, today, deadline)


def check(settings: Settings) -> int:
    """Load and validate every source; print findings grouped by sheet; 1 if any blocks.

    When only the state cannot be written, the findings are still printed before the error.
    """
    from tasks.load import load_inputs
    from tasks.statedb import state_target
    from tasks.validate.cache import ResultNotStored, validate_cached
    from tasks.validate.quality import format_findings_text

    inputs, state = load_inputs(settings), state_target(settings)
    try:
        report, unstored = validate_cached(inputs, settings, state=state, engine="polars"), None
    except ResultNotStored as exc:
        report, unstored = exc.report, exc
    print(format_findings_text(report.findings))
    if unstored is not None:
        raise unstored
    return 1 if report.blocking else 0


def compute_and_record(settings: Settings, dates: Sequence[date]) -> list[Indicators]:
    """Validate once, then compute and store the indicators as of each date; blocking stops it.

    They are stored as kind "indicators": ad-hoc queries, never shown in a report's trend.
    """
    from tasks.history.store import record
    from tasks.indicators import compute_indicators
    from tasks.load import load_inputs
    from tasks.statedb import state_target
    from tasks.validate.cache import validate_cached
    from tasks.validate.quality import blocking_summary

    inputs = load_inputs(settings)
    report = validate_cached(inputs, settings, state=state_target(settings), engine="polars")
    if report.blocking:
        raise ValidationFailed(blocking_summary(report.blocking))
    results = [compute_indicators(inputs.frames(), as_of, settings) for as_of in dates]
    for result in results:
        record(result, "indicators", state_target(settings))
    return results


def indicators(settings: Settings, *, as_of: date, fmt: str) -> int:
    """Validate, compute the indicators as of a date, store them in history and print them."""
    [result] = compute_and_record(settings, [as_of])
    if fmt == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_table(result, colour=sys.stdout.isatty()))
    return 0


def report(
    settings: Settings,
    *,
    period: str | None,
    as_of: date | None,
    language: Literal["fi", "en"] | None,
    to: tuple[str, ...],
    dry_run: bool,
    force: bool,
    debug: bool = False,
    from_history: bool = False,
) -> int:
    """Run the report flow once, now, without the approval step; print what it did."""
    outcome = run_report(
        settings,
        period=period,
        as_of=as_of,
        language=language,
        to=to,
        dry_run=dry_run,
        force=force,
        debug=debug,
        from_history=from_history,
    )
    print(outcome.summary)
    return outcome.exit_code


def run_report(
    settings: Settings,
    *,
    period: str | None,
    as_of: date | None,
    language: Literal["fi", "en"] | None,
    to: tuple[str, ...] | None,
    dry_run: bool,
    force: bool,
    debug: bool = False,
    from_history: bool = False,
) -> ReportOutcome:
    """Run the report pipeline: as the Prefect flow when PREFECT_API_URL is set, else plainly."""
    api = os.environ.get("PREFECT_API_URL", "").strip()
    if not api:
        from flows.pipeline import report_without_prefect

        return report_without_prefect(
            period=period,
            as_of=as_of,
            language=language,
            to=list(to or ()),
            dry_run=dry_run,
            force=force,
            config=str(settings.config_path),
            from_history=from_history,
        )
    with _prefect_api(api):
        from flows.report import report_flow

        if not debug:  # after the import: Prefect sets up its console handler when it loads
            _hide_tracebacks_on_console()
        return report_flow(
            period=period,
            as_of=as_of,
            language=language,
            to=list(to or ()),
            dry_run=dry_run,
            force=force,
            require_approval=False,
            config=str(settings.config_path),
            from_history=from_history,
        )


@contextmanager
def _prefect_api(api: str) -> Iterator[None]:
    """Run against the Prefect server at `api`: quiet tracebacks, one line if it is not there."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    import httpx  # for import cost: Prefect and httpx load only when a server is configured

    try:
        yield
    except (httpx.TransportError, RuntimeError) as exc:
        # Prefect wraps the refused connection: RuntimeError("Failed to reach API at ...").
        cause = exc if isinstance(exc, httpx.TransportError) else exc.__cause__
        if not isinstance(cause, httpx.TransportError):
            raise
        raise ConfigError(
            f"the Prefect API at {api} cannot be reached ({type(cause).__name__}); start it "
            "(prefect server start) or unset PREFECT_API_URL to run without Prefect"
        ) from None


class _WithoutTraceback(logging.Filter):
    """Keep the console to one line per problem; the run's log in Prefect keeps the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        # The console handler sits on the root logger, so the run loggers' API handlers have
        # already shipped the record with its traceback by the time it gets here.
        record.exc_info, record.exc_text = None, None
        return True


def _hide_tracebacks_on_console() -> None:
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger(), *map(logging.getLogger, logging.root.manager.loggerDict)]
    for handler in {h for lg in loggers for h in getattr(lg, "handlers", ())}:
        if isinstance(handler, PrefectConsoleHandler):
            handler.addFilter(_WithoutTraceback())


def demo(config: str | None = None) -> int:
    """The full report on the bundled sample data, into the outbox; print where it went."""
    settings = demo_settings(config, Path.cwd())
    # The two earlier half-years are reported first (as previews, nothing sent), so the report
    # shows its trend section: a trend shows reported half-years only.
    for earlier in ("2017H1", "2017H2"):
        run_report(
            settings, period=earlier, as_of=None, language=None, to=None, dry_run=True, force=False
        )
    outcome = run_report(
        settings, period="2018H1", as_of=None, language=None, to=None, dry_run=False, force=True
    )
    print(outcome.summary)
    if outcome.indicators is not None:
        print()
        print(format_table(outcome.indicators, colour=sys.stdout.isatty()))
    print(
        f"\nOutbox (.html for a browser, .eml for a mail client): {settings.state_dir / 'outbox'}"
    )
    return outcome.exit_code
