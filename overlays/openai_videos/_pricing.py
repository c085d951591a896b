"""What a job will cost before it is created: a dated rate table and ``estimate``. No I/O
beyond reading a rates file the user names.

Video servers bill per second of output, by model and resolution. The built-in rates are the
public list prices of November 2026, each with its date and source; prices change, resellers
charge more, and a gateway may front any model, so users add or override rates
(``RateTable.with_rates``, ``RateTable.from_file``, the CLI's ``--rate`` and ``--rates``).

An estimate is a ceiling to plan with, not a bill: a server that reports what it charged
(``usage`` fields) is recorded beside it by the batch runner.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ._errors import OpenAIVideosError

__all__ = [
    "DEFAULT_RATES",
    "BudgetExceeded",
    "Estimate",
    "Rate",
    "RateTable",
    "UnknownRate",
    "estimate",
    "parse_rate",
    "reported_cost",
    "resolution_tier",
]

SPEC_DEFAULTS = {"model": "sora-2", "seconds": "4", "size": "720x1280"}  # the spec's defaults
ANY_TIER = "*"
_TIERS = ((480, "480p"), (720, "720p"), (1024, "1024p"), (1080, "1080p"), (2160, "4k"))


class UnknownRate(OpenAIVideosError, LookupError):
    """No rate is known for a model at a resolution: nothing can be estimated or budgeted."""


class BudgetExceeded(OpenAIVideosError):
    """A job's estimate would pass the budget; nothing was sent."""


@attrs.frozen
class Rate:
    """The price of one second of output of ``model`` at ``tier`` (``"*"``: any resolution).

    Attributes:
        model: The model name as sent (a provider prefix such as ``gemini/`` is ignored).
        tier: ``"480p"``, ``"720p"``, ``"1024p"``, ``"1080p"``, ``"4k"`` or ``"*"``.
        usd_per_second: The price in US dollars.
        as_of: The date the price was read (ISO 8601).
        source: Where it was read: a public page, or ``"user"``.
    """

    model: str
    tier: str
    usd_per_second: float = attrs.field()
    as_of: str = ""
    source: str = "user"

    @usd_per_second.validator
    def _check(self, _: object, value: float) -> None:
        if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
            msg = f"a rate must be a finite number of USD >= 0, but received {value!r}"
            raise ValueError(msg)


_OPENAI = (
    "OpenAI pricing page (sora-2, sora-2-pro), as quoted in public notes; API removed 2026-09-24"
)
_VEO = "Gemini API pricing, as quoted by reapi.ai/ru/blog/cheapest-veo-3-1-api-2026"
DEFAULT_RATES: tuple[Rate, ...] = (
    Rate("sora-2", "720p", 0.10, "2026-09-01", _OPENAI),
    Rate("sora-2-pro", "720p", 0.30, "2026-09-01", _OPENAI),
    Rate("sora-2-pro", "1024p", 0.50, "2026-09-01", _OPENAI),
    Rate("sora-2-pro", "1080p", 0.70, "2026-09-01", _OPENAI),
    Rate("veo-3.1-generate-preview", "720p", 0.40, "2026-11-01", _VEO),
    Rate("veo-3.1-generate-preview", "1080p", 0.40, "2026-11-01", _VEO),
    Rate("veo-3.1-generate-preview", "4k", 0.60, "2026-11-01", _VEO),
    Rate("veo-3.1-fast-generate-preview", "720p", 0.10, "2026-11-01", _VEO),
    Rate("veo-3.1-fast-generate-preview", "1080p", 0.12, "2026-11-01", _VEO),
    Rate("veo-3.1-fast-generate-preview", "4k", 0.30, "2026-11-01", _VEO),
    Rate("veo-3.1-lite-generate-preview", "720p", 0.05, "2026-11-01", _VEO),
    Rate("veo-3.1-lite-generate-preview", "1080p", 0.08, "2026-11-01", _VEO),
    Rate(
        "minimax-h3",
        "480p",
        0.025,
        "2026-11-01",
        "fal, as quoted in openstory issue 1387 (768P bills 1.6x)",
    ),
    Rate("minimax-h3", "720p", 0.04, "2026-11-01", "fal, as quoted in openstory issue 1387"),
)


def resolution_tier(size: str) -> str:
    """The billing tier of a ``WIDTHxHEIGHT`` size, by its shorter side (``"720x1280"`` is
    ``"720p"``).

    Raises:
        ValueError: ``size`` is not ``WIDTHxHEIGHT``.
    """
    width, sep, height = size.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit() and len(size) <= 16):
        msg = f"size must be WIDTHxHEIGHT, such as 720x1280, but received {size!r}"
        raise ValueError(msg)
    short = min(int(width), int(height))
    for limit, tier in _TIERS:
        if short <= limit:
            return tier
    return "4k"


def _seconds(seconds: str | int | float) -> float:
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        msg = f"seconds must be a positive number, but received {seconds!r}"
        raise ValueError(msg)
    return value


def _model_key(model: str) -> str:
    """``gemini/veo-3.1-...`` -> ``veo-3.1-...``: gateways prefix the provider."""
    return model.rsplit("/", 1)[-1].strip().lower()


