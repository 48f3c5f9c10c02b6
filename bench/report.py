"""Turn the benchmark results (the JSON written to `results.json`) into Markdown tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LABELS = {
    "fastexcel": "fastexcel floor: read every sheet as text",
    "load": "load (`load_inputs`)",
    "validate": "validate (`validate`, GX imported)",
    "validate_polars": "validate (`validate`, Polars executor)",
    "indicators": "indicators (`compute_indicators`)",
    "render": "render (`build_view` + `render_mail`: charts, HTML, text)",
    "pdf": "pdf (`render_pdf`: WeasyPrint, A4)",
    "appendix": "appendix (`build_appendix`: XLSX rows)",
    "site": "site (`render_site` + `publish`: page, data files, folder swapped in)",
    "site_page": "site page in Chromium: navigation to interactive, first open",
    "baseline": "pandas + openpyxl baseline (`compute`)",
    "d9_indicators_cold": "`d9 indicators --format json`, cold (fresh state)",
    "d9_indicators_warm": "`d9 indicators --format json`, warm (validation cached)",
    "d9_check_cold": "`d9 check`, cold (fresh state)",
    "d9_report_dry_run_cold": "`d9 report --dry-run`, cold (fresh state)",
    "d9_report_dry_run": "`d9 report --dry-run`, warm (validation cached)",
    "baseline_script": "`python -m bench.baseline_pandas` (whole script)",
}


def size_label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def _cell(summary: Mapping[str, Any]) -> str:
    if summary.get("median") is None:
        return f"n/a ({summary.get('error', '')})".replace("|", "/")
    text = f"{summary['median']:.2f} s"
    if summary["runs"] > 1:
        text += f" ({summary['min']:.2f}–{summary['max']:.2f})"
    return f"{text} · {summary['rss_mb']:.0f} MB"


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "n/a"
    return f"{numerator / denominator:.1f}×"


def _get(size: Mapping[str, Any], key: str, field: str = "median") -> float | None:
    value = size.get("measurements", {}).get(key, {}).get(field)
    return float(value) if value is not None else None


def ratios(size: Mapping[str, Any]) -> dict[str, str]:
    """The comparisons the README quotes, for one size."""
    return {
        "baseline / d9 indicators (cold)": _ratio(
            _get(size, "baseline", "wall_median"), _get(size, "d9_indicators_cold")
        ),
        "baseline / d9 indicators (cached validation)": _ratio(
            _get(size, "baseline", "wall_median"), _get(size, "d9_indicators_warm")
        ),
        "load / fastexcel floor (in-process)": _ratio(_get(size, "load"), _get(size, "fastexcel")),
        "d9 indicators (cached) / fastexcel floor (whole process)": _ratio(
            _get(size, "d9_indicators_warm"), _get(size, "fastexcel", "wall_median")
        ),
    }


def markdown(results: Mapping[str, Any]) -> str:
    """Render the stage table, the ratios and the import costs as Markdown."""
    sizes = results["sizes"]
    names = [size_label(int(n)) for n in sizes]
    machine = results["machine"]
    lines = [
        f"Machine: {machine['nproc']} cores, Python {machine['python']}, {machine['platform']}; "
        f"median of up to {results['repeats']} runs, each in a fresh process "
        "(stage rows: the stage's own time, inputs prepared and libraries imported first; "
        "command rows: whole-process wall time). Range in brackets, then peak RSS.",
        "",
        "| step | " + " | ".join(f"{n} engagements" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    rows_line = ["workbook (rows: register / feedback / survey / principle cells)"]
    for size in sizes.values():
        rows = size.get("rows") or {}
        rows_line.append(" / ".join(str(rows.get(k, "?")) for k in rows) or "?")
    lines.append("| " + " | ".join(rows_line) + " |")
    for key, label in LABELS.items():
        if not any(key in s.get("measurements", {}) for s in sizes.values()):
            continue
        cells = [_cell(s["measurements"].get(key, {"error": "not run"})) for s in sizes.values()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "| ratio | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    table = [ratios(s) for s in sizes.values()]
    for key in table[0] if table else ():
        lines.append(f"| {key} | " + " | ".join(t[key] for t in table) + " |")
    lines += [
        "",
        "| import (fresh interpreter) | wall over bare start | -X importtime | modules |",
        "|---|---|---|---|",
    ]
    for cost in results.get("imports", []):
        if cost["error"]:
            lines.append(f"| `{cost['module']}` | n/a ({cost['error']}) | | |")
            continue
        cum = f"{cost['importtime']:.2f} s" if cost["importtime"] is not None else "n/a"
        lines.append(f"| `{cost['module']}` | {cost['wall']:.2f} s | {cum} | {cost['modules']} |")
    return "\n".join(lines)
