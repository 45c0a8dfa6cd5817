"""Chinese numerals read as numbers: the one reader every room uses (amounts such as `三千五百`
and `一万亿`, counts such as `十二年来` or `两个`, dates such as `二〇二四年二月三日`).

Arabic digits are read too, so that a pattern may capture either (`前11个月`, `前十一个月`).
"""

from __future__ import annotations

DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
SMALL = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10**4, "亿": 10**8}
#: Every character a numeral may be written with (the placeholder 零 included).
NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
_PLACEHOLDERS = frozenset("零〇○Ｏ")


def cn_number(text: str, digits: bool = False) -> int | None:
    """The number a numeral writes, or None if it is not one well formed.

    `三千五百` -> 3500, `一万亿` -> 10**12, `千亿` -> 10**11, `十二` -> 12, `二十五` -> 25, `两` -> 2,
    `一千零五` -> 1005, `11` -> 11. Two digits in a row (`二〇二四`, `一一`) are no numeral, except
    with ``digits=True``, which reads the characters one digit each, as years are written
    (`二〇二四` -> 2024).
    """
    if not text:
        return None
    if text.isdigit() and text.isascii():
        return int(text)
    if digits:
        if any(ch not in DIGITS and ch != "O" for ch in text):
            return None
        return int("".join(str(DIGITS.get(ch, 0)) for ch in text))  # (a Latin O stands for 〇 in some pages)
    total, section, number, last_digit = 0, 0, 0, False
    for ch in text:
        if ch in _PLACEHOLDERS:  # 一千零五: after a multiplier, the next digit may follow
            if last_digit:
                return None  # 二〇二四: digits in a row
            continue
        if ch in DIGITS:
            if last_digit:
                return None
            number, last_digit = DIGITS[ch], True
            continue
        last_digit = False
        if ch in SMALL:
            section += (number or 1) * SMALL[ch]
        elif ch == "万":
            total += (section + number or 1) * BIG["万"]
            section = 0
        elif ch == "亿":  # 亿 multiplies everything before it (一万亿, 两亿三千万)
            total = (total + section + number or 1) * BIG["亿"]
            section = 0
        else:
            return None
        number = 0
    return total + section + number
