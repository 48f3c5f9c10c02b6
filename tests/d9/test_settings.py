"""Configuration: one TOML file into typed settings with defaults; bad config is one ConfigError.

Contract: every key has a default; paths resolve against the config file's folder (except the
bundled file's state folder, which is the working directory's: the package's folder is not the
user's); `--config` beats `$D9_CONFIG` beats the bundled file; secrets come only from the
environment. `d9 demo` runs on its `--config` or the bundled file, never on `$D9_CONFIG`.
"""

from datetime import date
from pathlib import Path

import pytest

from schemas.errors import ConfigError
from schemas.resources import sample_workbook
from schemas.settings import DEFAULT_CONFIG, Settings, demo_settings, load_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "d9.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_empty_file_gives_every_default(tmp_path: Path) -> None:
    s = load_settings(_write(tmp_path, ""), environ={})
    assert s.programme.start == date(2016, 9, 8)
    assert s.programme.deadline == date(2018, 12, 31)
    assert s.targets.engagements_completed == 50
    assert s.targets.quick_satisfaction.green == 4.0
    assert s.agency_survey.threshold("Asiantuntemus").yellow == 3.5
    assert s.report.language == "fi"
    assert s.smtp.host == ""
    assert s.sources.feedback.sheet == "Palaute"


def test_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    text = '[sources.engagements]\npath = "sub/seuranta.xlsx"\n[state]\ndir = "st"\n'
    s = load_settings(_write(tmp_path, text), environ={})
    assert s.resolve(s.sources.engagements.path) == str(tmp_path / "sub" / "seuranta.xlsx")
    assert s.state_dir == tmp_path / "st"
    assert s.resolve("https://example.org/x.xlsx") == "https://example.org/x.xlsx"


def test_fixed_keys_of_the_design_are_read(tmp_path: Path) -> None:
    text = """
[sources.feedback]
path = "palaute.csv"
sheet = "Vastaukset"
[report]
to = ["a@example.org", "b@example.org"]
language = "en"
[smtp]
host = "127.0.0.1"
port = 2525
user = "d9"
security = "none"
[state]
dir = "/tmp/d9-state"
[agency_survey.thresholds.Asiantuntemus]
green = 4.2
yellow = 3.8
"""
    s = load_settings(_write(tmp_path, text), environ={})
    assert s.sources.feedback.sheet == "Vastaukset"
    assert s.report.to == ("a@example.org", "b@example.org")
    assert (s.smtp.host, s.smtp.port, s.smtp.user, s.smtp.security) == (
        "127.0.0.1",
        2525,
        "d9",
        "none",
    )
    assert s.state_dir == Path("/tmp/d9-state")
    assert s.agency_survey.threshold("Asiantuntemus").green == 4.2
    assert s.agency_survey.threshold("Hyödyllisyys").green == 4.0


def test_config_choice_order(tmp_path: Path) -> None:
    env_file = _write(tmp_path, '[report]\nlanguage = "en"\n')
    assert load_settings(None, environ={"D9_CONFIG": str(env_file)}).report.language == "en"
    assert load_settings(None, environ={}).config_path == DEFAULT_CONFIG
    other = tmp_path / "other.toml"
    other.write_text("", encoding="utf-8")
    assert load_settings(other, environ={"D9_CONFIG": str(env_file)}).config_path == other


