"""The import report (issue 14): errors in file order, blamed on their real cause."""

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import importing


def test_errors_are_listed_in_file_order(app_ctx):
    first = (
        b'{"title": "", "text": "a"}\n{bad json\n{"title": "ok", "text": "fine"}\n{"title": "t"}\n'
    )
    second = b'{bad\n{"title": ""}\n'
    report = importing.import_files(db.session, [("a.jsonl", first), ("b.jsonl", second)], None)
    assert [(p.source, p.line) for p in report.errors] == [
        ("a.jsonl", 1),
        ("a.jsonl", 2),
        ("a.jsonl", 4),
        ("b.jsonl", 1),
        ("b.jsonl", 2),
    ]


def test_a_pasted_article_is_refused_for_its_real_cause(client, login, make):
    login(make.user(roles=[Role.ADMIN]))
    response = client.post(
        "/articles/import",
        data={"title": "Un titre", "text": "Un texte.", "url": "ftp://x.org/a", "paste": "1"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Strict mode" not in html
    assert "The url must be an http:// or https:// address" in html
