//! The least work any HTTPS proxy does: the TLS handshake and a byte pipe to
//! the service, with no HTTP parsing, no routing and no headers. The proxy
//! bench runs it as a reference side, so a run shows how much of the gap to
//! plain HTTP is the machine's (TLS, one more hop, processes sharing cores)
//! and how much is poly's proxy. Configured by the environment: PORT (listen
//! on 127.0.0.1), UP (the service's port), PEM (key and certificate).
use std::{env, fs::File, io::BufReader, sync::Arc};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{rustls, TlsAcceptor};

fn var(name: &str) -> String {
    env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

#[tokio::main(worker_threads = 2)]
async fn main() {
    let pem = var("PEM");
    let open = || BufReader::new(File::open(&pem).expect("PEM is readable"));
    let certs = rustls_pemfile::certs(&mut open())
        .collect::<Result<Vec<_>, _>>()
        .expect("PEM holds certificates");
    let key = rustls_pemfile::private_key(&mut open())
        .expect("PEM is readable")
        .expect("PEM holds a key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS 1.2 and 1.3")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("a usable key and certificate");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let upstream = format!("127.0.0.1:{}", var("UP"));
    let listener = TcpListener::bind(format!("127.0.0.1:{}", var("PORT"))).await.expect("PORT is free");
    println!("up");
    loop {
        let Ok((socket, _)) = listener.accept().await else { continue };
        let _ = socket.set_nodelay(true);
        let (acceptor, upstream) = (acceptor.clone(), upstream.clone());
        tokio::spawn(async move {
            let Ok(mut client) = acceptor.accept(socket).await else { return };
            let Ok(mut service) = TcpStream::connect(upstream).await else { return };
            let _ = service.set_nodelay(true);
            let _ = tokio::io::copy_bidirectional(&mut client, &mut service).await;
        });
    }
}
