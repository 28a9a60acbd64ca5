"""hello-fastapi: a FastAPI service."""

SERVICE_NAME = "hello-fastapi"
