"""A workflow service compatible with OpenStack Mistral (API v2, language v2)."""
