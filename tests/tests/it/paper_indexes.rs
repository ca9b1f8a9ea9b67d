//! The owner's metadata index of a category generation over HTTP, on SQLite and PostgreSQL
//! (protocol.md section 6.1, `docs/design/papers-server.md`): stored only when the owner's
//! current-epoch statement verifies for this instance, coffre and an existing category
//! generation, with the next `seq`, and the file is exactly the signed bytes; served with its
//! statement in the listing and its file on its own route; the replaced file's blob deleted;
//! signed again at a new epoch without sending the file. The listing carries no metadata
//! files: they come in one request for the papers the index does not hold. Another coffre
//! sees nothing.

use coffre_crypto::Context;
use coffre_crypto::deposit::UploaderPolicy;
use coffre_crypto::encoding::{Hash32, INDEX_CAP, Id, b64, unb64};
use coffre_crypto::index::{IndexInputs, open_index, seal_index};
use coffre_crypto::kinds::{CategoryCert, PaperIndex};
use coffre_crypto::paper::{OpenInputs, open_meta};
use coffre_crypto::statement::{Envelope, sign};
use coffre_tests::owner::{Browser, Owner, json_of, open_coffre, post, start};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use ed25519_dalek::SigningKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::papers::{category, commit, ctx, entry, list, paper_id, seal, send};

/// A refused index put: what it is, the path, the statement, the body, the answer and its code.
type RefusedPut<'a> = (&'a str, String, Envelope, Vec<u8>, StatusCode, &'a str);

on_both_backends!(
    an_index_is_stored_served_and_replaced_by_the_next_seq,
    refused_indexes_leave_the_stored_one,
    a_new_epoch_signs_the_index_again_without_the_file,
    another_coffre_sees_no_index_and_no_metadata,
    paper_actions_come_only_with_their_paper,
);

fn index_path(category: Id, generation: u64) -> String {
    format!("/api/papers/indexes/{category}/{generation}")
}

