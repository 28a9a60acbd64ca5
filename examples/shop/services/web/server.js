// The web front end: one HTML page built from the gateway's API. No dependencies.
// It reaches the gateway through GATEWAY_URL, which poly injects.
import http from 'node:http';

const gateway = process.env.GATEWAY_URL;
const port = Number(process.env.PORT);

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const server = http.createServer(async (req, res) => {
  if (req.url === '/health') return res.end('{"status":"ok"}');
  if (req.url !== '/') {
    res.statusCode = 404;
    return res.end('not found');
  }
  try {
    const products = await (await fetch(`${gateway}/api/products`)).json();
    const rows = products.map((p) => `<li>${escape(p.name)}: ${p.price.toFixed(2)} €</li>`).join('');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>Shop</title><h1>Shop</h1><ul>${rows}</ul>`);
    console.log(`GET / -> ${products.length} products`);
  } catch (err) {
    res.statusCode = 502;
    res.end(`gateway unreachable: ${err.message}`);
  }
});

server.listen(port, '127.0.0.1', () => console.log(`web listening on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
