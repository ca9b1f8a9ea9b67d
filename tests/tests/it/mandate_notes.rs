//! The owner's notes on its mandates over HTTP, on SQLite and PostgreSQL (protocol.md
//! section 8.1, `docs/design/mandates-server.md`): a note sent with a mandate goes back to
//! its owner only; `PUT /api/mandates/{id}/note` names or renames the grantee afterwards, in
//! any state of the mandate, for the coffre's own mandates only, with the checks made at
//! creation; the new note replaces the old one (one per mandate).

use coffre_crypto::encoding::{Id, b64, unb64};
use coffre_crypto::kinds::{Mandate, MandateNote, OrgAction, Rights, Role};
use coffre_crypto::mandate::{NOTE_CAP, open_mandate_note, seal_mandate_note};
use coffre_crypto::statement::sign;
use coffre_server::domain::AccountRole;
use coffre_tests::owner::{Browser, Owner, json_of, post, start};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::mandates::{
    entry, first_category_id, give, mandate, organisation, person, renounce, revoke,
};
use crate::organisations::{account, append, founded_org, get, member, now};

on_both_backends!(
    a_mandate_note_goes_back_to_its_owner_only,
    the_owner_names_or_renames_a_grantee_afterwards,
    only_the_owner_sets_a_note_and_refused_ones_change_nothing,
);

/// The owner's note on `body` naming its grantee `name`, sealed to the owner.
fn note_for(owner: &Owner, body: &Mandate, name: &str) -> Vec<u8> {
    let note = MandateNote {
        coffre: owner.coffre,
        created: body.created,
        epoch: 0,
        instance: owner.instance.clone(),
        kind: Default::default(),
        mandate: body.mandate,
        name: name.into(),
        v: Default::default(),
    };
    seal_mandate_note(
        &owner.keys.recipient,
        &sign(&note, &[&owner.keys.signing]).unwrap(),
    )
    .unwrap()
}

/// Posts the owner's mandate with `note` as the request's note field.
async fn give_with_note(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    body: &Mandate,
    note: &str,
) -> (StatusCode, Value) {
    let envelope = sign(body, &[&owner.keys.signing]).unwrap();
    let journal = entry(app, browser, owner, "mandate_granted", body.mandate).await;
    json_of(
        post(
            app,
            browser,
            "/api/mandates",
            &json!({"mandate": b64(&envelope.to_bytes().unwrap()), "journal": journal, "note": note}),
        )
        .await,
    )
    .await
}

