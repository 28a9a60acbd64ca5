use std::net::SocketAddr;

/// Used when PORT is not set.
const DEFAULT_PORT: u16 = 3000;

#[tokio::main]
async fn main() {
    // Loopback by default; containers set HOST=0.0.0.0 so the published port reaches us.
    let host = std::env::var("HOST").unwrap_or_else(|_| "127.0.0.1".to_string());
    let port = match std::env::var("PORT") {
        Ok(value) => value.parse().expect("PORT must be a number between 0 and 65535"),
        Err(_) => DEFAULT_PORT,
    };
    let addr: SocketAddr = format!("{host}:{port}")
        .parse()
        .expect("HOST must be an IP address");

    // The schema is in place before the first request is served.
    let pool = hello_axum::connect().await.unwrap_or_else(|err| panic!("{err}"));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .unwrap_or_else(|err| panic!("cannot listen on {addr}: {err}"));
    println!("{} listening on http://{}", hello_axum::SERVICE_NAME, listener.local_addr().unwrap());
    axum::serve(listener, hello_axum::app(pool))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .expect("server error");
}

/// Finish in-flight requests on Ctrl-C or SIGTERM (what `poly down` and Docker send).
async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            term.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
