//! Blobs on S3 (a real `moto_server` on loopback), through the production code.

use std::sync::Arc;

use bytes::Bytes;
use coffre_server::app::open;
use coffre_server::blobs::{BlobBackend, BlobError, ORPHAN_GRACE, object_path};
use coffre_server::clock::{ManualClock, SystemClock};
use coffre_server::config::{BlobLocation, Config};
use coffre_server::domain::BlobId;
use coffre_tests::moto::S3Endpoint;
use coffre_tests::process::CoffreChild;
use coffre_tests::{Backend, TestApp, TestEnv};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use reqwest::StatusCode;
use serde_json::Value;

async fn s3_config(env: &TestEnv, s3: &S3Endpoint, blob_url: String) -> Config {
    let mut config = env.config();
    config.blob_url = Some(BlobLocation::parse(&blob_url).unwrap());
    config.s3 = s3.config();
    config
}

/// The bucket itself, bypassing the blob service.
fn raw_bucket(s3: &S3Endpoint, bucket: &str) -> Arc<dyn ObjectStore> {
    BlobBackend::s3(bucket, None, &s3.config())
        .unwrap()
        .objects()
        .clone()
}

fn bytes_of(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(7).wrapping_add(seed))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_get_list_delete_on_s3() {
    let s3 = S3Endpoint::shared().await;
    let env = TestEnv::new(Backend::Sqlite).await;
    let bucket = s3.create_bucket().await;
    let state = open(
        s3_config(&env, s3, format!("s3://{bucket}")).await,
        Arc::new(SystemClock),
    )
    .await
    .unwrap();
    state.blobs.check().await.unwrap();

    let small = bytes_of(3000, 1);
    let a = state.blobs.put_bytes(small.clone()).await.unwrap();
    assert_eq!(state.blobs.get_bytes(a.id).await.unwrap(), small);

    // Above the part size: a multipart upload.
    let large = bytes_of(11 * 1024 * 1024 + 5, 2);
    let chunks: Vec<std::io::Result<Bytes>> = large
        .chunks(1 << 20)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let b = state
        .blobs
        .put_stream(futures::stream::iter(chunks))
        .await
        .unwrap();
    assert_eq!(b.size, large.len() as u64);
    assert_eq!(state.blobs.get_bytes(b.id).await.unwrap(), large);

    let listed: Vec<BlobId> = state
        .blobs
        .list(10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&a.id) && listed.contains(&b.id));

    // The object really is in the bucket, under its id.
    let raw = raw_bucket(s3, &bucket);
    let object = raw
        .get(&object_path(a.id))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(object.as_ref(), small.as_slice());

    state.blobs.delete(a.id).await.unwrap();
    assert!(matches!(
        state.blobs.get_bytes(a.id).await,
        Err(BlobError::NotFound)
    ));
    assert!(matches!(
        raw.head(&object_path(a.id)).await,
        Err(object_store::Error::NotFound { .. })
    ));
    state.blobs.delete(b.id).await.unwrap();
    assert!(state.blobs.list(10).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweeper_removes_orphans_on_s3_under_a_prefix() {
    let s3 = S3Endpoint::shared().await;
    let env = TestEnv::new(Backend::Sqlite).await;
    let bucket = s3.create_bucket().await;
    let clock = Arc::new(ManualClock::new(time::OffsetDateTime::now_utc()));
    let config = s3_config(&env, s3, format!("s3://{bucket}/coffre/blobs")).await;
    let state = open(config, clock.clone()).await.unwrap();
    state.startup_sweep.wait().await.unwrap().unwrap();
    let kept = state.blobs.put_bytes(bytes_of(10, 3)).await.unwrap();
    let raw = raw_bucket(s3, &bucket);
    let kept_key = ObjectPath::from(format!("coffre/blobs/{}", object_path(kept.id)));
    raw.head(&kept_key)
        .await
        .expect("the object is under the prefix");

    // An object written without its row (crash between the two phases).
    let orphan = BlobId::random();
    let orphan_key = ObjectPath::from(format!("coffre/blobs/{}", object_path(orphan)));
    raw.put(&orphan_key, PutPayload::from_static(b"orphan"))
        .await
        .unwrap();

    assert_eq!(
        state
            .blobs
            .sweep(ORPHAN_GRACE)
            .await
            .unwrap()
            .orphans_removed,
        0,
        "too young"
    );
    clock.advance(ORPHAN_GRACE + time::Duration::minutes(1));
    assert_eq!(
        state
            .blobs
            .sweep(ORPHAN_GRACE)
            .await
            .unwrap()
            .orphans_removed,
        1
    );
    assert!(matches!(
        raw.head(&orphan_key).await,
        Err(object_store::Error::NotFound { .. })
    ));
    assert_eq!(
        state.blobs.get_bytes(kept.id).await.unwrap(),
        bytes_of(10, 3)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_503_when_the_bucket_is_missing() {
    let s3 = S3Endpoint::shared().await;
    let env = TestEnv::new(Backend::Sqlite).await;
    let config = s3_config(&env, s3, "s3://coffre-no-such-bucket".to_owned()).await;
    let app = TestApp::builder(config).start().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["blobs"], "error");
    assert_eq!(body["database"], "ok");
    app.stop().await;
}

/// `coffre serve` with PostgreSQL and S3, as a national deployment would run it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn coffre_serve_on_postgres_and_s3() {
    let env = TestEnv::new(Backend::Postgres).await;
    let s3 = S3Endpoint::shared().await;
    let bucket = s3.create_bucket().await;
    let mut vars = env.child_env();
    vars.extend(s3.child_env(&bucket));
    let mut child = CoffreChild::spawn(&["serve"], &vars);
    let line = child.next_line().await;
    let url = line
        .strip_prefix("coffre: listening on ")
        .expect(&line)
        .to_owned();
    let response = reqwest::get(format!("{url}/api/health")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (body["database"].as_str(), body["blobs"].as_str()),
        (Some("ok"), Some("ok"))
    );
    child.signal("TERM").await;
    assert!(child.wait().await.success());
}
