// Command hello-go is a small HTTP service built on the standard library's net/http.
package main

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// defaultPort is used when PORT is not set.
const defaultPort = "8080"

func main() {
	// Loopback by default; containers set HOST=0.0.0.0 so the published port reaches us.
	host := envOr("HOST", "127.0.0.1")
	port := envOr("PORT", defaultPort)
	addr := net.JoinHostPort(host, port)

	// The schema is in place before the first request is served.
	pool, err := openDatabase(context.Background())
	if err != nil {
		log.Fatalf("database: %v", err)
	}
	defer pool.Close()

	server := &http.Server{
		Addr:              addr,
		Handler:           newMux(pool),
		ReadHeaderTimeout: 10 * time.Second,
	}

	// Finish in-flight requests on Ctrl-C or SIGTERM (what `poly down` and Docker send).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdownCtx)
	}()

	log.Printf("%s listening on http://%s", serviceName, addr)
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

func envOr(name, fallback string) string {
	if value, ok := os.LookupEnv(name); ok && value != "" {
		return value
	}
	return fallback
}
