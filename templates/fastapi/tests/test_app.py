from fastapi.testclient import TestClient

from hello_fastapi.app import app

client = TestClient(app)


def test_health_is_ok():
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_hello_names_the_service():
    response = client.get("/api/hello")
    assert response.status_code == 200
    assert response.json() == {"service": "hello-fastapi", "message": "Hello from hello-fastapi!"}


def test_unknown_path_is_not_found():
    assert client.get("/nope").status_code == 404
