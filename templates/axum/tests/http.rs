use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn get_json(path: &str) -> (StatusCode, Value) {
    let response = hello_axum::app()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
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
async fn unknown_path_is_not_found() {
    let response = hello_axum::app()
        .oneshot(Request::get("/nope").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
