"""What each `d9` sub-command does: resolve the request once (settings, clock, validator), run
the job's pipeline (`flows.pipeline`, `flows.jobs`), print what it did.

`d9 check` and `d9 indicators` validate with the Polars executor of the rules (same findings as
Great Expectations, without its seconds of import). `d9 report` and `d9 demo` run the report
pipeline: with `PREFECT_API_URL` set, as the Prefect flow, recorded on that server like
scheduled runs; without it, as plain calls with no Prefect at all (no temporary API server to
start or leave behind) — the same stage functions in the same order, so the same outputs and
exit codes.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from d9.table import format_table
from schemas.errors import ConfigError, D9Error, PrefectUnavailable
from schemas.periods import HELSINKI, default_period_notice, resolve_as_of
from schemas.request import ReportAsk, Run, Validator, report_request
from schemas.settings import Settings, demo_settings, load_settings

if TYPE_CHECKING:
    from flows.outcome import ReportOutcome


def settings_for(config: str | None) -> Settings:
    """Read the configuration chosen on the command line or by $D9_CONFIG."""
    return load_settings(config)


def run_for(settings: Settings) -> Run:
    """A command's run: now, in the team's time zone, validated with the Polars executor."""
    return Run(settings, datetime.now(HELSINKI), Validator.POLARS)


def as_of_for(period: str | None, as_of: date | None, run: Run) -> date:
    """The as-of date of a query: --as-of, else the end of --period, else the last half-year
    ended (at most the programme deadline's; when clamped, one line on stderr says so)."""
    deadline, language = run.settings.programme.deadline, run.settings.report.language
    if notice := default_period_notice(period, as_of, run.today, deadline, language):
        print(notice, file=sys.stderr)
    return resolve_as_of(period, as_of, run.today, deadline, run.settings.programme.start)


def check(settings: Settings) -> int:
    """Load and validate every source; print findings grouped by sheet; 1 if any blocks.

    When only the state cannot be written, the findings are still printed before the error.
    """
    from flows import jobs
    from tasks.statedb import open_store
    from tasks.validate import ResultNotStored
    from tasks.validate.quality import format_findings_text

    try:
        report, unstored = jobs.check(run_for(settings), open_store(settings)).validation, None
    except ResultNotStored as exc:
        report, unstored = exc.report, exc
    print(format_findings_text(report.findings))
    if unstored is not None:
        raise unstored
    return 1 if report.blocking else 0


def indicators(settings: Settings, *, period: str | None, as_of: date | None, fmt: str) -> int:
    """Validate, compute the indicators as of a date, store them in history and print them."""
    from flows import jobs
    from tasks.statedb import open_store

    run = run_for(settings)
    [result] = jobs.indicators(run, open_store(settings), [as_of_for(period, as_of, run)])
    if fmt == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_table(result, colour=sys.stdout.isatty()))
    return 0


def site(
    settings: Settings,
    out: Path,
    *,
    period: str | None,
    as_of: date | None,
    language: str | None,
) -> int:
    """Validate, compute the figures as of a date and write the site into `out`; say where."""
    from flows import jobs
    from tasks.statedb import open_store

    run = run_for(settings)
    when = as_of_for(period, as_of, run)
    lang = language or settings.site.language or settings.report.language
    folder = jobs.site(run, open_store(settings), when, lang, out)
    print(f"{folder / 'index.html'}")
    return 0


def report(settings: Settings, ask: ReportAsk, *, debug: bool = False) -> int:
    """Run the report once, now, without the approval step; print what it did."""
    outcome = run_report(settings, ask, debug=debug)
    print(outcome.summary)
    return outcome.exit_code


def run_report(settings: Settings, ask: ReportAsk, *, debug: bool = False) -> ReportOutcome:
    """Run the report pipeline: as the Prefect flow when PREFECT_API_URL is set, else plainly."""
    api = os.environ.get("PREFECT_API_URL", "").strip()
    if not api:
        return report_without_prefect(settings, ask)
    with _prefect_api(api):
        from flows.report import report_flow

        if not debug:  # after the import: Prefect sets up its console handler when it loads
            _hide_tracebacks_on_console()
        state = report_flow(
            period=ask.period,
            as_of=ask.as_of,
            language=ask.language,
            to=list(ask.to),
            dry_run=ask.dry_run,
            force=ask.force,
            require_approval=False,
            config=str(settings.config_path),
            from_history=ask.from_history,
            return_state=True,
        )
        # A run in doubt ends Failed (not green) but still carries its outcome (exit 4).
        result = state.result(raise_on_failure=False)
        if isinstance(result, BaseException):
            raise result
        return cast("ReportOutcome", result)


def report_without_prefect(settings: Settings, ask: ReportAsk) -> ReportOutcome:
    """The report pipeline as plain calls; a failure mails the team lead, as the flow's hook."""
    from flows import pipeline
    from flows.hooks import failure_kind, failure_reason, notify_failure
    from schemas.request import RunFailure
    from tasks.statedb import open_store

    request = report_request(ask, run_for(settings))
    if request.notice:
        print(request.notice)
    try:
        return pipeline.report(request, open_store(settings))
    except Exception as exc:  # told, then raised again: the command line prints its one line
        if not ask.dry_run:
            reason = failure_reason(exc, "", request.language)
            failure = RunFailure(pipeline.FLOW_NAME, pipeline.LOCAL_RUN, reason, failure_kind(exc))
            with suppress(D9Error):  # logged there; the run's own error is the one to exit with
                notify_failure(failure, settings)
        raise


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
        raise PrefectUnavailable(
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
        run_report(settings, ReportAsk(period=earlier, dry_run=True))
    outcome = run_report(settings, ReportAsk(period="2018H1", force=True))
    print(outcome.summary)
    if outcome.indicators is not None:
        print()
        print(format_table(outcome.indicators, colour=sys.stdout.isatty()))
    print(
        f"\nOutbox (.html for a browser, .eml for a mail client): {settings.state_dir / 'outbox'}"
    )
    return outcome.exit_code


def migrate_state(settings: Settings, url: str) -> int:
    """Copy the state folder's SQLite state into the PostgreSQL database at `url`."""
    from schemas.settings import database_url_problem
    from tasks.statedb import Store, database_engine
    from tasks.statedb.migrate import MIGRATED, migrate, pending

    if problem := database_url_problem(url):
        raise ConfigError(f"--to: {problem}")
    folder = settings.state_dir
    if not pending(folder) and (folder / f"state.sqlite{MIGRATED}").exists():
        print(f"nothing to copy: {folder / 'state.sqlite'} was already copied (*{MIGRATED})")
        return 0
    done = migrate(folder, Store(folder, database_engine(url, settings.database_password())))
    counts = ", ".join(f"{t} {done.added[t]} of {n}" for t, n in done.found.items())
    print(
        f"copied {done.source} to {done.target} (new rows: {counts}); the file is now "
        f'{done.source}{MIGRATED}; set [state] database_url = "{url}" in {settings.config_path}'
    )
    return 0
