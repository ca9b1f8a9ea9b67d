//! Papers over HTTP, on SQLite and PostgreSQL (protocol.md section 6,
//! `docs/design/papers-server.md`): an upload in chunks (resumed, sent again, out of order),
//! made a paper only once the owner's statement, certificate, metadata, content and journal
//! entry verify; listed, downloaded and opened by the owner's code; deleted with a signed
//! deletion, its content gone from the blob store. Refused uploads — too large, over quota,
//! forged, replayed, wrong size, wrong bytes — leave no paper; another coffre sees nothing.

use coffre_crypto::Context;
use coffre_crypto::deposit::UploaderPolicy;
use coffre_crypto::encoding::{Hash32, Id, b64, unb64};
use coffre_crypto::paper::{OpenInputs, SealedPaper, open_paper, sign_deletion};
use coffre_crypto::statement::{Envelope, sign};
use coffre_server::domain::BlobId;
use coffre_tests::owner::{Browser, Owner, json_of, open_coffre, post, start};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    a_paper_goes_up_in_chunks_and_comes_back,
    refused_uploads_leave_no_paper,
    the_quota_and_the_largest_paper_are_kept,
    another_coffre_sees_nothing,
    an_expired_upload_is_dropped,
    an_upload_moves_between_replicas_and_survives_a_stopped_one,
    a_chunk_the_server_lost_is_asked_again,
    a_paper_in_one_request_is_its_own_content,
    a_lone_chunk_another_process_wrote_is_checked_before_it_is_adopted,
);

const CHUNK: usize = 256 * 1024;
/// The largest chunk size a client may choose.
const MAX_CHUNK: usize = 16 * 1024 * 1024;

