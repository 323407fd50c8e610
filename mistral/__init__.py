"""A workflow service compatible with OpenStack Mistral (API v2, language v2)."""

import warnings

# oslo.messaging imports oslo.service, which warns about eventlet on import
# even though nothing here uses eventlet (every server runs on threads).
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
