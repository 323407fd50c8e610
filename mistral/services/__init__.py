"""Operations on definitions that combine parsing with storage, each in one
transaction (executions go through the engine instead)."""
