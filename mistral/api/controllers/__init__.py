"""REST controllers: each checks input, makes ONE call, converts the result."""
