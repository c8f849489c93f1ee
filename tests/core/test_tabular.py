"""core.tabular: the one rule every CSV import follows (encoding, records, formula cells)."""

import io

import pytest

from aiom.core import tabular


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("café".encode("utf-16"), "café", "utf-16"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "café", "utf-8-sig"),
        (b"caf\xc3\xa9", "café", "utf-8"),
        (b"caf\xe9 \x96 \x80", "café \u2013 €", "cp1252"),
        (b"\xff\xfeA", "ÿþA", "cp1252"),  # odd length: only looked like a UTF-16 mark
    ],
)
def test_one_encoding_rule(data: bytes, text: str, encoding: str) -> None:
    assert tabular.decode(data, "f.csv") == tabular.Text(text, encoding)


def test_a_byte_no_encoding_reads_is_named_with_its_offset() -> None:
    with pytest.raises(tabular.TableError) as refused:
        tabular.decode(b"ok,\xe9\n\x81", "f.csv")
    assert str(refused.value) == (
        "f.csv: byte 5 (0x81) is neither UTF-8 nor Windows-1252 (the file stops being UTF-8 "
        "at byte 3); save the file as UTF-8 and import it again"
    )


def test_records_carry_the_line_they_began_on_and_skip_blank_ones() -> None:
    text = 'a,b\r\n\r\n"two\nlines",x\n , \nlast,"say ""hi"""\n'
    assert tabular.records(text, "f.csv") == [
        (1, ["a", "b"]),
        (3, ["two\nlines", "x"]),
        (6, ["last", 'say "hi"']),
    ]


def test_a_stray_quote_is_text_and_an_unclosed_one_is_named() -> None:
    assert tabular.records('a,b\nsay "hi",x\n', "f.csv")[1] == (2, ['say "hi"', "x"])
    with pytest.raises(tabular.TableError) as refused:
        tabular.records('a,b\n1,2\n"open,3\n4,5\n', "f.csv")
    assert (refused.value.line, str(refused.value)[:14]) == (3, "f.csv: line 3:")
    assert "never closed" in refused.value.reason


def test_size_limit_names_the_setting() -> None:
    with pytest.raises(tabular.TableError, match=r"limit is 4 bytes .* setting AIOM_X"):
        tabular.read_limited(io.BytesIO(b"12345"), "f.csv", 4, "AIOM_X")
    assert tabular.read_limited(io.BytesIO(b"1234"), "f.csv", 4, "AIOM_X") == b"1234"


def test_formula_cells() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert tabular.looks_like_formula(cell) and tabular.neutralise(cell) == "'" + cell
        assert tabular.NEUTRALISED.match("''" + cell) and tabular.NEUTRALISED_ONCE.match("'" + cell)
    assert tabular.neutralise("plain = text") == "plain = text"
    assert not tabular.NEUTRALISED_ONCE.match("''=x")
