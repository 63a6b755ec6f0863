"""An adjudicated claim keeps the evidence of the version accepted."""

from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import Annotation, Capture, Role, Stance
from factcheck.services import adjudication, assignments
from factcheck.services.evidence import sources

TEXT = "Le ministre affirme que le chômage a baissé de 10 % en un an."


def test_the_accepted_version_keeps_its_stances_and_excerpts(make, project):
    admin = make.user(roles=[Role.ADMIN])
    ann, bob = make.user("ann"), make.user("bob")
    reviewer = make.user(roles=[Role.REVIEWER])
    article = make.article(TEXT)
    assignment = assignments.create(
        db.session,
        admin,
        {"name": "Double", "article_ids": [article.id], "annotators": ["ann", "bob"],
         "per_article": 2},
    )  # fmt: skip
    db.session.commit()
    source, _new = sources.find_or_create(db.session, project.id, "https://insee.example/x")
    db.session.flush()
    capture = Capture(source_id=source.id, url=source.url, text="Le chômage a baissé.", size=0)
    db.session.add(capture)
    db.session.commit()
    versions = []
    for author in (ann, bob):
        version = make.annotation(article=article, author=author, start=0, end=30)
        citation = version.sources[0]
        citation.source_id, citation.stance = source.id, Stance.REFUTES
        citation.excerpts = [{"capture_id": capture.id, "start": 3, "end": 10, "quote": "chômage"}]
        db.session.commit()
        versions.append(version)
        assignments.mark_done(db.session, assignment, article.id, author)
        db.session.commit()
    aa = adjudication.get(db.session, assignment.id, article.id)
    decision = adjudication.decide(
        db.session,
        aa,
        reviewer,
        {"start": 0, "end": 30, "decision": "accept", "annotation_id": versions[1].id},
    )
    db.session.commit()
    result = db.session.get(Annotation, decision.result_annotation_id)
    (citation,) = result.sources
    assert citation.source_id == source.id and citation.stance is Stance.REFUTES
    assert citation.excerpts == [
        {"capture_id": capture.id, "start": 3, "end": 10, "quote": "chômage"}
    ]
