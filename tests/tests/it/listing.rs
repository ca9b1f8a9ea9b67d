//! The owner's listing, on SQLite and PostgreSQL (`docs/design/papers-server.md`, "The
//! listing"): built once per papers version and served again from memory with a weak
//! `ETag`; `If-None-Match` with it answers `304` with no body, until a write changes what is
//! listed — a paper made, an upload announced (its reserved bytes), a deletion — on this
//! server or on another replica of the same database. (Index `PUT`s, deposits and epoch
//! changes: `paper_indexes.rs` and `deposits.rs`.)

use coffre_crypto::paper::sign_deletion;
use coffre_server::domain::{CoffreId, InstanceOrigin};
use coffre_tests::owner::{Browser, Owner, json_of, open_coffre, start_time};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::papers::{category, commit, ctx, entry, paper_id, seal, send};

on_both_backends!(
    the_listing_answers_304_until_a_write_changes_it,
    a_write_on_one_replica_is_listed_at_once_by_another,
);

/// `GET /api/papers`, with `If-None-Match: etag` when given: the status, the `ETag`, the
/// body (`null` for a `304`).
pub(crate) async fn listed(
    app: &TestApp,
    browser: &Browser,
    etag: Option<&str>,
) -> (StatusCode, String, Value) {
    let mut request = browser.with(app.client.get(app.at("/api/papers")));
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let tag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    if status == StatusCode::NOT_MODIFIED {
        assert!(
            response.bytes().await.unwrap().is_empty(),
            "a 304 has no body"
        );
        return (status, tag, Value::Null);
    }
    let (_, body) = json_of(response).await;
    (status, tag, body)
}

/// The coffre's papers version, as the database holds it.
async fn version(app: &TestApp, owner: &Owner) -> u64 {
    app.state
        .store
        .listing_state(CoffreId(owner.coffre.0), app.state.clock.now())
        .await
        .unwrap()
        .unwrap()
        .version
}

