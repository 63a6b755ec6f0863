"""What every template may use besides Flask's own: names, the admin sub-navigation, filters."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .permissions import Role
from .projects.current import switcher
from .services.verdicts import label as verdict_label
from .services.verdicts import rating_label
from .times import is_date_only

#: extra admin pages: (endpoint, label), shown in the admin sub-navigation when they exist
ADMIN_PAGES = (
    ("admin.verdicts", _l("Verdict scale")),
    ("articles.import_page", _l("Import articles")),
    ("admin.factchecks", _l("Past fact-checks")),
)


def admin_links() -> list[tuple[str, str]]:
    return [(e, str(label)) for e, label in ADMIN_PAGES if e in current_app.view_functions]


def isotime(value) -> str:
    return value.isoformat().replace("+00:00", "Z") if value else ""


def init_templates(app: Flask) -> None:
    @app.context_processor
    def _inject():
        return {
            "Role": Role,
            "current_locale": str(get_locale() or "en"),
            "admin_links": admin_links,
            "project_switcher": switcher,
        }

    app.add_template_filter(isotime, "isotime")
    # ``{% if value is date_only %}``: a date, shown as written (times.py)
    app.add_template_test(is_date_only, "date_only")
    # a global, not a context variable: macros imported without context see it too
    app.add_template_global(verdict_label, "verdict_label")
    app.add_template_global(rating_label, "rating_label")
