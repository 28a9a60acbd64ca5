use actix_web::{http::StatusCode, test, App};
use serde_json::Value;

#[actix_web::test]
async fn health_is_ok() {
    let app = test::init_service(App::new().configure(hello_actix::routes)).await;
    let body: Value = test::call_and_read_body_json(&app, test::TestRequest::get().uri("/health").to_request()).await;
    assert_eq!(body["status"], "ok");
}

#[actix_web::test]
async fn hello_names_the_service() {
    let app = test::init_service(App::new().configure(hello_actix::routes)).await;
    let response = test::call_service(&app, test::TestRequest::get().uri("/api/hello").to_request()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = test::read_body_json(response).await;
    assert_eq!(body["service"], "hello-actix");
    assert_eq!(body["message"], "Hello from hello-actix!");
}

#[actix_web::test]
async fn unknown_path_is_not_found() {
    let app = test::init_service(App::new().configure(hello_actix::routes)).await;
    let response = test::call_service(&app, test::TestRequest::get().uri("/nope").to_request()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
