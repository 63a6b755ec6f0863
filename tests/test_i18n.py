"""Both catalogues are complete and the compiled one matches its source."""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "factcheck" / "translations"


def _extract(tmp_path: Path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(pot, "rb") as fh:
        return read_po(fh)


def test_every_interface_string_has_a_french_translation(tmp_path):
    template = _extract(tmp_path)
    with open(TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        french = read_po(fh, locale="fr")
    missing = [
        m.id
        for m in template
        if m.id and not (french.get(m.id, m.context) and french.get(m.id, m.context).string)
    ]
    assert missing == [], f"untranslated (run `make translations`, then translate): {missing}"


def _key(message_id):
    return message_id if isinstance(message_id, str) else tuple(message_id)


def _translated(message) -> bool:
    if message is None:
        return False
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    return all(strings)


def test_compiled_catalogue_matches_the_po_file():
    with open(TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        po = {
            (m.context, _key(m.id)): _key(m.string)
            for m in read_po(fh, locale="fr")
            if m.id and _translated(m)
        }
    with open(TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.mo", "rb") as fh:
        mo = {(m.context, _key(m.id)): _key(m.string) for m in read_mo(fh) if m.id}
    assert mo == po, "messages.mo is stale: run `make translations`"
