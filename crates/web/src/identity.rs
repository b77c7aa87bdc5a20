//! Who is asking. Guests can start at once: the first request without a valid identity cookie
//! gets a fresh random one (HttpOnly, SameSite=Lax). The accounts layer later lets an account
//! adopt a guest's history.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The identity cookie's name.
pub const COOKIE_NAME: &str = "gmc_id";

/// The identity of the requester: the signed-in account's id, or the guest's
/// (`g-` and 32 random hex digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity(pub String);

/// The client's address: the peer's, or the one a trusted proxy forwarded (`client.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// The guest identity of this browser, signed in or not (for adopting its history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest(pub String);

fn valid(value: &str) -> bool {
    value
        .strip_prefix("g-")
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn from_cookie_header(header: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE_NAME && valid(value))
        .map(|(_, value)| value.to_owned())
}

/// Middleware: finds the identity in the cookie or issues a new one, and makes it available to
/// handlers through the [`Identity`] extractor.
pub async fn identify(
    State(state): State<crate::AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let existing = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(from_cookie_header);
    let (id, issued) = match existing {
        Some(id) => (id, false),
        None => (format!("g-{}", uuid::Uuid::new_v4().simple()), true),
    };
    let account = request
        .extensions()
        .get::<crate::auth::AuthSession>()
        .and_then(|session| session.user.as_ref().map(|u| u.0.id.clone()));
    let ip = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(
            || "unknown".to_owned(),
            |c| {
                let peer = c.0.ip();
                state
                    .trusted_proxies
                    .client(peer, request.headers())
                    .to_string()
            },
        );
    request.extensions_mut().insert(ClientIp(ip));
    request.extensions_mut().insert(Guest(id.clone()));
    request
        .extensions_mut()
        .insert(Identity(account.unwrap_or_else(|| id.clone())));
    let mut response = next.run(request).await;
    if issued {
        let secure = if state.https { "; Secure" } else { "" };
        let cookie =
            format!("{COOKIE_NAME}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ClientIp>()
            .cloned()
            .unwrap_or_else(|| ClientIp("unknown".into())))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Guest {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Guest>().cloned().ok_or((
            StatusCode::INTERNAL_SERVER_ERROR,
            "identity middleware missing",
        ))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Identity>().cloned().ok_or((
            StatusCode::INTERNAL_SERVER_ERROR,
            "identity middleware missing",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_identities_are_read_from_cookies() {
        let good = "g-0123456789abcdef0123456789abcdef";
        assert_eq!(
            from_cookie_header(&format!("a=b; {COOKIE_NAME}={good}")),
            Some(good.to_owned())
        );
        assert_eq!(from_cookie_header(&format!("{COOKIE_NAME}=g-short")), None);
        assert_eq!(from_cookie_header(&format!("{COOKIE_NAME}=admin")), None);
        assert_eq!(from_cookie_header("other=1"), None);
    }
}
