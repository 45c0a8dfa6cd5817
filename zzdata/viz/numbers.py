"""Numbers as a Chinese report would print them (万, 亿, 万亿, 第15位) or in English
(million, billion, thousands separators, 15th), for value labels and axis ticks (the charts write
them through their :class:`~zzdata.viz.words.Words`). Imports neither pandas nor the rest of
zzdata.
"""

from __future__ import annotations

import csv
import functools
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

_ZH_SCALES = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_EN_SCALES = (
    (Decimal(10) ** 12, " trillion"),
    (Decimal(10) ** 9, " billion"),
    (Decimal(10) ** 6, " million"),
)


@functools.cache
def units_en() -> dict[str, tuple[str, str]]:
    """English names of the base units: ``{unit: (singular, plural)}`` from units_en.csv."""
    path = Path(__file__).resolve().parents[1] / "data" / "units_en.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["unit"]: (r["en_singular"], r["en_plural"]) for r in csv.DictReader(fh)}


def _round_sig(d: Decimal, digits: int) -> Decimal:
    """Round half-up to ``digits`` significant digits, never dropping integer digits."""
    if d == 0:
        return Decimal(0)
    exponent = d.adjusted()  # floor(log10(|d|))
    decimals = max(0, digits - 1 - exponent)
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _plain(d: Decimal, grouping: bool) -> str:
    text = f"{d:,f}" if grouping else f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _scaled(d: Decimal, scales: tuple, base: Decimal, digits: int, grouping: bool) -> tuple[str, str, bool]:
    """(number text, multiplier word, was scaled) with promotion after rounding (9999.6万→1亿)."""
    chosen = None
    for scale, word in scales:
        if abs(d) >= scale:
            chosen = (scale, word)
            break
    while True:
        if chosen is None:
            mantissa = _round_sig(d, digits)
            smallest = scales[-1]
            if abs(mantissa) >= smallest[0] and abs(d) < smallest[0]:
                chosen = smallest
                continue
            return _plain(mantissa, grouping), "", False
        scale, word = chosen
        mantissa = _round_sig(d / scale, digits)
        idx = [s for s, _ in scales].index(scale)
        if abs(mantissa) >= base and idx > 0:
            chosen = scales[idx - 1]
            continue
        return _plain(mantissa, grouping), word, True


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(
    value: float | None,
    unit: str | None,
    lang: str,
    *,
    digits: int = 4,
    sign: bool = False,
) -> str:
    """Readable text for a value in base units, as a Chinese report would print it.

    zh uses 万/亿/万亿 (139300 人 → "13.93万人", 1.45e12 元 → "1.45万亿元", 15 位 →
    "第15位"); en uses million/billion/trillion and thousands separators
    ("1.45 trillion yuan", "139,300 people", "15th"). At most ``digits`` significant
    digits once a multiplier is used; ``sign=True`` adds "+" to positive values (growth).
    None or NaN gives "". The charts call it through :meth:`zzdata.viz.words.Words.value`; the
    review pages, which show both languages, directly.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and math.isinf(value):
        raise ValueError("cannot format an infinite value")
    unit = unit or ""
    d = Decimal(repr(float(value))) if not isinstance(value, int) else Decimal(value)
    plus = "+" if sign and d > 0 else ""

    if unit == "位":  # a rank: 第15位 / 15th
        if d != d.to_integral_value() or d < 1:
            raise ValueError(f"a rank must be a positive whole number, not {value!r}")
        return f"第{int(d)}位" if lang == "zh" else _ordinal(int(d))

    if lang == "zh":
        number, word, _ = _scaled(d, _ZH_SCALES, Decimal(10) ** 4, digits, grouping=False)
        return f"{plus}{number}{word}{unit}"

    number, word, scaled = _scaled(d, _EN_SCALES, Decimal(10) ** 3, digits, grouping=True)
    if unit in ("%", ""):
        return f"{plus}{number}{word}{unit}"
    names = units_en().get(unit)
    if names is None:
        name = unit
    else:
        singular = not scaled and abs(Decimal(number.replace(",", ""))) == 1
        name = names[0] if singular else names[1]
    return f"{plus}{number}{word} {name}" if name else f"{plus}{number}{word}"


def pct(v: float) -> str:
    """A percent change, one decimal below 100% (+4.7%, -0.6%), whole above (+1900%)."""
    return f"{v:+.0f}%" if abs(v) >= 100 else f"{v:+.1f}%"
