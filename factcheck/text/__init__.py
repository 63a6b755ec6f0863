"""Pure text helpers, below the models: no database, no Flask, importable from anywhere.

fold.py   the one fold for searching (article search, Find, Checked before?): case,
          accents, ligatures and typographic variants ignored, a character at a time
names.py  how a message names a claim: its words cut to ~60 characters, not its id
language.py  the language of a text, offline (py3langid), when nobody gave it
slugs.py  a slug from a name ("Desk Élections" → "desk-elections")
"""
