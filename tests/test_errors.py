"""The error handlers: a domain error keeps its answer when the database connection died."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from factcheck.extensions import db
from factcheck.services.errors import Conflict


@pytest.mark.fresh_app
def test_domain_error_answers_when_the_rollback_finds_the_connection_gone(app, monkeypatch):
    # seen in the PostgreSQL restart test: a 409 (already decided) became a 500 because
    # the handler's rollback met a connection the restart had closed
    @app.route("/_conflict", methods=["POST"])
    def _conflict():
        raise Conflict("Already approved by you.")

    def dead_rollback():
        raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

    client = app.test_client()
    with app.app_context():
        monkeypatch.setattr(db.session, "rollback", dead_rollback)
        response = client.post("/_conflict", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert "Already approved" in response.get_json()["error"]["message"]
