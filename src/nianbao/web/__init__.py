"""The web app: a thin Django layer over the library (uploads, report pages, region dashboard, author pages).

Layout:
    settings.py   one place for configuration (NIANBAO_DATA, NIANBAO_DATABASE_URL, limits)
    models.py     units tree, profiles (roles), uploads, reports with versions, findings, decisions, ledgers
    scope.py      who may see or change what: every view asks here
    responses.py  one `page()` that answers HTML or its JSON twin; one JSON error shape
    ingest.py     upload → stored files → background processing with the library (extract + check)
    jobs.py       the background worker (a thread in `nianbao serve`; `run_pending()` in tests)
    views/        one module per area, each with its own urls
"""
