"""Configuration: one TOML file and the environment, read once into a typed, frozen object.

Nothing else in the code base reads the environment or the config file. Secrets are resolved
when the settings are loaded (the environment variables named in the file) and kept as
`SecretStr` outside every field, dump and repr; a Prefect Secret block is read on demand.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Literal, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    model_validator,
)

from schemas.assumptions import Assumptions
from schemas.config_checks import Address, database_url_problem
from schemas.errors import ConfigError, first_problem
from schemas.resources import bundled_config
from schemas.site import SiteSettings

DEFAULT_CONFIG = bundled_config()
CONFIG_ENV = "D9_CONFIG"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Section):
    """Where one dataset is read from."""

    path: str = "seuranta.xlsx"  # relative to the config file, absolute, or https:// URL
    sheet: str = ""  # "" = the dataset's default sheet


class AgencySurveySource(Source):
    metrics: tuple[str, ...] = (
        "Kokonaistyytyväisyys",
        "Asiantuntemus",
        "Yhteistyön sujuvuus",
        "Hyödyllisyys",
    )


class Sources(_Section):
    engagements: Source = Source(sheet="Toimeksiannot")
    feedback: Source = Source(sheet="Palaute")
    agency_survey: AgencySurveySource = AgencySurveySource(sheet="Asiakastyytyväisyys")
    principles: Source = Source(sheet="Digiperiaatteet")


class Programme(_Section):
    start: date = date(2016, 9, 8)
    deadline: date = date(2018, 12, 31)

    @model_validator(mode="after")
    def _deadline_after_start(self) -> Programme:
        if self.deadline <= self.start:
            raise ValueError("deadline must be after start")
        return self


class Threshold(_Section):
    """Traffic-light thresholds of a mean on a 1-5 scale."""

    green: float = 4.0
    yellow: float = 3.5


class Targets(_Section):
    engagements_completed: int = Field(50, ge=1)
    branches: int = Field(12, ge=1, le=12)
    share_yellow: float = Field(0.9, ge=0, le=1)  # effects described, life path & ecosystem
    principles_yellow: float = Field(0.8, ge=0, le=1)
    quick_satisfaction: Threshold = Threshold()


class AgencySurvey(_Section):
    """Traffic-light thresholds per survey metric; `default` applies to unlisted metrics."""

    default: Threshold = Threshold()
    thresholds: dict[str, Threshold] = {}

    def threshold(self, metric: str) -> Threshold:
        return self.thresholds.get(metric, self.default)


class Report(_Section):
    to: tuple[Address, ...] = ("seurantaryhma@example.org",)
    language: Literal["fi", "en"] = "fi"
    team_lead: Address = "tiimivetaja@example.org"
    sender: Address = "d9-raportti@example.org"
    sender_name: str = "D9-tiimi"  # display name in From; replies go to team_lead
    approval_timeout_hours: float = Field(72, gt=0)
    approval_default: Literal["send", "hold"] = "hold"
    commentary: str = ""  # the team lead's review (a Markdown file), relative to this file


class Owners(_Section):
    """Who keeps each dataset (gets data-quality nudges for rows without their own owner)."""

    engagements: str = ""
    feedback: str = ""
    agency_survey: str = ""
    principles: str = ""


class Smtp(_Section):
    host: str = ""  # empty: messages go to the outbox folder
    port: int = Field(587, ge=1, le=65535)
    user: str = ""
    security: Literal["starttls", "ssl", "none"] = "starttls"
    timeout_seconds: float = Field(30, gt=0)
    attempts: int = Field(3, ge=1, le=10)  # tries for a transient failure (4xx, dropped connection)
    backoff_seconds: float = Field(5.0, ge=0)  # wait after try n: backoff * 2**(n-1)
    password_env: str = "D9_SMTP_PASSWORD"
    password_block: str = ""  # name of a Prefect Secret block, used when the env var is unset
    verify_certificate: bool = True
    cafile: str = ""  # extra CA bundle (PEM) for an internal mail server, relative to the config


class Http(_Section):
    timeout_seconds: float = Field(30, gt=0)
    max_bytes: int = Field(50_000_000, gt=0)
    token_env: str = "D9_HTTP_TOKEN"  # bearer token for https sources, if set


class State(_Section):
    dir: str = "state"  # previews, outbox and Data Docs; also the SQLite files without database_url
    # "postgresql://user@host:port/db": history, ledger and findings shared by several workers.
    database_url: str = ""
    password_env: str = "D9_DATABASE_PASSWORD"
    password_block: str = ""  # name of a Prefect Secret block, used when the env var is unset

    @model_validator(mode="after")
    def _url_without_password(self) -> State:
        if problem := database_url_problem(self.database_url):
            raise ValueError(problem)
        return self


class Limits(_Section):
    """Bounds on what a source may cost to open (zip bombs)."""

    max_uncompressed_bytes: int = Field(200_000_000, gt=0)  # a workbook's declared inflated size
    max_compression_ratio: float = Field(200, gt=1)  # per part of the archive above 1 MB


class DataDocs(_Section):
    keep_nights: int = Field(30, ge=1)  # validation pages kept per suite (one run a night)
    url: str = ""  # where readers open the published folder (https://, file://); "" = worker's


class Settings(_Section):
    """Everything d9 needs to know, resolved once at the edge."""

    config_path: Path = DEFAULT_CONFIG
    programme: Programme = Programme()
    targets: Targets = Targets()
    agency_survey: AgencySurvey = AgencySurvey()
    assumptions: Assumptions = Assumptions()
    sources: Sources = Sources()
    report: Report = Report()
    owners: Owners = Owners()
    smtp: Smtp = Smtp()
    http: Http = Http()
    state: State = State()
    data_docs: DataDocs = DataDocs()
    limits: Limits = Limits()
    site: SiteSettings = SiteSettings()
    # Secrets read from the environment at load time: never a field, so never dumped or shown.
    _smtp_password: SecretStr | None = PrivateAttr(default=None)
    _http_token: SecretStr | None = PrivateAttr(default=None)
    _database_password: SecretStr | None = PrivateAttr(default=None)

    @property
    def base_dir(self) -> Path:
        return self.config_path.parent

    def resolve(self, path: str) -> str:
        """Resolve a source path against the config file's folder; URLs pass through."""
        if path.startswith(("https://", "http://")):
            return path
        p = Path(path).expanduser()
        return str(p if p.is_absolute() else (self.base_dir / p).resolve())

    @property
    def state_dir(self) -> Path:
        return Path(self.resolve(self.state.dir))

    def smtp_password(self) -> SecretStr | None:
        """The SMTP password from the environment or a Prefect Secret block; None if neither."""
        if self._smtp_password is not None:
            return self._smtp_password
        return _secret_block(self.smtp.password_block) if self.smtp.password_block else None

    def database_password(self) -> SecretStr | None:
        """The state database's password from the environment or a Prefect Secret block."""
        if self._database_password is not None:
            return self._database_password
        return _secret_block(self.state.password_block) if self.state.password_block else None

    def http_token(self) -> SecretStr | None:
        """The bearer token for https sources, from the environment; None if unset."""
        return self._http_token


