//! The service's routes, kept apart from `main` so tests can call them without a socket.

use axum::{routing::get, Json, Router};
use serde::Serialize;

/// The name this service reports about itself.
pub const SERVICE_NAME: &str = "hello-axum";

#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
}

#[derive(Serialize)]
pub struct Hello {
    pub service: &'static str,
    pub message: String,
}

pub fn app() -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/api/hello", get(hello))
}

async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

async fn hello() -> Json<Hello> {
    Json(Hello {
        service: SERVICE_NAME,
        message: format!("Hello from {SERVICE_NAME}!"),
    })
}
