//! The service's routes, kept apart from `main` so tests can call them without a socket.

use actix_web::{get, web, HttpResponse, Responder};
use serde::Serialize;

/// The name this service reports about itself.
pub const SERVICE_NAME: &str = "hello-actix";

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

#[derive(Serialize)]
struct Hello {
    service: &'static str,
    message: String,
}

/// Registers every route; `App::new().configure(routes)` in main and in the tests.
pub fn routes(config: &mut web::ServiceConfig) {
    config.service(health).service(hello);
}

#[get("/health")]
async fn health() -> impl Responder {
    HttpResponse::Ok().json(Health { status: "ok" })
}

#[get("/api/hello")]
async fn hello() -> impl Responder {
    HttpResponse::Ok().json(Hello {
        service: SERVICE_NAME,
        message: format!("Hello from {SERVICE_NAME}!"),
    })
}
