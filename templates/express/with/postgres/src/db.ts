import pg from 'pg';

/** Run in order at start; each statement is safe to run again on a database that has it. */
const MIGRATIONS = ['CREATE TABLE IF NOT EXISTS items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)'];

/** A pool on DATABASE_URL (poly sets it from the db service's URL). */
export function createPool(): pg.Pool {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      'DATABASE_URL is not set: run through poly (poly up, poly run <service>:test), ' +
        'or set it to postgres://user:password@host:port/database',
    );
  }
  return new pg.Pool({ connectionString });
}

export async function migrate(pool: pg.Pool): Promise<void> {
  for (const statement of MIGRATIONS) await pool.query(statement);
}
