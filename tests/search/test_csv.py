"""The search result as CSV: the same filters, the whole result (no pages), columns named,
hidden verdicts hidden, and on the page's download cells a spreadsheet would run as
formulas neutralized as the export does."""

from __future__ import annotations

import csv
import io

from factcheck.services.search.csv import COLUMNS


def rows(client, **args) -> tuple[list[str], list[dict]]:
    response = client.get("/api/v1/claims.csv", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    text = read(response).decode().lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


def read(response) -> bytes:
    """The streamed body, and the stream closed (its request context ends with it)."""
    data = response.get_data()
    response.close()
    return data


def test_columns_and_the_whole_result(client, login, desk):
    login(desk.anna)
    header, found = rows(client, q="maire", per_page=1)  # no pages in a CSV
    assert tuple(header) == COLUMNS
    assert {(r["kind"], int(r["id"])) for r in found} == {
        ("annotation", desk.debt.id),
        ("annotation", desk.housing.id),
        ("annotation", desk.rejected.id),
        ("factcheck", desk.factcheck.id),
    }
    debt = next(r for r in found if r["kind"] == "annotation" and int(r["id"]) == desk.debt.id)
    assert debt["claim"] == "Le Maire a doublé la dette de la ville"
    assert debt["claimant_id"] == str(desk.mayor.id)
    assert debt["verdict"] == "false" and debt["verdict_label"] == "False"
    assert debt["project"] == "default" and debt["claim_date"] == "2024-03-10"
    assert debt["url"] == f"http://localhost/review/{desk.debt.id}"
    fact = next(r for r in found if r["kind"] == "factcheck")
    assert fact["url"] == "https://checks.example.org/maire-dette"
    assert fact["status"] == "published" and fact["verdict_label"] == "Faux"


def test_format_csv_is_the_same_download(client, login, desk):
    login(desk.anna)
    args = {"q": "maire", "order": "date", "format": "csv"}
    response = client.get("/api/v1/claims", query_string=args)
    assert response.headers["Content-Type"].startswith("text/csv")
    lines = read(response).decode().split("\r\n")
    assert lines[0] == ",".join(COLUMNS)
    assert [line.split(",")[1] for line in lines[1:-1]] == [
        str(desk.housing.id),
        str(desk.debt.id),
        str(desk.factcheck.id),
        str(desk.rejected.id),
    ]


def test_the_same_filters_apply(client, login, desk):
    login(desk.anna)
    _, found = rows(client, verdict="true")
    assert [(r["kind"], int(r["id"])) for r in found] == [("annotation", desk.taxes.id)]
    _, ordered = rows(client, order="date", kind="annotation")
    assert [r["claim_date"] for r in ordered] == ["2024-06-01", "2024-03-10", "2023-01-05", ""]


def test_exact_text_unless_spreadsheet_safe(client, login, desk):
    login(desk.anna)
    _, exact = rows(client, q="elus")
    assert exact[0]["claim"].startswith('=HYPERLINK("http://evil.example")')
    assert exact[0]["claimant"] == "@someone"
    response = client.get("/api/v1/claims.csv", query_string={"q": "elus", "spreadsheet_safe": 1})
    text = read(response).decode()
    assert text.startswith("\ufeff")  # Excel reads UTF-8
    safe = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert safe[0]["claim"].startswith("'=HYPERLINK(")
    assert safe[0]["claimant"] == "'@someone"
    assert "claims-search-safe.csv" in response.headers["Content-Disposition"]
