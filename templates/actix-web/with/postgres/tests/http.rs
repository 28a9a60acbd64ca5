//! Against the real database in DATABASE_URL: `poly run <service>:test` starts it first.

use actix_web::{http::StatusCode, test, web, App};
use serde_json::{json, Value};

macro_rules! app {
    () => {{
        let pool = hello_actix::connect().await.expect("the database");
        test::init_service(App::new().app_data(web::Data::new(pool)).configure(hello_actix::routes)).await
    }};
}

#[actix_web::test]
async fn health_is_ok() {
    let app = app!();
    let body: Value = test::call_and_read_body_json(&app, test::TestRequest::get().uri("/health").to_request()).await;
    assert_eq!(body["status"], "ok");
}

#[actix_web::test]
async fn hello_names_the_service() {
    let app = app!();
    let response = test::call_service(&app, test::TestRequest::get().uri("/api/hello").to_request()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = test::read_body_json(response).await;
    assert_eq!(body["service"], "hello-actix");
    assert_eq!(body["message"], "Hello from hello-actix!");
}

#[actix_web::test]
async fn an_item_written_is_read_back() {
    let app = app!();
    let name = format!("item-{:?}", std::time::SystemTime::now());
    let request = test::TestRequest::post().uri("/api/items").set_json(json!({ "name": name })).to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = test::read_body_json(response).await;
    assert_eq!(created["name"], name.as_str());
    let uri = format!("/api/items/{}", created["id"]);
    let read: Value = test::call_and_read_body_json(&app, test::TestRequest::get().uri(&uri).to_request()).await;
    assert_eq!(read, created);
}

#[actix_web::test]
async fn a_missing_item_is_not_found() {
    let app = app!();
    let response = test::call_service(&app, test::TestRequest::get().uri("/api/items/0").to_request()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
