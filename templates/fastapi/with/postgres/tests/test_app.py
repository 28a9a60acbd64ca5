"""Against the real database in DATABASE_URL: `poly run <service>:test` starts it first."""

import uuid

import pytest
from fastapi.testclient import TestClient

from hello_fastapi.app import app


@pytest.fixture(scope="module")
def client():
    # Entering the client runs the app's lifespan: the migration.
    with TestClient(app) as client:
        yield client


def test_health_is_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_hello_names_the_service(client):
    response = client.get("/api/hello")
    assert response.status_code == 200
    assert response.json() == {"service": "hello-fastapi", "message": "Hello from hello-fastapi!"}


def test_an_item_written_is_read_back(client):
    name = f"item-{uuid.uuid4()}"
    created = client.post("/api/items", json={"name": name})
    assert created.status_code == 201
    item = created.json()
    assert item["name"] == name
    read = client.get(f"/api/items/{item['id']}")
    assert read.status_code == 200
    assert read.json() == {"id": item["id"], "name": name}


def test_a_missing_item_is_not_found(client):
    assert client.get("/api/items/0").status_code == 404
