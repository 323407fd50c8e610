"""Deep merge of JSON objects, the one rule used for env updates and
task contexts: nested objects merge key by key; lists and scalars are
replaced; keys are never deleted."""


def deep_merge(base, update):
    """A new dict: ``update`` merged into ``base`` (neither is modified)."""
    result = dict(base or {})
    for key, value in (update or {}).items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = value
    return result
