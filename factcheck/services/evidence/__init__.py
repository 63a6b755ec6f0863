"""Evidence: sources you can replay (docs/contract/evidence.md).

    fetch.py      fetching a page safely: addresses checked, caps, reasons in words
    extract.py    a document's readable text (HTML, PDF, plain text), normalized
    capture.py    captures of a source: fetched in a task, or uploaded
    health.py     the link check of the sources cited by approved claims
    sources.py    a project's sources: one per normalized URL, created when first cited
    citations.py  what a claim says about each source: stance, excerpts checked
    importing.py  an article from a link: fetched, read, its language detected

The tasks that run captures and link checks are queued through factcheck/tasks.py.
"""
