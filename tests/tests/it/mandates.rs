//! Mandates over HTTP, on SQLite and PostgreSQL (protocol.md section 8,
//! `docs/design/mandates-server.md`): the owner gives one (verified before it is stored,
//! numbered, journaled), it is in force from `not_before` to `not_after − 1 s` on the
//! injected clock and refused from `not_after`; forged ones are refused and store nothing;
//! revocation and renunciation end it; a grantee consults only by first posting an access
//! receipt with the next counter, which the owner then reads; an organisation's mandate
//! serves its current aidants only.

use coffre_crypto::category::{category_key_payload, wrap_category_key};
use coffre_crypto::encoding::{Hash32, Id, b64, sha256, unb64};
use coffre_crypto::kinds::{
    AccessReceipt, Grantee, GranteeType, Mandate, OrgAction, Renunciation, Revocation, Rights,
    Role, Upload,
};
use coffre_crypto::mandate::{check_receipt_counters, verify_access_receipt};
use coffre_crypto::statement::{Envelope, sign};
use coffre_server::domain::AccountRole;
use coffre_tests::owner::{Browser, Owner, json_of, post, start, start_with};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::organisations::{Org, account, append, founded_org, get, member, now};

on_both_backends!(
    a_mandate_is_in_force_until_one_second_before_its_end,
    forged_mandates_are_refused_and_store_nothing,
    revocation_and_renunciation_end_a_mandate,
    consulting_takes_a_receipt_first,
    many_grantees_consulting_one_coffre_at_once_all_get_in,
    an_organisation_mandate_serves_its_current_aidants_only,
);

pub(crate) const DAY: u64 = 86_400;

pub(crate) fn person(who: &Owner) -> Grantee {
    Grantee {
        id: who.coffre,
        key: who.keys.public(),
        recipient: Some(who.keys.recipient.clone()),
        grantee_type: GranteeType::Person,
    }
}

pub(crate) fn organisation(org: &Org) -> Grantee {
    Grantee {
        id: Id(org.id),
        key: coffre_crypto::keys::public_key(&org.root),
        recipient: None,
        grantee_type: GranteeType::Organisation,
    }
}

/// A mandate body from `owner` to `grantee` over its first category, from `not_before` for
/// `days` days.
pub(crate) fn mandate(
    owner: &Owner,
    grantee: Grantee,
    rights: Rights,
    not_before: u64,
    days: u64,
) -> Mandate {
    Mandate {
        categories: vec![owner.categories[0]],
        coffre: owner.coffre,
        created: not_before,
        epoch: 0,
        grantee,
        instance: owner.instance.clone(),
        kind: Default::default(),
        mandate: Id::random(),
        not_after: not_before + days * DAY,
        not_before,
        rights,
        text_sha256: Hash32(sha256(b"Texte du mandat, version 1")),
        v: Default::default(),
    }
}

/// The owner's journal entry `action` about `object`, signed after the current head.
pub(crate) async fn entry(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    action: &str,
    object: Id,
) -> Value {
    let (_, head) = get(app, browser, "/api/journal/head").await;
    owner.journal_entry_about(&head, action, Some(object), None)
}

/// Posts `envelope` as the owner's mandate, with its journal entry.
pub(crate) async fn give_signed(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    envelope: &Envelope,
    object: Id,
) -> (StatusCode, Value) {
    let journal = entry(app, browser, owner, "mandate_granted", object).await;
    json_of(
        post(
            app,
            browser,
            "/api/mandates",
            &json!({"mandate": b64(&envelope.to_bytes().unwrap()), "journal": journal}),
        )
        .await,
    )
    .await
}

/// The owner signs and gives `body`.
pub(crate) async fn give(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    body: &Mandate,
) -> (StatusCode, Value) {
    let envelope = sign(body, &[&owner.keys.signing]).unwrap();
    give_signed(app, browser, owner, &envelope, body.mandate).await
}