async fn the_listing_answers_304_until_a_write_changes_it(env: TestEnv) {
    let (app, _) = coffre_tests::owner::start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (status, empty_tag, body) = listed(&app, &browser, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["papers"], json!([]));
    assert!(empty_tag.starts_with("W/\""), "{empty_tag}");
    // The same listing: 304 with the same tag; another tag, or none: the whole listing.
    let (status, tag, _) = listed(&app, &browser, Some(&empty_tag)).await;
    assert_eq!(
        (status, tag.as_str()),
        (StatusCode::NOT_MODIFIED, empty_tag.as_str())
    );
    let (status, tag, _) = listed(&app, &browser, Some("W/\"another\", \"x\"")).await;
    assert_eq!((status, tag.as_str()), (StatusCode::OK, empty_tag.as_str()));
    assert!(app.state.listings.bytes() > 0, "the listing is kept");
    let v0 = version(&app, &owner).await;

    // An upload announced: its reserved bytes are listed at once (no version moves).
    let (cert, _) = category(&app, &browser, &owner).await;
    let now = start_time().unix_timestamp() as u64;
    let sealed = seal(&owner, &cert, 300_000, now);
    let upload = send(&app, &browser, &sealed.content).await;
    let (status, reserving_tag, body) = listed(&app, &browser, Some(&empty_tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(reserving_tag, empty_tag);
    assert_eq!(body["space"]["reserved"], sealed.content.len());
    assert_eq!(version(&app, &owner).await, v0);

    // The paper made: a new version, listed to a client that holds the older listing.
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(&app, &browser, &upload, &sealed, journal).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(version(&app, &owner).await, v0 + 1);
    let (status, paper_tag, body) = listed(&app, &browser, Some(&reserving_tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["papers"][0]["paper"], paper_id(&sealed).to_string());
    assert_eq!(body["space"]["reserved"], 0);
    assert_ne!(paper_tag, reserving_tag);
    assert_eq!(
        listed(&app, &browser, Some(&paper_tag)).await.0,
        StatusCode::NOT_MODIFIED
    );

    // A second paper (a replacement is one to the server): listed.
    let newer = seal(&owner, &cert, 1000, now + 1);
    let upload = send(&app, &browser, &newer.content).await;
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&newer)).await;
    assert_eq!(
        commit(&app, &browser, &upload, &newer, journal).await.0,
        StatusCode::CREATED
    );
    let (status, two_tag, body) = listed(&app, &browser, Some(&paper_tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["papers"].as_array().unwrap().len(), 2);

    // The first one deleted: gone from the listing, its deletion listed.
    let signed_hash = sealed
        .statement
        .peek::<coffre_crypto::kinds::Upload>()
        .unwrap()
        .content_sha256;
    let deletion = sign_deletion(
        &ctx(&owner),
        &owner.keys.signing,
        paper_id(&sealed),
        signed_hash,
        now + 10,
    )
    .unwrap();
    let journal = entry(&app, &browser, &owner, "paper_deleted", paper_id(&sealed)).await;
    let (status, body) = json_of(
        browser
            .with(
                app.client
                    .delete(app.at(&format!("/api/papers/{}", paper_id(&sealed))))
                    .json(&json!({"deletion": coffre_crypto::encoding::b64(&deletion.to_bytes().unwrap()), "journal": journal})),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(version(&app, &owner).await, v0 + 3);
    let (status, _, body) = listed(&app, &browser, Some(&two_tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["papers"].as_array().unwrap().len(), 1);
    assert_eq!(body["papers"][0]["paper"], paper_id(&newer).to_string());
    assert_eq!(body["deletions"].as_array().unwrap().len(), 1);

    // Another coffre's client holding this tag gets its own listing, not a 304.
    let other = Owner::new(app.state.origin.as_str());
    let other_browser = open_coffre(&app, &other).await;
    let (status, _, body) = listed(&app, &other_browser, Some(&two_tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["papers"], json!([]));
    // Signed out: 401, whatever the tag.
    let signed_out = Browser::default();
    assert_eq!(
        listed(&app, &signed_out, Some(&empty_tag)).await.0,
        StatusCode::UNAUTHORIZED
    );
    app.stop().await;
}

async fn a_write_on_one_replica_is_listed_at_once_by_another(env: TestEnv) {
    // Two servers on one database and one blob directory, behind one public address.
    let replica = || {
        let mut config = env.config();
        config.public_url = Some(InstanceOrigin::parse("http://localhost:8080").unwrap());
        TestApp::builder(config)
            .clock(std::sync::Arc::new(coffre_server::clock::ManualClock::new(
                start_time(),
            )))
            .start()
    };
    let (a, b) = (replica().await, replica().await);
    let owner = Owner::new(a.state.origin.as_str());
    let browser = open_coffre(&a, &owner).await;
    // Both build and keep the empty listing, with the same tag (the same bytes).
    let (_, on_a, _) = listed(&a, &browser, None).await;
    let (_, on_b, _) = listed(&b, &browser, None).await;
    assert_eq!(on_a, on_b);
    assert_eq!(
        listed(&a, &browser, Some(&on_b)).await.0,
        StatusCode::NOT_MODIFIED
    );

    // A paper made through B: A lists it at once.
    let (cert, _) = category(&b, &browser, &owner).await;
    let now = start_time().unix_timestamp() as u64;
    let sealed = seal(&owner, &cert, 1000, now);
    let upload = send(&b, &browser, &sealed.content).await;
    let journal = entry(&b, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    assert_eq!(
        commit(&b, &browser, &upload, &sealed, journal).await.0,
        StatusCode::CREATED
    );
    let (status, with_paper, body) = listed(&a, &browser, Some(&on_a)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["papers"][0]["paper"], paper_id(&sealed).to_string());

    // Deleted through A: B, which kept the listing with the paper, lists it gone.
    let (_, tag_b, _) = listed(&b, &browser, None).await;
    assert_eq!(tag_b, with_paper);
    let signed_hash = sealed
        .statement
        .peek::<coffre_crypto::kinds::Upload>()
        .unwrap()
        .content_sha256;
    let deletion = sign_deletion(
        &ctx(&owner),
        &owner.keys.signing,
        paper_id(&sealed),
        signed_hash,
        now + 10,
    )
    .unwrap();
    let journal = entry(&a, &browser, &owner, "paper_deleted", paper_id(&sealed)).await;
    let response = browser
        .with(
            a.client
                .delete(a.at(&format!("/api/papers/{}", paper_id(&sealed))))
                .json(&json!({"deletion": coffre_crypto::encoding::b64(&deletion.to_bytes().unwrap()), "journal": journal})),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (status, _, body) = listed(&b, &browser, Some(&tag_b)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["papers"], json!([]));
    assert_eq!(body["deletions"].as_array().unwrap().len(), 1);
    a.stop().await;
    b.stop().await;
}
