//! HTTP: the router (API + OpenAPI + web client) and its middleware stack.

pub mod auth;
pub mod coffres;
pub mod deposit_categories;
pub mod deposits;
pub mod epoch;
pub mod errors;
pub mod generations;
pub mod headers;
pub mod health;
pub mod instance;
pub mod invitations;
pub mod journal;
pub mod json;
pub mod limits;
pub mod mandate_access;
pub mod mandate_notes;
pub mod mandates;
pub mod memberships;
pub mod org_proposals;
pub mod org_wraps;
pub mod organisations;
pub mod paper_index;
pub mod paper_list;
pub mod papers;
pub mod passkeys;
pub mod received_categories;
pub mod remembered;
pub mod session;
pub mod sessions;
pub mod uploads;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use axum::http::header::{self, HeaderValue};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};

pub use headers::SecurityHeaders;
pub use json::ApiJson;
pub use limits::{ExtraRoutes, RouteLimits};

/// Base of the generated OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Coffre API",
        description = "End-to-end encrypted safe for papers: the server sees ciphertext only."
    ),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

/// The API routes (under `/api`) with their OpenAPI description.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(
        "/api",
        OpenApiRouter::new()
            .routes(routes!(health::health))
            .routes(routes!(instance::instance))
            .routes(routes!(auth::nonce))
            .routes(routes!(auth::sign_in_carte))
            .routes(routes!(auth::sign_in_passphrase))
            .routes(routes!(passkeys::start_sign_in))
            .routes(routes!(passkeys::sign_in))
            .routes(routes!(passkeys::start_registration))
            .routes(routes!(passkeys::finish_registration))
            .routes(routes!(passkeys::remove))
            .routes(routes!(remembered::remember))
            .routes(routes!(remembered::forget))
            .routes(routes!(remembered::sign_in))
            .routes(routes!(coffres::create))
            .routes(routes!(invitations::check))
            .routes(routes!(coffres::coffre))
            .routes(routes!(coffres::add_passphrase))
            .routes(routes!(epoch::change))
            .routes(routes!(generations::add))
            .routes(routes!(sessions::current, sessions::sign_out))
            .routes(routes!(sessions::list, sessions::sign_out_all))
            .routes(routes!(sessions::sign_out_one))
            .routes(routes!(journal::read, journal::append))
            .routes(routes!(journal::head))
            .routes(routes!(journal::checkpoint, journal::put_checkpoint))
            .routes(routes!(papers::start))
            .routes(routes!(papers::upload_state, papers::abandon))
            .routes(routes!(papers::commit))
            .routes(routes!(paper_list::list))
            .routes(routes!(papers::metas))
            .routes(routes!(papers::delete))
            .routes(routes!(
                organisations::admin_create,
                organisations::admin_list
            ))
            .routes(routes!(memberships::mine))
            .routes(routes!(organisations::check_founding))
            .routes(routes!(organisations::found))
            .routes(routes!(organisations::view))
            .routes(routes!(organisations::append))
            .routes(routes!(organisations::add_key))
            .routes(routes!(org_wraps::add_wraps))
            .routes(routes!(org_proposals::propose, org_proposals::list))
            .routes(routes!(org_proposals::refuse))
            .routes(routes!(mandates::grant, mandates::list))
            .routes(routes!(mandates::one))
            .routes(routes!(mandates::of_organisation))
            .routes(routes!(mandates::revoke))
            .routes(routes!(mandates::renounce))
            .routes(routes!(mandate_notes::put_note))
            .routes(routes!(mandate_access::put_keys))
            .routes(routes!(mandate_access::access))
            .routes(routes!(mandate_access::receipts))
            .routes(routes!(deposit_categories::categories))
            .routes(routes!(received_categories::received_categories))
            .routes(routes!(deposit_categories::put_labels))
            .routes(routes!(deposits::start, deposits::list))
            .routes(routes!(deposits::commit)),
    )
}

