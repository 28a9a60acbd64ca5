-- Run once by sqlx::migrate! at start (recorded in _sqlx_migrations).
CREATE TABLE IF NOT EXISTS items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
