"""The service's routes. Tests call them through FastAPI's TestClient, without a socket."""

from fastapi import FastAPI
from pydantic import BaseModel

from hello_fastapi import SERVICE_NAME

app = FastAPI(title=SERVICE_NAME)


class Health(BaseModel):
    status: str


class Hello(BaseModel):
    service: str
    message: str


@app.get("/health")
def health() -> Health:
    return Health(status="ok")


@app.get("/api/hello")
def hello() -> Hello:
    return Hello(service=SERVICE_NAME, message=f"Hello from {SERVICE_NAME}!")
