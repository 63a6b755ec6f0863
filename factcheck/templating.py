"""What every template may use besides Flask's own: names, the admin sub-navigation, filters."""

from __future__ import annotations

import re

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from .assets import init_assets
from .permissions import Role
from .projects.current import switcher
from .services.matching.links import readable_comment
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


#: a moment written in UTC inside a message ("2026-01-15 09:30 UTC", seconds optional)
_UTC_MOMENT = re.compile(r"\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(:\d{2})? UTC\b")


def local_times(message: str) -> Markup:
    """``message`` escaped, its UTC moments marked up as the page's other times are
    (``<time datetime>``), so that page.js shows them in the reader's zone too."""

    def _time(match: re.Match) -> str:
        day, minute, seconds = match.group(1), match.group(2), match.group(3) or ":00"
        return f'<time datetime="{day}T{minute}{seconds}Z">{day} {minute} UTC</time>'

    # escaped first; the only markup added is the <time> element around digits
    return Markup(_UTC_MOMENT.sub(_time, str(escape(message))))  # noqa: S704


def init_templates(app: Flask) -> None:
    init_assets(app)  # module_graph(): the modulepreload links of a page's scripts

    @app.context_processor
    def _inject():
        return {
            "Role": Role,
            "current_locale": str(get_locale() or "en"),
            "admin_links": admin_links,
            "project_switcher": switcher,
        }

    app.add_template_filter(isotime, "isotime")
    app.add_template_filter(local_times, "local_times")
    app.add_template_filter(readable_comment, "history_comment")
    # ``{% if value is date_only %}``: a date, shown as written (times.py)
    app.add_template_test(is_date_only, "date_only")
    # a global, not a context variable: macros imported without context see it too
    app.add_template_global(verdict_label, "verdict_label")
    app.add_template_global(rating_label, "rating_label")
