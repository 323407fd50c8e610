"""Actions: std.* classes, the registry (built-ins + ``mistral.actions`` entry
points), input validation and the runner the executor calls."""
