// The gateway: the public API of the shop, standard library only.
// It reaches the catalog through CATALOG_URL, which poly injects.
package main

import (
	"io"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	catalog := os.Getenv("CATALOG_URL")
	client := &http.Client{Timeout: 5 * time.Second}

	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"status":"ok"}`))
	})
	mux.HandleFunc("/api/products", func(w http.ResponseWriter, r *http.Request) {
		res, err := client.Get(catalog + "/products")
		if err != nil {
			http.Error(w, `{"error":"catalog unreachable"}`, http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(res.StatusCode)
		io.Copy(w, res.Body)
		log.Printf("GET /api/products -> catalog %d", res.StatusCode)
	})

	addr := "127.0.0.1:" + os.Getenv("PORT")
	log.SetOutput(os.Stdout)
	log.Printf("gateway listening on %s, catalog at %s", addr, catalog)
	log.Fatal(http.ListenAndServe(addr, mux))
}
