"""The ``mistral`` command line (cliff commands, one module per resource)."""