pub(crate) async fn revoke(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    mandate: Id,
    created: u64,
) -> (StatusCode, Value) {
    let body = Revocation {
        coffre: owner.coffre,
        created,
        epoch: 0,
        instance: owner.instance.clone(),
        kind: Default::default(),
        mandate,
        v: Default::default(),
    };
    let envelope = sign(&body, &[&owner.keys.signing]).unwrap();
    let journal = entry(app, browser, owner, "mandate_revoked", mandate).await;
    json_of(
        post(
            app,
            browser,
            &format!("/api/mandates/{mandate}/revocation"),
            &json!({"revocation": b64(&envelope.to_bytes().unwrap()), "journal": journal}),
        )
        .await,
    )
    .await
}

pub(crate) async fn renounce(
    app: &TestApp,
    browser: &Browser,
    grantee: &Owner,
    owner: &Owner,
    mandate: Id,
    created: u64,
) -> (StatusCode, Value) {
    let body = Renunciation {
        coffre: owner.coffre,
        created,
        epoch: 0,
        grantee_key: grantee.keys.public(),
        instance: owner.instance.clone(),
        kind: Default::default(),
        mandate,
        v: Default::default(),
    };
    let envelope = sign(&body, &[&grantee.keys.signing]).unwrap();
    json_of(
        post(
            app,
            browser,
            &format!("/api/mandates/{mandate}/renunciation"),
            &json!({"renunciation": b64(&envelope.to_bytes().unwrap())}),
        )
        .await,
    )
    .await
}

/// The grantee's access receipt.
pub(crate) fn receipt(
    grantee: &Owner,
    owner: &Owner,
    mandate: Id,
    object: Id,
    action: &str,
    counter: u64,
    created: u64,
) -> Envelope {
    let body = AccessReceipt {
        action: action.into(),
        coffre: owner.coffre,
        counter,
        created,
        epoch: 0,
        grantee_key: grantee.keys.public(),
        instance: owner.instance.clone(),
        kind: Default::default(),
        mandate,
        paper: object,
        v: Default::default(),
    };
    sign(&body, &[&grantee.keys.signing]).unwrap()
}

pub(crate) async fn access(
    app: &TestApp,
    browser: &Browser,
    mandate: Id,
    receipt: &Envelope,
) -> (StatusCode, Value) {
    json_of(
        post(
            app,
            browser,
            &format!("/api/mandates/{mandate}/access"),
            &json!({"receipt": b64(&receipt.to_bytes().unwrap())}),
        )
        .await,
    )
    .await
}

