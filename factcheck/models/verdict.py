"""The verdict scale: admins add, relabel, reorder and retire; a verdict in use stays."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import intpk

#: key, English label, French label, ClaimReview rating, colour, shortcut
DEFAULT_VERDICTS = [
    ("true", "True", "Vrai", 5, "#2e7d32", "1"),
    ("mostly_true", "Mostly true", "Plutôt vrai", 4, "#7cb342", "2"),
    ("mixed", "Mixed", "Mitigé", 3, "#f9a825", "3"),
    ("mostly_false", "Mostly false", "Plutôt faux", 2, "#ef6c00", "4"),
    ("false", "False", "Faux", 1, "#c62828", "5"),
    ("misleading", "Misleading", "Trompeur", 2, "#8e24aa", "6"),
    ("unverifiable", "Unverifiable", "Invérifiable", None, "#607d8b", "7"),
]


class Verdict(db.Model):
    __tablename__ = "verdict"
    #: each project has its own scale: FEVER and LIAR both use ``true``/``false``
    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_verdict_project_key"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(100))
    label_fr: Mapped[str] = mapped_column(String(100), default="")
    #: 1 (false) .. 5 (true) for ClaimReview; None when the verdict has no rating
    rating: Mapped[int | None]
    colour: Mapped[str] = mapped_column(String(7), default="#607d8b")
    shortcut: Mapped[str | None] = mapped_column(String(1))
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)

    def label_for(self, locale: str | None) -> str:
        if locale and locale.startswith("fr") and self.label_fr:
            return self.label_fr
        return self.label

    def __repr__(self) -> str:
        return f"<Verdict {self.key}>"
