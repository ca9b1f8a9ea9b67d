//! The owner-signed journal checkpoint over HTTP, on SQLite and PostgreSQL (protocol.md
//! section 9): the server keeps it only when the coffre's current owner key signed it for this
//! instance, coffre and epoch, naming an entry its journal holds with that hash; never an older
//! one than it keeps; a new epoch drops it. A new device then verifies that one signature and
//! only the entries after it, the earlier ones bound by their links.

use coffre_crypto::Context;
use coffre_crypto::encoding::{Hash32, Id, b64, unb64};
use coffre_crypto::journal::{
    Checkpoint, sign_checkpoint, verify_checkpoint, verify_journal_vouched,
};
use coffre_crypto::statement::Envelope;
use coffre_tests::owner::{Browser, Owner, json_of, open_coffre, post, start};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    the_owner_checkpoint_is_kept_and_served,
    a_checkpoint_that_does_not_verify_is_refused,
    a_new_epoch_drops_the_checkpoint,
);

fn ctx(app: &TestApp, owner: &Owner, epoch: u64) -> Context {
    Context {
        instance: app.state.origin.as_str().to_owned(),
        coffre: owner.coffre,
        epoch,
    }
}

async fn get_checkpoint(app: &TestApp, browser: &Browser) -> Value {
    let (status, answer) = json_of(
        browser
            .with(app.client.get(app.at("/api/journal/checkpoint")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

async fn put_checkpoint(app: &TestApp, browser: &Browser, env: &Envelope) -> (StatusCode, Value) {
    json_of(
        browser
            .with(
                app.client
                    .put(app.at("/api/journal/checkpoint"))
                    .json(&json!({"checkpoint": b64(&env.to_bytes().unwrap())})),
            )
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The journal's entries as stored (envelopes, oldest first).
async fn entries(app: &TestApp, browser: &Browser) -> Vec<Envelope> {
    let (_, page) = json_of(
        browser
            .with(app.client.get(app.at("/api/journal")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| Envelope::parse(&unb64(i["entry"].as_str().unwrap()).unwrap()).unwrap())
        .collect()
}

/// Signs in again with the carte `n` times (each a server-signed `sign_in` entry).
async fn sign_ins(app: &TestApp, owner: &Owner, n: usize) {
    for _ in 0..n {
        let (nonce, _) = coffre_tests::owner::nonce(app).await;
        let response = app
            .client
            .post(app.at("/api/sessions/carte"))
            .json(&owner.carte_sign_in(&nonce, coffre_tests::owner::PIN))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
}

fn at(entries: &[Envelope], seq: usize) -> Checkpoint {
    Checkpoint {
        seq: seq as u64,
        hash: entries[seq].hash().unwrap(),
    }
}

async fn the_owner_checkpoint_is_kept_and_served(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let first = get_checkpoint(&app, &browser).await;
    assert_eq!(first, json!({"checkpoint": null, "next_seq": 1}));
    sign_ins(&app, &owner, 3).await;
    let journal = entries(&app, &browser).await;
    assert_eq!(journal.len(), 4);
    let ctx = ctx(&app, &owner, 0);
    let cp2 = sign_checkpoint(&ctx, &owner.keys.signing, at(&journal, 2), 1).unwrap();
    assert_eq!(
        put_checkpoint(&app, &browser, &cp2).await.0,
        StatusCode::NO_CONTENT
    );
    let served = get_checkpoint(&app, &browser).await;
    assert_eq!(served["next_seq"], 4);
    let served = Envelope::parse(&unb64(served["checkpoint"].as_str().unwrap()).unwrap()).unwrap();
    assert_eq!(served, cp2);
    // What a new device does: one owner signature, then the journal bound by its links.
    let vouched = verify_checkpoint(&served, &owner.keys.public(), &ctx).unwrap();
    let server = app.state.server_key.public_key();
    let allowed = |k: &coffre_crypto::encoding::PublicKey,
                   _: &coffre_crypto::kinds::JournalEntry| {
        *k == server || *k == owner.keys.public()
    };
    let head = verify_journal_vouched(&journal[1..], None, Some(vouched), &ctx, &allowed).unwrap();
    assert_eq!(head, at(&journal, 3));
    // An older checkpoint than the one kept is refused; the same or a later one is kept.
    let cp1 = sign_checkpoint(&ctx, &owner.keys.signing, at(&journal, 1), 2).unwrap();
    let (status, body) = put_checkpoint(&app, &browser, &cp1).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    assert_eq!(
        put_checkpoint(&app, &browser, &cp2).await.0,
        StatusCode::NO_CONTENT
    );
    let cp3 = sign_checkpoint(&ctx, &owner.keys.signing, at(&journal, 3), 3).unwrap();
    assert_eq!(
        put_checkpoint(&app, &browser, &cp3).await.0,
        StatusCode::NO_CONTENT
    );
    // Each coffre has its own.
    let other = Owner::new(app.state.origin.as_str());
    let other_browser = open_coffre(&app, &other).await;
    assert_eq!(
        get_checkpoint(&app, &other_browser).await["checkpoint"],
        Value::Null
    );
    // Signed out: no checkpoint.
    let response = app
        .client
        .get(app.at("/api/journal/checkpoint"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

async fn a_checkpoint_that_does_not_verify_is_refused(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    sign_ins(&app, &owner, 1).await;
    let journal = entries(&app, &browser).await;
    let ctx = ctx(&app, &owner, 0);
    let other = Owner::new(app.state.origin.as_str());
    let mut elsewhere = ctx.clone();
    elsewhere.coffre = Id::random();
    let mut later_epoch = ctx.clone();
    later_epoch.epoch = 1;
    let mut other_instance = ctx.clone();
    other_instance.instance = "https://coffre.example".into();
    let sign = |c: &Context, key: &ed25519_dalek::SigningKey, cp: Checkpoint| {
        sign_checkpoint(c, key, cp, 1).unwrap()
    };
    let cases = [
        (
            "signed by another owner",
            sign(&ctx, &other.keys.signing, at(&journal, 1)),
            "unauthorised_signer",
        ),
        (
            "signed by the server key",
            app.state
                .server_key
                .sign_statement(
                    &sign(&ctx, &owner.keys.signing, at(&journal, 1))
                        .peek::<coffre_crypto::kinds::JournalCheckpoint>()
                        .unwrap(),
                )
                .unwrap(),
            "unauthorised_signer",
        ),
        (
            "for another coffre",
            sign(&elsewhere, &owner.keys.signing, at(&journal, 1)),
            "context_mismatch",
        ),
        (
            "for another instance",
            sign(&other_instance, &owner.keys.signing, at(&journal, 1)),
            "context_mismatch",
        ),
        (
            "at an epoch the coffre is not at",
            sign(&later_epoch, &owner.keys.signing, at(&journal, 1)),
            "context_mismatch",
        ),
        (
            "naming another entry's hash",
            sign(
                &ctx,
                &owner.keys.signing,
                Checkpoint {
                    seq: 1,
                    hash: journal[0].hash().unwrap(),
                },
            ),
            "hash_mismatch",
        ),
        (
            "naming an entry the journal does not hold",
            sign(
                &ctx,
                &owner.keys.signing,
                Checkpoint {
                    seq: 7,
                    hash: Hash32::of(b"future"),
                },
            ),
            "hash_mismatch",
        ),
    ];
    for (what, env, code) in cases {
        let (status, body) = put_checkpoint(&app, &browser, &env).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{what}: {body}"
        );
    }
    // A flipped signature bit.
    let good = sign(&ctx, &owner.keys.signing, at(&journal, 1));
    let mut raw: Value = serde_json::from_slice(&good.to_bytes().unwrap()).unwrap();
    let mut sig = unb64(raw["sigs"][0]["sig"].as_str().unwrap()).unwrap();
    sig[3] ^= 0x04;
    raw["sigs"][0]["sig"] = Value::String(b64(&sig));
    let (status, body) =
        json_of(post(&app, &browser, "/api/journal/checkpoint", &json!({})).await).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    let (status, body) = json_of(
        browser
            .with(
                app.client
                    .put(app.at("/api/journal/checkpoint"))
                    .json(&json!({"checkpoint": b64(raw.to_string().as_bytes())})),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("bad_signature")),
        "{body}"
    );
    // Without the CSRF token, nothing is kept.
    let bare = Browser {
        cookie: browser.cookie.clone(),
        csrf: None,
    };
    let (status, _) = put_checkpoint(&app, &bare, &good).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        get_checkpoint(&app, &browser).await["checkpoint"],
        Value::Null
    );
    assert_eq!(
        put_checkpoint(&app, &browser, &good).await.0,
        StatusCode::NO_CONTENT
    );
    app.stop().await;
}

async fn a_new_epoch_drops_the_checkpoint(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let journal = entries(&app, &browser).await;
    let cp = sign_checkpoint(
        &ctx(&app, &owner, 0),
        &owner.keys.signing,
        at(&journal, 0),
        1,
    )
    .unwrap();
    assert_eq!(
        put_checkpoint(&app, &browser, &cp).await.0,
        StatusCode::NO_CONTENT
    );
    let (body, next) = super::accounts::new_epoch(&app, &browser, &owner).await;
    let response = post(&app, &browser, "/api/coffre/epoch", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        get_checkpoint(&app, &browser).await["checkpoint"],
        Value::Null
    );
    // The old key's checkpoint is refused now; the new key's is kept.
    let (status, body) = put_checkpoint(&app, &browser, &cp).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let journal = entries(&app, &browser).await;
    let last = journal.len() - 1;
    let fresh = sign_checkpoint(
        &ctx(&app, &owner, 1),
        &next.keys.signing,
        at(&journal, last),
        2,
    )
    .unwrap();
    assert_eq!(
        put_checkpoint(&app, &browser, &fresh).await.0,
        StatusCode::NO_CONTENT
    );
    app.stop().await;
}
