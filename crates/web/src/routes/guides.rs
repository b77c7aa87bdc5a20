//! The study guides: `/algorithms`, `/services`, `/careers` and `/faq`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use std::sync::Arc;

use getmycert_content::{Content, Service};

use crate::AppState;
use crate::views::Nav;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/algorithms", get(algorithms))
        .route("/services", get(services))
        .route("/careers", get(careers))
        .route("/faq", get(faq))
}

#[derive(Template, WebTemplate)]
#[template(path = "algorithms.html")]
struct AlgorithmsPage {
    nav: Nav,
    content: Arc<Content>,
}

async fn algorithms(State(state): State<AppState>) -> AlgorithmsPage {
    AlgorithmsPage {
        nav: Nav::at("/algorithms"),
        content: state.engine.shared_content(),
    }
}

/// Services of one category.
struct Category {
    name: String,
    services: Vec<Service>,
}

#[derive(Template, WebTemplate)]
#[template(path = "services.html")]
struct ServicesPage {
    nav: Nav,
    count: usize,
    categories: Vec<Category>,
}

async fn services(State(state): State<AppState>) -> ServicesPage {
    let all = &state.content().guides.services;
    let mut categories: Vec<Category> = Vec::new();
    for service in all {
        match categories.iter_mut().find(|c| c.name == service.category) {
            Some(category) => category.services.push(service.clone()),
            None => categories.push(Category {
                name: service.category.clone(),
                services: vec![service.clone()],
            }),
        }
    }
    ServicesPage {
        nav: Nav::at("/services"),
        count: all.len(),
        categories,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "careers.html")]
struct CareersPage {
    nav: Nav,
    content: Arc<Content>,
}

async fn careers(State(state): State<AppState>) -> CareersPage {
    CareersPage {
        nav: Nav::at("/careers"),
        content: state.engine.shared_content(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "faq.html")]
struct FaqPage {
    nav: Nav,
    content: Arc<Content>,
}

async fn faq(State(state): State<AppState>) -> FaqPage {
    FaqPage {
        nav: Nav::at("/faq"),
        content: state.engine.shared_content(),
    }
}
