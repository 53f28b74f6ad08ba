//! Cakap's web layer: server-rendered pages (askama + htmx) and the JSON API under
//! `/api/v1`. Handlers are thin: they parse, call a service, and render.

pub mod api;
mod assets;
pub mod ctx;
pub mod error;
mod extract;
pub mod i18n;
pub mod pages;
mod plan_reasons;
pub mod xapi;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware;
use axum::routing::get;
use cakap_services::Db;

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// Where people reach this server, e.g. `https://cakap.acehbaratdayakab.go.id`: the start
    /// of every absolute link printed or sent (a certificate's QR code). Never taken from the
    /// request's `Host` header, which the client chooses. Empty: `serve` fills in the
    /// listening address (`http://127.0.0.1:PORT`).
    pub public_url: String,
    /// `smtp://[user:pass@]host[:port]`: e-mail for notifications; none → in-app only.
    pub smtp_url: Option<String>,
    /// The sender of that e-mail, e.g. `Cakap BKPSDM <cakap@acehbaratdayakab.go.id>`.
    pub mail_from: String,
}

impl Config {
    /// [`Config::public_url`] without a trailing slash (`http://localhost` when unset).
    pub fn public_url(&self) -> &str {
        match self.public_url.trim_end_matches('/') {
            "" => "http://localhost",
            url => url,
        }
    }
}

/// Checks a `--public-url`: `http://` or `https://`, a host, no query, fragment, spaces or
/// user info. Returns it without a trailing slash.
pub fn parse_public_url(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("the public URL must start with http:// or https://")?;
    let host = rest.split('/').next().unwrap_or("");
    let bad = |c: char| c.is_whitespace() || c.is_control() || "?#@\\\"'<>".contains(c);
    if host.is_empty() || url.chars().any(bad) {
        return Err(format!("not a usable public URL: {url}"));
    }
    Ok(url.to_string())
}

/// `http://IP:PORT` for a listening address, with 127.0.0.1 (or ::1) for "every address".
pub fn local_url(addr: SocketAddr) -> String {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    format!("http://{addr}")
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub openapi: axum::body::Bytes,
}

/// Largest JSON body the API reads.
pub const JSON_LIMIT: usize = 256 * 1024;

/// The whole application as a router: tests call it directly, `serve` binds it.
pub fn router(db: Db, config: Config) -> Router {
    // Parse the locale files now: a broken one fails at start, not on a request.
    let _ = (i18n::ID.len(), i18n::EN.len());
    let (api, openapi) = api::router();
    let openapi = serde_json::to_string_pretty(&openapi).unwrap_or_else(|_| "{}".into());
    let state = AppState {
        db,
        config: Arc::new(config),
        openapi: axum::body::Bytes::from(openapi),
    };
    let api = api
        .route("/openapi.json", get(api::openapi_json))
        .fallback(api::not_found)
        .layer(DefaultBodyLimit::max(JSON_LIMIT));
    let app = Router::new()
        .nest("/api/v1", api)
        .route("/api/{*rest}", get(api::not_found).post(api::not_found))
        .merge(pages::router())
        .route(
            "/.well-known/cakap-keys.json",
            get(api::learning::published_keys),
        )
        .route("/healthz", get(healthz))
        .route("/static/{version}/{*file}", get(assets::serve))
        .fallback(pages::not_found)
        .layer(middleware::from_fn(ctx::csrf))
        .layer(middleware::from_fn_with_state(state.clone(), ctx::context));
    // The LRS has its own credentials (Basic, per client) and no cookies: it stands outside
    // the session and CSRF layers.
    Router::new()
        .nest("/xapi", xapi::router(state.clone()))
        .merge(app)
        .layer(middleware::map_response(security_headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

async fn healthz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    match s.db.conn().await {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        ),
    }
}

/// A panic in a handler is a bug: log it, answer an opaque 500, keep serving.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    use axum::response::IntoResponse;
    tracing::error!("handler panicked");
    error::ApiError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "error.internal",
    )
    .into_response()
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

async fn security_headers(mut res: axum::response::Response) -> axum::response::Response {
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Personal data must not come back from the cache after logout on a shared computer;
        // static files set their own (long) caching and keep it.
        (header::CACHE_CONTROL, "no-store"),
    ] {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    }
    res
}

pub fn session_cookie(config: &Config, id: &str) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={id}; Path=/; HttpOnly; SameSite=Lax{secure}",
        ctx::SESSION_COOKIE
    )
}

pub fn clear_cookie(name: &str) -> String {
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The caller's address for login throttling. Behind a trusted proxy it is the last
/// `X-Forwarded-For` entry — the one the proxy appended; earlier entries are the client's
/// own claims.
pub fn client_address(headers: &HeaderMap, peer: SocketAddr, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return first.trim().to_string();
    }
    peer.ip().to_string()
}

/// Binds `addr` and serves until Ctrl-C or SIGTERM. Returns the bound address through
/// `on_bound` first (port 0 picks a free one).
pub async fn serve(
    db: Db,
    mut config: Config,
    addr: &str,
    on_bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    if config.public_url.is_empty() {
        config.public_url = local_url(bound);
    }
    if let Some(url) = config.smtp_url.as_deref() {
        let from = match config.mail_from.trim() {
            "" => "Cakap <cakap@localhost>",
            f => f,
        };
        cakap_services::mail::configure(&db, url, from, config.public_url())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    }
    on_bound(bound);
    // Reminders and e-mail: jobs in the database, claimed once whichever server runs them.
    cakap_services::jobs::spawn(db.clone(), std::time::Duration::from_secs(15));
    let upkeep = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = cakap_services::auth::purge(&upkeep).await {
                tracing::warn!(error = %e, "purging old sessions and login failures");
            }
        }
    });
    let app = router(db, config);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
