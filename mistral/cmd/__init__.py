"""Console scripts, one small module each."""
