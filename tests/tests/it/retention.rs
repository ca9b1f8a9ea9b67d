//! The retention job (`coffre_server::retention`): each pass deletes what has expired by
//! the injected clock, in bounded batches, and nothing else; on PostgreSQL two replicas
//! purging at once share the rows (`FOR UPDATE SKIP LOCKED`) and a pass never waits for a
//! row another transaction holds. Passes are called directly: no test waits for the timer.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use coffre_server::clock::{Clock, ManualClock, SharedClock};
use coffre_server::db::{Expired, SharedStore};
use coffre_server::domain::{AccountRole, Timestamp};
use coffre_server::retention::{MAX_BATCHES, Retention};
use coffre_tests::owner::{
    Browser, Owner, PIN, json_of, nonce, open_coffre, post, start, start_time,
};
use coffre_tests::{Backend, TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use time::Duration;

on_both_backends!(
    each_pass_deletes_only_what_has_expired,
    a_pass_is_bounded_and_the_next_one_goes_on,
    an_abandoned_upload_and_its_chunks_go_after_its_lifetime,
);

/// No pass may take longer than this (a pass that waited for a locked row would).
const PASS_DEADLINE: StdDuration = StdDuration::from_secs(30);

async fn run(retention: &Retention) -> coffre_server::retention::RetentionReport {
    tokio::time::timeout(PASS_DEADLINE, retention.run_once())
        .await
        .expect("a pass ends in time")
        .expect("a pass succeeds")
}

/// What a pass removed of each kind, in `Expired::ALL` order.
fn counts(report: &coffre_server::retention::RetentionReport) -> [u64; 5] {
    Expired::ALL.map(|what| report.of(what))
}

async fn session_status(app: &TestApp, browser: &Browser) -> StatusCode {
    browser
        .with(app.client.get(app.at("/api/session")))
        .send()
        .await
        .unwrap()
        .status()
}

async fn each_pass_deletes_only_what_has_expired(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let retention = app.state.retention();
    let owner = Owner::new(app.state.origin.as_str());
    // A session (30 minutes idle, 12 hours at most), rate-limit rows for the address.
    let browser = open_coffre(&app, &owner).await;
    // A challenge never used (2 minutes), a passkey ceremony never finished (5 minutes).
    nonce(&app).await;
    let ceremony = app
        .client
        .post(app.at("/api/sessions/passkey/challenge"))
        .send()
        .await
        .unwrap();
    assert_eq!(ceremony.status(), StatusCode::OK);
    // An invitation link valid for an hour.
    coffre_server::http::invitations::invite(
        &app.state.store,
        &app.state.clock,
        &app.state.origin,
        AccountRole::Professional,
        Duration::hours(1),
    )
    .await
    .unwrap();
    assert_eq!(
        counts(&run(&retention).await),
        [0; 5],
        "nothing has expired"
    );

    // rate_limits, sessions, auth_nonces, webauthn_ceremonies, invitations
    clock.advance(Duration::minutes(10));
    assert_eq!(counts(&run(&retention).await), [0, 0, 1, 1, 0]);

    // A browser on a shared computer: 5 minutes idle.
    let (n, _) = nonce(&app).await;
    let mut body = owner.carte_sign_in(&n, PIN);
    body["device"]["shared"] = true.into();
    let (status, signed_in) =
        json_of(post(&app, &Browser::default(), "/api/sessions/carte", &body).await).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    // Its challenge is used up: deleted when used, nothing left for the job.
    clock.advance(Duration::minutes(6));
    assert_eq!(
        counts(&run(&retention).await),
        [0, 1, 0, 0, 0],
        "the shared computer's session, idle for 6 minutes"
    );
    assert_eq!(session_status(&app, &browser).await, StatusCode::OK);

    // The first session was last seen just now; 31 minutes later it is idle too long.
    clock.advance(Duration::minutes(31));
    assert_eq!(counts(&run(&retention).await), [0, 1, 0, 0, 0]);
    assert_eq!(
        session_status(&app, &browser).await,
        StatusCode::UNAUTHORIZED,
        "the row is gone"
    );

    clock.advance(Duration::minutes(20));
    assert_eq!(
        counts(&run(&retention).await),
        [0, 0, 0, 0, 1],
        "the invitation, an hour after it was made"
    );

    // Rate-limit rows (each names the address or the carte's key): a day after their
    // window began, and not before.
    clock.set(start_time() + Duration::hours(24) - Duration::minutes(1));
    assert_eq!(run(&retention).await.of(Expired::RateLimits), 0);
    clock.set(start_time() + Duration::hours(26));
    let last = run(&retention).await;
    assert!(last.of(Expired::RateLimits) >= 2, "{last:?}");
    let left: Vec<(String,)> = sql_rows(&env, "SELECT bucket FROM rate_limits").await;
    assert!(left.is_empty(), "{left:?}");
    app.stop().await;
}

async fn an_abandoned_upload_and_its_chunks_go_after_its_lifetime(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (_, coffre) = json_of(
        browser
            .with(app.client.get(app.at("/api/coffre")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (cert, _) = owner.first_category(&coffre);
    let sealed = owner.seal_paper(&cert, 2000, start_time().unix_timestamp() as u64);
    let (status, started) = json_of(
        post(
            &app,
            &browser,
            "/api/uploads",
            &serde_json::json!({"content_size": sealed.content.len()}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let upload = started["upload"].as_str().unwrap().to_owned();
    let chunk = browser
        .with(
            app.client
                .put(app.at(&format!("/api/uploads/{upload}/chunks/0")))
                .header("content-type", "application/octet-stream")
                .body(sealed.content.clone()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(chunk.status(), StatusCode::NO_CONTENT);
    let chunk_blobs = app.state.blobs.list(100).await.unwrap();
    assert_eq!(chunk_blobs.len(), 1, "the chunk is a blob");
    let retention = app.state.retention();
    // Within its lifetime (a day) the upload stays; then the job ends it, chunk and all.
    clock.advance(Duration::hours(23));
    assert_eq!(run(&retention).await.uploads, 0);
    clock.advance(Duration::hours(2));
    assert_eq!(run(&retention).await.uploads, 1);
    assert!(app.state.blobs.list(100).await.unwrap().is_empty());
    assert!(
        app.state.blobs.record(chunk_blobs[0].id).await.is_err(),
        "the chunk's blob is gone"
    );
    // A day later the session has ended too: sign in again to ask for the upload.
    let (n, _) = nonce(&app).await;
    let response = post(
        &app,
        &Browser::default(),
        "/api/sessions/carte",
        &owner.carte_sign_in(&n, PIN),
    )
    .await;
    let headers = response.headers().clone();
    let (status, signed_in) = json_of(response).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    let mut again = Browser::default();
    again.adopt(&headers, &signed_in);
    let gone = again
        .with(app.client.get(app.at(&format!("/api/uploads/{upload}"))))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

/// Rows of `query` (one text column) read straight from the database.
async fn sql_rows(env: &TestEnv, query: &str) -> Vec<(String,)> {
    match &env.db.url {
        None => {
            let url = format!("sqlite://{}", env.data_dir().join("coffre.db").display());
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
                .await
                .unwrap();
            sqlx::query_as(query).fetch_all(&mut conn).await.unwrap()
        }
        Some(url) => {
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url)
                .await
                .unwrap();
            sqlx::query_as(query).fetch_all(&mut conn).await.unwrap()
        }
    }
}

/// `n` rate-limit rows whose window began at `at`, named `prefix:i`.
async fn rate_limit_rows(store: &SharedStore, prefix: &str, n: usize, at: Timestamp) {
    for i in 0..n {
        store
            .hit_rate_limit(&format!("{prefix}:{i}"), at, 60_000_000, 10)
            .await
            .unwrap();
    }
}

async fn a_pass_is_bounded_and_the_next_one_goes_on(env: TestEnv) {
    let clock = Arc::new(ManualClock::new(start_time()));
    let app = TestApp::builder(env.config())
        .clock(clock.clone())
        .start()
        .await;
    let store = app.state.store.clone();
    let old = Timestamp::from(start_time());
    let extra = 25;
    rate_limit_rows(&store, "old", MAX_BATCHES as usize + extra, old).await;
    clock.advance(Duration::hours(30));
    rate_limit_rows(&store, "fresh", 3, clock.now()).await;
    // One row per batch: a pass stops after MAX_BATCHES batches.
    let retention = app.state.retention().with_batch(1);
    assert_eq!(
        run(&retention).await.of(Expired::RateLimits),
        u64::from(MAX_BATCHES)
    );
    assert_eq!(
        run(&retention).await.of(Expired::RateLimits),
        extra as u64,
        "the next pass finishes"
    );
    let left = sql_rows(&env, "SELECT bucket FROM rate_limits ORDER BY bucket").await;
    assert_eq!(
        left.into_iter().map(|(b,)| b).collect::<Vec<_>>(),
        ["fresh:0", "fresh:1", "fresh:2"]
    );
    app.stop().await;
}

/// Two stores on one PostgreSQL database: two replicas.
async fn two_replicas(env: &TestEnv) -> (SharedStore, SharedStore) {
    let location = env.config().database();
    let a = coffre_server::db::connect(&location).await.unwrap();
    a.migrate().await.unwrap();
    let b = coffre_server::db::connect(&location).await.unwrap();
    (a, b)
}

/// `n` rate-limit rows a day and more old, in one statement.
async fn old_rows_in_postgres(env: &TestEnv, n: i64) {
    let pool = sqlx::PgPool::connect(env.db.url.as_deref().unwrap())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, count) \
         SELECT 'signin-ip:test-' || g, $1, 1 FROM generate_series(1, $2) AS g",
    )
    .bind(Timestamp::from(start_time()).as_micros())
    .bind(n)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
}

fn job(store: &SharedStore, clock: &SharedClock, batch: u32) -> Retention {
    let config = coffre_server::config::Config::default();
    Retention::new(
        store.clone(),
        clock.clone(),
        config.retention,
        config.sessions,
    )
    .with_batch(batch)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn two_replicas_purging_together_share_the_rows() {
    let env = TestEnv::new(Backend::Postgres).await;
    let (a, b) = two_replicas(&env).await;
    let n = 3_000;
    old_rows_in_postgres(&env, n).await;
    let clock: SharedClock = Arc::new(ManualClock::new(start_time() + Duration::hours(25)));
    // Small batches, so the two passes interleave many times.
    let (first, second) = (job(&a, &clock, 20), job(&b, &clock, 20));
    let (x, y) = tokio::join!(run(&first), run(&second));
    let (x, y) = (x.of(Expired::RateLimits), y.of(Expired::RateLimits));
    assert_eq!(
        x + y,
        n as u64,
        "every row deleted once, by one replica or the other ({x} + {y})"
    );
    assert!(
        sql_rows(&env, "SELECT bucket FROM rate_limits")
            .await
            .is_empty()
    );
    a.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn a_pass_skips_rows_another_transaction_holds() {
    let env = TestEnv::new(Backend::Postgres).await;
    let (a, b) = two_replicas(&env).await;
    old_rows_in_postgres(&env, 50).await;
    // Another replica's batch under way: it holds five rows.
    let pool = sqlx::PgPool::connect(env.db.url.as_deref().unwrap())
        .await
        .unwrap();
    let mut holder = pool.begin().await.unwrap();
    let held: Vec<(String,)> =
        sqlx::query_as("SELECT bucket FROM rate_limits ORDER BY bucket LIMIT 5 FOR UPDATE")
            .fetch_all(&mut *holder)
            .await
            .unwrap();
    assert_eq!(held.len(), 5);
    let clock: SharedClock = Arc::new(ManualClock::new(start_time() + Duration::hours(25)));
    // Without SKIP LOCKED this pass would wait for the holder, past the deadline.
    let report = run(&job(&a, &clock, 10)).await;
    assert_eq!(report.of(Expired::RateLimits), 45, "{report:?}");
    let left = sql_rows(&env, "SELECT bucket FROM rate_limits ORDER BY bucket").await;
    assert_eq!(left, held, "the held rows are left for later");
    holder.commit().await.unwrap();
    assert_eq!(run(&job(&b, &clock, 10)).await.of(Expired::RateLimits), 5);
    pool.close().await;
    a.close().await;
    b.close().await;
}