def test_password_comes_from_the_environment_and_stays_out_of_repr(tmp_path: Path) -> None:
    s = load_settings(_write(tmp_path, ""), environ={"D9_SMTP_PASSWORD": "hunter2-secret"})
    password = s.smtp_password()
    assert password is not None and password.get_secret_value() == "hunter2-secret"
    assert "hunter2-secret" not in repr(s)
    assert "hunter2-secret" not in str(password)
    assert load_settings(_write(tmp_path, ""), environ={}).smtp_password() is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[smtp]\nport = 'x'\n", "[smtp] port", id="wrong-type"),
        pytest.param(
            "[smtp]\npassword = 'p'\n", "unknown key [smtp] password", id="secret-in-file"
        ),
        pytest.param("[colours]\nred = 1\n", "unknown key colours", id="unknown-section"),
        pytest.param("[report]\nlanguage = 'de'\n", "[report] language", id="bad-choice"),
        pytest.param(
            "[programme]\nstart = 2019-01-01\n", "deadline must be after start", id="dates"
        ),
        pytest.param("x = \n", "not valid TOML", id="syntax"),
        pytest.param(
            '[report]\nteam_lead = "lead@example.org\\nBcc: all@example.org"\n',
            "[report] team_lead: not an email address (got 'lead@example.org\\nBcc: all@ex",
            id="header-injection-in-team-lead",
        ),
        pytest.param(
            '[report]\nto = ["sg@example.org", "sg2@example.org, x@example.org"]\n',
            "[report.to] 1: not an email address (got 'sg2@example.org, x@example.org')",
            id="two-addresses-in-one-recipient",
        ),
        pytest.param(
            '[report]\nsender = "d9 raportti"\n',
            "[report] sender: not an email address (got 'd9 raportti')",
            id="bad-sender",
        ),
    ],
)
def test_bad_config_is_one_line_config_error(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    message = str(info.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message
    assert info.value.exit_code == 2


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_the_example_configuration_is_valid_and_says_what_it_promises() -> None:
    example = load_settings(DEFAULT_CONFIG.with_name("d9.example.toml"), environ={})
    assert example.smtp.host == "smtp.example.org" and example.smtp.security == "starttls"
    assert example.report.approval_default == "hold"
    assert example.report.approval_timeout_hours == 72
    assert example.data_docs.keep_nights == 30
    assert "d9.example.toml" in DEFAULT_CONFIG.read_text(encoding="utf-8")


def test_approval_time_may_be_a_fraction_of_an_hour(tmp_path: Path) -> None:
    config = tmp_path / "d9.toml"
    config.write_text("[report]\napproval_timeout_hours = 0.004\n", encoding="utf-8")
    assert load_settings(config, environ={}).report.approval_timeout_hours == 0.004


SECRETS = {
    "D9_SMTP_PASSWORD": "smtp-pw",
    "D9_HTTP_TOKEN": "http-tok",
    "D9_DATABASE_PASSWORD": "db-pw",
}


def _secrets(s: Settings) -> tuple[str | None, ...]:
    found = (s.smtp_password(), s.http_token(), s.database_password())
    return tuple(None if f is None else f.get_secret_value() for f in found)


def test_the_bundled_configuration_keeps_its_state_in_the_working_directory(
    tmp_path: Path,
) -> None:
    s = load_settings(None, environ=SECRETS, cwd=tmp_path)
    assert s.config_path == DEFAULT_CONFIG
    assert s.state_dir == tmp_path / "state"
    assert s.resolve(s.sources.engagements.path) == str(sample_workbook())
    assert _secrets(s) == ("smtp-pw", "http-tok", "db-pw")


def test_an_own_configuration_keeps_its_state_beside_it_wherever_it_runs(tmp_path: Path) -> None:
    config = _write(tmp_path, '[state]\ndir = "st"\n')
    assert load_settings(config, environ={}, cwd=tmp_path / "elsewhere").state_dir == (
        tmp_path / "st"
    )


def test_demo_runs_on_the_bundled_sample_with_its_state_in_the_working_directory(
    tmp_path: Path,
) -> None:
    real = _write(tmp_path, '[report]\nto = ["real@example.org"]\n')
    s = demo_settings(None, tmp_path / "here", environ={**SECRETS, "D9_CONFIG": str(real)})
    assert s.config_path == DEFAULT_CONFIG and s.report.to == ("seurantaryhma@example.org",)
    assert s.state_dir == tmp_path / "here" / "state"
    assert s.resolve(s.sources.feedback.path) == str(sample_workbook())
    assert _secrets(s) == ("smtp-pw", "http-tok", "db-pw")
    assert "smtp-pw" not in repr(s)


def test_demo_with_a_config_honours_its_sources_and_state(tmp_path: Path) -> None:
    text = '[sources.engagements]\npath = "oma.xlsx"\n[state]\ndir = "/srv/d9-state"\n'
    s = demo_settings(_write(tmp_path, text), tmp_path / "here", environ=SECRETS)
    assert s.resolve(s.sources.engagements.path) == str(tmp_path / "oma.xlsx")
    assert s.state_dir == Path("/srv/d9-state")
    assert _secrets(s) == ("smtp-pw", "http-tok", "db-pw")


def test_a_bad_team_lead_stops_d9_check_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from d9.cli import main

    path = _write(tmp_path, '[report]\nteam_lead = "lead@example.org\\nBcc: x@example.org"\n')
    assert main(["check", "--config", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "[report] team_lead: not an email address" in err
    assert not (tmp_path / "state").exists()
