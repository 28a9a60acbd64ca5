import { createApp, SERVICE_NAME } from './app.js';
import { createPool, migrate } from './db.js';

/** Used when PORT is not set. */
const DEFAULT_PORT = 3000;

// Loopback by default; containers set HOST=0.0.0.0 so the published port reaches us.
const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || DEFAULT_PORT);

const pool = createPool();
// The schema is in place before the first request is served.
await migrate(pool);
const server = createApp(pool).listen(port, host, () => {
  console.log(`${SERVICE_NAME} listening on http://${host}:${port}`);
});

// Finish in-flight requests on Ctrl-C or SIGTERM (what `poly down` and Docker send).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => pool.end().then(() => process.exit(0))));
}