/// The owner's first category: its certificate and key, as the owner's device unwraps them.
pub(crate) async fn category(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
) -> (Envelope, age::x25519::Identity) {
    let (_, coffre) = json_of(
        browser
            .with(app.client.get(app.at("/api/coffre")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    owner.first_category(&coffre)
}

pub(crate) fn ctx(owner: &Owner) -> Context {
    Context {
        instance: owner.instance.clone(),
        coffre: owner.coffre,
        epoch: 0,
    }
}

/// A paper sealed by the owner's code: `size` bytes of content.
pub(crate) fn seal(owner: &Owner, cert: &Envelope, size: usize, now: u64) -> SealedPaper {
    owner.seal_paper(cert, size, now)
}

/// The owner's journal entry `action` about `object`, signed after the current head.
pub(crate) async fn entry(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    action: &str,
    object: Id,
) -> Value {
    let (_, head) = json_of(
        browser
            .with(app.client.get(app.at("/api/journal/head")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    owner.journal_entry_about(&head, action, Some(object), None)
}

/// Signs in again with the carte.
pub(crate) async fn sign_in(app: &TestApp, owner: &Owner) -> Browser {
    let (nonce, _) = coffre_tests::owner::nonce(app).await;
    let response = app
        .client
        .post(app.at("/api/sessions/carte"))
        .json(&owner.carte_sign_in(&nonce, coffre_tests::owner::PIN))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    let body: Value = response.json().await.unwrap();
    let mut browser = Browser::default();
    browser.adopt(&headers, &body);
    browser
}

async fn start_upload(app: &TestApp, browser: &Browser, size: usize) -> (StatusCode, Value) {
    json_of(post(app, browser, "/api/uploads", &json!({"content_size": size})).await).await
}

async fn put_chunk(
    app: &TestApp,
    browser: &Browser,
    upload: &str,
    idx: usize,
    bytes: &[u8],
) -> StatusCode {
    browser
        .with(
            app.client
                .put(app.at(&format!("/api/uploads/{upload}/chunks/{idx}")))
                .header("content-type", "application/octet-stream")
                .body(bytes.to_vec()),
        )
        .send()
        .await
        .unwrap()
        .status()
}

/// Sends every chunk of `content` to a new upload; returns its id.
pub(crate) async fn send(app: &TestApp, browser: &Browser, content: &[u8]) -> String {
    let (status, started) = start_upload(app, browser, content.len()).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let id = started["upload"].as_str().unwrap().to_owned();
    for (i, chunk) in content.chunks(CHUNK).enumerate() {
        assert_eq!(
            put_chunk(app, browser, &id, i, chunk).await,
            StatusCode::NO_CONTENT
        );
    }
    id
}

pub(crate) async fn commit(
    app: &TestApp,
    browser: &Browser,
    upload: &str,
    sealed: &SealedPaper,
    journal: Value,
) -> (StatusCode, Value) {
    json_of(
        post(
            app,
            browser,
            &format!("/api/uploads/{upload}/paper"),
            &json!({
                "statement": b64(&sealed.statement.to_bytes().unwrap()),
                "meta": b64(&sealed.meta),
                "journal": journal,
            }),
        )
        .await,
    )
    .await
}

pub(crate) async fn list(app: &TestApp, browser: &Browser) -> Value {
    let (status, answer) = json_of(
        browser
            .with(app.client.get(app.at("/api/papers")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

/// A paper's metadata file, as `POST /api/papers/metas` serves it.
pub(crate) async fn meta_file(app: &TestApp, browser: &Browser, paper: Id) -> Vec<u8> {
    let (status, answer) = json_of(
        post(
            app,
            browser,
            "/api/papers/metas",
            &json!({"papers": [paper.to_string()]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["metas"][0]["paper"], paper.to_string(), "{answer}");
    unb64(answer["metas"][0]["meta"].as_str().unwrap()).unwrap()
}

/// `GET /api/papers/{id}/content` for `sealed` as `browser`.
async fn content_of(app: &TestApp, browser: &Browser, sealed: &SealedPaper) -> reqwest::Response {
    browser
        .with(
            app.client
                .get(app.at(&format!("/api/papers/{}/content", paper_id(sealed)))),
        )
        .send()
        .await
        .unwrap()
}

pub(crate) fn paper_id(sealed: &SealedPaper) -> Id {
    sealed
        .statement
        .peek::<coffre_crypto::kinds::Upload>()
        .unwrap()
        .paper
}

async fn a_paper_goes_up_in_chunks_and_comes_back(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, ck) = category(&app, &browser, &owner).await;
    let now = coffre_tests::owner::start_time().unix_timestamp() as u64;
    let sealed = seal(&owner, &cert, 600_000, now);
    let content = &sealed.content;
    let (status, started) = start_upload(&app, &browser, content.len()).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["chunks"], 3);
    let id = started["upload"].as_str().unwrap();
    let chunks: Vec<&[u8]> = content.chunks(CHUNK).collect();
    // Out of order, the connection "cut" after two, one sent twice: the state says what is
    // missing, and the resumed upload completes.
    assert_eq!(
        put_chunk(&app, &browser, id, 2, chunks[2]).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put_chunk(&app, &browser, id, 0, chunks[0]).await,
        StatusCode::NO_CONTENT
    );
    let (_, state) = json_of(
        browser
            .with(app.client.get(app.at(&format!("/api/uploads/{id}"))))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(state["received"], json!([0, 2]));
    let early = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(&app, &browser, id, &sealed, early).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a missing chunk: {body}");
    // Named the way the web client's `lostChunk` reads it (it sends that chunk again).
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("chunk 1 was lost by the server"),
        "{body}"
    );
    assert_eq!(
        list(&app, &browser).await["papers"],
        json!([]),
        "no half paper"
    );
    assert_eq!(
        put_chunk(&app, &browser, id, 1, chunks[1]).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put_chunk(&app, &browser, id, 1, chunks[1]).await,
        StatusCode::NO_CONTENT
    );
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, recorded) = commit(&app, &browser, id, &sealed, journal).await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    // Listed with what opening it needs; the space counts it.
    let listed = list(&app, &browser).await;
    let item = &listed["papers"][0];
    assert_eq!(item["paper"], paper_id(&sealed).to_string());
    assert_eq!(item["content_size"], content.len());
    assert_eq!(
        listed["space"]["used"].as_u64().unwrap(),
        (content.len() + sealed.meta.len()) as u64
    );
    // Downloaded as an opaque file, never cached, and opened by the owner's code.
    let response = content_of(&app, &browser, &sealed).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let downloaded = response.bytes().await.unwrap();
    assert_eq!(&downloaded[..], &content[..]);
    // A browser accepts gzip: ciphertext comes back as it is (it does not compress).
    let accepting = browser
        .with(
            app.client
                .get(app.at(&format!("/api/papers/{}/content", paper_id(&sealed))))
                .header("accept-encoding", "gzip, deflate, br, zstd"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(accepting.status(), StatusCode::OK);
    assert_eq!(accepting.headers().get("content-encoding"), None);
    assert_eq!(&accepting.bytes().await.unwrap()[..], &content[..]);
    let statement = Envelope::parse(&unb64(item["statement"].as_str().unwrap()).unwrap()).unwrap();
    let policy = UploaderPolicy::owner(owner.keys.public());
    let opened = open_paper(
        &OpenInputs {
            ctx: &ctx(&owner),
            policy: &policy,
            cert: &cert,
            ck: &ck,
            paper: paper_id(&sealed),
            deposit_receipt: None,
        },
        &statement,
        &downloaded,
        &meta_file(&app, &browser, paper_id(&sealed)).await,
    )
    .unwrap();
    assert_eq!(opened.meta.title, "Récépissé");
    assert_eq!(opened.content.len(), 600_000);
    // The journal holds the owner's entry about it.
    let journal = super::accounts::journal_actions(&app, &browser).await;
    assert!(journal.contains(&"paper_added".to_owned()), "{journal:?}");
    // Deleted with the owner's signed deletion: gone from the list and the blob store, the
    // deletion kept for the owner's devices.
    let signed_hash = statement
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
                    .json(&json!({"deletion": b64(&deletion.to_bytes().unwrap()), "journal": journal})),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = list(&app, &browser).await;
    assert_eq!(listed["papers"], json!([]));
    assert_eq!(listed["deletions"].as_array().unwrap().len(), 1);
    assert_eq!(listed["space"]["used"], 0);
    let response = content_of(&app, &browser, &sealed).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let left = app.state.blobs.list(100).await.unwrap();
    assert!(left.is_empty(), "no blob is left: {left:?}");
    app.stop().await;
}

async fn refused_uploads_leave_no_paper(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, _) = category(&app, &browser, &owner).await;
    let now = coffre_tests::owner::start_time().unix_timestamp() as u64;
    let sealed = seal(&owner, &cert, 1000, now);
    let id = send(&app, &browser, &sealed.content).await;
    // Chunks of the wrong size or index, or larger than a chunk.
    assert_eq!(
        put_chunk(&app, &browser, &id, 0, &sealed.content[..10]).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        put_chunk(&app, &browser, &id, 1, &sealed.content).await,
        StatusCode::BAD_REQUEST
    );
    // (On a client of its own: the server answers before reading such a body and closes
    // the connection, which a pooled connection would then find closed. The body announces
    // its length, sends one frame and waits: the answer comes from the length alone.)
    let announced =
        futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(vec![0; 1024]))])
            .chain(futures::stream::pending());
    let oversized = browser
        .with(
            reqwest::Client::new()
                .put(app.at(&format!("/api/uploads/{id}/chunks/0")))
                .header("content-type", "application/octet-stream")
                .header("content-length", MAX_CHUNK + 1)
                .body(reqwest::Body::wrap_stream(announced)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Longer than the chunk but under the route's limit: stopped, named, nothing kept.
    let (status, body) = json_of(
        browser
            .with(
                reqwest::Client::new()
                    .put(app.at(&format!("/api/uploads/{id}/chunks/0")))
                    .header("content-type", "application/octet-stream")
                    .body(vec![0; CHUNK + 1]),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        body["message"],
        format!("chunk 0 must have {} bytes, not more", sealed.content.len())
    );
    let (_, state) = json_of(
        browser
            .with(app.client.get(app.at(&format!("/api/uploads/{id}"))))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        state["received"],
        json!([0]),
        "the chunk sent before is kept: {state}"
    );
    let other = Owner::new(app.state.origin.as_str());
    let mut flipped: Value = serde_json::from_slice(&sealed.statement.to_bytes().unwrap()).unwrap();
    let mut sig = unb64(flipped["sigs"][0]["sig"].as_str().unwrap()).unwrap();
    sig[5] ^= 1;
    flipped["sigs"][0]["sig"] = Value::String(b64(&sig));
    let flipped = Envelope::parse(flipped.to_string().as_bytes()).unwrap();
    let resigned = |f: &dyn Fn(&mut coffre_crypto::kinds::Upload),
                    key: &ed25519_dalek::SigningKey| {
        let mut body = sealed
            .statement
            .peek::<coffre_crypto::kinds::Upload>()
            .unwrap();
        f(&mut body);
        sign(&body, &[key]).unwrap()
    };
    let cases: Vec<(&str, Envelope, Vec<u8>, StatusCode, &str)> = vec![
        (
            "a flipped signature",
            flipped,
            sealed.meta.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_signature",
        ),
        (
            "signed by another key",
            resigned(&|u| u.uploader = other.keys.public(), &other.keys.signing),
            sealed.meta.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unauthorised_signer",
        ),
        (
            "for another coffre",
            resigned(&|u| u.coffre = Id::random(), &owner.keys.signing),
            sealed.meta.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "context_mismatch",
        ),
        (
            "a size other than the bytes sent",
            resigned(&|u| u.content_size += 1, &owner.keys.signing),
            sealed.meta.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
        ),
        (
            "a hash other than the bytes sent",
            resigned(
                &|u| u.content_sha256 = Hash32::of(b"other"),
                &owner.keys.signing,
            ),
            sealed.meta.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
        ),
        (
            "another metadata file",
            sealed.statement.clone(),
            seal(&owner, &cert, 1000, now).meta,
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
        ),
        (
            "a category the coffre does not have",
            resigned(&|u| u.category = Id::random(), &owner.keys.signing),
            sealed.meta.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "context_mismatch",
        ),
    ];
    for (what, statement, meta, status, code) in cases {
        let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
        let (got, body) = json_of(
            post(
                &app,
                &browser,
                &format!("/api/uploads/{id}/paper"),
                &json!({"statement": b64(&statement.to_bytes().unwrap()), "meta": b64(&meta), "journal": journal}),
            )
            .await,
        )
        .await;
        assert_eq!(
            (got, body["code"].as_str()),
            (status, Some(code)),
            "{what}: {body}"
        );
    }
    // A journal entry about another paper, or another action.
    // `paper_replaced` too: clients journal a replacement as `paper_added`, and the host
    // must not learn that a paper replaces another.
    for (action, object) in [
        ("paper_added", Id::random()),
        ("paper_deleted", paper_id(&sealed)),
        ("paper_replaced", paper_id(&sealed)),
    ] {
        let journal = entry(&app, &browser, &owner, action, object).await;
        let (status, body) = commit(&app, &browser, &id, &sealed, journal).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{action}: {body}");
    }
    // The right bytes under another upload's statement: a chunk changed after signing.
    let mut changed = sealed.content.clone();
    changed[100] ^= 1;
    let bad = send(&app, &browser, &changed).await;
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(&app, &browser, &bad, &sealed, journal).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("hash_mismatch")),
        "{body}"
    );
    assert_eq!(
        list(&app, &browser).await["papers"],
        json!([]),
        "nothing became a paper"
    );
    // The genuine one goes through; the same statement again (a replay) is refused.
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    assert_eq!(
        commit(&app, &browser, &id, &sealed, journal).await.0,
        StatusCode::CREATED
    );
    let again = send(&app, &browser, &sealed.content).await;
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(&app, &browser, &again, &sealed, journal).await;
    assert_eq!(status, StatusCode::CONFLICT, "a replayed statement: {body}");
    assert_eq!(
        list(&app, &browser).await["papers"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A stale journal head: the client signs again.
    let stale = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    assert!(
        post(
            &app,
            &browser,
            "/api/journal",
            &entry(&app, &browser, &owner, "key_added", Id::random()).await
        )
        .await
        .status()
        .is_success()
    );
    let fresh = seal(&owner, &cert, 1000, now);
    let up = send(&app, &browser, &fresh.content).await;
    let (status, _) = commit(&app, &browser, &up, &fresh, stale).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an entry about another paper"
    );
    let stale = entry(&app, &browser, &owner, "paper_added", paper_id(&fresh)).await;
    assert!(
        post(
            &app,
            &browser,
            "/api/journal",
            &entry(&app, &browser, &owner, "key_added", Id::random()).await
        )
        .await
        .status()
        .is_success()
    );
    assert_eq!(
        commit(&app, &browser, &up, &fresh, stale).await.0,
        StatusCode::CONFLICT
    );
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&fresh)).await;
    assert_eq!(
        commit(&app, &browser, &up, &fresh, journal).await.0,
        StatusCode::CREATED
    );
    app.stop().await;
}

async fn the_quota_and_the_largest_paper_are_kept(env: TestEnv) {
    let mut config = env.config();
    config.limits.coffre_quota_mb = 2;
    config.limits.paper_max_mb = 1;
    let app = TestApp::builder(config)
        .clock(std::sync::Arc::new(coffre_server::clock::ManualClock::new(
            coffre_tests::owner::start_time(),
        )))
        .start()
        .await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let mib = 1024 * 1024;
    let (status, body) = start_upload(&app, &browser, mib + 1).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("paper_too_large"))
    );
    // Two uploads under way reserve their size: a third does not fit.
    assert_eq!(
        start_upload(&app, &browser, mib).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        start_upload(&app, &browser, mib - 10).await.0,
        StatusCode::CREATED
    );
    let (status, body) = start_upload(&app, &browser, 100).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("quota_exceeded")),
        "{body}"
    );
    let space = &list(&app, &browser).await["space"];
    assert_eq!(space["reserved"].as_u64().unwrap(), 2 * mib as u64 - 10);
    assert_eq!(space["quota"].as_u64().unwrap(), 2 * mib as u64);
    app.stop().await;
}

async fn another_coffre_sees_nothing(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, _) = category(&app, &browser, &owner).await;
    let now = coffre_tests::owner::start_time().unix_timestamp() as u64;
    let sealed = seal(&owner, &cert, 1000, now);
    let id = send(&app, &browser, &sealed.content).await;
    let pending = send(&app, &browser, &sealed.content).await;
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    assert_eq!(
        commit(&app, &browser, &id, &sealed, journal).await.0,
        StatusCode::CREATED
    );
    let stranger = Owner::new(app.state.origin.as_str());
    let theirs = open_coffre(&app, &stranger).await;
    let paper = paper_id(&sealed);
    let nobody = uuid::Uuid::new_v4();
    // Another coffre's upload and paper answer exactly like ones that do not exist.
    for target in [pending.clone(), nobody.to_string()] {
        let state = theirs
            .with(app.client.get(app.at(&format!("/api/uploads/{target}"))))
            .send()
            .await
            .unwrap();
        assert_eq!(state.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            put_chunk(&app, &theirs, &target, 0, &sealed.content).await,
            StatusCode::NOT_FOUND
        );
        let journal = entry(&app, &theirs, &stranger, "paper_added", paper).await;
        assert_eq!(
            commit(&app, &theirs, &target, &sealed, journal).await.0,
            StatusCode::NOT_FOUND
        );
    }
    for target in [paper.to_string(), nobody.to_string()] {
        let (status, body) = json_of(
            theirs
                .with(
                    app.client
                        .get(app.at(&format!("/api/papers/{target}/content"))),
                )
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
        let deleted = theirs
            .with(
                app.client
                    .delete(app.at(&format!("/api/papers/{target}")))
                    .json(&json!({"deletion": "", "journal": {"entry": "", "body": ""}})),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(list(&app, &theirs).await["papers"], json!([]));
    // Signed out: nothing.
    let anonymous = app.client.get(app.at("/api/papers")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        list(&app, &browser).await["papers"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.stop().await;
}

async fn an_expired_upload_is_dropped(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let id = send(&app, &browser, &[7; 300_000]).await;
    assert_eq!(
        app.state.blobs.list(100).await.unwrap().len(),
        2,
        "two chunks held"
    );
    clock.advance(time::Duration::hours(25));
    // (The session expired too: sign in again.)
    let browser = sign_in(&app, &owner).await;
    assert_eq!(
        put_chunk(&app, &browser, &id, 0, &[7; CHUNK]).await,
        StatusCode::GONE
    );
    // The next upload drops it, with its chunks.
    assert_eq!(
        start_upload(&app, &browser, 10).await.0,
        StatusCode::CREATED
    );
    let state = browser
        .with(app.client.get(app.at(&format!("/api/uploads/{id}"))))
        .send()
        .await
        .unwrap();
    assert_eq!(state.status(), StatusCode::NOT_FOUND);
    assert!(app.state.blobs.list(100).await.unwrap().is_empty());
    app.stop().await;
}

/// A server on `env`'s database and blob directory: two of them are two replicas behind one
/// public address (the instance every statement names).
async fn replica(env: &TestEnv) -> TestApp {
    let mut config = env.config();
    config.public_url =
        Some(coffre_server::domain::InstanceOrigin::parse("http://localhost:8080").unwrap());
    TestApp::builder(config)
        .clock(std::sync::Arc::new(coffre_server::clock::ManualClock::new(
            coffre_tests::owner::start_time(),
        )))
        .start()
        .await
}

async fn an_upload_moves_between_replicas_and_survives_a_stopped_one(env: TestEnv) {
    let first = replica(&env).await;
    let owner = Owner::new(first.state.origin.as_str());
    let browser = open_coffre(&first, &owner).await;
    let (cert, _) = category(&first, &browser, &owner).await;
    let now = coffre_tests::owner::start_time().unix_timestamp() as u64;
    let sealed = seal(&owner, &cert, 600_000, now);
    let (_, started) = start_upload(&first, &browser, sealed.content.len()).await;
    let id = started["upload"].as_str().unwrap().to_owned();
    let chunks: Vec<&[u8]> = sealed.content.chunks(CHUNK).collect();
    assert_eq!(
        put_chunk(&first, &browser, &id, 0, chunks[0]).await,
        StatusCode::NO_CONTENT
    );
    let second = replica(&env).await;
    assert_eq!(first.state.origin.as_str(), second.state.origin.as_str());
    assert_eq!(
        put_chunk(&second, &browser, &id, 1, chunks[1]).await,
        StatusCode::NO_CONTENT
    );
    // The first one stops mid-upload: what it acknowledged is kept, and nothing is a paper.
    first.stop().await;
    assert_eq!(list(&second, &browser).await["papers"], json!([]));
    let (_, state) = json_of(
        browser
            .with(second.client.get(second.at(&format!("/api/uploads/{id}"))))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(state["received"], json!([0, 1]));
    assert_eq!(
        put_chunk(&second, &browser, &id, 2, chunks[2]).await,
        StatusCode::NO_CONTENT
    );
    let journal = entry(&second, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(&second, &browser, &id, &sealed, journal).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let downloaded = content_of(&second, &browser, &sealed)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&downloaded[..], &sealed.content[..]);
    second.stop().await;
}

/// What a power cut can do to chunks the server acknowledged without a sync — an object
/// gone, cut short, or the same length with other bytes — is a `400` naming the chunk (the
/// web client sends it again), never a paper and never a `422`; sent again, the upload
/// commits and the paper downloads byte for byte.
async fn a_chunk_the_server_lost_is_asked_again(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, _) = category(&app, &browser, &owner).await;
    let now = coffre_tests::owner::start_time().unix_timestamp() as u64;
    let sealed = seal(&owner, &cert, 3 * CHUNK + 1000, now);
    let content = &sealed.content;
    let chunks: Vec<&[u8]> = content.chunks(CHUNK).collect();
    let id = send(&app, &browser, content).await;
    let upload: uuid::Uuid = id.parse().unwrap();
    let blob_dir = env.blob_dir();
    let (store, blob_dir) = (&app.state.store, &blob_dir);
    let object = |idx: u64| async move {
        let rows = store.upload_chunks(upload).await.unwrap();
        let blob = rows.iter().find(|c| c.idx == idx).unwrap().blob;
        blob_dir.join(coffre_server::blobs::object_path(blob).as_ref())
    };
    let damages: [(u64, &str); 3] = [(1, "other bytes"), (2, "cut short"), (0, "gone")];
    for (idx, damage) in damages {
        let path = object(idx).await;
        match damage {
            "other bytes" => {
                let mut bytes = std::fs::read(&path).unwrap();
                bytes[100] ^= 1;
                std::fs::write(&path, bytes).unwrap();
            }
            "cut short" => {
                let bytes = std::fs::read(&path).unwrap();
                std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
            }
            _ => std::fs::remove_file(&path).unwrap(),
        }
        let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
        let (status, body) = commit(&app, &browser, &id, &sealed, journal).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{damage}: {body}");
        assert_eq!(
            body["message"],
            format!("chunk {idx} was lost by the server: send it again"),
            "{damage}"
        );
        assert_eq!(list(&app, &browser).await["papers"], json!([]), "{damage}");
        let i = usize::try_from(idx).unwrap();
        assert_eq!(
            put_chunk(&app, &browser, &id, i, chunks[i]).await,
            StatusCode::NO_CONTENT,
            "{damage}: sent again"
        );
    }
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(&app, &browser, &id, &sealed, journal).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let got = content_of(&app, &browser, &sealed).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.bytes().await.unwrap().as_ref(), content.as_slice());
}

/// Chunk `idx` of `upload`'s object in the blob directory.
async fn chunk_object(
    app: &TestApp,
    env: &TestEnv,
    upload: &str,
    idx: u64,
) -> (BlobId, std::path::PathBuf) {
    let rows = app
        .state
        .store
        .upload_chunks(upload.parse().unwrap())
        .await
        .unwrap();
    let blob = rows.iter().find(|c| c.idx == idx).unwrap().blob;
    (
        blob,
        env.blob_dir()
            .join(coffre_server::blobs::object_path(blob).as_ref()),
    )
}

/// A client on a good connection chooses its chunk size: a paper no larger is sent in one
/// request, and that chunk becomes its content (its object kept, not copied). Sizes outside
/// 64 KiB-16 MiB are refused; bytes that are not the signed ones are a `422` that keeps the
/// upload, which the right bytes then commit.
async fn a_paper_in_one_request_is_its_own_content(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, _) = category(&app, &browser, &owner).await;
    let now = coffre_tests::owner::start_time().unix_timestamp() as u64;
    let sealed = seal(&owner, &cert, 1_500_000, now);
    let content = &sealed.content;
    for bad in [64 * 1024 - 1, MAX_CHUNK + 1, 0] {
        let (status, body) = json_of(
            post(
                &app,
                &browser,
                "/api/uploads",
                &json!({"content_size": content.len(), "chunk_size": bad}),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(
            body["message"],
            format!("chunk_size must be between 65536 and {MAX_CHUNK} bytes"),
            "{bad}"
        );
    }
    let (status, started) = json_of(
        post(
            &app,
            &browser,
            "/api/uploads",
            &json!({"content_size": content.len(), "chunk_size": MAX_CHUNK}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["chunks"], 1);
    assert_eq!(started["chunk_size"], MAX_CHUNK);
    let id = started["upload"].as_str().unwrap().to_owned();
    // Other bytes of the right length: refused as not the signed content, the upload kept.
    let mut other = content.clone();
    other[1000] ^= 1;
    assert_eq!(
        put_chunk(&app, &browser, &id, 0, &other).await,
        StatusCode::NO_CONTENT
    );
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(&app, &browser, &id, &sealed, journal).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "hash_mismatch", "{body}");
    assert_eq!(list(&app, &browser).await["papers"], json!([]));
    assert_eq!(
        put_chunk(&app, &browser, &id, 0, content).await,
        StatusCode::NO_CONTENT
    );
    let (chunk, path) = chunk_object(&app, &env, &id, 0).await;
    let journal = entry(&app, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(&app, &browser, &id, &sealed, journal).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The paper's content is the chunk's blob and object; the first chunk's is gone.
    let paper = app
        .state
        .store
        .paper(
            coffre_server::domain::CoffreId(owner.coffre.0),
            paper_id(&sealed).0,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(paper.content, chunk);
    assert_eq!(std::fs::read(&path).unwrap(), *content);
    let left = app.state.blobs.list(100).await.unwrap();
    assert_eq!(
        left.iter().map(|b| b.id).collect::<Vec<_>>(),
        vec![chunk],
        "{left:?}"
    );
    assert!(app.state.blobs.matches_record(chunk).await.unwrap());
    let got = content_of(&app, &browser, &sealed).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.bytes().await.unwrap().as_ref(), content.as_slice());
    // The upload is over: its chunk route and its commit answer 404.
    assert_eq!(
        put_chunk(&app, &browser, &id, 0, content).await,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

/// The chunk of a one-request upload that another process wrote (a replica, or this server
/// before a restart: a power cut may have taken its unsynced bytes) is read again before it
/// becomes a paper: damaged, it is a `400` naming it, and sent again the paper commits.
async fn a_lone_chunk_another_process_wrote_is_checked_before_it_is_adopted(env: TestEnv) {
    let first = replica(&env).await;
    let owner = Owner::new(first.state.origin.as_str());
    let browser = open_coffre(&first, &owner).await;
    let (cert, _) = category(&first, &browser, &owner).await;
    let now = coffre_tests::owner::start_time().unix_timestamp() as u64;
    let sealed = seal(&owner, &cert, 200_000, now);
    let content = &sealed.content;
    let id = send(&first, &browser, content).await;
    let (_, path) = chunk_object(&first, &env, &id, 0).await;
    first.stop().await;
    let second = replica(&env).await;
    for damage in ["other bytes", "gone"] {
        if damage == "gone" {
            std::fs::remove_file(&path).unwrap();
        } else {
            let mut bytes = std::fs::read(&path).unwrap();
            bytes[100] ^= 1;
            std::fs::write(&path, bytes).unwrap();
        }
        let journal = entry(&second, &browser, &owner, "paper_added", paper_id(&sealed)).await;
        let (status, body) = commit(&second, &browser, &id, &sealed, journal).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{damage}: {body}");
        assert_eq!(
            body["message"], "chunk 0 was lost by the server: send it again",
            "{damage}"
        );
        assert_eq!(
            list(&second, &browser).await["papers"],
            json!([]),
            "{damage}"
        );
    }
    assert_eq!(
        put_chunk(&second, &browser, &id, 0, content).await,
        StatusCode::NO_CONTENT
    );
    let journal = entry(&second, &browser, &owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(&second, &browser, &id, &sealed, journal).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let got = content_of(&second, &browser, &sealed).await;
    assert_eq!(got.bytes().await.unwrap().as_ref(), content.as_slice());
    second.stop().await;
}
