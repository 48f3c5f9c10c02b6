"""The other jobs' pipelines, each read as its table of contents: the nightly data-quality
check, `d9 check`, the indicators of some dates, and similar engagements. Called by the flows
and by the command line; each stage runs through `step` (a Prefect task inside a flow run).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flows import artifacts, doubt, messages
from flows.check_outcome import CheckOutcome, nudges_of
from flows.run import in_flow_run, step, step_retried
from schemas.errors import ValidationFailed
from schemas.export import HalfYear
from schemas.findings import Finding, ValidationReport
from schemas.periods import parse_period, period_containing, previous_period
from schemas.report import ReportContext
from schemas.request import ReportKind, Run
from schemas.results import Indicators
from schemas.settings import Settings
from schemas.similar import SimilarResult
from schemas.site import SiteContext
from schemas.tables import Inputs, LoadedTable
from tasks import history, similar
from tasks.deliver import mailer_for
from tasks.deliver.dispatch import orphaned
from tasks.deliver.ledger import open_claims
from tasks.indicators import compute_indicators
from tasks.load import load_inputs, load_register
from tasks.report import build_view, counted_findings
from tasks.report.site import publish, render_site
from tasks.statedb import Store
from tasks.validate import (
    ResultNotStored,
    previous_findings,
    remember_findings,
    validate_cached,
)
from tasks.validate.quality import blocking_summary, changed_owners

DATA_DOCS = "data-docs"  # the Data Docs' folder in the state folder
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checked:
    """A validation of the spreadsheets, and the inputs it read."""

    inputs: Inputs
    validation: ValidationReport


def nightly_check(run: Run, store: Store, notify: bool = True) -> CheckOutcome:
    """Validate the spreadsheets, keep the findings, and nudge the people who keep them.

    Owners are mailed their own findings when those changed since the last night; the team
    lead gets a summary naming who was nudged, with the engagements new since last night and
    their three most similar past ones (sent for those alone when the findings did not change).
    """
    settings = run.settings
    inputs = step_retried("load spreadsheets", load_inputs, settings)
    docs = store.folder / DATA_DOCS
    validation = step("validate", validate_cached, inputs, run, store, docs)
    findings = validation.findings
    owners = step("whose findings changed", _changed_owners, findings, settings, store)
    changed = step("write findings", remember_findings, store, findings, run.now)
    if in_flow_run():
        _publish_findings(findings, docs, settings)
    if settings.site.dir.strip():
        folder = Path(settings.resolve(settings.site.dir))
        _nightly_site(Checked(inputs, validation), run, store, folder)
    if not notify:
        return CheckOutcome.of(validation, changed, (), notify=False)
    newcomers = step("new engagements and their likes", _newcomers, inputs, store)
    nudged: tuple[str, ...] = ()
    if changed or newcomers:
        who = owners if changed else ()
        nudged = step("nudge owners", _nudge, findings, settings, newcomers, who)
    else:
        log.info("no changes since last night: nobody nudged")
    step("remember engagement ids", _remember_ids, inputs, store, run)
    step("sweep the delivery ledger", sweep_in_doubt, store, run)
    lead = settings.report.team_lead
    sent = nudges_of(findings, nudged, lead, len(newcomers)) if changed or newcomers else ()
    return CheckOutcome.of(validation, changed, nudged, sent)


def _publish_findings(findings: tuple[Finding, ...], docs: Path, settings: Settings) -> None:
    """The night's findings and a link to its Data Docs, as artifacts of the run."""
    index = docs / "index.html"
    key = artifacts.NIGHTLY_FINDINGS
    step("publish findings", artifacts.publish_findings, findings, key, str(index))
    if index.is_file():
        url = settings.data_docs.url
        step("publish Data Docs link", artifacts.publish_data_docs_link, index, url, "d9-data-docs")


def sweep_in_doubt(store: Store, run: Run) -> str:
    """Tell the team lead of report deliveries left in doubt (a run killed mid-send) that no
    later run has met yet: the nightly check is the sweep of a machine without Prefect's
    run-end trigger. Once per claim, as everywhere."""
    orphans = [c for c in open_claims(store) if c.kind != "run-end" and orphaned(c, run.now)]
    return doubt.tell(orphans, store, run.settings, run.now).note() if orphans else ""


def check(run: Run, store: Store) -> Checked:
    """`d9 check`: load and validate every source (the result is kept for reuse)."""
    inputs = step_retried("load spreadsheets", load_inputs, run.settings)
    return Checked(inputs, step("validate", validate_cached, inputs, run, store))


def _validated(run: Run, store: Store) -> Checked:
    """Load and validate for the figures: blocking findings stop them, and so does the state."""
    try:
        checked = check(run, store)
    except ResultNotStored as exc:  # the figures are stored in the same state: say its error
        raise exc.cause from None
    if checked.validation.blocking:
        raise ValidationFailed(blocking_summary(checked.validation.blocking))
    return checked


def indicators(run: Run, store: Store, dates: Sequence[date]) -> list[Indicators]:
    """Validate once, then compute and store the indicators as of each date; blocking stops it.

    They are stored as ad-hoc queries (`ReportKind.INDICATORS`), never shown in a trend.
    """
    frames = _validated(run, store).inputs.frames()
    results = [compute_indicators(frames, as_of, run.settings) for as_of in dates]
    for result in results:
        history.record(store, result, ReportKind.INDICATORS, run.now)
    return results


