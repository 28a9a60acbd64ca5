"""`python -m hello_fastapi`: serve the app with uvicorn on HOST:PORT."""

import os

import uvicorn

# Used when PORT is not set.
DEFAULT_PORT = 8000


def main() -> None:
    # Loopback by default; containers set HOST=0.0.0.0 so the published port reaches us.
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", DEFAULT_PORT))
    uvicorn.run("hello_fastapi.app:app", host=host, port=port)


if __name__ == "__main__":
    main()
