"""Errors raised by the generated layer.

Error statuses raise the typed errors of ``openai_videos_core`` (``NotFoundError``,
``RateLimitError``, ...: one hierarchy for this layer and the ``openai_videos`` client, status,
request id and the OpenAI error ``code``/``param`` included); ``PayloadError`` is a body that
does not fit its model.
"""

from openai_videos_core import APIStatusError, PayloadError, status_error

__all__ = ["APIStatusError", "PayloadError", "status_error"]
