//! The service's routes, kept apart from `main` so tests can call them without a socket.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

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

#[derive(Deserialize)]
pub struct NewItem {
    pub name: String,
}

#[derive(Serialize, sqlx::FromRow)]
pub struct Item {
    pub id: i64,
    pub name: String,
}

/// Connects to DATABASE_URL (poly sets it from the db service's URL) and runs migrations/.
pub async fn connect() -> Result<PgPool, String> {
    let url = std::env::var("DATABASE_URL").map_err(|_| {
        "DATABASE_URL is not set: run through poly (poly up, poly run <service>:test), \
         or set it to postgres://user:password@host:port/database"
            .to_string()
    })?;
    let pool = PgPool::connect(&url).await.map_err(|err| format!("cannot connect to {url}: {err}"))?;
    sqlx::migrate!().run(&pool).await.map_err(|err| format!("migration failed: {err}"))?;
    Ok(pool)
}

pub fn app(pool: PgPool) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/api/hello", get(hello))
        .route("/api/items", post(create_item))
        .route("/api/items/{id}", get(read_item))
        .with_state(pool)
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

async fn create_item(
    State(pool): State<PgPool>,
    Json(item): Json<NewItem>,
) -> Result<(StatusCode, Json<Item>), (StatusCode, String)> {
    let created = sqlx::query_as::<_, Item>("INSERT INTO items (name) VALUES ($1) RETURNING id, name")
        .bind(item.name)
        .fetch_one(&pool)
        .await
        .map_err(internal)?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn read_item(
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
) -> Result<Json<Item>, (StatusCode, String)> {
    sqlx::query_as::<_, Item>("SELECT id, name FROM items WHERE id = $1")
        .bind(id)
        .fetch_optional(&pool)
        .await
        .map_err(internal)?
        .map(Json)
        .ok_or((StatusCode::NOT_FOUND, "no such item".to_string()))
}

fn internal(err: sqlx::Error) -> (StatusCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, err.to_string())
}
