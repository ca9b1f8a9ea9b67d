//! A category's next generation over HTTP, on SQLite and PostgreSQL (protocol.md section 5,
//! "Rotation"; `POST /api/coffre/categories/{category}/generations`): verified with the
//! coffre's current key before it is stored, the next generation only, its key wrapped in
//! the same request to exactly the consult mandates still in force on the category. Then the
//! acceptance line of issue 14: after a revocation and a rotation, a paper the owner adds is
//! unreadable with every key the revoked grantee was ever given, and every grantee route
//! answers 404; and after an aidant's removal from the organisation that holds a mandate,
//! the new generation goes to the new organisation key, which the removed aidant never had.

use coffre_crypto::age_io::{decrypt, recipient_of};
use coffre_crypto::category::{
    category_key_payload, seal_label, unwrap_category_key, wrap_category_key,
};
use coffre_crypto::encoding::{AgeRecipient, Id, b64, unb64};
use coffre_crypto::kinds::{CategoryCert, CategoryLabel, OrgAction, Rights, Role, Upload};
use coffre_crypto::statement::{Envelope, sign};
use coffre_server::domain::AccountRole;
use coffre_tests::owner::{Browser, Owner, json_of, post};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use ed25519_dalek::SigningKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::mandates::organisation;
use crate::mandates::{
    access, first_category_id, give, give_keys, mandate, person, receipt, revoke, upload_paper,
};
use crate::organisations::{account, add_key, append, founded_org, fresh_key, get, member, now};
use crate::papers::{commit, entry, send};

on_both_backends!(
    a_category_gets_its_next_generation_and_nothing_else,
    a_paper_added_after_a_revocation_is_unreadable_with_every_key_the_grantee_held,
    after_a_removal_the_new_generation_goes_to_the_new_organisation_key_only,
);

/// What the owner's client makes for a new generation.
struct Made {
    body: Value,
    cert: Envelope,
    ck: age::x25519::Identity,
}

/// Generation `generation` of `category`, its certificate signed by `signer` for `coffre`,
/// its key wrapped to the owner and to each `(mandate, recipient)`.
fn next_generation(
    owner: &Owner,
    category: Id,
    generation: u64,
    signer: &SigningKey,
    coffre: Id,
    now: u64,
    grantees: &[(Id, &AgeRecipient)],
) -> Made {
    let ck = age::x25519::Identity::generate();
    let body = CategoryCert {
        category,
        coffre,
        created: now,
        epoch: 0,
        generation,
        instance: owner.instance.clone(),
        kind: Default::default(),
        not_after: now + 10 * 365 * 86_400,
        not_before: now,
        recipient: recipient_of(&ck),
        v: Default::default(),
    };
    let cert = sign(&body, &[signer]).unwrap();
    let label = CategoryLabel {
        category,
        coffre: owner.coffre,
        created: now,
        epoch: 0,
        icon: "income".into(),
        instance: owner.instance.clone(),
        kind: Default::default(),
        name: "Ressources et aides".into(),
        v: Default::default(),
    };
    let label = sign(&label, &[&owner.keys.signing]).unwrap();
    let label = seal_label(std::slice::from_ref(&owner.keys.recipient), &label).unwrap();
    let payload = category_key_payload(owner.coffre, category, generation, &ck).unwrap();
    let wrap =
        |to: &AgeRecipient| b64(&wrap_category_key(std::slice::from_ref(to), &payload).unwrap());
    let mandate_wraps: Vec<Value> = grantees
        .iter()
        .map(|(m, to)| json!({"mandate": m.to_string(), "wrap": wrap(to)}))
        .collect();
    Made {
        body: json!({
            "cert": b64(&cert.to_bytes().unwrap()),
            "label": b64(&label),
            "wrap": wrap(&owner.keys.recipient),
            "mandate_wraps": mandate_wraps,
        }),
        cert,
        ck,
    }
}

/// Posts `body` with `owner`'s `category_rotated` entry, signed after the current head.
async fn rotate(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    category: Id,
    body: &Value,
) -> (StatusCode, Value) {
    let mut body = body.clone();
    body["journal"] = entry(app, browser, owner, "category_rotated", category).await;
    json_of(
        post(
            app,
            browser,
            &format!("/api/coffre/categories/{category}/generations"),
            &body,
        )
        .await,
    )
    .await
}

