import express from 'express';

/** The name this service reports about itself. */
export const SERVICE_NAME = 'hello-express';

/** The routes, apart from the listening socket so tests can start it on any port. */
export function createApp(): express.Express {
  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/api/hello', (_req, res) => {
    res.json({ service: SERVICE_NAME, message: `Hello from ${SERVICE_NAME}!` });
  });
  return app;
}
