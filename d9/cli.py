"""The `d9` command: argument parsing and turning errors into one line and an exit code.

Heavy libraries (Polars, Great Expectations, Prefect) are imported inside the sub-commands
that need them, so `d9 --help` and usage errors answer at once.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from schemas.contract import EMAIL_ADDRESS
from schemas.errors import ConfigError, D9Error
from schemas.periods import parse_period
from schemas.request import ReportAsk

if TYPE_CHECKING:
    from schemas.settings import Settings


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="FILE",
        help="TOML configuration (default: $D9_CONFIG or the bundled data/d9.toml)",
    )
    common.add_argument("--debug", action="store_true", help="show tracebacks")

    when = argparse.ArgumentParser(add_help=False)
    group = when.add_mutually_exclusive_group()
    group.add_argument(
        "--period",
        metavar="YYYYH1|YYYYH2",
        help="half-year, e.g. 2018H1 (as of its last day)",
    )
    group.add_argument("--as-of", metavar="YYYY-MM-DD", type=_iso_date, help="any as-of date")

    parser = argparse.ArgumentParser(
        prog="d9",
        description="D9 situation reporting: indicators, data-quality checks, half-yearly report.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser(
        "demo", parents=[common], help="full report on the bundled sample data (to the outbox)"
    )

    report = sub.add_parser(
        "report", parents=[common, when], help="render and send the situation report"
    )
    report.add_argument(
        "--lang", choices=("fi", "en"), help="report language (default from config)"
    )
    report.add_argument(
        "--to",
        metavar="ADDR",
        action="append",
        help="recipient (repeatable); default from config",
    )
    report.add_argument("--dry-run", action="store_true", help="render everything, send nothing")
    report.add_argument(
        "--force", action="store_true", help="send even if this period was already sent"
    )
    report.add_argument(
        "--from-history",
        action="store_true",
        help="render what was reported for the period from the stored values (no spreadsheets)",
    )

    sub.add_parser(
        "check", parents=[common], help="the data-quality check of the shared spreadsheets"
    )

    ind = sub.add_parser("indicators", parents=[common, when], help="compute the indicators")
    ind.add_argument("--format", choices=("table", "json"), default="table")
    site = sub.add_parser(
        "site", parents=[common, when], help="write the live situation picture (a static site)"
    )
    site.add_argument("--out", required=True, metavar="DIR", help="folder to write the site into")
    site.add_argument("--lang", choices=("fi", "en"), help="page language (default from config)")
    _duty_parsers(sub, common)
    return parser


def _duty_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """`d9 similar` and `d9 export`: the team's own duties from the action plan."""
    similar = sub.add_parser(
        "similar", parents=[common], help="the most similar other engagements of the register"
    )
    similar.add_argument("engagement_id", nargs="?", metavar="ID", help="an engagement's Tunnus")
    similar.add_argument("--text", help="a description to compare instead of an engagement")
    similar.add_argument("--top", type=_positive, default=5, metavar="N", help="how many (5)")
    similar.add_argument("--format", choices=("table", "json"), default="table")
    export = sub.add_parser(
        "export", parents=[common], help="the evaluator's material: every half-year's figures"
    )
    export.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    state = sub.add_parser("state", help="the state database: history, ledger, findings")
    state_sub = state.add_subparsers(dest="action", required=True, metavar="ACTION")
    migrate = state_sub.add_parser(
        "migrate", parents=[common], help="copy the SQLite state into PostgreSQL (idempotent)"
    )
    migrate.add_argument(
        "--to",
        dest="url",
        required=True,
        metavar="URL",
        help="postgresql://user@host:port/db (no password)",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse a bad --period or --to at once, before any configuration, data or flow is read."""
    if getattr(args, "period", None) is not None:
        parse_period(args.period)
    for address in getattr(args, "to", None) or ():
        if not EMAIL_ADDRESS.fullmatch(address.strip()):
            raise ConfigError(f"--to: not an email address: {address!r}")


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service stop, a Prefect cancellation): handled like Ctrl-C."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `d9` command; return its exit code."""
    # SIGTERM stops the run like Ctrl-C: a claim not yet handed over is released, one handed
    # over is kept as "unsure" and the team lead told; never a silent exit 143.
    if threading.current_thread() is threading.main_thread():  # signals reach only that one
        signal.signal(signal.SIGTERM, _terminate)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage; its code 2 is ours too
        return int(exc.code or 0)
    try:
        _check_arguments(args)
        return _dispatch(args)
    except D9Error as exc:
        if args.debug:  # the traceback in addition; the exit code stays the documented one
            traceback.print_exc()
        print(f"d9: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        how = "stopped (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
        print(f"d9: {how}; nothing more was sent", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130


def _dispatch(args: argparse.Namespace) -> int:
    from d9 import commands  # Polars and friends load only past argument parsing

    if args.command == "demo":
        return commands.demo(args.config)
    settings = commands.settings_for(args.config)
    if args.command == "check":
        return commands.check(settings)
    if args.command == "indicators":
        return commands.indicators(settings, period=args.period, as_of=args.as_of, fmt=args.format)
    if args.command == "site":
        return commands.site(
            settings, Path(args.out), period=args.period, as_of=args.as_of, language=args.lang
        )
    if args.command in ("similar", "export"):
        return _duty(args, settings)
    if args.command == "report":
        return commands.report(settings, _report_ask(args), debug=args.debug)
    if args.command == "state":
        return commands.migrate_state(settings, args.url)
    raise ConfigError(f"unknown command {args.command!r}")


def _report_ask(args: argparse.Namespace) -> ReportAsk:
    return ReportAsk(
        period=args.period,
        as_of=args.as_of,
        language=args.lang,
        to=tuple(args.to or ()),
        dry_run=args.dry_run,
        force=args.force,
        from_history=args.from_history,
    )


def _duty(args: argparse.Namespace, settings: Settings) -> int:
    from d9 import duties

    if args.command == "export":
        return duties.export(settings, Path(args.out))
    if (args.engagement_id is None) == (args.text is None):
        raise ConfigError("d9 similar: give either an engagement id or --text, not both or neither")
    return duties.similar(
        settings, engagement_id=args.engagement_id, text=args.text, top=args.top, fmt=args.format
    )


if __name__ == "__main__":
    sys.exit(main())
