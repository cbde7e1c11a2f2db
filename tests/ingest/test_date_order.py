"""All-number dates ('03/04/2025') are read day- or month-first per column, from every cell."""

from __future__ import annotations

from datetime import date

from ingest.tabular import build_table


def test_one_unambiguous_cell_makes_the_whole_column_day_first() -> None:
    cells = [["01/03/2025"], ["02/04/2025"], ["15/09/2025"], ["11/12/2024"]]
    table = build_table(["opened"], cells, [1, 2, 3, 4])
    assert table.columns[0].type == "date" and table.columns[0].format == "%d/%m/%Y"
    assert [r[0] for r in table.rows] == [
        date(2025, 3, 1),
        date(2025, 4, 2),
        date(2025, 9, 15),
        date(2024, 12, 11),
    ]
    assert not table.warnings


def test_a_column_without_evidence_follows_its_sibling_date_column() -> None:
    # every start date fits both orders; the end dates (31/…) show the table is day-first
    cells = [["01/03/2025", "31/05/2025"], ["02/04/2025", "30/06/2025"], ["05/06/2025", ""]]
    table = build_table(["start", "end"], cells, [1, 2, 3])
    assert [r[0] for r in table.rows] == [date(2025, 3, 1), date(2025, 4, 2), date(2025, 6, 5)]
    assert [r[1] for r in table.rows] == [date(2025, 5, 31), date(2025, 6, 30), None]


def test_month_words_elsewhere_in_the_table_hint_day_first() -> None:
    cells = [["3 March 2025", "01/02/2025"], ["7 May 2025", "03/04/2025"]]
    table = build_table(["noted", "opened"], cells, [1, 2])
    assert [r[1] for r in table.rows] == [date(2025, 2, 1), date(2025, 4, 3)]


def test_without_any_evidence_slashes_stay_month_first_and_dots_day_first() -> None:
    cells = [["01/02/2025", "01.02.2025"], ["03/04/2025", "03.04.2025"]]
    table = build_table(["us", "eu"], cells, [1, 2])
    assert table.rows[0] == (date(2025, 1, 2), date(2025, 2, 1))


def test_a_column_mixing_both_orders_warns_and_never_flips_per_cell() -> None:
    cells = [["13/01/2025"], ["14/01/2025"], ["20/02/2025"], ["01/02/2025"], ["02/28/2025"]]
    table = build_table(["opened"], cells, [1, 2, 3, 4, 5])
    assert [r[0] for r in table.rows] == [
        date(2025, 1, 13),
        date(2025, 1, 14),
        date(2025, 2, 20),
        date(2025, 2, 1),  # read day-first like the rest, not month-first
        None,  # only month-first could read it: left empty, and said so
    ]
    notes = " | ".join(table.warnings)
    assert "mixes day-first and month-first" in notes and "'02/28/2025' in row 5" in notes
