"""The catalog: products as JSON, standard library only."""
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PRODUCTS = [
    {"id": 1, "name": "Teapot", "price": 18.5},
    {"id": 2, "name": "Mug", "price": 6.0},
    {"id": 3, "name": "Loose-leaf tea, 250 g", "price": 9.9},
]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            return self.send_json({"status": "ok"})
        if self.path == "/products":
            return self.send_json(PRODUCTS)
        self.send_json({"error": "not found"}, 404)

    def send_json(self, data, status=200):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        if self.path == "/health":
            return  # poly checks it every half second
        print(f"{self.command} {self.path} {args[1] if len(args) > 1 else ''}", flush=True)


if __name__ == "__main__":
    port = int(os.environ["PORT"])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"catalog listening on {port}", flush=True)
    server.serve_forever()
