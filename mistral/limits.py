"""The field size limit (``[engine] execution_field_size_limit_kb``)."""

import json

from mistral import exceptions as exc


def check_size(field, value, limit_kb):
    """Raise SizeLimitExceededError (400) when ``value`` as JSON exceeds the limit.

    :param field: the name used in the message (e.g. 'input', 'params.env').
    :param limit_kb: the limit in KiB; negative means no limit.
    """
    if limit_kb is None or limit_kb < 0 or value is None:
        return
    size = len(json.dumps(value, separators=(",", ":")).encode("utf-8"))
    if size > limit_kb * 1024:
        raise exc.SizeLimitExceededError(
            "Field '%s' is too large: %d KiB, the limit is %d KiB "
            "([engine] execution_field_size_limit_kb)" % (field, (size + 1023) // 1024, limit_kb)
        )