/// The routes that carry ciphertext (under `/api`), mounted with their own limits
/// ([`RouteLimits::chunks`]) instead of the JSON ones.
fn blob_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().nest(
        "/api",
        OpenApiRouter::new()
            .routes(routes!(papers::put_chunk))
            .routes(routes!(papers::content))
            .routes(routes!(mandate_access::content))
            .routes(routes!(deposits::put_chunk)),
    )
}

/// The routes that carry a metadata index file (under `/api`), mounted with their own
/// limits ([`RouteLimits::indexes`]).
fn index_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().nest(
        "/api",
        OpenApiRouter::new().routes(routes!(paper_index::file, paper_index::put)),
    )
}

/// The groups' routes (JSON, blobs, indexes) and the one OpenAPI document that describes them.
fn api_parts() -> (
    Router<AppState>,
    Router<AppState>,
    Router<AppState>,
    utoipa::openapi::OpenApi,
) {
    let (json, mut doc) = api().split_for_parts();
    let (blobs, blob_doc) = blob_api().split_for_parts();
    let (indexes, index_doc) = index_api().split_for_parts();
    doc.merge(blob_doc);
    doc.merge(index_doc);
    (json, blobs, indexes, doc)
}

/// The OpenAPI document, as served at `/openapi.json`.
pub fn openapi_json() -> Result<String, serde_json::Error> {
    api_parts().3.to_json()
}

/// The whole application.
pub fn router(state: AppState) -> Result<Router, header::InvalidHeaderValue> {
    router_with(state, ExtraRoutes::default())
}

/// The application with `extra` routes added to the API (tests mount probes there, so
/// they run through the real middleware stack).
pub fn router_with(
    state: AppState,
    extra: ExtraRoutes,
) -> Result<Router, header::InvalidHeaderValue> {
    let config = state.config.clone();
    let metrics = state.metrics.clone();
    let security = SecurityHeaders::new(&config.extra_connect_src, config.https_in_front())?;
    let (api_routes, blob_routes, index_routes, openapi) = api_parts();
    let openapi: Arc<str> = openapi.to_json().unwrap_or_else(|_| "{}".to_owned()).into();
    let json_limits = RouteLimits::json(&config);

    let json_routes = api_routes
        .merge(extra.json)
        .route("/api", get(api_not_found).fallback(api_not_found))
        .route("/api/", get(api_not_found).fallback(api_not_found))
        .route("/api/{*rest}", get(api_not_found).fallback(api_not_found))
        .route(
            "/openapi.json",
            get(move || async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    )],
                    openapi.to_string(),
                )
            }),
        );
    // Each group gets its limits before the groups are merged, so a route declared with
    // its own limits never inherits the JSON ones.
    let mut app = json_limits
        .apply(json_routes)
        .merge(RouteLimits::chunks(&config).apply(blob_routes))
        .merge(RouteLimits::indexes(&config).apply(index_routes));
    for (limits, routes) in extra.own_limits {
        app = app.merge(limits.apply(routes));
    }
    let app = app
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::check_origin,
        ))
        .with_state(state)
        .merge(json_limits.apply(web::router()))
        // Limits are the route groups' (above); axum's own default would cut below them.
        .layer(DefaultBodyLimit::disable());

    let middleware = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            header::COOKIE,
        ]))
        .layer(middleware::from_fn_with_state(
            security,
            headers::add_security_headers,
        ))
        .layer(CatchPanicLayer::custom(errors::panic_response))
        .layer(middleware::from_fn(errors::normalize_errors))
        // Ciphertext (every `application/octet-stream` answer: age files) does not compress:
        // gzip would only spend the server's CPU and add bytes.
        .layer(CompressionLayer::new().compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/octet-stream")),
        ));
    // Outermost, and added with `Router::layer`, so the route template is known when it runs.
    Ok(app.layer(middleware).layer(middleware::from_fn_with_state(
        metrics,
        crate::metrics::track,
    )))
}

async fn api_not_found() -> Response {
    ApiError::NotFound.into_response()
}

/// One span per request: method, path (never the query string), request id.
fn request_span(request: &Request<Body>) -> tracing::Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %request_id,
    )
}
