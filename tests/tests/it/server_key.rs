//! The instance's server key: made at first start, kept in the database with the instance
//! row, the same for every replica, published by `GET /api/instance`, never printed.

use std::sync::Arc;

use coffre_crypto::encoding::{PublicKey, b64};
use coffre_server::app::{self, AppState, open_store};
use coffre_server::clock::{SharedClock, SystemClock};
use coffre_server::db::{self, StoreError};
use coffre_server::domain::{Instance, InstanceId, ServerKey};
use coffre_tests::{Backend, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::Value;

on_both_backends!(
    server_key_is_made_at_first_start_and_kept_across_restarts,
    a_stored_server_key_is_never_replaced,
    replicas_opened_one_after_the_other_share_the_server_key,
    replicas_started_together_on_a_fresh_database_end_with_one_key,
    replicas_started_together_after_the_upgrade_end_with_one_key,
    instance_route_serves_the_key_the_server_signs_with,
    the_secret_never_shows_in_debug_output,
);

fn clock() -> SharedClock {
    Arc::new(SystemClock)
}

async fn open(env: &TestEnv) -> AppState {
    app::open(env.config(), clock()).await.unwrap()
}

async fn close(state: AppState) {
    state.startup_sweep.wait().await;
    state.store.close().await;
}

async fn server_key_is_made_at_first_start_and_kept_across_restarts(env: TestEnv) {
    let first = env.start().await;
    let key = first.state.server_key.clone();
    first.stop().await;

    let second = env.start().await;
    assert_eq!(second.state.server_key, key, "the same key after a restart");
    assert_eq!(
        second.state.server_key.secret_bytes(),
        key.secret_bytes(),
        "the same secret, not only the same public key"
    );
    second.stop().await;
}

/// The write is conditional: a key already stored wins over any candidate.
async fn a_stored_server_key_is_never_replaced(env: TestEnv) {
    let (store, _, first) = open_store(&env.config(), &clock()).await.unwrap();
    let other = ServerKey::generate();
    assert_ne!(other, first);
    assert_eq!(store.ensure_server_key(&other).await.unwrap(), first);
    store.close().await;
    let (store, _, again) = open_store(&env.config(), &clock()).await.unwrap();
    assert_eq!(again, first);
    store.close().await;
}

async fn replicas_opened_one_after_the_other_share_the_server_key(env: TestEnv) {
    let a = open(&env).await;
    let b = open(&env).await;
    assert_eq!(a.instance.id, b.instance.id);
    assert_eq!(a.server_key, b.server_key);
    close(a).await;
    close(b).await;
}

/// First start of two replicas at once. PostgreSQL (where replicas live): a database with
/// nothing in it. SQLite: migrated first, no instance row yet — two pools migrating one
/// fresh SQLite file at the same moment race on sqlx's migration bookkeeping (SQLite has no
/// advisory lock), and a SQLite database is served by one process anyway.
async fn replicas_started_together_on_a_fresh_database_end_with_one_key(env: TestEnv) {
    if env.backend() == Backend::Sqlite {
        let store = db::connect(&env.config().database()).await.unwrap();
        store.migrate().await.unwrap();
        assert_eq!(store.instance().await.unwrap(), None);
        store.close().await;
    }
    let (a, b) = tokio::join!(open(&env), open(&env));
    assert_eq!(a.instance.id, b.instance.id);
    assert_eq!(a.server_key, b.server_key);
    let (store, _, stored) = open_store(&env.config(), &clock()).await.unwrap();
    assert_eq!(
        stored, a.server_key,
        "the key they sign with is the stored one"
    );
    store.close().await;
    close(a).await;
    close(b).await;
}

/// A database migrated and given its instance row before the server key existed: both
/// replicas race to fill the empty column.
async fn replicas_started_together_after_the_upgrade_end_with_one_key(env: TestEnv) {
    let store = db::connect(&env.config().database()).await.unwrap();
    store.migrate().await.unwrap();
    let no_key = store.ensure_server_key(&ServerKey::generate()).await;
    assert!(
        matches!(no_key, Err(StoreError::NoInstance)),
        "no instance row, no key: {no_key:?}"
    );
    store
        .ensure_instance(&Instance {
            id: InstanceId::random(),
            created_at: clock().now(),
            schema_version: store.latest_migration(),
        })
        .await
        .unwrap();
    store.close().await;

    let (a, b) = tokio::join!(open(&env), open(&env));
    assert_eq!(a.server_key, b.server_key);
    close(a).await;
    close(b).await;
}

async fn instance_route_serves_the_key_the_server_signs_with(env: TestEnv) {
    let app = env.start().await;
    let response = app.get("/api/instance").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let served = body["server_key"].as_str().unwrap();
    // Strict base64url of a valid Ed25519 point (canonical, torsion-free, not the identity).
    let public = PublicKey::from_b64(served).unwrap();
    assert_eq!(public, app.state.server_key.public_key());

    let message = b"coffre receipt test";
    let signature = app.state.server_key.sign(message);
    coffre_crypto::ed25519::verify(&public.0, message, &signature.0).unwrap();
    assert!(
        coffre_crypto::ed25519::verify(&public.0, b"another message", &signature.0).is_err(),
        "the check can fail"
    );
    let other = ServerKey::generate().sign(message);
    assert!(coffre_crypto::ed25519::verify(&public.0, message, &other.0).is_err());
    app.stop().await;
}

async fn the_secret_never_shows_in_debug_output(env: TestEnv) {
    let app = env.start().await;
    let secret = app.state.server_key.secret_bytes();
    let key_debug = format!("{:?}", app.state.server_key);
    let state_debug = format!("{:?} {:#?}", app.state, app.state);
    assert!(
        key_debug.contains(&app.state.server_key.public_key().to_b64()),
        "{key_debug}"
    );
    for shown in [&key_debug, &state_debug] {
        for form in [
            b64(&secret[..]),
            secret
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
            format!("{:?}", &secret[..]),
            format!("{:?}", &secret[..8])
                .trim_end_matches(']')
                .to_owned(),
        ] {
            assert!(!shown.contains(&form), "the secret ({form}) in {shown}");
        }
    }
    app.stop().await;
}
