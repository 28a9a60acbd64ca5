// Against the real database in DATABASE_URL: `poly run <service>:test` starts it first.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

var pool *pgxpool.Pool

func TestMain(m *testing.M) {
	var err error
	pool, err = openDatabase(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	pool.Close()
	os.Exit(code)
}

func request(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	server := httptest.NewServer(newMux(pool))
	defer server.Close()
	req, err := http.NewRequest(method, server.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	response, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	var decoded map[string]any
	if response.StatusCode < 300 {
		if err := json.NewDecoder(response.Body).Decode(&decoded); err != nil {
			t.Fatal(err)
		}
	}
	return response.StatusCode, decoded
}

func TestHealthIsOK(t *testing.T) {
	status, body := request(t, "GET", "/health", "")
	if status != http.StatusOK || body["status"] != "ok" {
		t.Fatalf("got %d %v", status, body)
	}
}

func TestHelloNamesTheService(t *testing.T) {
	status, body := request(t, "GET", "/api/hello", "")
	if status != http.StatusOK || body["service"] != "hello-go" || body["message"] != "Hello from hello-go!" {
		t.Fatalf("got %d %v", status, body)
	}
}

func TestAnItemWrittenIsReadBack(t *testing.T) {
	name := fmt.Sprintf("item-%d", time.Now().UnixNano())
	status, created := request(t, "POST", "/api/items", fmt.Sprintf(`{"name":%q}`, name))
	if status != http.StatusCreated || created["name"] != name {
		t.Fatalf("POST: got %d %v", status, created)
	}
	id := int64(created["id"].(float64))
	status, read := request(t, "GET", fmt.Sprintf("/api/items/%d", id), "")
	if status != http.StatusOK || read["name"] != name || int64(read["id"].(float64)) != id {
		t.Fatalf("GET: got %d %v", status, read)
	}
}

func TestAMissingItemIsNotFound(t *testing.T) {
	status, _ := request(t, "GET", "/api/items/0", "")
	if status != http.StatusNotFound {
		t.Fatalf("status %d", status)
	}
}
