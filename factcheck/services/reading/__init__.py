"""Reading an article for the desk: known claims marked, claims worth checking suggested
(DESIGN.md, "Reading an article").

    known.py        each sentence's best approved claim or past fact-check, for the
                    article's project, scored per (sentence, claim)
    worth.py        the rule features and the transparent rule-based score
    learned.py      the logistic regression learned from the project's approved claims
    suggestions.py  compute and store (the background task), read for one person,
                    dismiss, accept

Sentences come from text/sentences.py: code-point spans of the article's current text.
"""
