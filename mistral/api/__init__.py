"""REST API v2: Pecan application, hooks, controllers and WSME resources."""
