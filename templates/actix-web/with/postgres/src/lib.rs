//! The service's routes, kept apart from `main` so tests can call them without a socket.

use actix_web::{get, post, web, HttpResponse, Responder};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

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

#[derive(Deserialize)]
struct NewItem {
    name: String,
}

#[derive(Serialize, sqlx::FromRow)]
struct Item {
    id: i64,
    name: String,
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

/// Registers every route; `App::new().app_data(web::Data::new(pool)).configure(routes)` in main and in the tests.
pub fn routes(config: &mut web::ServiceConfig) {
    config.service(health).service(hello).service(create_item).service(read_item);
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

#[post("/api/items")]
async fn create_item(pool: web::Data<PgPool>, item: web::Json<NewItem>) -> HttpResponse {
    let created = sqlx::query_as::<_, Item>("INSERT INTO items (name) VALUES ($1) RETURNING id, name")
        .bind(&item.name)
        .fetch_one(pool.get_ref())
        .await;
    match created {
        Ok(row) => HttpResponse::Created().json(row),
        Err(err) => HttpResponse::InternalServerError().body(err.to_string()),
    }
}

#[get("/api/items/{id}")]
async fn read_item(pool: web::Data<PgPool>, id: web::Path<i64>) -> HttpResponse {
    let found = sqlx::query_as::<_, Item>("SELECT id, name FROM items WHERE id = $1")
        .bind(id.into_inner())
        .fetch_optional(pool.get_ref())
        .await;
    match found {
        Ok(Some(row)) => HttpResponse::Ok().json(row),
        Ok(None) => HttpResponse::NotFound().body("no such item"),
        Err(err) => HttpResponse::InternalServerError().body(err.to_string()),
    }
}
