//! `/api/v1/openapi.json` describes the API the handlers serve; a snapshot catches every change.

use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_openapi_document_describes_every_attempt_route() {
    let app = TestApp::spawn().await;
    let page = app.get("/api/v1/openapi.json").await;
    assert_eq!(page.status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&page.body).expect("JSON");
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/v1/attempts", "post"),
        ("/api/v1/attempts", "get"),
        ("/api/v1/attempts/{id}", "get"),
        ("/api/v1/attempts/{id}/items/{n}", "get"),
        ("/api/v1/attempts/{id}/items/{n}/response", "put"),
        ("/api/v1/attempts/{id}/submit", "post"),
        ("/api/v1/attempts/{id}/report", "get"),
        ("/api/v1/attempts/{id}/items/{n}/feedback", "post"),
        ("/api/v1/review", "get"),
        ("/api/v1/review", "put"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is described"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for schema in [
        "AttemptView",
        "ServedItem",
        "Report",
        "StartRequest",
        "ErrorBody",
    ] {
        assert!(schemas.contains_key(schema), "schema {schema}");
    }
    let served: Vec<&String> = schemas["ServedItem"]["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .collect();
    for secret in ["rationale", "correct", "key", "explanation", "scored"] {
        assert!(
            !served.iter().any(|k| k.as_str() == secret),
            "a served item has no `{secret}` field: {served:?}"
        );
    }
    // Every operation says it may find the database out of reach; every write, that it may be
    // throttled; both with Retry-After.
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("operations") {
            let answers = &operation["responses"];
            assert!(
                answers["503"]["headers"]["Retry-After"].is_object(),
                "{method} {path} documents 503"
            );
            if method != "get" {
                assert!(
                    answers["429"]["headers"]["Retry-After"].is_object(),
                    "{method} {path} documents 429"
                );
            }
        }
    }
    insta::assert_json_snapshot!("openapi", doc);
}
