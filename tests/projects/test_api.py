"""The projects API: templates, slugs, settings, guidelines versions, members, archive,
delete, and the default project that keeps today's scripts working."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, Article, GuidelineVersion, Project, Role, Status, Verdict
from factcheck.services import projects


def _keys(slug: str) -> list[str]:
    project = db.session.scalar(select(Project).where(Project.slug == slug))
    return [
        v.key
        for v in db.session.scalars(
            select(Verdict).where(Verdict.project_id == project.id).order_by(Verdict.position)
        )
    ]


def test_an_admin_creates_projects_from_each_template(client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    for slug, template in (("fever-set", "fever"), ("liar-set", "liar"), ("desk", "newsroom")):
        response = client.post(
            "/api/v1/projects", json={"name": slug.title(), "slug": slug, "template": template}
        )
        assert response.status_code == 201, response.get_json()
        assert response.headers["Location"] == f"/api/v1/projects/{slug}"
    assert _keys("fever-set") == ["supported", "refuted", "not_enough_info"]
    assert _keys("liar-set") == [
        "pants_fire",
        "false",
        "barely_true",
        "half_true",
        "mostly_true",
        "true",
    ]
    assert _keys("desk") == _keys("default")
    ratings = {
        v.key: v.rating
        for v in db.session.scalars(select(Verdict).join(Project).where(Project.slug == "liar-set"))
    }
    assert ratings["pants_fire"] == 1 and ratings["true"] == 5  # ClaimReview ratings kept


def test_copy_template_copies_the_scale_as_it_is(client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    client.post("/api/v1/projects", json={"name": "F", "slug": "f", "template": "fever"})
    fever = db.session.scalar(select(Project).where(Project.slug == "f"))
    verdict = db.session.scalar(
        select(Verdict).where(Verdict.project_id == fever.id, Verdict.key == "refuted")
    )
    verdict.label = "Refuted (checked)"
    db.session.commit()
    response = client.post(
        "/api/v1/projects", json={"name": "G", "slug": "g", "template": "copy:f"}
    )
    assert response.status_code == 201
    assert _keys("g") == ["supported", "refuted", "not_enough_info"]
    labels = {
        v.key: v.label
        for v in db.session.scalars(select(Verdict).join(Project).where(Project.slug == "g"))
    }
    assert labels["refuted"] == "Refuted (checked)"


def test_duplicate_slug_is_409_and_bad_slug_422(client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    assert client.post("/api/v1/projects", json={"name": "A", "slug": "health"}).status_code == 201
    again = client.post("/api/v1/projects", json={"name": "B", "slug": "health"})
    assert again.status_code == 409 and again.get_json()["error"]["field"] == "slug"
    for bad in ("Health", "santé", "a b", "a_b", "", "-lead", None, 7):
        response = client.post("/api/v1/projects", json={"name": "C", "slug": bad})
        assert response.status_code == 422, bad
        assert response.get_json()["error"]["field"] == "slug"
    unknown = client.post("/api/v1/projects", json={"name": "D", "slug": "d", "template": "nope"})
    assert unknown.status_code == 422
    assert db.session.scalar(select(Project).where(Project.slug == "d")) is None


def test_only_site_admins_create_projects(client, make, login):
    login(make.user(roles=[Role.ANNOTATOR, Role.REVIEWER]))
    assert client.post("/api/v1/projects", json={"name": "A", "slug": "a"}).status_code == 403


def test_members_hold_roles_per_project(client, make, login):
    admin = make.user(roles=[Role.ADMIN])
    rita = make.user("rita", roles=[Role.ANNOTATOR])
    login(admin)
    client.post(
        "/api/v1/projects", json={"name": "Research", "slug": "research", "template": "fever"}
    )
    response = client.post(
        "/api/v1/projects/research/members", json={"username": "rita", "roles": ["reviewer"]}
    )
    assert response.status_code == 200
    assert response.get_json() == {"username": "rita", "roles": ["reviewer"]}
    members = client.get("/api/v1/projects/research/members").get_json()["items"]
    assert members == [{"username": "rita", "roles": ["reviewer"]}]
    research = db.session.scalar(select(Project).where(Project.slug == "research"))
    default = projects.default_project(db.session)
    db.session.refresh(rita)
    assert rita.roles_in(research.id) == {Role.REVIEWER}
    assert rita.roles_in(default.id) == {Role.ANNOTATOR}
    bad = client.post(
        "/api/v1/projects/research/members", json={"username": "rita", "roles": ["admin"]}
    )
    assert bad.status_code == 422  # site admin is not a project role
    nobody = client.post(
        "/api/v1/projects/research/members", json={"username": "ghost", "roles": ["reviewer"]}
    )
    assert nobody.status_code == 404
    gone = client.delete("/api/v1/projects/research/members", json={"username": "rita"})
    assert gone.status_code == 204
    db.session.refresh(rita)
    assert rita.roles_in(research.id) == set()


def test_a_reviewer_of_one_project_cannot_review_in_another(client, make, login):
    """Roles are checked per project: a reviewer elsewhere is only an annotator here."""
    rita = make.user("rita", roles=[Role.ANNOTATOR])
    research = projects.create_project(db.session, name="R", slug="research", template="fever")
    projects.set_member_roles(db.session, research, rita, [Role.REVIEWER])
    db.session.commit()
    annotation = make.annotation(status=Status.SUBMITTED)  # in the default project
    login(rita)
    response = client.post(
        f"/api/v1/annotations/{annotation.id}/review",
        json={"decision": "approve", "version": annotation.version},
    )
    assert response.status_code == 403
    assert db.session.get(Annotation, annotation.id).status is Status.SUBMITTED


def test_project_admin_edits_settings_and_guidelines_make_versions(client, make, login):
    boss = make.user("boss", roles=[Role.PROJECT_ADMIN])
    login(boss)
    response = client.patch(
        "/api/v1/projects/default",
        json={
            "guidelines": "Quote the claim exactly.",
            "reservation_minutes": 30,
            "annotators_can_export": True,
            "default_language": "fr",
        },
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["guidelines_version"] == 1
    assert data["settings"] == {
        "reservation_minutes": 30,
        "annotators_can_export": True,
        "default_language": "fr",
        "blind_second_verdict": False,
        "evidence_required": False,
    }
    client.patch("/api/v1/projects/default", json={"guidelines": "Quote it. Name the claimant."})
    client.patch("/api/v1/projects/default", json={"guidelines": "Quote it. Name the claimant."})
    project = projects.default_project(db.session)
    db.session.refresh(project)
    assert project.guidelines_version == 2  # the same text twice makes no new version
    versions = db.session.scalars(
        select(GuidelineVersion.text)
        .where(GuidelineVersion.project_id == project.id)
        .order_by(GuidelineVersion.number)
    ).all()
    assert versions == ["Quote the claim exactly.", "Quote it. Name the claimant."]
    assert client.patch("/api/v1/projects/default", json={"slug": "x"}).status_code == 422
    annie = make.user(roles=[Role.ANNOTATOR])
    login(annie)
    assert client.patch("/api/v1/projects/default", json={"name": "Mine"}).status_code == 403


def test_claims_record_the_guidelines_version_they_were_written_under(client, make, login):
    project = projects.default_project(db.session)
    projects.set_guidelines(db.session, project, "Version one.", None)
    db.session.commit()
    article = make.article(text="Le chômage a baissé de 10 %.")
    login(make.user(roles=[Role.ANNOTATOR]))
    created = client.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"start": 0, "end": 10, "quote": "Le chômage", "verdict": "false"},
    ).get_json()
    assert created["guidelines_version"] == 1 and created["project"] == "default"
    projects.set_guidelines(db.session, db.session.get(Project, project.id), "Version two.", None)
    db.session.commit()
    edited = client.patch(
        f"/api/v1/annotations/{created['id']}", json={"claim": "Edited.", "version": 1}
    ).get_json()
    assert edited["guidelines_version"] == 2


def test_verdict_key_outside_the_project_scale_is_422(client, make, login):
    research = projects.create_project(db.session, name="R", slug="research", template="fever")
    annie = make.user(roles=[])
    projects.set_member_roles(db.session, research, annie, [Role.ANNOTATOR])
    db.session.commit()
    article = make.article(text="The claim is here.", project_id=research.id)
    login(annie)
    url = f"/api/v1/articles/{article.id}/annotations"
    span = {"start": 0, "end": 9, "quote": "The claim"}
    wrong = client.post(url, json={**span, "verdict": "mostly_true"})  # newsroom key
    assert wrong.status_code == 422 and wrong.get_json()["error"]["field"] == "verdict"
    right = client.post(url, json={**span, "verdict": "refuted"})
    assert right.status_code == 201
    assert (
        db.session.scalar(
            select(Annotation.project_id).where(Annotation.id == right.get_json()["id"])
        )
        == research.id
    )
    scale = client.get("/api/v1/verdicts?project=research").get_json()["items"]
    assert [v["key"] for v in scale] == ["supported", "refuted", "not_enough_info"]


def test_deleting_a_project_with_claims_is_refused_archiving_makes_it_read_only(
    client, make, login
):
    admin = make.user(roles=[Role.ADMIN])
    reviewer = make.user(roles=[Role.REVIEWER])
    research = projects.create_project(db.session, name="R", slug="research", template="fever")
    db.session.commit()
    article = make.article(text="Some text to annotate.", project_id=research.id)
    annotation = make.annotation(article=article, status=Status.APPROVED, verdict="refuted")
    projects.set_member_roles(db.session, research, reviewer, [Role.REVIEWER])
    db.session.commit()
    login(admin)
    refused = client.delete("/api/v1/projects/research")
    assert refused.status_code == 409
    assert db.session.get(Project, research.id) is not None
    assert client.patch("/api/v1/projects/research", json={"archived": True}).status_code == 200
    created = client.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"start": 0, "end": 4, "quote": "Some"},
    )
    assert created.status_code == 409 and created.get_json()["error"]["code"] == "archived"
    export = client.get("/api/v1/export.csv?project=research")
    assert export.status_code == 200
    assert f"\r\n{annotation.id},approved," in export.get_data(as_text=True)
    empty = projects.create_project(db.session, name="E", slug="empty")
    db.session.commit()
    make.article(text="Nobody annotated me.", project_id=empty.id)
    assert client.delete("/api/v1/projects/empty").status_code == 204
    assert db.session.scalar(select(Project).where(Project.slug == "empty")) is None


def test_moving_an_article_is_refused_once_it_has_claims(client, make, login):
    admin = make.user(roles=[Role.ADMIN])
    projects.create_project(db.session, name="R", slug="research", template="fever")
    db.session.commit()
    free = make.article(text="Free text.")
    taken = make.article(text="Taken text.")
    make.annotation(article=taken)
    login(admin)
    moved = client.patch(f"/api/v1/articles/{free.id}", json={"project": "research"})
    assert moved.status_code == 200 and moved.get_json()["project"] == "research"
    refused = client.patch(f"/api/v1/articles/{taken.id}", json={"project": "research"})
    assert refused.status_code == 409
    assert db.session.get(Article, taken.id).project.slug == "default"


def test_single_project_installation_keeps_todays_scripts_working(client, make, login):
    """No ``project`` anywhere: the only project is used."""
    admin = make.user(roles=[Role.ADMIN])
    login(admin)
    imported = client.post("/api/v1/articles", json={"title": "T", "text": "A text."})
    assert imported.status_code == 201
    article_id = (
        imported.get_json()["articles"][0]["id"] if "articles" in imported.get_json() else None
    )
    listed = client.get("/api/v1/articles").get_json()
    assert listed["total"] == 1 and listed["items"][0]["project"] == "default"
    assert article_id is None or listed["items"][0]["id"] == article_id
    assert client.get("/api/v1/verdicts").status_code == 200


def test_several_projects_an_import_names_its_project(client, make, login):
    admin = make.user(roles=[Role.ADMIN])
    projects.create_project(db.session, name="R", slug="research", template="fever")
    db.session.commit()
    login(admin)
    into = client.post(
        "/api/v1/articles", json={"title": "T", "text": "A text.", "project": "research"}
    )
    assert into.status_code == 201
    article = db.session.scalar(select(Article).where(Article.title == "T"))
    assert article.project.slug == "research"
    # without one, the project named "default" is the default
    client.post("/api/v1/articles", json={"title": "U", "text": "Another text."})
    assert db.session.scalar(select(Article).where(Article.title == "U")).project.slug == "default"
    mixed = client.post(
        "/api/v1/articles",
        json=[
            {"title": "V", "text": "x", "project": "research"},
            {"title": "W", "text": "y", "project": "default"},
        ],
    )
    assert mixed.status_code == 422


def test_cli_user_create_and_import_name_a_project(app, tmp_path):
    with app.app_context():
        projects.create_project(db.session, name="R", slug="research", template="fever")
        db.session.commit()
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=[
            "user",
            "create",
            "remi",
            "--role",
            "reviewer",
            "--project",
            "research",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert made.exit_code == 0, made.output
    plain = runner.invoke(
        args=["user", "create", "anne", "--role", "annotator", "--password-stdin"],
        input="a long enough password\n",
    )
    assert plain.exit_code == 0, plain.output
    source = tmp_path / "a.txt"
    source.write_text("Un titre\n\nUn article à importer.", encoding="utf-8")
    imported = runner.invoke(args=["import", str(source), "--project", "research"])
    assert imported.exit_code == 0, imported.output
    unknown = runner.invoke(args=["import", str(source), "--project", "nowhere"])
    assert unknown.exit_code != 0
    with app.app_context():
        from factcheck.services.users import get_user

        research = db.session.scalar(select(Project).where(Project.slug == "research"))
        default = projects.default_project(db.session)
        assert get_user(db.session, "remi").roles_in(research.id) == {Role.REVIEWER}
        assert get_user(db.session, "remi").roles_in(default.id) == set()
        assert get_user(db.session, "anne").roles_in(default.id) == {Role.ANNOTATOR}
        article = db.session.scalar(select(Article))
        assert article.project_id == research.id