def export(run: Run, store: Store, periods: Sequence[str]) -> list[HalfYear]:
    """Each half-year's indicators computed now (validated once; blocking stops it), beside the
    values its report sent, if one was sent."""
    frames = _validated(run, store).inputs.frames()
    computed = [compute_indicators(frames, parse_period(p), run.settings) for p in periods]
    return [HalfYear(p, r, _reported(store, r)) for p, r in zip(periods, computed, strict=True)]


def _reported(store: Store, result: Indicators) -> dict[str, float | int | None]:
    """The values the report of the result's half-year sent, by indicator (none if not sent)."""
    sent = history.stored(store, result.as_of, (ReportKind.REPORT,))
    return {} if sent is None else {i: r.value for i, r in sent.indicators.results.items()}


def similar_to_text(settings: Settings, text: str, top: int) -> SimilarResult:
    """The engagements of the register most like a description."""
    register = step_retried("load the register", load_register, settings)
    return step("find similar engagements", _rank_text, register, text, top)


def _rank_text(register: LoadedTable, text: str, top: int) -> SimilarResult:
    return similar.similar_to_text(register.frame, text, top)


def _changed_owners(
    findings: tuple[Finding, ...], settings: Settings, store: Store
) -> tuple[str, ...]:
    """Owners whose own findings differ from those kept last night."""
    return changed_owners(findings, previous_findings(store), settings.report.team_lead)


def _newcomers(inputs: Inputs, store: Store) -> tuple[SimilarResult, ...]:
    """The engagements new since the previous night, each with its three most similar past ones."""
    frame = inputs.engagements.frame
    new = similar.new_engagement_ids(store, frame["engagement_id"].drop_nulls())
    return similar.similar_past(frame, new, 3)


def _remember_ids(inputs: Inputs, store: Store, run: Run) -> None:
    ids = inputs.engagements.frame["engagement_id"].drop_nulls()
    similar.remember_engagement_ids(store, ids, run.now)


def _nudge(
    findings: tuple[Finding, ...],
    settings: Settings,
    newcomers: tuple[SimilarResult, ...],
    owners: tuple[str, ...],
) -> tuple[str, ...]:
    """Mail `owners` their own findings and the team lead a summary; return who was nudged."""
    mailer = mailer_for(settings)
    for message in messages.nudge_messages(findings, settings, newcomers, owners):
        mailer.send(message)
    log.info("nudged: %s", ", ".join(owners) or "nobody")
    return owners


def site(run: Run, store: Store, as_of: date, language: str, out: Path) -> Path:
    """`d9 site`: validate (blocking findings stop it), then write the site as of a date."""
    return write_site(_validated(run, store), run, store, as_of, language, out)


def write_site(
    checked: Checked, run: Run, store: Store, as_of: date, language: str, out: Path
) -> Path:
    """The live situation picture of validated inputs as of a date, swapped into `out` whole.

    The figures are `d9 indicators`' and the report's for the date; the half-year switch shows
    what the reports recorded (history); the findings are those of the same validation.
    """
    settings = run.settings
    frames = checked.inputs.frames()
    result = step("compute indicators", compute_indicators, frames, as_of, settings)
    warnings = checked.validation.warnings
    counted = step("count findings on the rows used", counted_findings, result, warnings)
    trends = step("read trends", history.reported_trends, store, result)
    reported = step("read reported half-years", reported_half_years, store, as_of, settings)
    context = ReportContext(
        indicators=result,
        generated_at=run.now,
        trends=trends,
        warnings=counted,
        language=language,
        programme_start=settings.programme.start,
        programme_deadline=settings.programme.deadline,
        contact=settings.report.team_lead,
    )
    view = step("build report view", build_view, context)
    page = SiteContext(
        view,
        result,
        reported,
        checked.inputs.engagements.frame,
        checked.validation.findings,
        settings.report.team_lead,
        settings.report.language,  # the findings' sentences are in the report's language
    )
    files = step("render site", render_site, page)
    return step("publish site", publish, out, files)


def _nightly_site(checked: Checked, run: Run, store: Store, folder: Path) -> None:
    """Rewrite the site as of today (within the programme); blocking findings keep the old one."""
    settings = run.settings
    if checked.validation.blocking:
        log.warning("site not rewritten: %d blocking findings", len(checked.validation.blocking))
        written = None
    else:
        start, deadline = settings.programme.start, settings.programme.deadline
        as_of = min(max(run.today, start), deadline)
        language = settings.site.language or settings.report.language
        written = write_site(checked, run, store, as_of, language, folder)
    if in_flow_run():
        where = (written, folder, settings.site.base_url, settings.report.language)
        step("publish site link", artifacts.publish_site, *where)


def reported_half_years(store: Store, as_of: date, settings: Settings) -> tuple[Indicators, ...]:
    """Each half-year up to the as-of date's as its report recorded it, oldest first."""
    found, period = [], period_containing(as_of)
    while parse_period(period) >= settings.programme.start:
        if parse_period(period) <= as_of:
            sent = history.stored(store, parse_period(period), (ReportKind.REPORT,))
            if sent is not None:
                found.append(sent.indicators)
        period = previous_period(period)
    return tuple(reversed(found))
