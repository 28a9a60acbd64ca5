package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func getJSON(t *testing.T, path string) (int, map[string]string) {
	t.Helper()
	server := httptest.NewServer(newMux())
	defer server.Close()
	response, err := http.Get(server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	var body map[string]string
	if response.StatusCode == http.StatusOK {
		if err := json.NewDecoder(response.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
	}
	return response.StatusCode, body
}

func TestHealthIsOK(t *testing.T) {
	status, body := getJSON(t, "/health")
	if status != http.StatusOK || body["status"] != "ok" {
		t.Fatalf("got %d %v", status, body)
	}
}

func TestHelloNamesTheService(t *testing.T) {
	status, body := getJSON(t, "/api/hello")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if body["service"] != "hello-go" || body["message"] != "Hello from hello-go!" {
		t.Fatalf("got %v", body)
	}
}

func TestUnknownPathIsNotFound(t *testing.T) {
	status, _ := getJSON(t, "/nope")
	if status != http.StatusNotFound {
		t.Fatalf("status %d", status)
	}
}

func TestHelloRefusesPost(t *testing.T) {
	server := httptest.NewServer(newMux())
	defer server.Close()
	response, err := http.Post(server.URL+"/api/hello", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	response.Body.Close()
	if response.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("status %d", response.StatusCode)
	}
}
