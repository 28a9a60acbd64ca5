//! Against the real database in DATABASE_URL: `poly run <service>:test` starts it first.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn send(request: Request<Body>) -> (StatusCode, Value) {
    let pool = hello_axum::connect().await.expect("the database");
    let response = hello_axum::app(pool).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn get_json(path: &str) -> (StatusCode, Value) {
    send(Request::get(path).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn health_is_ok() {
    let (status, body) = get_json("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn hello_names_the_service() {
    let (status, body) = get_json("/api/hello").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["service"], "hello-axum");
    assert_eq!(body["message"], "Hello from hello-axum!");
}

#[tokio::test]
async fn an_item_written_is_read_back() {
    let name = format!("item-{:?}", std::time::SystemTime::now());
    let (status, created) = send(
        Request::post("/api/items")
            .header("content-type", "application/json")
            .body(Body::from(json!({ "name": name }).to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["name"], name.as_str());
    let (status, read) = get_json(&format!("/api/items/{}", created["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, created);
}

#[tokio::test]
async fn a_missing_item_is_not_found() {
    let (status, _) = get_json("/api/items/0").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