/// The coffre's `(generation, cert, wrap)` rows of `category`, as `GET /api/coffre` lists them.
async fn generations_of(app: &TestApp, browser: &Browser, category: Id) -> Vec<(u64, Value)> {
    let (status, coffre) = get(app, browser, "/api/coffre").await;
    assert_eq!(status, StatusCode::OK);
    let mut out: Vec<(u64, Value)> = coffre["categories"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == category.to_string())
        .map(|c| (c["generation"].as_u64().unwrap(), c.clone()))
        .collect();
    out.sort_by_key(|(g, _)| *g);
    out
}

async fn a_category_gets_its_next_generation_and_nothing_else(env: TestEnv) {
    let (app, _) = coffre_tests::owner::start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (sara, sara_b) = account(&app, AccountRole::Person).await;
    let (stranger, stranger_b) = account(&app, AccountRole::Person).await;
    let category = first_category_id(&app, &karim_b).await;
    let t = now(&app);
    // Inès consults the category; Sara only deposits into it.
    let mut consult = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    consult.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &consult).await.0,
        StatusCode::CREATED
    );
    let mut deposit = mandate(&karim, person(&sara), Rights::Deposit, t, 31);
    deposit.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &deposit).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        give_keys(
            &app,
            &karim_b,
            &karim,
            consult.mandate,
            &ines.keys.recipient
        )
        .await,
        StatusCode::NO_CONTENT
    );
    let ines_wrap = [(consult.mandate, &ines.keys.recipient)];
    let signing = &karim.keys.signing;

    // Refused, and nothing stored: an existing generation (409), one that skips (400), a
    // certificate another key signed or for another coffre (422), for another category than
    // the path (400), a category of another coffre (404), Inès's key missing or Sara's
    // (deposit only) added (400), anonymous (401).
    let g0 = next_generation(&karim, category, 0, signing, karim.coffre, t, &ines_wrap);
    let (status, body) = rotate(&app, &karim_b, &karim, category, &g0.body).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let g2 = next_generation(&karim, category, 2, signing, karim.coffre, t, &ines_wrap);
    let (status, body) = rotate(&app, &karim_b, &karim, category, &g2.body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let forged = next_generation(
        &karim,
        category,
        1,
        &fresh_key(),
        karim.coffre,
        t,
        &ines_wrap,
    );
    let (status, body) = rotate(&app, &karim_b, &karim, category, &forged.body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "unauthorised_signer", "{body}");
    let moved = next_generation(&karim, category, 1, signing, stranger.coffre, t, &ines_wrap);
    let (status, body) = rotate(&app, &karim_b, &karim, category, &moved.body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "context_mismatch", "{body}");
    let other = karim
        .categories
        .iter()
        .copied()
        .find(|c| *c != category)
        .unwrap();
    let elsewhere = next_generation(&karim, other, 1, signing, karim.coffre, t, &[]);
    let (status, body) = rotate(&app, &karim_b, &karim, category, &elsewhere.body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let strangers = stranger.categories[0];
    let theirs = next_generation(&karim, strangers, 1, signing, karim.coffre, t, &[]);
    let (status, _) = rotate(&app, &karim_b, &karim, strangers, &theirs.body).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let g1 = next_generation(&karim, category, 1, signing, karim.coffre, t, &ines_wrap);
    let (status, _) = rotate(&app, &stranger_b, &stranger, category, &g1.body).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another coffre's category");
    let forgotten = next_generation(&karim, category, 1, signing, karim.coffre, t, &[]);
    let (status, body) = rotate(&app, &karim_b, &karim, category, &forgotten.body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let too_many = next_generation(
        &karim,
        category,
        1,
        signing,
        karim.coffre,
        t,
        &[
            (consult.mandate, &ines.keys.recipient),
            (deposit.mandate, &sara.keys.recipient),
        ],
    );
    let (status, body) = rotate(&app, &karim_b, &karim, category, &too_many.body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let anonymous = app
        .client
        .post(app.at(&format!("/api/coffre/categories/{category}/generations")))
        .json(&g1.body)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // Its journal entry must be the owner's `category_rotated` about this category.
    let mut mislabelled = g1.body.clone();
    mislabelled["journal"] = entry(&app, &karim_b, &karim, "paper_added", category).await;
    let (status, body) = json_of(
        post(
            &app,
            &karim_b,
            &format!("/api/coffre/categories/{category}/generations"),
            &mislabelled,
        )
        .await,
    )
    .await;
    assert!(status.is_client_error(), "{status} {body}");
    assert_eq!(generations_of(&app, &karim_b, category).await.len(), 1);

    // Accepted: generation 1, the owner's wrap and Inès's in one go, with its journal entry.
    let (status, body) = rotate(&app, &karim_b, &karim, category, &g1.body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["generation"], 1);
    let (_, journal) = get(&app, &karim_b, "/api/journal").await;
    let last = journal["entries"].as_array().unwrap().last().unwrap();
    let last = Envelope::parse(&unb64(last["entry"].as_str().unwrap()).unwrap())
        .unwrap()
        .peek::<coffre_crypto::kinds::JournalEntry>()
        .unwrap();
    assert_eq!(last.action, "category_rotated");
    assert_eq!(last.object, Some(category));
    let (status, _) = rotate(&app, &karim_b, &karim, category, &g1.body).await;
    assert_eq!(status, StatusCode::CONFLICT, "a retry after success");
    let rows = generations_of(&app, &karim_b, category).await;
    assert_eq!(rows.iter().map(|(g, _)| *g).collect::<Vec<_>>(), vec![0, 1]);
    let cert = Envelope::parse(&unb64(rows[1].1["cert"].as_str().unwrap()).unwrap()).unwrap();
    let cert = cert
        .verify_by::<CategoryCert>(&karim.keys.public())
        .unwrap()
        .into_body();
    assert_eq!(cert.generation, 1);
    let owners = unwrap_category_key(
        &karim.keys.identity,
        &unb64(rows[1].1["wrap"].as_str().unwrap()).unwrap(),
        &cert,
    )
    .unwrap();
    assert_eq!(recipient_of(&owners), recipient_of(&g1.ck));

    // Inès, still in force, reads both generations' keys; g1 opens to the new key.
    let r = receipt(&ines, &karim, consult.mandate, category, "unwrap_key", 1, t);
    let (status, opened) = access(&app, &ines_b, consult.mandate, &r).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let keys = opened["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2, "{opened}");
    let new = keys.iter().find(|k| k["generation"] == 1).unwrap();
    let hers = unwrap_category_key(
        &ines.keys.identity,
        &unb64(new["wrap"].as_str().unwrap()).unwrap(),
        &cert,
    )
    .unwrap();
    assert_eq!(recipient_of(&hers), recipient_of(&g1.ck));

    // Sara, deposit only, is served the new certificate to seal to (never a key).
    let (status, served) = get(
        &app,
        &sara_b,
        &format!("/api/mandates/{}/categories", deposit.mandate),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{served}");
    assert_eq!(served["categories"][0]["generation"], 1, "{served}");
    assert_eq!(
        served["categories"][0]["cert"],
        b64(&g1.cert.to_bytes().unwrap())
    );
}

/// Every key a grantee's answers ever gave it, opened with its own identity.
fn keys_in(answer: &Value, grantee: &Owner, certs: &[CategoryCert]) -> Vec<age::x25519::Identity> {
    answer["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let g = k["generation"].as_u64().unwrap();
            let cert = certs.iter().find(|c| c.generation == g).unwrap();
            unwrap_category_key(
                &grantee.keys.identity,
                &unb64(k["wrap"].as_str().unwrap()).unwrap(),
                cert,
            )
            .unwrap()
        })
        .collect()
}

async fn a_paper_added_after_a_revocation_is_unreadable_with_every_key_the_grantee_held(
    env: TestEnv,
) {
    let (app, clock) = coffre_tests::owner::start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let category = first_category_id(&app, &karim_b).await;
    let before = upload_paper(&app, &karim_b, &karim).await;
    let t = now(&app);
    let mut body = mandate(&karim, person(&ines), Rights::ConsultDeposit, t, 31);
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
    let rows = generations_of(&app, &karim_b, category).await;
    let cert0 = Envelope::parse(&unb64(rows[0].1["cert"].as_str().unwrap()).unwrap())
        .unwrap()
        .peek::<CategoryCert>()
        .unwrap();

    // Inès consults: every key she is served is kept, and it opens the paper of then.
    let (status, answer) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, category, "unwrap_key", 1, t),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let mut held = keys_in(&answer, &ines, std::slice::from_ref(&cert0));
    held.push(ines.keys.identity.clone());
    let (status, one) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, before, "download", 2, t),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{one}");
    let old_content = ines_b
        .with(app.client.get(app.at(&format!(
            "/api/mandates/{m}/papers/{before}/content?counter=2"
        ))))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        held.iter().any(|k| decrypt(k, &old_content).is_ok()),
        "the keys she held open the paper of then (so the check below can fail)"
    );

    // Karim revokes; his client rotates: Inès's mandate has ended, so no wrap is hers.
    clock.advance(time::Duration::seconds(60));
    let t = now(&app);
    assert_eq!(revoke(&app, &karim_b, &karim, m, t).await.0, StatusCode::OK);
    let for_her = next_generation(
        &karim,
        category,
        1,
        &karim.keys.signing,
        karim.coffre,
        t,
        &[(m, &ines.keys.recipient)],
    );
    let (status, answer) = rotate(&app, &karim_b, &karim, category, &for_her.body).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "no key for an ended mandate: {answer}"
    );
    let g1 = next_generation(
        &karim,
        category,
        1,
        &karim.keys.signing,
        karim.coffre,
        t,
        &[],
    );
    let (status, answer) = rotate(&app, &karim_b, &karim, category, &g1.body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    // A new paper sealed to the old generation is refused; to the new one, taken.
    let rows = generations_of(&app, &karim_b, category).await;
    assert_eq!(rows.len(), 2);
    let cert_old = Envelope::parse(&unb64(rows[0].1["cert"].as_str().unwrap()).unwrap()).unwrap();
    let stale = karim.seal_paper(&cert_old, 900, t);
    let upload = send(&app, &karim_b, &stale.content).await;
    let paper = stale.statement.peek::<Upload>().unwrap().paper;
    let journal = entry(&app, &karim_b, &karim, "paper_added", paper).await;
    let (status, answer) = commit(&app, &karim_b, &upload, &stale, journal).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["code"], "context_mismatch", "{answer}");
    let sealed = karim.seal_paper(&g1.cert, 1200, t);
    let after = sealed.statement.peek::<Upload>().unwrap();
    assert_eq!(after.generation, 1, "the upload statement names g+1");
    let upload = send(&app, &karim_b, &sealed.content).await;
    let journal = entry(&app, &karim_b, &karim, "paper_added", after.paper).await;
    let (status, answer) = commit(&app, &karim_b, &upload, &sealed, journal).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    // Every grantee route answers 404 to Inès.
    let new = after.paper;
    for (action, object, counter) in [
        ("unwrap_key", category, 3),
        ("list", category, 3),
        ("download", new, 3),
    ] {
        let (status, _) = access(
            &app,
            &ines_b,
            m,
            &receipt(&ines, &karim, m, object, action, counter, t),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{action}");
    }
    for path in [
        format!("/api/mandates/{m}"),
        format!("/api/mandates/{m}/categories"),
        format!("/api/mandates/{m}/papers/{new}/content?counter=3"),
    ] {
        let (status, _) = get(&app, &ines_b, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = json_of(
        post(
            &app,
            &ines_b,
            &format!("/api/mandates/{m}/deposits"),
            &json!({"content_size": 100}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, lists) = get(&app, &ines_b, "/api/mandates").await;
    assert_eq!(lists["received"], json!([]));

    // The host hands her the new paper's files anyway: no key she ever held opens them.
    let content = karim_b
        .with(
            app.client
                .get(app.at(&format!("/api/papers/{new}/content"))),
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(content.as_ref(), sealed.content.as_slice());
    assert!(decrypt(&g1.ck, &content).is_ok(), "the new key opens it");
    assert!(decrypt(&g1.ck, &sealed.meta).is_ok());
    for key in &held {
        assert!(
            decrypt(key, &content).is_err(),
            "content opened by a key she held"
        );
        assert!(
            decrypt(key, &sealed.meta).is_err(),
            "metadata opened by a key she held"
        );
    }
}

async fn after_a_removal_the_new_generation_goes_to_the_new_organisation_key_only(env: TestEnv) {
    let (app, _) = coffre_tests::owner::start(&env).await;
    let (_, admin) = account(&app, AccountRole::Admin).await;
    let (resp, resp_b) = account(&app, AccountRole::Professional).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (paul, paul_b) = account(&app, AccountRole::Professional).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let mut org = founded_org(&app, &admin, &resp, &resp_b, "CHRS Les Tilleuls").await;
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
    let (cert0, key0) = org.key_cert(0, 2, t);
    assert_eq!(
        add_key(
            &app,
            &resp_b,
            &mut org,
            &cert0,
            &key0,
            &[&resp, &ines, &paul]
        )
        .await
        .0,
        StatusCode::CREATED
    );
    let category = first_category_id(&app, &karim_b).await;
    let mut body = mandate(&karim, organisation(&org), Rights::Consult, t, 31);
    body.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &body).await.0,
        StatusCode::CREATED
    );
    let m = body.mandate;
    let recipient0 = recipient_of(&key0);
    assert_eq!(
        give_keys(&app, &karim_b, &karim, m, &recipient0).await,
        StatusCode::NO_CONTENT
    );
    let rows = generations_of(&app, &karim_b, category).await;
    let cert_g0 = Envelope::parse(&unb64(rows[0].1["cert"].as_str().unwrap()).unwrap())
        .unwrap()
        .peek::<CategoryCert>()
        .unwrap();

    // Paul, an aidant, is given the category key through the organisation key he holds.
    let (status, answer) = access(
        &app,
        &paul_b,
        m,
        &receipt(&paul, &karim, m, category, "unwrap_key", 1, t),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let ck0 = unwrap_category_key(
        &key0,
        &unb64(answer["keys"][0]["wrap"].as_str().unwrap()).unwrap(),
        &cert_g0,
    )
    .unwrap();
    let held = [paul.keys.identity.clone(), key0.clone(), ck0];

    // The responsable removes him and makes a new organisation key for the others.
    let remove = org.next(
        OrgAction::RemoveMember,
        member(&paul, Role::Aidant),
        &[&resp.keys.signing],
        t,
    );
    assert_eq!(
        append(&app, &resp_b, &mut org, remove).await.0,
        StatusCode::CREATED
    );
    let (cert1, key1) = org.key_cert(1, 3, t);
    assert_eq!(
        add_key(&app, &resp_b, &mut org, &cert1, &key1, &[&resp, &ines])
            .await
            .0,
        StatusCode::CREATED
    );

    // Karim's client rotates; the mandate, still in force, gets the key under the new
    // organisation key.
    let recipient1 = recipient_of(&key1);
    let g1 = next_generation(
        &karim,
        category,
        1,
        &karim.keys.signing,
        karim.coffre,
        t,
        &[(m, &recipient1)],
    );
    let (status, answer) = rotate(&app, &karim_b, &karim, category, &g1.body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let cert_g1 = g1.cert.peek::<CategoryCert>().unwrap();

    // Inès, still an aidant, opens generation 1 with the new organisation key.
    let (status, answer) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, category, "unwrap_key", 1, t),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let wrap1 = answer["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["generation"] == 1)
        .unwrap()["wrap"]
        .as_str()
        .unwrap()
        .to_owned();
    let ck1 = unwrap_category_key(&key1, &unb64(&wrap1).unwrap(), &cert_g1).unwrap();
    assert_eq!(recipient_of(&ck1), recipient_of(&g1.ck));
    // Paul's access is cut, and nothing he holds opens the new wrap or a paper under g1.
    let (status, _) = access(
        &app,
        &paul_b,
        m,
        &receipt(&paul, &karim, m, category, "unwrap_key", 2, t),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let sealed = karim.seal_paper(&g1.cert, 800, t);
    for key in &held {
        assert!(
            decrypt(key, &unb64(&wrap1).unwrap()).is_err(),
            "the new wrap"
        );
        assert!(decrypt(key, &sealed.content).is_err(), "a paper under g1");
        assert!(decrypt(key, &sealed.meta).is_err(), "its metadata");
    }
    assert!(decrypt(&ck1, &sealed.content).is_ok());
}
