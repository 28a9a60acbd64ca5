package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// serviceName is the name this service reports about itself.
const serviceName = "hello-go"

type health struct {
	Status string `json:"status"`
}

type hello struct {
	Service string `json:"service"`
	Message string `json:"message"`
}

type item struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func newMux(pool *pgxpool.Pool) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, health{Status: "ok"})
	})
	mux.HandleFunc("GET /api/hello", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, hello{Service: serviceName, Message: "Hello from " + serviceName + "!"})
	})
	mux.HandleFunc("POST /api/items", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Name *string `json:"name"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name == nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "name must be a string"})
			return
		}
		var created item
		err := pool.QueryRow(r.Context(), "INSERT INTO items (name) VALUES ($1) RETURNING id, name", *body.Name).
			Scan(&created.ID, &created.Name)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusCreated, created)
	})
	mux.HandleFunc("GET /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such item"})
			return
		}
		var found item
		err = pool.QueryRow(r.Context(), "SELECT id, name FROM items WHERE id = $1", id).Scan(&found.ID, &found.Name)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such item"})
		case err != nil:
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		default:
			writeJSON(w, http.StatusOK, found)
		}
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
