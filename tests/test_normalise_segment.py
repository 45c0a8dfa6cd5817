"""Edge cases of normalise() (one scan for full-width and Traditional characters) and of the
clause rules of segment()."""

from zzdata.extract.clean import normalise
from zzdata.extract.segment import segment


def test_normalise_fullwidth_only() -> None:
    assert normalise("增长１２．５％") == "增长12.5%"
    assert normalise("增长12.5%") == "增长12.5%"


def test_normalise_traditional_after_fullwidth() -> None:
    """A full-width character before the first Traditional one must not hide the Traditional text."""
    assert normalise("１２國內生產總值增長") == "12国内生产总值增长"


def test_clause_rules() -> None:
    _, clauses = segment("……开头。甲，……乙，，丙。")
    assert [(c.text, c.sentence) for c in clauses] == [("开头。", 1), ("甲，", 2), ("……", 2), ("乙，", 3), ("丙。", 3)]
