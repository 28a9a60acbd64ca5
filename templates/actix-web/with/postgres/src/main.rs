use actix_web::{web, App, HttpServer};

/// Used when PORT is not set.
const DEFAULT_PORT: u16 = 8080;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Loopback by default; containers set HOST=0.0.0.0 so the published port reaches us.
    let host = std::env::var("HOST").unwrap_or_else(|_| "127.0.0.1".to_string());
    let port = match std::env::var("PORT") {
        Ok(value) => value.parse().expect("PORT must be a number between 0 and 65535"),
        Err(_) => DEFAULT_PORT,
    };
    // The schema is in place before the first request is served.
    let pool = hello_actix::connect().await.unwrap_or_else(|err| panic!("{err}"));
    println!("{} listening on http://{host}:{port}", hello_actix::SERVICE_NAME);
    // actix-web stops gracefully on SIGINT and SIGTERM by itself.
    HttpServer::new(move || App::new().app_data(web::Data::new(pool.clone())).configure(hello_actix::routes))
        .bind((host.as_str(), port))?
        .run()
        .await
}
