package main

import (
	"context"
	"errors"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations run in order at start; each is safe to run again on a database that has it.
var migrations = []string{
	`CREATE TABLE IF NOT EXISTS items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)`,
}

// openDatabase connects to DATABASE_URL (poly sets it from the db service's URL) and migrates it.
func openDatabase(ctx context.Context) (*pgxpool.Pool, error) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return nil, errors.New("DATABASE_URL is not set: run through poly (poly up, poly run <service>:test), " +
			"or set it to postgres://user:password@host:port/database")
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	for _, statement := range migrations {
		if _, err := pool.Exec(ctx, statement); err != nil {
			pool.Close()
			return nil, err
		}
	}
	return pool, nil
}