/// The owner uploads a small paper into its first category; returns its id.
pub(crate) async fn upload_paper(app: &TestApp, browser: &Browser, owner: &Owner) -> Id {
    let (_, coffre) = get(app, browser, "/api/coffre").await;
    let (cert, _) = owner.first_category(&coffre);
    let sealed = owner.seal_paper(&cert, 1000, now(app));
    let paper = sealed.statement.peek::<Upload>().unwrap().paper;
    let (status, started) = json_of(
        post(
            app,
            browser,
            "/api/uploads",
            &json!({"content_size": sealed.content.len()}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let upload = started["upload"].as_str().unwrap();
    let status = browser
        .with(
            app.client
                .put(app.at(&format!("/api/uploads/{upload}/chunks/0")))
                .header("content-type", "application/octet-stream")
                .body(sealed.content.clone()),
        )
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NO_CONTENT);
    let journal = entry(app, browser, owner, "paper_added", paper).await;
    let (status, body) = json_of(
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
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    paper
}

/// The owner wraps its first category's key (generation 0) to `recipient`.
pub(crate) async fn give_keys(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    mandate: Id,
    recipient: &coffre_crypto::encoding::AgeRecipient,
) -> StatusCode {
    let (_, coffre) = get(app, browser, "/api/coffre").await;
    let (cert, ck) = owner.first_category(&coffre);
    let listed = cert
        .peek::<coffre_crypto::kinds::CategoryCert>()
        .unwrap()
        .category;
    let payload = category_key_payload(owner.coffre, listed, 0, &ck).unwrap();
    let wrap = wrap_category_key(std::slice::from_ref(recipient), &payload).unwrap();
    browser
        .with(
            app.client
                .put(app.at(&format!("/api/mandates/{mandate}/keys")))
                .json(&json!({"wraps": [{"category": listed.to_string(), "generation": 0, "wrap": b64(&wrap)}]})),
        )
        .send()
        .await
        .unwrap()
        .status()
}

/// The id of the category `first_category` unwraps (the first the server lists).
pub(crate) async fn first_category_id(app: &TestApp, browser: &Browser) -> Id {
    let (_, coffre) = get(app, browser, "/api/coffre").await;
    let env = Envelope::parse(&unb64(coffre["categories"][0]["cert"].as_str().unwrap()).unwrap())
        .unwrap();
    env.peek::<coffre_crypto::kinds::CategoryCert>()
        .unwrap()
        .category
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| m["mandate"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_mandate_is_in_force_until_one_second_before_its_end(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (_, stranger_b) = account(&app, AccountRole::Person).await;
    let t = now(&app);
    let category = first_category_id(&app, &karim_b).await;
    // Signed now, starts in ten minutes, lasts twenty (the clock moves in steps shorter than
    // a session's idle lifetime).
    let mut body = mandate(&karim, person(&ines), Rights::ConsultDeposit, t + 600, 1);
    body.created = t;
    body.not_after = t + 1800;
    body.categories = vec![category];
    let (status, granted) = give(&app, &karim_b, &karim, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{granted}");
    assert!(granted["number"].as_u64().unwrap() >= 1);
    let id = body.mandate.to_string();
    // The journal has the grant, signed by the owner.
    let (_, journal) = get(&app, &karim_b, "/api/journal").await;
    let last = journal["entries"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["seq"], granted["seq"]);

    let (_, lists) = get(&app, &karim_b, "/api/mandates").await;
    assert_eq!(ids(&lists["given"]), vec![id.clone()]);
    assert_eq!(lists["given"][0]["state"], "upcoming");
    // Not in force yet: the grantee does not see it.
    let (_, lists) = get(&app, &ines_b, "/api/mandates").await;
    assert_eq!(lists["received"], json!([]));
    let (status, _) = get(&app, &ines_b, &format!("/api/mandates/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    clock.advance(time::Duration::seconds(600));
    let (_, lists) = get(&app, &ines_b, "/api/mandates").await;
    assert_eq!(ids(&lists["received"]), vec![id.clone()]);
    assert_eq!(lists["received"][0]["state"], "in_force");
    assert_eq!(lists["received"][0]["days_left"], 1);
    assert_eq!(
        lists["received"][0]["owner_key"],
        karim.keys.public().to_b64()
    );
    let (status, one) = get(&app, &ines_b, &format!("/api/mandates/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{one}");
    // Someone else sees nothing of it.
    let (status, _) = get(&app, &stranger_b, &format!("/api/mandates/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, lists) = get(&app, &stranger_b, "/api/mandates").await;
    assert_eq!(lists, json!({"given": [], "received": []}));

    // At not_after − 1 s it is in force, at not_after it is not.
    let (_, _) = get(&app, &karim_b, "/api/mandates").await;
    clock.advance(time::Duration::seconds(1199));
    let (status, _) = get(&app, &ines_b, &format!("/api/mandates/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = access(
        &app,
        &ines_b,
        body.mandate,
        &receipt(
            &ines,
            &karim,
            body.mandate,
            category,
            "unwrap_key",
            1,
            now(&app),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    clock.advance(time::Duration::seconds(1));
    let (status, _) = get(&app, &ines_b, &format!("/api/mandates/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, lists) = get(&app, &ines_b, "/api/mandates").await;
    assert_eq!(lists["received"], json!([]));
    let m = Id::parse(&id).unwrap();
    let (status, _) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, category, "unwrap_key", 2, now(&app)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, lists) = get(&app, &karim_b, "/api/mandates").await;
    assert_eq!(lists["given"][0]["state"], "expired");
    assert_eq!(lists["given"][0]["days_left"], 0);
    app.stop().await;
}

async fn forged_mandates_are_refused_and_store_nothing(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, _) = account(&app, AccountRole::Professional).await;
    let (other, _) = account(&app, AccountRole::Person).await;
    let t = now(&app);
    let good = mandate(&karim, person(&ines), Rights::Consult, t, 31);

    // Signed by another key than the owner's.
    let by_other = sign(&good, &[&other.keys.signing]).unwrap();
    let (status, body) = give_signed(&app, &karim_b, &karim, &by_other, good.mandate).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "unauthorised_signer");
    // Another owner's coffre.
    let mut wrong_owner = good.clone();
    wrong_owner.coffre = other.coffre;
    let (_, body) = give(&app, &karim_b, &karim, &wrong_owner).await;
    assert_eq!(body["code"], "context_mismatch");
    // The scope widened after signing: the signature no longer holds.
    let signed = sign(&good, &[&karim.keys.signing]).unwrap();
    let mut widened = good.clone();
    widened.categories = karim.categories.clone();
    widened.categories.sort();
    let widened_body = coffre_crypto::encoding::to_canonical(&widened).unwrap();
    let raw: Value = serde_json::from_slice(&signed.to_bytes().unwrap()).unwrap();
    let tampered = json!({"body": b64(&widened_body), "sigs": raw["sigs"]});
    let tampered = Envelope::parse(&serde_json::to_vec(&tampered).unwrap()).unwrap();
    let (status, body) = give_signed(&app, &karim_b, &karim, &tampered, good.mandate).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "bad_signature");
    // A window over a year; one already over.
    let mut long = good.clone();
    long.not_after = long.not_before + 366 * DAY;
    let (_, body) = give(&app, &karim_b, &karim, &long).await;
    assert_eq!(body["code"], "outside_validity");
    let mut over = good.clone();
    over.not_before = t - 10 * DAY;
    over.not_after = t - DAY;
    let (_, body) = give(&app, &karim_b, &karim, &over).await;
    assert_eq!(body["code"], "outside_validity");
    // A category the coffre does not have; none at all.
    let mut foreign = good.clone();
    foreign.categories = vec![Id::random()];
    let (_, body) = give(&app, &karim_b, &karim, &foreign).await;
    assert_eq!(body["code"], "context_mismatch");
    let mut empty = good.clone();
    empty.categories = vec![];
    let (_, body) = give(&app, &karim_b, &karim, &empty).await;
    assert_eq!(body["code"], "malformed");
    // A grantee that is no account here, or whose recipient is not its account's.
    let mut unknown = good.clone();
    unknown.grantee.key = coffre_crypto::keys::public_key(&crate::organisations::fresh_key());
    let (_, body) = give(&app, &karim_b, &karim, &unknown).await;
    assert_eq!(body["code"], "grantee_key_mismatch");
    let mut swapped = good.clone();
    swapped.grantee.recipient = Some(other.keys.recipient.clone());
    let (_, body) = give(&app, &karim_b, &karim, &swapped).await;
    assert_eq!(body["code"], "grantee_key_mismatch");
    // An organisation that does not exist.
    let mut no_org = good.clone();
    no_org.grantee = Grantee {
        id: Id::random(),
        key: ines.keys.public(),
        recipient: None,
        grantee_type: GranteeType::Organisation,
    };
    let (_, body) = give(&app, &karim_b, &karim, &no_org).await;
    assert_eq!(body["code"], "root_mismatch");
    // Oneself.
    let mut me = good.clone();
    me.grantee = person(&karim);
    let (status, _) = give(&app, &karim_b, &karim, &me).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The journal entry must be the grant of this mandate.
    let envelope = sign(&good, &[&karim.keys.signing]).unwrap();
    let journal = entry(&app, &karim_b, &karim, "mandate_granted", Id::random()).await;
    let (status, _) = json_of(
        post(
            &app,
            &karim_b,
            "/api/mandates",
            &json!({"mandate": b64(&envelope.to_bytes().unwrap()), "journal": journal}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Nothing was stored, nothing journaled.
    let (_, lists) = get(&app, &karim_b, "/api/mandates").await;
    assert_eq!(lists["given"], json!([]));
    let (_, journal) = get(&app, &karim_b, "/api/journal").await;
    assert_eq!(
        journal["entries"].as_array().unwrap().len(),
        1,
        "coffre_created only"
    );

    // The good one goes in, once.
    let (status, _) = give_signed(&app, &karim_b, &karim, &envelope, good.mandate).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = give_signed(&app, &karim_b, &karim, &envelope, good.mandate).await;
    assert_eq!(status, StatusCode::CONFLICT);
    app.stop().await;
}

async fn revocation_and_renunciation_end_a_mandate(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (other, other_b) = account(&app, AccountRole::Person).await;
    let t = now(&app);
    let first = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    let second = mandate(&karim, person(&ines), Rights::Deposit, t, 31);
    assert_eq!(
        give(&app, &karim_b, &karim, &first).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        give(&app, &karim_b, &karim, &second).await.0,
        StatusCode::CREATED
    );
    let (_, lists) = get(&app, &ines_b, "/api/mandates").await;
    assert_eq!(lists["received"].as_array().unwrap().len(), 2);

    clock.advance(time::Duration::seconds(60));
    let t = now(&app);
    // Only the owner revokes; a revocation dated far from now is refused.
    let (status, _) = revoke(&app, &other_b, &other, first.mandate, t).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = revoke(&app, &karim_b, &karim, first.mandate, t + 3600).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, ended) = revoke(&app, &karim_b, &karim, first.mandate, t).await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["state"], "revoked");
    assert_eq!(ended["ended"], t);
    let (status, _) = revoke(&app, &karim_b, &karim, first.mandate, t).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // At once the grantee sees it no more.
    let (status, _) = get(&app, &ines_b, &format!("/api/mandates/{}", first.mandate)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Renunciation: by the grantee only, signed by its own key.
    let (status, _) = renounce(&app, &other_b, &other, &karim, second.mandate, t).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = renounce(&app, &ines_b, &other, &karim, second.mandate, t).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "unauthorised_signer");
    let (status, ended) = renounce(&app, &ines_b, &ines, &karim, second.mandate, t).await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["state"], "renounced");
    let (status, _) = renounce(&app, &ines_b, &ines, &karim, second.mandate, t).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no longer in force");
    let (_, lists) = get(&app, &ines_b, "/api/mandates").await;
    assert_eq!(lists["received"], json!([]));
    // The owner sees both ends, with the signed statements.
    let (_, lists) = get(&app, &karim_b, "/api/mandates").await;
    let given = lists["given"].as_array().unwrap();
    assert_eq!(given[0]["state"], "revoked");
    assert_eq!(given[1]["state"], "renounced");
    let end = Envelope::parse(&unb64(given[1]["end"].as_str().unwrap()).unwrap()).unwrap();
    end.verify_by::<Renunciation>(&ines.keys.public()).unwrap();
    app.stop().await;
}

async fn consulting_takes_a_receipt_first(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let category = first_category_id(&app, &karim_b).await;
    let paper = upload_paper(&app, &karim_b, &karim).await;
    let t = now(&app);
    let mut body = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    body.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &body).await.0,
        StatusCode::CREATED
    );
    let m = body.mandate;
    assert_eq!(
        give_keys(&app, &karim_b, &karim, m, &ines.keys.recipient).await,
        StatusCode::NO_CONTENT
    );
    // (Who else may put keys: the matrix, `matrix.rs`.)

    // The key, after receipt 1; it opens to the category's key.
    let r1 = receipt(&ines, &karim, m, category, "unwrap_key", 1, t);
    let (status, opened) = access(&app, &ines_b, m, &r1).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    assert_eq!(opened["counter"], 1);
    let key = &opened["keys"][0];
    let cert = Envelope::parse(&unb64(key["cert"].as_str().unwrap()).unwrap()).unwrap();
    let cert = cert
        .verify_by::<coffre_crypto::kinds::CategoryCert>(&karim.keys.public())
        .unwrap()
        .into_body();
    coffre_crypto::category::unwrap_category_key(
        &ines.keys.identity,
        &unb64(key["wrap"].as_str().unwrap()).unwrap(),
        &cert,
    )
    .unwrap();
    // The same counter again: a conflict; one skipped: a gap; nothing stored for either.
    let (status, _) = access(&app, &ines_b, m, &r1).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, category, "list", 3, t),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "counter_gap");
    // A receipt signed for someone else, an unknown action, a category not covered: refused.
    let (karim2, _) = account(&app, AccountRole::Person).await;
    let (status, _) = access(
        &app,
        &ines_b,
        m,
        &receipt(&karim2, &karim, m, category, "list", 2, t),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, category, "export_all", 2, t),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, Id::random(), "list", 2, t),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The list, after receipt 2; the paper, after receipt 3; its content once.
    let (status, listed) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, category, "list", 2, t),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{listed}");
    assert_eq!(listed["papers"][0]["paper"], paper.to_string());
    let content_path = format!("/api/mandates/{m}/papers/{paper}/content?counter=3");
    let response = ines_b
        .with(app.client.get(app.at(&content_path)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "no receipt yet");
    let (status, one) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, paper, "download", 3, t),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{one}");
    let response = ines_b
        .with(app.client.get(app.at(&content_path)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    assert_eq!(
        bytes.len() as u64,
        one["papers"][0]["content_size"].as_u64().unwrap()
    );
    let response = ines_b
        .with(app.client.get(app.at(&content_path)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "one download per receipt"
    );

    // The owner reads the receipts: they verify, their counters have no gap.
    let (status, receipts) = get(&app, &karim_b, &format!("/api/mandates/{m}/receipts")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, one_mandate) = get(&app, &karim_b, &format!("/api/mandates/{m}")).await;
    let mandate_env =
        Envelope::parse(&unb64(one_mandate["statement"].as_str().unwrap()).unwrap()).unwrap();
    let ctx = coffre_crypto::Context {
        instance: karim.instance.clone(),
        coffre: karim.coffre,
        epoch: 0,
    };
    let verified = coffre_crypto::mandate::verify_mandate(
        &mandate_env,
        &karim.keys.public(),
        &ctx,
        t,
        &coffre_crypto::mandate::MandateEnds::none(),
    )
    .unwrap();
    let checked: Vec<AccessReceipt> = receipts["receipts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let env = Envelope::parse(&unb64(r.as_str().unwrap()).unwrap()).unwrap();
            verify_access_receipt(
                &env,
                &[ines.keys.public()],
                &ctx,
                &verified,
                &coffre_crypto::mandate::MandateEnds::none(),
            )
            .unwrap()
        })
        .collect();
    assert_eq!(checked.len(), 3);
    check_receipt_counters(&checked, &[]).unwrap();
    let (status, _) = get(&app, &ines_b, &format!("/api/mandates/{m}/receipts")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the owner's only");

    // Revoked: nothing more, not the key, not the list.
    assert_eq!(revoke(&app, &karim_b, &karim, m, t).await.0, StatusCode::OK);
    let (status, _) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, category, "unwrap_key", 4, t),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

/// Aidants consulting one person's coffre in the same instant: each receipt's journal entry
/// takes the next seq of that one journal. They wait for their turn (`journal_turn`) rather
/// than race for the seq until the tries run out (a `503` before).
async fn many_grantees_consulting_one_coffre_at_once_all_get_in(env: TestEnv) {
    const GRANTEES: usize = 24;
    let mut config = env.config();
    config.limits.new_coffres_per_ip_per_hour = 100; // the 25 accounts come from one address
    let (app, _) = start_with(config).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let category = first_category_id(&app, &karim_b).await;
    let t = now(&app);
    let mut aidants = Vec::new();
    for _ in 0..GRANTEES {
        let (aidant, browser) = account(&app, AccountRole::Professional).await;
        let mut body = mandate(&karim, person(&aidant), Rights::Consult, t, 31);
        body.categories = vec![category];
        assert_eq!(
            give(&app, &karim_b, &karim, &body).await.0,
            StatusCode::CREATED
        );
        assert_eq!(
            give_keys(&app, &karim_b, &karim, body.mandate, &aidant.keys.recipient).await,
            StatusCode::NO_CONTENT
        );
        let receipt = receipt(&aidant, &karim, body.mandate, category, "unwrap_key", 1, t);
        aidants.push((browser, body.mandate, receipt));
    }
    let answers = futures::future::join_all(
        aidants
            .iter()
            .map(|(browser, m, receipt)| access(&app, browser, *m, receipt)),
    )
    .await;
    let mut seqs = Vec::new();
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::CREATED, "{body}");
        seqs.push(body["seq"].as_u64().unwrap());
    }
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(
        seqs.len(),
        GRANTEES,
        "one journal entry each, each its own seq"
    );
    app.stop().await;
}

async fn an_organisation_mandate_serves_its_current_aidants_only(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (_, admin) = account(&app, AccountRole::Admin).await;
    let (resp, resp_b) = account(&app, AccountRole::Professional).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (paul, paul_b) = account(&app, AccountRole::Professional).await;
    let (other_resp, other_resp_b) = account(&app, AccountRole::Professional).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let mut org = founded_org(&app, &admin, &resp, &resp_b, "CHRS Les Tilleuls").await;
    let other = founded_org(&app, &admin, &other_resp, &other_resp_b, "CCAS").await;
    let t = now(&app);
    for who in [&ines, &paul] {
        let add = org.next(
            OrgAction::AddMember,
            member(who, Role::Aidant),
            &[&resp.keys.signing],
            t,
        );
        assert_eq!(
            append(&app, &resp_b, &mut org, add).await.0,
            StatusCode::CREATED
        );
    }
    let category = first_category_id(&app, &karim_b).await;
    // A mandate that names the organisation with another root is refused.
    let mut wrong_root = mandate(&karim, organisation(&org), Rights::Consult, t, 31);
    wrong_root.grantee.key = coffre_crypto::keys::public_key(&other.root);
    let (_, body) = give(&app, &karim_b, &karim, &wrong_root).await;
    assert_eq!(body["code"], "root_mismatch");
    let mut body = mandate(&karim, organisation(&org), Rights::Consult, t, 31);
    body.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &body).await.0,
        StatusCode::CREATED
    );
    let m = body.mandate;

    // Both aidants see it; the responsable lists it (who, scope, days left) but is no
    // grantee; the other organisation sees nothing.
    for b in [&ines_b, &paul_b] {
        let (_, lists) = get(&app, b, "/api/mandates").await;
        assert_eq!(ids(&lists["received"]), vec![m.to_string()]);
    }
    let (_, lists) = get(&app, &resp_b, "/api/mandates").await;
    assert_eq!(lists["received"], json!([]));
    let (status, listed) = get(
        &app,
        &resp_b,
        &format!("/api/organisations/{}/mandates", org.id),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["mandates"][0]["mandate"], m.to_string());
    assert_eq!(listed["mandates"][0]["days_left"], 31);
    assert_eq!(listed["mandates"][0]["categories"], 1);
    assert!(
        !listed.to_string().contains("statement"),
        "no papers, no statement"
    );
    let (status, _) = get(
        &app,
        &ines_b,
        &format!("/api/organisations/{}/mandates", org.id),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = get(
        &app,
        &other_resp_b,
        &format!("/api/organisations/{}/mandates", org.id),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&app, &other_resp_b, &format!("/api/mandates/{m}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The admin's count sees one mandate in force, not whose.
    let (_, counts) = get(&app, &admin, "/api/admin/organisations").await;
    let row = counts["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organisation"] == org.id.to_string())
        .unwrap()
        .clone();
    assert_eq!(row["mandates_in_force"], 1);
    assert!(!counts.to_string().contains(&karim.coffre.to_string()));

    let r = receipt(&ines, &karim, m, category, "unwrap_key", 1, t);
    assert_eq!(access(&app, &ines_b, m, &r).await.0, StatusCode::CREATED);
    // The responsable is no grantee: no access.
    let r = receipt(&resp, &karim, m, category, "unwrap_key", 1, t);
    assert_eq!(access(&app, &resp_b, m, &r).await.0, StatusCode::NOT_FOUND);

    // Inès leaves the organisation: at once she gets nothing more; Paul still does.
    let remove = org.next(
        OrgAction::RemoveMember,
        member(&ines, Role::Aidant),
        &[&resp.keys.signing],
        t,
    );
    assert_eq!(
        append(&app, &resp_b, &mut org, remove).await.0,
        StatusCode::CREATED
    );
    let r = receipt(&ines, &karim, m, category, "unwrap_key", 2, t);
    assert_eq!(access(&app, &ines_b, m, &r).await.0, StatusCode::NOT_FOUND);
    let (_, lists) = get(&app, &ines_b, "/api/mandates").await;
    assert_eq!(lists["received"], json!([]));
    let r = receipt(&paul, &karim, m, category, "unwrap_key", 1, t);
    assert_eq!(access(&app, &paul_b, m, &r).await.0, StatusCode::CREATED);
    app.stop().await;
}
