"""The clients' I/O loops: ``_async`` is written by hand, ``_sync`` is generated from it by
``scripts/unasync.py`` (``make generate``)."""