async fn put_index(
    app: &TestApp,
    browser: &Browser,
    path: &str,
    statement: &Envelope,
    file: Vec<u8>,
) -> (StatusCode, Value) {
    json_of(
        browser
            .with(
                app.client
                    .put(app.at(path))
                    .header("content-type", "application/octet-stream")
                    .header(
                        "x-coffre-index-statement",
                        b64(&statement.to_bytes().unwrap()),
                    )
                    .body(file),
            )
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn get_index(app: &TestApp, browser: &Browser, path: &str) -> reqwest::Response {
    browser
        .with(app.client.get(app.at(path)))
        .send()
        .await
        .unwrap()
}

/// A `PUT` of an index declaring one byte more than the cap, and no body: the raw answer.
async fn declared_too_large(
    app: &TestApp,
    browser: &Browser,
    path: &str,
    statement: &Envelope,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let request = format!(
        "PUT {path} HTTP/1.1\r\nhost: {}\r\ncookie: {}\r\nx-coffre-csrf: {}\r\n\
         x-coffre-index-statement: {}\r\ncontent-type: application/octet-stream\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        app.addr,
        browser.cookie.as_deref().unwrap(),
        browser.csrf.as_deref().unwrap(),
        b64(&statement.to_bytes().unwrap()),
        INDEX_CAP + 1
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// A `paper_index` statement signed by `key`, with `change` applied to a valid one.
fn statement_with(base: &Envelope, key: &SigningKey, change: &dyn Fn(&mut PaperIndex)) -> Envelope {
    let mut body = base.peek::<PaperIndex>().unwrap();
    change(&mut body);
    sign(&body, &[key]).unwrap()
}

/// The owner's first category with one paper in it: the certificate, its key, the paper's
/// index entry (opened from the metadata file the server serves).
async fn category_with_a_paper(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
) -> (
    Envelope,
    age::x25519::Identity,
    coffre_crypto::kinds::IndexEntry,
) {
    let (cert, ck) = category(app, browser, owner).await;
    let now = coffre_tests::owner::start_time().unix_timestamp() as u64;
    let sealed = seal(owner, &cert, 5000, now);
    let upload = send(app, browser, &sealed.content).await;
    let journal = entry(app, browser, owner, "paper_added", paper_id(&sealed)).await;
    let (status, body) = commit(app, browser, &upload, &sealed, journal).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The listing names the paper without its metadata file; one request brings the files
    // asked for, and leaves out an id of no paper.
    let listed = list(app, browser).await;
    assert!(listed["papers"][0].get("meta").is_none(), "{listed}");
    let (status, metas) = json_of(
        post(
            app,
            browser,
            "/api/papers/metas",
            &json!({"papers": [paper_id(&sealed).to_string(), Id::random().to_string()]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{metas}");
    assert_eq!(metas["metas"].as_array().unwrap().len(), 1, "{metas}");
    let meta = unb64(metas["metas"][0]["meta"].as_str().unwrap()).unwrap();
    assert_eq!(meta, sealed.meta);
    let statement =
        Envelope::parse(&unb64(listed["papers"][0]["statement"].as_str().unwrap()).unwrap())
            .unwrap();
    let policy = UploaderPolicy::owner(owner.keys.public());
    let opened = open_meta(
        &OpenInputs {
            ctx: &ctx(owner),
            policy: &policy,
            cert: &cert,
            ck: &ck,
            paper: paper_id(&sealed),
            deposit_receipt: None,
        },
        &statement,
        &meta,
    )
    .unwrap();
    (cert, ck, opened.index_entry())
}

fn ids(cert: &Envelope) -> (Id, u64) {
    let c = cert.peek::<CategoryCert>().unwrap();
    (c.category, c.generation)
}

async fn an_index_is_stored_served_and_replaced_by_the_next_seq(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, ck, paper) = category_with_a_paper(&app, &browser, &owner).await;
    let verified = cert
        .verify_by::<CategoryCert>(&owner.keys.public())
        .unwrap();
    let (category_id, generation) = ids(&cert);
    let path = index_path(category_id, generation);
    assert_eq!(
        get_index(&app, &browser, &path).await.status(),
        StatusCode::NOT_FOUND
    );
    let used_before = list(&app, &browser).await["space"]["used"]
        .as_u64()
        .unwrap();
    let (_, without_index, _) = crate::listing::listed(&app, &browser, None).await;

    let first = seal_index(
        &ctx(&owner),
        &owner.keys.signing,
        &verified,
        0,
        vec![paper.clone()],
        10,
    )
    .unwrap();
    let (status, body) =
        put_index(&app, &browser, &path, &first.statement, first.file.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["seq"], 0);
    // The index stored moved the listing: the copy held before is not confirmed.
    let (status, with_index, _) =
        crate::listing::listed(&app, &browser, Some(&without_index)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(with_index, without_index);

    // Listed with its statement; the file on its own route, never cached; the space counts it.
    let listed = list(&app, &browser).await;
    assert_eq!(
        listed["indexes"],
        json!([{
            "category": category_id.to_string(),
            "generation": generation,
            "statement": b64(&first.statement.to_bytes().unwrap()),
            "size": first.file.len(),
        }])
    );
    assert_eq!(
        listed["space"]["used"].as_u64().unwrap(),
        used_before + first.file.len() as u64
    );
    let response = get_index(&app, &browser, &path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    let served = response.bytes().await.unwrap();
    assert_eq!(&served[..], &first.file[..]);
    // What the owner's device opens: the paper, under the owner's signature.
    let statement =
        Envelope::parse(&unb64(listed["indexes"][0]["statement"].as_str().unwrap()).unwrap())
            .unwrap();
    let opened = open_index(
        &IndexInputs {
            ctx: &ctx(&owner),
            owner: &owner.keys.public(),
            ck: &ck,
            category: category_id,
            generation,
            remembered: None,
        },
        &statement,
        &served,
    )
    .unwrap();
    assert_eq!(opened.papers, vec![paper.clone()]);

    // Only the next seq replaces it: the same one again, one skipped, one before, are 409.
    let stored = |app: &TestApp| {
        let store = app.state.store.clone();
        let coffre = coffre_server::domain::CoffreId(owner.coffre.0);
        async move {
            store
                .paper_index(coffre, category_id.0, generation)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let old_blob = stored(&app).await.blob;
    for seq in [0, 2, 5] {
        let sealed = seal_index(
            &ctx(&owner),
            &owner.keys.signing,
            &verified,
            seq,
            vec![],
            11,
        )
        .unwrap();
        let (status, body) = put_index(&app, &browser, &path, &sealed.statement, sealed.file).await;
        assert_eq!(status, StatusCode::CONFLICT, "seq {seq}: {body}");
    }
    let next = seal_index(&ctx(&owner), &owner.keys.signing, &verified, 1, vec![], 12).unwrap();
    let (status, body) = put_index(&app, &browser, &path, &next.statement, next.file.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["seq"], 1);
    let served = get_index(&app, &browser, &path)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&served[..], &next.file[..]);
    // The first file's blob is gone.
    assert!(app.state.blobs.record(old_blob).await.is_err());
    assert_ne!(stored(&app).await.blob, old_blob);
    app.stop().await;
}

async fn refused_indexes_leave_the_stored_one(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, _, paper) = category_with_a_paper(&app, &browser, &owner).await;
    let verified = cert
        .verify_by::<CategoryCert>(&owner.keys.public())
        .unwrap();
    let (category_id, generation) = ids(&cert);
    let path = index_path(category_id, generation);
    let sealed = seal_index(
        &ctx(&owner),
        &owner.keys.signing,
        &verified,
        0,
        vec![paper],
        10,
    )
    .unwrap();
    let good = &sealed.statement;
    let other = Owner::new(app.state.origin.as_str());
    let mut flipped_file = sealed.file.clone();
    *flipped_file.last_mut().unwrap() ^= 1;
    let key = &owner.keys.signing;
    let cases: Vec<RefusedPut> = vec![
        (
            "signed by another key",
            path.clone(),
            statement_with(good, &other.keys.signing, &|_| {}),
            sealed.file.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unauthorised_signer",
        ),
        (
            "for another instance",
            path.clone(),
            statement_with(good, key, &|s| {
                s.instance = "https://elsewhere.example.org".into()
            }),
            sealed.file.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "context_mismatch",
        ),
        (
            "for another coffre",
            path.clone(),
            statement_with(good, key, &|s| s.coffre = Id::random()),
            sealed.file.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "context_mismatch",
        ),
        (
            "at another epoch",
            path.clone(),
            statement_with(good, key, &|s| s.epoch = 1),
            sealed.file.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "context_mismatch",
        ),
        (
            "about another generation than the path's",
            path.clone(),
            statement_with(good, key, &|s| s.generation += 1),
            sealed.file.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "context_mismatch",
        ),
        (
            "a category the coffre does not have",
            index_path(Id::random(), 0),
            statement_with(good, key, &|_| {}),
            sealed.file.clone(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "a generation the category does not have",
            index_path(category_id, generation + 1),
            statement_with(good, key, &|s| s.generation += 1),
            sealed.file.clone(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "a file other than the signed one",
            path.clone(),
            good.clone(),
            flipped_file,
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
        ),
        (
            "a file shorter than signed",
            path.clone(),
            good.clone(),
            sealed.file[..sealed.file.len() - 1].to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
        ),
        (
            "a file longer than signed",
            path.clone(),
            good.clone(),
            [sealed.file.as_slice(), b"x"].concat(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
        ),
        (
            "a statement over a file above the cap",
            path.clone(),
            statement_with(good, key, &|s| {
                s.index_size = INDEX_CAP as u64 + 1;
                s.index_sha256 = Hash32::of(b"big");
            }),
            b"big".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_large",
        ),
        (
            "no file for a first index",
            path.clone(),
            good.clone(),
            Vec::new(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "a first index that is not seq 0",
            path.clone(),
            statement_with(good, key, &|s| s.seq = 1),
            sealed.file.clone(),
            StatusCode::CONFLICT,
            "conflict",
        ),
    ];
    for (what, path, statement, file, status, code) in cases {
        let (got, body) = put_index(&app, &browser, &path, &statement, file).await;
        assert_eq!(
            (got, body["code"].as_str()),
            (status, Some(code)),
            "{what}: {body}"
        );
    }
    // A body declared above the cap is refused before it is read (sent raw: the server
    // answers and closes while a client would still be writing 16 MiB).
    let answer = declared_too_large(&app, &browser, &path, good).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");
    // A flipped signature, and no statement at all.
    let mut bytes = good.to_bytes().unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 1;
    let response = browser
        .with(
            app.client
                .put(app.at(&path))
                .header("x-coffre-index-statement", b64(&bytes))
                .body(sealed.file.clone()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = browser
        .with(app.client.put(app.at(&path)).body(sealed.file.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // Without the CSRF token, or without a session.
    let no_token = Browser {
        cookie: browser.cookie.clone(),
        csrf: None,
    };
    let (status, body) = put_index(&app, &no_token, &path, good, sealed.file.clone()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf"))
    );
    let (status, _) = put_index(&app, &Browser::default(), &path, good, sealed.file.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Nothing was stored, and the good one still goes in.
    assert_eq!(list(&app, &browser).await["indexes"], json!([]));
    assert_eq!(
        get_index(&app, &browser, &path).await.status(),
        StatusCode::NOT_FOUND
    );
    let (status, body) = put_index(&app, &browser, &path, good, sealed.file.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Too many metadata files asked at once.
    let many: Vec<String> = (0..1001).map(|_| Id::random().to_string()).collect();
    let response = post(
        &app,
        &browser,
        "/api/papers/metas",
        &json!({ "papers": many }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    app.stop().await;
}

async fn a_new_epoch_signs_the_index_again_without_the_file(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, ck, paper) = category_with_a_paper(&app, &browser, &owner).await;
    let verified = cert
        .verify_by::<CategoryCert>(&owner.keys.public())
        .unwrap();
    let (category_id, generation) = ids(&cert);
    let path = index_path(category_id, generation);
    let sealed = seal_index(
        &ctx(&owner),
        &owner.keys.signing,
        &verified,
        0,
        vec![paper.clone()],
        10,
    )
    .unwrap();
    let (status, body) = put_index(
        &app,
        &browser,
        &path,
        &sealed.statement,
        sealed.file.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let papers_version = || async {
        app.state
            .store
            .listing_state(
                coffre_server::domain::CoffreId(owner.coffre.0),
                app.state.clock.now(),
            )
            .await
            .unwrap()
            .unwrap()
            .version
    };
    let before_epoch = papers_version().await;
    let (body, next) = super::accounts::new_epoch(&app, &browser, &owner).await;
    let response = post(&app, &browser, "/api/coffre/epoch", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    // The epoch change moves the papers version (every kept listing is built again).
    assert_eq!(papers_version().await, before_epoch + 1);
    // The index is still there (its seq goes on), but the old key cannot replace it now.
    assert_eq!(
        list(&app, &browser).await["indexes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let by_old = statement_with(&sealed.statement, &owner.keys.signing, &|s| s.seq = 1);
    let (status, body) = put_index(&app, &browser, &path, &by_old, Vec::new()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // The new key signs the same file at the new epoch, next seq: no body to send. A
    // statement over another file with no body is refused.
    let elsewhere = statement_with(&sealed.statement, &next.keys.signing, &|s| {
        s.epoch = 1;
        s.seq = 1;
        s.index_sha256 = Hash32::of(b"another file");
    });
    let (status, body) = put_index(&app, &browser, &path, &elsewhere, Vec::new()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("hash_mismatch")),
        "{body}"
    );
    let again = statement_with(&sealed.statement, &next.keys.signing, &|s| {
        s.epoch = 1;
        s.seq = 1;
        s.created = 20;
    });
    let (status, body) = put_index(&app, &browser, &path, &again, Vec::new()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let served = get_index(&app, &browser, &path)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&served[..], &sealed.file[..]);
    // The new epoch's device opens it with the new owner key.
    let listed = list(&app, &browser).await;
    let statement =
        Envelope::parse(&unb64(listed["indexes"][0]["statement"].as_str().unwrap()).unwrap())
            .unwrap();
    let opened = open_index(
        &IndexInputs {
            ctx: &Context {
                epoch: 1,
                ..ctx(&owner)
            },
            owner: &next.keys.public(),
            ck: &ck,
            category: category_id,
            generation,
            remembered: None,
        },
        &statement,
        &served,
    )
    .unwrap();
    assert_eq!(opened.papers, vec![paper]);
    assert_eq!(opened.checkpoint.seq, 1);
    app.stop().await;
}

async fn another_coffre_sees_no_index_and_no_metadata(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, _, paper) = category_with_a_paper(&app, &browser, &owner).await;
    let verified = cert
        .verify_by::<CategoryCert>(&owner.keys.public())
        .unwrap();
    let (category_id, generation) = ids(&cert);
    let path = index_path(category_id, generation);
    let sealed = seal_index(
        &ctx(&owner),
        &owner.keys.signing,
        &verified,
        0,
        vec![paper.clone()],
        10,
    )
    .unwrap();
    let (status, _) = put_index(
        &app,
        &browser,
        &path,
        &sealed.statement,
        sealed.file.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let stranger = Owner::new(app.state.origin.as_str());
    let theirs = open_coffre(&app, &stranger).await;
    let (status, body) = json_of(get_index(&app, &theirs, &path).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    // Even with a statement of their own for that path: 404, as for a category of no one.
    let (their_cert, _) = category(&app, &theirs, &stranger).await;
    let their_verified = their_cert
        .verify_by::<CategoryCert>(&stranger.keys.public())
        .unwrap();
    let forged = seal_index(
        &ctx(&stranger),
        &stranger.keys.signing,
        &their_verified,
        1,
        vec![],
        10,
    )
    .unwrap();
    let forged = statement_with(&forged.statement, &stranger.keys.signing, &|s| {
        s.category = category_id;
    });
    let (status, body) = put_index(&app, &theirs, &path, &forged, Vec::new()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    assert_eq!(list(&app, &theirs).await["indexes"], json!([]));
    let (status, metas) = json_of(
        post(
            &app,
            &theirs,
            "/api/papers/metas",
            &json!({"papers": [paper.paper.to_string()]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(metas["metas"], json!([]));
    // The owner's index is as it was.
    let served = get_index(&app, &browser, &path)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&served[..], &sealed.file[..]);
    app.stop().await;
}

async fn paper_actions_come_only_with_their_paper(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    for action in ["paper_added", "paper_replaced", "paper_deleted"] {
        let journal = entry(&app, &browser, &owner, action, Id::random()).await;
        let (status, body) = json_of(post(&app, &browser, "/api/journal", &journal).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{action}: {body}");
    }
    let journal = super::accounts::journal_actions(&app, &browser).await;
    assert!(
        !journal.iter().any(|a| a.starts_with("paper_")),
        "{journal:?}"
    );
    app.stop().await;
}
