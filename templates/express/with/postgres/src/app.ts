import express from 'express';
import type pg from 'pg';

/** The name this service reports about itself. */
export const SERVICE_NAME = 'hello-express';

interface Item {
  id: number;
  name: string;
}

/** The routes, apart from the listening socket so tests can start it on any port. */
export function createApp(pool: pg.Pool): express.Express {
  const app = express();
  app.use(express.json());
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/api/hello', (_req, res) => {
    res.json({ service: SERVICE_NAME, message: `Hello from ${SERVICE_NAME}!` });
  });
  app.post('/api/items', async (req, res) => {
    const name: unknown = req.body?.name;
    if (typeof name !== 'string') {
      res.status(400).json({ error: 'name must be a string' });
      return;
    }
    const { rows } = await pool.query('INSERT INTO items (name) VALUES ($1) RETURNING id, name', [name]);
    res.status(201).json(toItem(rows[0]));
  });
  app.get('/api/items/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id)) {
      res.status(404).json({ error: 'no such item' });
      return;
    }
    const { rows } = await pool.query('SELECT id, name FROM items WHERE id = $1', [id]);
    if (rows.length === 0) res.status(404).json({ error: 'no such item' });
    else res.json(toItem(rows[0]));
  });
  return app;
}

/** BIGSERIAL comes back as a string (it may exceed a JS number); ids here stay well inside. */
function toItem(row: { id: string; name: string }): Item {
  return { id: Number(row.id), name: row.name };
}
