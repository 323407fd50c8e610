"""Storage: models, sessions and one data-access module per aggregate."""
