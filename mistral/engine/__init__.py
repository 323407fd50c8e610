"""The workflow engine: state tables, navigator, task and workflow handling,
the RPC manager and client, the scheduler."""