def _secret_block(name: str) -> SecretStr:
    from prefect.blocks.system import Secret  # only when a block is configured

    try:
        return SecretStr(str(cast(Secret, Secret.load(name)).get()))
    except Exception as exc:  # noqa: BLE001 - any failure to load is a config problem
        raise ConfigError(
            f"cannot load Prefect Secret block '{name}' ({type(exc).__name__})"
        ) from None


def config_path(explicit: str | Path | None, environ: Mapping[str, str]) -> Path:
    """Pick the config file: --config, then $D9_CONFIG, then the bundled default."""
    chosen = explicit or environ.get(CONFIG_ENV) or DEFAULT_CONFIG
    return Path(chosen).expanduser().resolve()


def load_settings(
    explicit: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Read the config file and the environment into `Settings`, or raise one-line ConfigError.

    The bundled file sits in the installed package, not the user's folder: its `[state] dir`
    is relative to the working directory `cwd` instead.
    """
    env = dict(os.environ if environ is None else environ)
    path = config_path(explicit, env)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("configuration file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read configuration ({exc.__class__.__name__})", file=str(path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=str(path)) from None
    try:
        settings = Settings.model_validate({**raw, "config_path": path})
    except ValidationError as exc:
        raise ConfigError(first_problem(exc), file=str(path)) from None
    if path == DEFAULT_CONFIG:
        settings = _state_under(settings, Path.cwd() if cwd is None else cwd)
    settings._smtp_password = _secret(env, settings.smtp.password_env)
    settings._http_token = _secret(env, settings.http.token_env)
    settings._database_password = _secret(env, settings.state.password_env)
    return settings


def demo_settings(
    config: str | Path | None, cwd: Path, environ: Mapping[str, str] | None = None
) -> Settings:
    """`d9 demo`'s settings: `config`'s, else the bundled sample's with its state in `cwd`."""
    # Never $D9_CONFIG's: on a machine set up for real reports it names the real recipients.
    return load_settings(DEFAULT_CONFIG if config is None else config, environ, cwd)


def _state_under(settings: Settings, folder: Path) -> Settings:
    """The same settings with a relative `[state] dir` taken relative to `folder`."""
    where = folder.resolve() / Path(settings.state.dir).expanduser()  # an absolute dir stays
    state = settings.state.model_copy(update={"dir": str(where)})
    return settings.model_copy(update={"state": state})


def _secret(environ: Mapping[str, str], name: str) -> SecretStr | None:
    value = environ.get(name)
    return SecretStr(value) if value else None
