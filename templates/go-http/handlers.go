package main

import (
	"encoding/json"
	"net/http"
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

func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, health{Status: "ok"})
	})
	mux.HandleFunc("GET /api/hello", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, hello{Service: serviceName, Message: "Hello from " + serviceName + "!"})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
