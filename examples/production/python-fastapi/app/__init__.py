"""A small FastAPI service built for a production container image."""