async fn a_mandate_note_goes_back_to_its_owner_only(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (_, admin) = account(&app, AccountRole::Admin).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Person).await;
    let (_, stranger_b) = account(&app, AccountRole::Person).await;
    let (resp, resp_b) = account(&app, AccountRole::Professional).await;
    let (paul, paul_b) = account(&app, AccountRole::Professional).await;
    let mut org = founded_org(&app, &admin, &resp, &resp_b, "CHRS Les Tilleuls").await;
    let t = now(&app);
    let add = org.next(
        OrgAction::AddMember,
        member(&paul, Role::Aidant),
        &[&resp.keys.signing],
        t,
    );
    assert_eq!(
        append(&app, &resp_b, &mut org, add).await.0,
        StatusCode::CREATED
    );
    let category = first_category_id(&app, &karim_b).await;

    // Refused notes store nothing: not base64url (400), above the cap (413), not an age
    // file (400).
    let mut refused = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    refused.categories = vec![category];
    for (note, status, code) in [
        (
            "pas du base64!".to_owned(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            b64(&vec![7u8; NOTE_CAP + 1]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "note_too_large",
        ),
        (
            "A".repeat(40_000),
            StatusCode::PAYLOAD_TOO_LARGE,
            "note_too_large",
        ),
        (
            b64(b"Ines, ma soeur"),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ] {
        let (got, body) = give_with_note(&app, &karim_b, &karim, &refused, &note).await;
        assert_eq!(got, status, "{body}");
        assert_eq!(body["code"], code, "{body}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    let (_, lists) = get(&app, &karim_b, "/api/mandates").await;
    assert_eq!(lists["given"], json!([]));

    // A mandate to Inès with a note, one to the organisation with a note, one without.
    let mut to_ines = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    to_ines.categories = vec![category];
    let note = note_for(&karim, &to_ines, "Inès, ma sœur");
    let (status, body) = give_with_note(&app, &karim_b, &karim, &to_ines, &b64(&note)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mut to_org = mandate(&karim, organisation(&org), Rights::Consult, t, 31);
    to_org.categories = vec![category];
    let org_note = note_for(&karim, &to_org, "Les Tilleuls, Mme Diallo");
    let (status, body) = give_with_note(&app, &karim_b, &karim, &to_org, &b64(&org_note)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mut bare = mandate(&karim, person(&ines), Rights::Deposit, t, 31);
    bare.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &bare).await.0,
        StatusCode::CREATED
    );

    // The owner gets each note back byte for byte, and it opens to the name.
    let (_, lists) = get(&app, &karim_b, "/api/mandates").await;
    let given = lists["given"].as_array().unwrap();
    assert_eq!(given.len(), 3);
    let note_of = |m: Id| {
        given
            .iter()
            .find(|g| g["mandate"] == m.to_string())
            .unwrap()
            .get("note")
            .cloned()
    };
    assert_eq!(note_of(to_ines.mandate), Some(json!(b64(&note))));
    assert_eq!(note_of(to_org.mandate), Some(json!(b64(&org_note))));
    assert_eq!(note_of(bare.mandate), None);
    let ctx = coffre_crypto::Context {
        instance: karim.instance.clone(),
        coffre: karim.coffre,
        epoch: 0,
    };
    let served = unb64(note_of(to_ines.mandate).unwrap().as_str().unwrap()).unwrap();
    let opened = open_mandate_note(
        &karim.keys.identity,
        &served,
        &karim.keys.public(),
        &ctx,
        to_ines.mandate,
    )
    .unwrap();
    assert_eq!(opened.name, "Inès, ma sœur");

    // Nobody else sees a note: the grantee, the organisation's aidant and responsable, the
    // admin, another owner; through the lists, one mandate, the received categories.
    let hidden = [b64(&note), b64(&org_note)];
    let mut seen = vec![];
    for (b, path) in [
        (&ines_b, "/api/mandates".to_owned()),
        (&ines_b, format!("/api/mandates/{}", to_ines.mandate)),
        (&ines_b, "/api/mandates/received/categories".to_owned()),
        (&karim_b, format!("/api/mandates/{}", to_ines.mandate)),
        (&paul_b, "/api/mandates".to_owned()),
        (&paul_b, format!("/api/mandates/{}", to_org.mandate)),
        (&resp_b, "/api/mandates".to_owned()),
        (&resp_b, format!("/api/organisations/{}/mandates", org.id)),
        (&admin, "/api/mandates".to_owned()),
        (&admin, "/api/admin/organisations".to_owned()),
        (&stranger_b, "/api/mandates".to_owned()),
    ] {
        let (status, body) = get(&app, b, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        let text = body.to_string();
        for h in &hidden {
            assert!(!text.contains(h.as_str()), "{path} serves a note");
        }
        assert!(!text.contains("\"note\""), "{path} has a note field");
        seen.push(text);
    }
    // The lists did list the mandates (so the absence above is not an empty answer).
    assert!(seen[0].contains(&to_ines.mandate.to_string()));
    assert!(seen[4].contains(&to_org.mandate.to_string()));
    assert!(seen[7].contains(&to_org.mandate.to_string()));
    app.stop().await;
}

/// The owner's note on `mandate` naming its grantee `name`, dated `created`, sealed to the
/// owner.
fn note_at(owner: &Owner, mandate: Id, name: &str, created: u64) -> Vec<u8> {
    let note = MandateNote {
        coffre: owner.coffre,
        created,
        epoch: 0,
        instance: owner.instance.clone(),
        kind: Default::default(),
        mandate,
        name: name.into(),
        v: Default::default(),
    };
    seal_mandate_note(
        &owner.keys.recipient,
        &sign(&note, &[&owner.keys.signing]).unwrap(),
    )
    .unwrap()
}

/// `PUT /api/mandates/{id}/note` as `browser`, the request's body as given.
async fn put_note(
    app: &TestApp,
    browser: &Browser,
    mandate: impl std::fmt::Display,
    body: &Value,
) -> (StatusCode, Value) {
    json_of(
        browser
            .with(
                app.client
                    .put(app.at(&format!("/api/mandates/{mandate}/note")))
                    .json(body),
            )
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The note the owner's list serves for `mandate` (`None`: the item has no note), the
/// mandate being in the list.
async fn served_note(app: &TestApp, browser: &Browser, mandate: Id) -> Option<Vec<u8>> {
    let (status, lists) = get(app, browser, "/api/mandates").await;
    assert_eq!(status, StatusCode::OK, "{lists}");
    let item = lists["given"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["mandate"] == mandate.to_string())
        .cloned()
        .unwrap_or_else(|| panic!("{mandate} is not in the owner's list: {lists}"));
    item.get("note")
        .map(|n| unb64(n.as_str().unwrap()).unwrap())
}

/// The name and date of a served note, opened as the owner's client does.
fn opened(owner: &Owner, file: &[u8], mandate: Id) -> (String, u64) {
    let ctx = coffre_crypto::Context {
        instance: owner.instance.clone(),
        coffre: owner.coffre,
        epoch: 0,
    };
    let note = open_mandate_note(
        &owner.keys.identity,
        file,
        &owner.keys.public(),
        &ctx,
        mandate,
    )
    .unwrap();
    (note.name, note.created)
}

async fn the_owner_names_or_renames_a_grantee_afterwards(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Person).await;
    let category = first_category_id(&app, &karim_b).await;
    let t = now(&app);

    // One mandate given with a note, one given before notes existed (none), one that ends
    // in ten minutes.
    let mut named = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    named.categories = vec![category];
    let first = note_at(&karim, named.mandate, "Inès", named.created);
    let (status, body) = give_with_note(&app, &karim_b, &karim, &named, &b64(&first)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mut bare = mandate(&karim, person(&ines), Rights::Deposit, t, 31);
    bare.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &bare).await.0,
        StatusCode::CREATED
    );
    let mut short = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    short.categories = vec![category];
    short.not_after = t + 600;
    assert_eq!(
        give(&app, &karim_b, &karim, &short).await.0,
        StatusCode::CREATED
    );
    assert_eq!(served_note(&app, &karim_b, bare.mandate).await, None);

    // Renamed: the new note replaces the first, byte for byte; the first is served no more.
    let renamed = note_at(&karim, named.mandate, "Inès B. (CHRS)", t + 60);
    let (status, body) = put_note(
        &app,
        &karim_b,
        named.mandate,
        &json!({"note": b64(&renamed)}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let served = served_note(&app, &karim_b, named.mandate).await.unwrap();
    assert_eq!(served, renamed);
    assert_eq!(
        opened(&karim, &served, named.mandate),
        ("Inès B. (CHRS)".to_owned(), t + 60)
    );
    let (_, lists) = get(&app, &karim_b, "/api/mandates").await;
    assert!(
        !lists.to_string().contains(&b64(&first)),
        "the first note is gone"
    );

    // Named afterwards: the mandate that had no note has one now; the others keep theirs.
    let given_name = note_at(&karim, bare.mandate, "Mme Diallo", t + 61);
    let (status, body) = put_note(
        &app,
        &karim_b,
        bare.mandate,
        &json!({"note": b64(&given_name)}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        served_note(&app, &karim_b, bare.mandate).await,
        Some(given_name)
    );
    assert_eq!(
        served_note(&app, &karim_b, named.mandate).await,
        Some(renamed)
    );
    assert_eq!(served_note(&app, &karim_b, short.mandate).await, None);

    // Ended mandates are renamed too (the owner's list and journal show them by name):
    // revoked, expired, renounced.
    assert_eq!(
        revoke(&app, &karim_b, &karim, named.mandate, t).await.0,
        StatusCode::OK
    );
    assert_eq!(
        renounce(&app, &ines_b, &ines, &karim, bare.mandate, t)
            .await
            .0,
        StatusCode::OK
    );
    clock.advance(time::Duration::minutes(11));
    let later = now(&app);
    for (m, name) in [
        (named.mandate, "Inès, revoked"),
        (bare.mandate, "Mme Diallo, renounced"),
        (short.mandate, "Inès, expired"),
    ] {
        let note = note_at(&karim, m, name, later);
        let (status, body) = put_note(&app, &karim_b, m, &json!({"note": b64(&note)})).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{name}: {body}");
        let served = served_note(&app, &karim_b, m).await.unwrap();
        assert_eq!(opened(&karim, &served, m), (name.to_owned(), later));
    }
    let (_, lists) = get(&app, &karim_b, "/api/mandates").await;
    let states: Vec<&str> = lists["given"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["revoked", "renounced", "expired"]);

    // The grantee still never sees one.
    for path in [
        "/api/mandates".to_owned(),
        format!("/api/mandates/{}", named.mandate),
    ] {
        let (_, body) = get(&app, &ines_b, &path).await;
        assert!(!body.to_string().contains("\"note\""), "{path}: {body}");
    }
    app.stop().await;
}

async fn only_the_owner_sets_a_note_and_refused_ones_change_nothing(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (_, admin) = account(&app, AccountRole::Admin).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Person).await;
    let (other, other_b) = account(&app, AccountRole::Person).await;
    let (resp, resp_b) = account(&app, AccountRole::Professional).await;
    let (paul, paul_b) = account(&app, AccountRole::Professional).await;
    let mut org = founded_org(&app, &admin, &resp, &resp_b, "CHRS Les Tilleuls").await;
    let t = now(&app);
    let add = org.next(
        OrgAction::AddMember,
        member(&paul, Role::Aidant),
        &[&resp.keys.signing],
        t,
    );
    assert_eq!(
        append(&app, &resp_b, &mut org, add).await.0,
        StatusCode::CREATED
    );
    let category = first_category_id(&app, &karim_b).await;
    let mut to_ines = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    to_ines.categories = vec![category];
    let kept = note_at(&karim, to_ines.mandate, "Inès", to_ines.created);
    let (status, body) = give_with_note(&app, &karim_b, &karim, &to_ines, &b64(&kept)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mut to_org = mandate(&karim, organisation(&org), Rights::Consult, t, 31);
    to_org.categories = vec![category];
    let org_kept = note_at(&karim, to_org.mandate, "Les Tilleuls", to_org.created);
    let (status, body) = give_with_note(&app, &karim_b, &karim, &to_org, &b64(&org_kept)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Another owner's mandate, with its own note.
    let other_category = first_category_id(&app, &other_b).await;
    let mut others = mandate(&other, person(&ines), Rights::Consult, t, 31);
    others.categories = vec![other_category];
    let others_kept = note_at(&other, others.mandate, "Inès (Sam)", others.created);
    let (status, body) = give_with_note(&app, &other_b, &other, &others, &b64(&others_kept)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // What the owner cannot send: the checks made at creation, and nothing is stored.
    for (note, status, code) in [
        (
            json!("pas du base64!"),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            json!(b64(&vec![7u8; NOTE_CAP + 1])),
            StatusCode::PAYLOAD_TOO_LARGE,
            "note_too_large",
        ),
        (
            json!("A".repeat(40_000)),
            StatusCode::PAYLOAD_TOO_LARGE,
            "note_too_large",
        ),
        (
            json!(b64(b"Ines B., CHRS")),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ] {
        let (got, body) = put_note(&app, &karim_b, to_ines.mandate, &json!({"note": note})).await;
        assert_eq!(got, status, "{body}");
        assert_eq!(body["code"], code, "{body}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    // A body of another shape: refused by the JSON rules (no note, an unknown field).
    for body in [json!({}), json!({"note": b64(&kept), "name": "Inès"})] {
        let (got, answer) = put_note(&app, &karim_b, to_ines.mandate, &body).await;
        assert!(got.is_client_error(), "{body}: {got} {answer}");
    }

    // Who else may not: another owner, the grantee, the organisation's aidant and
    // responsable, the admin (404, as for an unknown mandate, with the same body); anyone
    // signed out (401); the owner's own session without its CSRF token (403).
    let forged = |m: Id| json!({"note": b64(&note_at(&karim, m, "Le voleur", t + 60))});
    let unknown = Id::random();
    let (status, not_found) = put_note(&app, &karim_b, unknown, &forged(unknown)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{not_found}");
    let (status, body) = put_note(&app, &karim_b, "pas-un-uuid", &forged(unknown)).await;
    assert!(status.is_client_error(), "{status} {body}");
    for (who, b, m) in [
        ("another owner", &other_b, to_ines.mandate),
        ("the grantee", &ines_b, to_ines.mandate),
        ("the aidant", &paul_b, to_org.mandate),
        ("the responsable", &resp_b, to_org.mandate),
        ("the admin", &admin, to_ines.mandate),
        ("the owner, on another coffre's", &karim_b, others.mandate),
    ] {
        let (status, body) = put_note(&app, b, m, &forged(m)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}: {body}");
        assert_eq!(body, not_found, "{who}: told apart from an unknown mandate");
    }
    let (status, body) = put_note(
        &app,
        &Browser::default(),
        to_ines.mandate,
        &forged(to_ines.mandate),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let no_csrf = Browser {
        csrf: None,
        ..karim_b.clone()
    };
    let (status, body) = put_note(&app, &no_csrf, to_ines.mandate, &forged(to_ines.mandate)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // Every note is as it was.
    assert_eq!(
        served_note(&app, &karim_b, to_ines.mandate).await,
        Some(kept)
    );
    assert_eq!(
        served_note(&app, &karim_b, to_org.mandate).await,
        Some(org_kept)
    );
    assert_eq!(
        served_note(&app, &other_b, others.mandate).await,
        Some(others_kept)
    );
    app.stop().await;
}
