"""The executor: runs actions for the engine."""
