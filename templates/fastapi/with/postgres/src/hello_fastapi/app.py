"""The service's routes. Tests call them through FastAPI's TestClient, against the real database."""

from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from hello_fastapi import SERVICE_NAME, db


@asynccontextmanager
async def lifespan(_app: FastAPI):
    # The schema is in place before the first request is served.
    db.migrate()
    yield


app = FastAPI(title=SERVICE_NAME, lifespan=lifespan)


class Health(BaseModel):
    status: str


class Hello(BaseModel):
    service: str
    message: str


class NewItem(BaseModel):
    name: str


class Item(BaseModel):
    id: int
    name: str


@app.get("/health")
def health() -> Health:
    return Health(status="ok")


@app.get("/api/hello")
def hello() -> Hello:
    return Hello(service=SERVICE_NAME, message=f"Hello from {SERVICE_NAME}!")


@app.post("/api/items", status_code=201)
def create_item(item: NewItem) -> Item:
    with db.connect() as conn:
        row = conn.execute(
            "INSERT INTO items (name) VALUES (%s) RETURNING id, name", (item.name,)
        ).fetchone()
    return Item(id=row[0], name=row[1])


@app.get("/api/items/{item_id}")
def read_item(item_id: int) -> Item:
    with db.connect() as conn:
        row = conn.execute("SELECT id, name FROM items WHERE id = %s", (item_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail="no such item")
    return Item(id=row[0], name=row[1])
