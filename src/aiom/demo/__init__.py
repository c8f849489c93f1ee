"""The demo organisation and portfolio behind `aiom demo` and `make run`.

The loader sits above every app: it creates the organisation, people and use cases and
replays their history, then calls each app's own seeder (`<app>/demo.py`), which writes
that app's rows through that app's services.
"""