@attrs.frozen
class Estimate:
    """What one job is expected to cost.

    Attributes:
        model, size, seconds: What was priced (the spec's defaults where none was given).
        tier: The resolution tier the rate applies to.
        rate: The rate used, with its date and source.
        usd: ``seconds * rate.usd_per_second``.
    """

    model: str
    size: str
    seconds: float
    tier: str
    rate: Rate
    usd: float

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description."""
        return {
            "model": self.model,
            "size": self.size,
            "seconds": self.seconds,
            "tier": self.tier,
            "usd_per_second": self.rate.usd_per_second,
            "usd": round(self.usd, 6),
            "rate_as_of": self.rate.as_of,
            "rate_source": self.rate.source,
        }


class RateTable:
    """Rates by model and tier; later rates override earlier ones for the same pair."""

    def __init__(self, rates: Iterable[Rate] = DEFAULT_RATES) -> None:
        self._rates: dict[tuple[str, str], Rate] = {}
        for rate in rates:
            self._rates[(_model_key(rate.model), rate.tier.lower())] = rate

    def __iter__(self) -> Any:
        return iter(self._rates.values())

    def __repr__(self) -> str:
        return f"RateTable({len(self._rates)} rates)"

    def with_rates(self, rates: Iterable[Rate]) -> RateTable:
        """This table with ``rates`` added (overriding the same model and tier)."""
        return RateTable([*self._rates.values(), *rates])

    @classmethod
    def from_file(cls, path: str | Path, base: Iterable[Rate] = DEFAULT_RATES) -> RateTable:
        """``base`` with the rates of a JSON file added: a list of objects with ``model``,
        ``usd_per_second`` and optional ``tier`` (default ``"*"``), ``as_of``, ``source``.

        Raises:
            ValueError: The file is not such a list.
        """
        try:
            entries = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            msg = f"{path}: cannot read rates: {exc}"
            raise ValueError(msg) from None
        if not isinstance(entries, list):
            msg = f"{path}: expected a JSON list of rates"
            raise ValueError(msg)
        rates = []
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("model"), str):
                msg = f"{path}: rate {number} needs a model and usd_per_second"
                raise ValueError(msg)
            rates.append(
                Rate(
                    entry["model"],
                    str(entry.get("tier", ANY_TIER)),
                    entry.get("usd_per_second"),  # type: ignore[arg-type]  # checked by Rate
                    str(entry.get("as_of", "")),
                    str(entry.get("source", str(path))),
                )
            )
        return RateTable([*base, *rates])

    def rate_for(self, model: str, size: str) -> tuple[str, Rate]:
        """The tier of ``size`` and the rate of ``model`` there (or at ``"*"``).

        Raises:
            UnknownRate: No rate for ``model`` at that tier.
            ValueError: ``size`` is not ``WIDTHxHEIGHT``.
        """
        tier = resolution_tier(size)
        key = _model_key(model)
        rate = self._rates.get((key, tier)) or self._rates.get((key, ANY_TIER))
        if rate is None:
            msg = (
                f"no rate for model {model!r} at {tier} ({size}); add one with "
                f"--rate '{key}@{tier}=USD_PER_SECOND' or a --rates file"
            )
            raise UnknownRate(msg)
        return tier, rate

    def estimate(
        self,
        *,
        model: str | None = None,
        seconds: str | int | float | None = None,
        size: str | None = None,
    ) -> Estimate:
        """The estimated cost of one job (the spec's defaults for what is None).

        Raises:
            UnknownRate: No rate for that model and resolution.
            ValueError: ``seconds`` or ``size`` is malformed.
        """
        model = str(model) if model is not None else SPEC_DEFAULTS["model"]
        size = str(size) if size is not None else SPEC_DEFAULTS["size"]
        length = _seconds(seconds if seconds is not None else SPEC_DEFAULTS["seconds"])
        tier, rate = self.rate_for(model, size)
        return Estimate(model, size, length, tier, rate, length * rate.usd_per_second)


def estimate(
    *,
    model: str | None = None,
    seconds: str | int | float | None = None,
    size: str | None = None,
    rates: RateTable | None = None,
) -> Estimate:
    """The estimated cost of one job, from ``rates`` (the built-in table by default).

    Raises:
        UnknownRate: No rate for that model and resolution.
        ValueError: ``seconds`` or ``size`` is malformed.
    """
    return (rates or RateTable()).estimate(model=model, seconds=seconds, size=size)


def parse_rate(text: str) -> Rate:
    """A rate from ``MODEL[@TIER]=USD_PER_SECOND`` (the CLI's ``--rate``).

    Raises:
        ValueError: ``text`` is not of that form.
    """
    target, sep, price = text.rpartition("=")
    model, _, tier = target.partition("@")
    try:
        usd = float(price)
    except ValueError:
        usd = math.nan
    if not sep or not model or not math.isfinite(usd):
        msg = f"a rate is MODEL[@TIER]=USD_PER_SECOND, such as 'veo-3.1@720p=0.4'; got {text!r}"
        raise ValueError(msg)
    return Rate(model, tier or ANY_TIER, usd, "", "user")


def reported_cost(body: Mapping[str, Any] | None) -> float | None:
    """What a server says it charged for a job, in USD, where it says so: LiteLLM's
    ``usage.provider_reported_cost_usd`` (MiniMax) or OpenRouter's ``usage.cost``. None
    otherwise (including non-finite or negative numbers)."""
    usage = body.get("usage") if isinstance(body, Mapping) else None
    if not isinstance(usage, Mapping):
        return None
    for name in ("provider_reported_cost_usd", "cost"):
        value = usage.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if math.isfinite(value) and value >= 0:
            return float(value)
    return None
