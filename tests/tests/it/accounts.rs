//! Accounts over HTTP, on SQLite and PostgreSQL: opening a coffre (every statement
//! verified), carte + PIN and passphrase sign-in, sessions (rotation, idle and absolute
//! ends, CSRF, origin), rate limits and the PIN lockout — all with the injected clock.

use std::sync::Arc;

use coffre_crypto::Context;
use coffre_crypto::category::{unwrap_category_key, verify_cert};
use coffre_crypto::encoding::{Id, PublicKey, unb64};
use coffre_crypto::statement::Envelope;
use coffre_crypto::unlock::{
    Passphrase, passphrase_auth_key, seed_payload, unwrap_seed, unwrap_seed_passphrase,
    wrap_seed_passphrase,
};
use coffre_server::clock::ManualClock;
use coffre_tests::owner::{
    Browser, Owner, PIN, json_of, nonce, open_coffre, post, session_cookie, signed_sign_in, start,
    start_time,
};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

on_both_backends!(
    a_coffre_opens_and_its_keys_come_back_verified,
    the_carte_and_pin_sign_in_on_a_fresh_browser,
    an_unknown_carte_a_bad_signature_and_a_wrong_pin_get_one_answer,
    five_wrong_pins_lock_the_carte,
    a_nonce_is_single_use_and_short_lived,
    a_challenge_signed_for_another_instance_is_refused,
    sign_in_rotates_the_session,
    state_changes_need_the_csrf_token,
    requests_from_another_origin_are_refused,
    sessions_end_when_idle_and_after_their_lifetime,
    sign_in_attempts_are_rate_limited_per_address_and_per_key,
    statements_that_do_not_verify_are_refused,
    a_coffre_or_carte_cannot_be_registered_twice,
    devices_are_listed_and_signed_out,
    the_passphrase_is_added_and_signs_in,
    the_database_holds_no_secret,
    every_route_but_the_public_ones_needs_a_session,
    the_journal_records_sign_ins_and_verifies,
    owner_entries_are_verified_before_they_join_the_journal,
    a_lost_carte_starts_a_new_epoch_and_no_longer_opens_anything,
    a_new_epoch_that_does_not_verify_is_refused,
    rate_limit_rows_are_forgotten_a_day_later,
    new_coffres_per_address_follow_the_configured_limit,
);

/// The routes anyone may call. Every other route in the OpenAPI document must answer 401
/// without a session — a new route joins this test by being in the document.
const PUBLIC_ROUTES: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/instance"),
    ("post", "/api/auth/nonce"),
    ("post", "/api/coffres"),
    ("post", "/api/invitations/check"),
    ("post", "/api/organisations/founding/check"),
    ("post", "/api/sessions/carte"),
    ("post", "/api/sessions/passphrase"),
    ("post", "/api/sessions/passkey/challenge"),
    ("post", "/api/sessions/passkey"),
    ("post", "/api/sessions/remembered"),
];

fn instance(app: &TestApp) -> String {
    app.state.origin.as_str().to_owned()
}

async fn sign_in_carte(app: &TestApp, owner: &Owner, pin: &str) -> reqwest::Response {
    let (nonce, _) = nonce(app).await;
    post(
        app,
        &Browser::default(),
        "/api/sessions/carte",
        &owner.carte_sign_in(&nonce, pin),
    )
    .await
}

async fn a_coffre_opens_and_its_keys_come_back_verified(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let browser = open_coffre(&app, &owner).await;
    let cookie = browser.cookie.clone().unwrap();
    assert!(cookie.starts_with("coffre="), "{cookie}");

    let response = browser
        .with(app.client.get(app.at("/api/coffre")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["cache-control"],
        "no-store",
        "wraps are never cached"
    );
    let (status, coffre) = json_of(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(coffre["coffre"], owner.coffre.to_string());
    assert_eq!(coffre["owner_key"], owner.keys.public().to_b64());
    let categories = coffre["categories"].as_array().unwrap();
    assert_eq!(categories.len(), 10);
    // The client checks what the server serves: each cert verifies, each wrap opens.
    let ctx = Context {
        instance: instance(&app),
        coffre: owner.coffre,
        epoch: 0,
    };
    let now = u64::try_from(start_time().unix_timestamp()).unwrap();
    let mut ids = Vec::new();
    for c in categories {
        let env = Envelope::parse(&unb64(c["cert"].as_str().unwrap()).unwrap()).unwrap();
        let cert = verify_cert(&env, &owner.keys.public(), &ctx, now).unwrap();
        let wrap = unb64(c["wrap"].as_str().unwrap()).unwrap();
        unwrap_category_key(&owner.keys.identity, &wrap, cert.body()).unwrap();
        ids.push(cert.body().category);
    }
    ids.sort_by_key(|id| id.0);
    let mut expected = owner.categories.clone();
    expected.sort_by_key(|id| id.0);
    assert_eq!(ids, expected);
    assert_eq!(coffre["factors"].as_array().unwrap().len(), 1);
    assert_eq!(coffre["factors"][0]["kind"], "carte");
    app.stop().await;
}

async fn the_carte_and_pin_sign_in_on_a_fresh_browser(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    open_coffre(&app, &owner).await;

    let response = sign_in_carte(&app, &owner, PIN).await;
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["session"]["coffre"], owner.coffre.to_string());
    assert_eq!(body["session"]["factor"], "carte");
    // Only the carte opens what the server hands back.
    let wrap = unb64(body["wrap"].as_str().unwrap()).unwrap();
    let payload = unwrap_seed(&owner.carte.identity, &wrap).unwrap();
    assert_eq!(payload, seed_payload(owner.coffre, 0, &owner.seed.0));
    assert!(unwrap_seed(&owner.keys.identity, &wrap).is_err());
    app.stop().await;
}

async fn an_unknown_carte_a_bad_signature_and_a_wrong_pin_get_one_answer(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    open_coffre(&app, &owner).await;

    let wrong_pin = json_of(sign_in_carte(&app, &owner, "00000000").await).await;
    let stranger = Owner::new(&instance(&app));
    let unknown = json_of(sign_in_carte(&app, &stranger, PIN).await).await;
    let (n, _) = nonce(&app).await;
    let mut forged = owner.carte_sign_in(&n, PIN);
    let (other, _) = nonce(&app).await;
    forged["signature"] = owner.carte_sign_in(&other, PIN)["signature"].clone();
    let bad_signature =
        json_of(post(&app, &Browser::default(), "/api/sessions/carte", &forged).await).await;
    assert_eq!(wrong_pin.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_pin.1["code"], "sign_in_failed");
    assert_eq!(
        unknown, wrong_pin,
        "an unknown carte answers as a wrong PIN"
    );
    assert_eq!(
        bad_signature, wrong_pin,
        "a bad signature answers as a wrong PIN"
    );
    app.stop().await;
}

async fn five_wrong_pins_lock_the_carte(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    open_coffre(&app, &owner).await;
    // A right PIN resets the count: four wrong, one right, four wrong is not a lock.
    for _ in 0..4 {
        assert_eq!(
            sign_in_carte(&app, &owner, "11111111").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in_carte(&app, &owner, PIN).await.status(),
        StatusCode::OK
    );
    // (A new rate-limit window: the per-key limit is not what this test is about.)
    clock.advance(Duration::minutes(10));
    for _ in 0..4 {
        assert_eq!(
            sign_in_carte(&app, &owner, "11111111").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, body) = json_of(sign_in_carte(&app, &owner, "11111111").await).await;
    assert_eq!(
        status,
        StatusCode::LOCKED,
        "the fifth wrong PIN in a row locks"
    );
    assert_eq!(body["code"], "carte_locked");
    let (status, _) = json_of(sign_in_carte(&app, &owner, PIN).await).await;
    assert_eq!(
        status,
        StatusCode::LOCKED,
        "even the right PIN no longer opens"
    );
    app.stop().await;
}

async fn a_nonce_is_single_use_and_short_lived(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    open_coffre(&app, &owner).await;

    let (n, _) = nonce(&app).await;
    let body = owner.carte_sign_in(&n, PIN);
    let first = post(&app, &Browser::default(), "/api/sessions/carte", &body).await;
    assert_eq!(first.status(), StatusCode::OK);
    let (status, replay) =
        json_of(post(&app, &Browser::default(), "/api/sessions/carte", &body).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay["code"], "challenge_expired", "a replayed nonce");

    let (n, _) = nonce(&app).await;
    clock.advance(Duration::minutes(2) + Duration::seconds(1));
    let (status, late) = json_of(
        post(
            &app,
            &Browser::default(),
            "/api/sessions/carte",
            &owner.carte_sign_in(&n, PIN),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(late["code"], "challenge_expired", "an expired nonce");

    let made_up = coffre_crypto::encoding::b64(&[7u8; 32]);
    let (_, unknown) = json_of(
        post(
            &app,
            &Browser::default(),
            "/api/sessions/carte",
            &owner.carte_sign_in(&made_up, PIN),
        )
        .await,
    )
    .await;
    assert_eq!(
        unknown["code"], "challenge_expired",
        "a nonce the server never gave"
    );
    app.stop().await;
}

async fn a_challenge_signed_for_another_instance_is_refused(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    open_coffre(&app, &owner).await;
    let (n, _) = nonce(&app).await;
    let body = signed_sign_in(&owner.carte_auth(), "https://other.example", &n, Some(PIN));
    let (status, answer) =
        json_of(post(&app, &Browser::default(), "/api/sessions/carte", &body).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer["code"], "sign_in_failed");
    app.stop().await;
}

async fn sign_in_rotates_the_session(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let first = open_coffre(&app, &owner).await;
    let (n, _) = nonce(&app).await;
    // The same browser signs in again, sending its cookie: it gets a new one, and the old
    // one is dead.
    let response = post(
        &app,
        &first,
        "/api/sessions/carte",
        &owner.carte_sign_in(&n, PIN),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let second = session_cookie(response.headers()).unwrap();
    assert_ne!(Some(second.clone()), first.cookie);
    let old = first
        .with(app.client.get(app.at("/api/session")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        old.status(),
        StatusCode::UNAUTHORIZED,
        "the old id no longer works"
    );
    let new = app
        .client
        .get(app.at("/api/session"))
        .header("cookie", second)
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), StatusCode::OK);
    app.stop().await;
}

async fn state_changes_need_the_csrf_token(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let browser = open_coffre(&app, &owner).await;
    let no_token = Browser {
        cookie: browser.cookie.clone(),
        csrf: None,
    };
    let wrong_token = Browser {
        cookie: browser.cookie.clone(),
        csrf: Some(coffre_crypto::encoding::b64(&[1u8; 32])),
    };
    for attacker in [&no_token, &wrong_token] {
        let (status, body) = json_of(
            attacker
                .with(app.client.delete(app.at("/api/session")))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "csrf");
    }
    // Reading needs no token.
    let read = no_token
        .with(app.client.get(app.at("/api/session")))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);

    let out = browser
        .with(app.client.delete(app.at("/api/session")))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        out.headers()["clear-site-data"],
        "\"cache\", \"cookies\", \"storage\""
    );
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = browser
        .with(app.client.get(app.at("/api/session")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        StatusCode::UNAUTHORIZED,
        "signed out for real"
    );
    app.stop().await;
}

async fn requests_from_another_origin_are_refused(env: TestEnv) {
    let (app, _) = start(&env).await;
    let origin = instance(&app);
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let (status, body) = json_of(
            app.client
                .post(app.at("/api/auth/nonce"))
                .header(header, value)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{header}: {value}");
        assert_eq!(body["code"], "bad_origin");
    }
    let ok = app
        .client
        .post(app.at("/api/auth/nonce"))
        .header("origin", origin)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK, "the instance's own page");
    app.stop().await;
}

async fn sessions_end_when_idle_and_after_their_lifetime(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let browser = open_coffre(&app, &owner).await;
    let alive = |b: Browser| {
        let app = &app;
        async move {
            b.with(app.client.get(app.at("/api/session")))
                .send()
                .await
                .unwrap()
                .status()
                == StatusCode::OK
        }
    };
    // Each request moves the idle end: 29 minutes at a time for 11 hours stays signed in.
    for _ in 0..22 {
        clock.advance(Duration::minutes(29));
        assert!(alive(browser.clone()).await);
    }
    // 12 hours after signing in the session ends, however active.
    clock.advance(Duration::minutes(62));
    assert!(!alive(browser.clone()).await, "absolute lifetime");

    let idle = open_coffre_again(&app, &owner, false).await;
    clock.advance(Duration::minutes(30) + Duration::seconds(1));
    assert!(!alive(idle).await, "30 minutes without a request");

    let shared = open_coffre_again(&app, &owner, true).await;
    clock.advance(Duration::minutes(4));
    assert!(
        alive(shared.clone()).await,
        "4 minutes on a shared computer"
    );
    clock.advance(Duration::minutes(5) + Duration::seconds(1));
    assert!(!alive(shared).await, "5 idle minutes on a shared computer");
    app.stop().await;
}

/// A carte sign-in on a fresh browser, shared or not.
async fn open_coffre_again(app: &TestApp, owner: &Owner, shared: bool) -> Browser {
    let (n, _) = nonce(app).await;
    let mut body = owner.carte_sign_in(&n, PIN);
    body["device"]["shared"] = json!(shared);
    let response = post(app, &Browser::default(), "/api/sessions/carte", &body).await;
    let headers = response.headers().clone();
    if shared {
        let set_cookie = headers["set-cookie"].to_str().unwrap();
        assert!(
            !set_cookie.contains("Max-Age"),
            "dies with the browser: {set_cookie}"
        );
    }
    let body: Value = response.json().await.unwrap();
    // The client locks itself after the instance's idle lifetime for this session.
    assert_eq!(body["session"]["idle_minutes"], if shared { 5 } else { 30 });
    let mut browser = Browser::default();
    browser.adopt(&headers, &body);
    browser
}

async fn sign_in_attempts_are_rate_limited_per_address_and_per_key(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    open_coffre(&app, &owner).await;
    // Per key: 10 attempts per 10 minutes, the coffre's creation included (each takes a
    // nonce, so the nonce limit of 60 is not what stops it).
    for _ in 0..9 {
        assert_ne!(
            sign_in_carte(&app, &owner, PIN).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    let response = sign_in_carte(&app, &owner, PIN).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&retry), "{retry}");
    let (_, body) = json_of(response).await;
    assert_eq!(body["code"], "too_many_attempts");
    clock.advance(Duration::minutes(10));
    assert_eq!(
        sign_in_carte(&app, &owner, PIN).await.status(),
        StatusCode::OK,
        "a new window"
    );

    // Per address: 30 sign-in attempts per 10 minutes, whatever the carte.
    clock.advance(Duration::minutes(10));
    let mut last = StatusCode::OK;
    for i in 0..31 {
        let stranger = Owner::new(&instance(&app));
        last = sign_in_carte(&app, &stranger, PIN).await.status();
        if i < 30 {
            assert_eq!(last, StatusCode::UNAUTHORIZED, "attempt {i}");
        }
    }
    assert_eq!(
        last,
        StatusCode::TOO_MANY_REQUESTS,
        "the 31st from one address"
    );
    app.stop().await;
}

/// A change made to a valid `POST /api/coffres` body.
type Change<'a> = Box<dyn Fn(&mut Value) + 'a>;

async fn statements_that_do_not_verify_are_refused(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let now = u64::try_from(start_time().unix_timestamp()).unwrap();
    let other = Owner::new(&instance(&app));

    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "a cert signed by another key",
            Box::new(|body: &mut Value| {
                let c = owner.categories[0];
                let (cert, _) =
                    owner.cert_with(c, &other.keys.signing, &owner.instance, owner.coffre, now);
                body["categories"][0]["cert"] = json!(coffre_crypto::encoding::b64(&cert));
            }),
            "unauthorised_signer",
        ),
        (
            "a cert for another coffre",
            Box::new(|body: &mut Value| {
                let c = owner.categories[0];
                let (cert, _) =
                    owner.cert_with(c, &owner.keys.signing, &owner.instance, Id::random(), now);
                body["categories"][0]["cert"] = json!(coffre_crypto::encoding::b64(&cert));
            }),
            "context_mismatch",
        ),
        (
            "a cert for another instance",
            Box::new(|body: &mut Value| {
                let c = owner.categories[0];
                let (cert, _) = owner.cert_with(
                    c,
                    &owner.keys.signing,
                    "https://other.example",
                    owner.coffre,
                    now,
                );
                body["categories"][0]["cert"] = json!(coffre_crypto::encoding::b64(&cert));
            }),
            "context_mismatch",
        ),
        (
            "a cert not valid yet",
            Box::new(|body: &mut Value| {
                let c = owner.categories[0];
                let (cert, _) = owner.cert_with(
                    c,
                    &owner.keys.signing,
                    &owner.instance,
                    owner.coffre,
                    now + 30 * 86_400,
                );
                body["categories"][0]["cert"] = json!(coffre_crypto::encoding::b64(&cert));
            }),
            "outside_validity",
        ),
        (
            "a tampered cert",
            Box::new(|body: &mut Value| {
                let raw = body["categories"][0]["cert"].as_str().unwrap().to_owned();
                let mut env: Value = serde_json::from_slice(&unb64(&raw).unwrap()).unwrap();
                let sig = env["sigs"][0]["sig"].as_str().unwrap().to_owned();
                let mut bytes = unb64(&sig).unwrap();
                bytes[0] ^= 1;
                env["sigs"][0]["sig"] = json!(coffre_crypto::encoding::b64(&bytes));
                body["categories"][0]["cert"] = json!(coffre_crypto::encoding::b64(
                    &serde_json::to_vec(&env).unwrap()
                ));
            }),
            "bad_signature",
        ),
        (
            "a label that is not an age file",
            Box::new(|body: &mut Value| {
                body["categories"][1]["label"] = json!(coffre_crypto::encoding::b64(
                    b"Sant\xc3\xa9, in clear\n--- x\n"
                ));
            }),
            "malformed",
        ),
        (
            "a hostile age header",
            Box::new(|body: &mut Value| {
                let mut hostile = b"age-encryption.org/v1\n-> X25519 ".to_vec();
                hostile.extend(std::iter::repeat_n(b'A', 20_000));
                body["categories"][1]["wrap"] = json!(coffre_crypto::encoding::b64(&hostile));
            }),
            "header_too_large",
        ),
        (
            "an owner key that is not a valid point",
            Box::new(|body: &mut Value| {
                body["owner_key"] = json!(coffre_crypto::encoding::b64(&[0u8; 32]));
            }),
            "bad_key",
        ),
        (
            "a coffre id that is not a v4 uuid",
            Box::new(|body: &mut Value| {
                body["coffre"] = json!("00000000-0000-7000-8000-000000000000");
            }),
            "non_canonical",
        ),
        (
            "a carte challenge signed by another key",
            Box::new(|body: &mut Value| {
                let n = body["carte"]["nonce"].as_str().unwrap().to_owned();
                let forged = signed_sign_in(&other.carte_auth(), &owner.instance, &n, None);
                body["carte"]["signature"] = forged["signature"].clone();
            }),
            "bad_signature",
        ),
    ];
    for (what, change, code) in cases {
        // One attempt per hour: the creation rate limit is not what this test is about.
        clock.advance(Duration::hours(1));
        let (n, now) = nonce(&app).await;
        let mut body = owner.create_body(&n, now);
        change(&mut body);
        let (status, answer) =
            json_of(post(&app, &Browser::default(), "/api/coffres", &body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {answer}");
        assert_eq!(answer["code"], code, "{what}: {answer}");
    }
    for (what, change) in [
        (
            "nine categories",
            Box::new(|body: &mut Value| {
                body["categories"].as_array_mut().unwrap().pop();
            }) as Change,
        ),
        (
            "the same category twice",
            Box::new(|body: &mut Value| {
                body["categories"][1] = body["categories"][0].clone();
            }),
        ),
        (
            "a three-digit PIN",
            Box::new(|body: &mut Value| body["carte"]["pin"] = json!("123")),
        ),
    ] {
        clock.advance(Duration::hours(1));
        let (n, now) = nonce(&app).await;
        let mut body = owner.create_body(&n, now);
        change(&mut body);
        let (status, answer) =
            json_of(post(&app, &Browser::default(), "/api/coffres", &body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
    }
    // Nothing of the refused attempts was stored: the coffre opens now, once.
    clock.advance(Duration::hours(1));
    open_coffre(&app, &owner).await;
    app.stop().await;
}

async fn a_coffre_or_carte_cannot_be_registered_twice(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    open_coffre(&app, &owner).await;
    let (n, now) = nonce(&app).await;
    let (status, body) = json_of(
        post(
            &app,
            &Browser::default(),
            "/api/coffres",
            &owner.create_body(&n, now),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // The same carte for another coffre id.
    let mut again = Owner::new(&instance(&app));
    again.carte = coffre_crypto::unlock::Carte {
        identity: owner.carte.identity.clone(),
    };
    let (n, now) = nonce(&app).await;
    let (status, _) = json_of(
        post(
            &app,
            &Browser::default(),
            "/api/coffres",
            &again.create_body(&n, now),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Nothing of the second coffre was kept (one transaction).
    assert!(
        app.state
            .store
            .coffre(coffre_server::domain::CoffreId(again.coffre.0))
            .await
            .unwrap()
            .is_none()
    );
    app.stop().await;
}

async fn devices_are_listed_and_signed_out(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let phone = open_coffre(&app, &owner).await;
    let desk = open_coffre_again(&app, &owner, true).await;
    let library = open_coffre_again(&app, &owner, false).await;
    let (status, list) = json_of(
        phone
            .with(app.client.get(app.at("/api/sessions")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 3);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    assert_eq!(list.iter().filter(|s| s["shared"] == true).count(), 1);

    // The phone signs the shared computer out.
    let desk_id = {
        let (_, me) = json_of(
            desk.with(app.client.get(app.at("/api/sessions")))
                .send()
                .await
                .unwrap(),
        )
        .await;
        me.as_array()
            .unwrap()
            .iter()
            .find(|s| s["current"] == true)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let out = phone
        .with(
            app.client
                .delete(app.at(&format!("/api/sessions/{desk_id}"))),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let gone = desk
        .with(app.client.get(app.at("/api/session")))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);

    // Another coffre cannot sign these out.
    let stranger = open_coffre(&app, &Owner::new(&instance(&app))).await;
    let phone_id = list.iter().find(|s| s["current"] == true).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = stranger
        .with(
            app.client
                .delete(app.at(&format!("/api/sessions/{phone_id}"))),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);

    // Everywhere.
    let all = library
        .with(app.client.delete(app.at("/api/sessions")))
        .send()
        .await
        .unwrap();
    assert_eq!(all.status(), StatusCode::NO_CONTENT);
    for b in [&phone, &library] {
        let r = b
            .with(app.client.get(app.at("/api/session")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = stranger
        .with(app.client.get(app.at("/api/session")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "another coffre's session is untouched"
    );
    app.stop().await;
}

async fn the_passphrase_is_added_and_signs_in(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let browser = open_coffre(&app, &owner).await;
    let words = Passphrase::generate();
    let auth = passphrase_auth_key(&words).unwrap();
    let wrap = wrap_seed_passphrase(&words, &seed_payload(owner.coffre, 0, &owner.seed.0)).unwrap();
    let (n, _) = nonce(&app).await;
    let mut body = signed_sign_in(&auth, &owner.instance, &n, None);
    body.as_object_mut().unwrap().remove("device");
    body["wrap"] = json!(coffre_crypto::encoding::b64(&wrap));

    // Without the CSRF token: refused.
    let no_csrf = Browser {
        cookie: browser.cookie.clone(),
        csrf: None,
    };
    assert_eq!(
        post(&app, &no_csrf, "/api/coffre/passphrase", &body)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // A wrap that is not a passphrase file: refused.
    let mut not_scrypt = body.clone();
    let (n2, _) = nonce(&app).await;
    let signed = signed_sign_in(&auth, &owner.instance, &n2, None);
    not_scrypt["nonce"] = signed["nonce"].clone();
    not_scrypt["signature"] = signed["signature"].clone();
    let carte_wrap = coffre_crypto::unlock::wrap_seed(
        &owner.carte.recipient(),
        &seed_payload(owner.coffre, 0, &owner.seed.0),
    )
    .unwrap();
    not_scrypt["wrap"] = json!(coffre_crypto::encoding::b64(&carte_wrap));
    let (status, _) =
        json_of(post(&app, &browser, "/api/coffre/passphrase", &not_scrypt).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A passphrase wrap at another work factor than the pinned one: refused too.
    let mut slower = not_scrypt.clone();
    let (n3, _) = nonce(&app).await;
    let signed = signed_sign_in(&auth, &owner.instance, &n3, None);
    slower["nonce"] = signed["nonce"].clone();
    slower["signature"] = signed["signature"].clone();
    let at_16 = coffre_crypto::unlock::wrap_seed_passphrase_with(
        &words,
        &seed_payload(owner.coffre, 0, &owner.seed.0),
        16,
    )
    .unwrap();
    slower["wrap"] = json!(coffre_crypto::encoding::b64(&at_16));
    let (status, answer) =
        json_of(post(&app, &browser, "/api/coffre/passphrase", &slower).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["code"], "malformed");

    let added = post(&app, &browser, "/api/coffre/passphrase", &body).await;
    assert_eq!(added.status(), StatusCode::CREATED);

    let (n, _) = nonce(&app).await;
    let (status, signed_in) = json_of(
        post(
            &app,
            &Browser::default(),
            "/api/sessions/passphrase",
            &signed_sign_in(&auth, &owner.instance, &n, None),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(signed_in["session"]["factor"], "passphrase");
    let wrap = unb64(signed_in["wrap"].as_str().unwrap()).unwrap();
    let typed = Passphrase::parse(&words.expose().to_uppercase()).unwrap();
    assert_eq!(
        unwrap_seed_passphrase(&typed, &wrap).unwrap(),
        seed_payload(owner.coffre, 0, &owner.seed.0)
    );
    // The carte's key is no passphrase: the passphrase route refuses it.
    let (n, _) = nonce(&app).await;
    let (status, _) = json_of(
        post(
            &app,
            &Browser::default(),
            "/api/sessions/passphrase",
            &signed_sign_in(&owner.carte_auth(), &owner.instance, &n, None),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let _: PublicKey = owner.keys.public();
    app.stop().await;
}

/// After a coffre is opened and signed into with the carte and the passphrase, the
/// database holds none of the secrets, in any encoding the code uses.
async fn the_database_holds_no_secret(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let browser = open_coffre(&app, &owner).await;
    let words = Passphrase::generate();
    let auth = passphrase_auth_key(&words).unwrap();
    let wrap = wrap_seed_passphrase(&words, &seed_payload(owner.coffre, 0, &owner.seed.0)).unwrap();
    let (n, _) = nonce(&app).await;
    let mut body = signed_sign_in(&auth, &owner.instance, &n, None);
    body.as_object_mut().unwrap().remove("device");
    body["wrap"] = json!(coffre_crypto::encoding::b64(&wrap));
    assert_eq!(
        post(&app, &browser, "/api/coffre/passphrase", &body)
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        sign_in_carte(&app, &owner, PIN).await.status(),
        StatusCode::OK
    );

    let secrets = coffre_tests::secrets::of_owner(&owner, Some(&words));
    let dump = coffre_tests::secrets::database_dump(&env).await;
    let found = coffre_tests::secrets::find_in(&dump, &secrets);
    assert!(found.is_empty(), "secrets in the database: {found:?}");
    // The scan can fail: the owner's public key is there.
    let public =
        coffre_tests::secrets::Secret::bytes("owner public key", owner.keys.public().0.to_vec());
    assert!(!coffre_tests::secrets::find_in(&dump, &[public]).is_empty());
    app.stop().await;
}

async fn every_route_but_the_public_ones_needs_a_session(env: TestEnv) {
    let (app, _) = start(&env).await;
    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if PUBLIC_ROUTES.contains(&(method.as_str(), path.as_str())) {
                continue;
            }
            let url = app.at(&path
                .replace("{id}", &uuid::Uuid::new_v4().to_string())
                .replace("{paper}", &uuid::Uuid::new_v4().to_string()));
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // A well-formed cookie of no session, and the header a CSRF check wants.
            for cookie in [
                None,
                Some(format!(
                    "coffre={}",
                    coffre_crypto::encoding::b64(&[9u8; 32])
                )),
            ] {
                let mut request = app
                    .client
                    .request(method.clone(), &url)
                    .header("x-coffre-csrf", "x")
                    .json(&json!({}));
                if let Some(cookie) = &cookie {
                    request = request.header("cookie", cookie);
                }
                let (status, body) = json_of(request.send().await.unwrap()).await;
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} with {cookie:?}: {body}"
                );
                assert_eq!(body["code"], "unauthenticated");
            }
            checked += 1;
        }
    }
    assert!(checked >= 7, "only {checked} routes checked");
    for (method, path) in PUBLIC_ROUTES {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is listed as public but not in the document"
        );
    }
    app.stop().await;
}

async fn journal_page(app: &TestApp, browser: &Browser) -> Vec<Value> {
    let (status, page) = json_of(
        browser
            .with(app.client.get(app.at("/api/journal")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["entries"].as_array().unwrap().clone()
}

/// The actions of the coffre's journal, oldest first.
pub(crate) async fn journal_actions(app: &TestApp, browser: &Browser) -> Vec<String> {
    journal_page(app, browser)
        .await
        .iter()
        .map(|item| {
            let env = Envelope::parse(&unb64(item["entry"].as_str().unwrap()).unwrap()).unwrap();
            env.peek::<coffre_crypto::kinds::JournalEntry>()
                .unwrap()
                .action
        })
        .collect()
}

/// What the owner's client does with a page: verify the chain, each receipt, each body.
pub(crate) fn verify_page(
    app: &TestApp,
    owner: &Owner,
    items: &[Value],
) -> Vec<(String, Option<String>)> {
    use coffre_crypto::journal::{verify_inclusion_receipt, verify_journal};
    let server = app.state.server_key.public_key();
    let owner_key = owner.keys.public();
    let ctx = Context {
        instance: instance(app),
        coffre: owner.coffre,
        epoch: 0,
    };
    let envelopes: Vec<Envelope> = items
        .iter()
        .map(|i| Envelope::parse(&unb64(i["entry"].as_str().unwrap()).unwrap()).unwrap())
        .collect();
    let server_actions = [
        "coffre_created",
        "sign_in",
        "sign_in_failed",
        "carte_locked",
    ];
    verify_journal(&envelopes, None, &ctx, &|actor, entry| {
        if server_actions.contains(&entry.action.as_str()) {
            *actor == server
        } else {
            *actor == owner_key
        }
    })
    .unwrap();
    let mut out = Vec::new();
    for (item, env) in items.iter().zip(&envelopes) {
        let entry = env.peek::<coffre_crypto::kinds::JournalEntry>().unwrap();
        let receipt = Envelope::parse(&unb64(item["receipt"].as_str().unwrap()).unwrap()).unwrap();
        verify_inclusion_receipt(&receipt, &server, &ctx, entry.seq, &env.hash().unwrap()).unwrap();
        let body = unb64(item["body"].as_str().unwrap()).unwrap();
        assert_eq!(entry.body_sha256.0, coffre_crypto::encoding::sha256(&body));
        let details: coffre_crypto::kinds::JournalBodyPayload =
            coffre_crypto::age_io::decrypt_payload(&owner.keys.identity, &body).unwrap();
        out.push((entry.action.clone(), details.factor.clone()));
    }
    out
}

async fn the_journal_records_sign_ins_and_verifies(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let browser = open_coffre(&app, &owner).await;
    assert_eq!(
        sign_in_carte(&app, &owner, PIN).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        sign_in_carte(&app, &owner, "00000000").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let stranger = Owner::new(&instance(&app));
    assert_eq!(
        sign_in_carte(&app, &stranger, PIN).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let items = journal_page(&app, &browser).await;
    let carte = Some("carte".to_owned());
    assert_eq!(
        verify_page(&app, &owner, &items),
        vec![
            ("coffre_created".to_owned(), carte.clone()),
            ("sign_in".to_owned(), carte.clone()),
            ("sign_in_failed".to_owned(), carte.clone()),
        ],
        "an unknown carte is no coffre's event"
    );
    // Reading from a checkpoint gives the entries from that seq on.
    let (_, later) = json_of(
        browser
            .with(app.client.get(app.at("/api/journal?from=1")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(later["entries"].as_array().unwrap().len(), 2);
    assert_eq!(later["entries"][0]["seq"], 1);
    // Another coffre sees only its own journal.
    let other = Owner::new(&instance(&app));
    let other_browser = open_coffre(&app, &other).await;
    assert_eq!(journal_page(&app, &other_browser).await.len(), 1);
    app.stop().await;
}

async fn owner_entries_are_verified_before_they_join_the_journal(env: TestEnv) {
    use coffre_crypto::kinds::{JournalBodyPayload, JournalEntry};
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let browser = open_coffre(&app, &owner).await;
    let body = coffre_crypto::age_io::encrypt_payload(
        std::slice::from_ref(&owner.keys.recipient),
        &JournalBodyPayload {
            backup_time: None,
            device: None,
            factor: Some("passphrase".into()),
            kind: Default::default(),
            v: Default::default(),
        },
    )
    .unwrap();
    let (_, head) = json_of(
        browser
            .with(app.client.get(app.at("/api/journal/head")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(head["next_seq"], 1);
    let entry_for = |action: &str, coffre: Id, seq: u64, body: &[u8]| JournalEntry {
        action: action.into(),
        actor: owner.keys.public(),
        body_sha256: coffre_crypto::encoding::Hash32(coffre_crypto::encoding::sha256(body)),
        coffre,
        epoch: 0,
        instance: owner.instance.clone(),
        kind: Default::default(),
        mandate: None,
        object: None,
        prev: coffre_crypto::encoding::Hash32::from_b64(head["prev"].as_str().unwrap()).unwrap(),
        proof: None,
        seq,
        time: head["time"].as_u64().unwrap(),
        v: Default::default(),
    };
    let post_entry = |entry: JournalEntry, key: &ed25519_dalek::SigningKey, body: &[u8]| {
        let env = coffre_crypto::statement::sign(&entry, &[key]).unwrap();
        json!({
            "entry": coffre_crypto::encoding::b64(&env.to_bytes().unwrap()),
            "body": coffre_crypto::encoding::b64(body),
        })
    };
    let other = Owner::new(&instance(&app));
    let refused: Vec<(&str, Value, StatusCode, &str)> = vec![
        (
            "signed by another key",
            post_entry(
                entry_for("key_added", owner.coffre, 1, &body),
                &other.keys.signing,
                &body,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unauthorised_signer",
        ),
        (
            "for another coffre",
            post_entry(
                entry_for("key_added", Id::random(), 1, &body),
                &owner.keys.signing,
                &body,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "context_mismatch",
        ),
        (
            "a body that is not the one hashed",
            post_entry(
                entry_for("key_added", owner.coffre, 1, &body),
                &owner.keys.signing,
                &{
                    let mut b = body.clone();
                    let last = b.len() - 1;
                    b[last] ^= 1;
                    b
                },
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
        ),
        (
            "at a seq that is not the next",
            post_entry(
                entry_for("key_added", owner.coffre, 5, &body),
                &owner.keys.signing,
                &body,
            ),
            StatusCode::CONFLICT,
            "conflict",
        ),
        (
            "the server's own action",
            post_entry(
                entry_for("sign_in", owner.coffre, 1, &body),
                &owner.keys.signing,
                &body,
            ),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ];
    for (what, request, status, code) in refused {
        let (got, answer) = json_of(post(&app, &browser, "/api/journal", &request).await).await;
        assert_eq!(got, status, "{what}: {answer}");
        assert_eq!(answer["code"], code, "{what}: {answer}");
    }
    let good = post_entry(
        entry_for("key_added", owner.coffre, 1, &body),
        &owner.keys.signing,
        &body,
    );
    let (status, appended) = json_of(post(&app, &browser, "/api/journal", &good).await).await;
    assert_eq!(status, StatusCode::CREATED, "{appended}");
    assert_eq!(appended["seq"], 1);
    let (status, _) = json_of(post(&app, &browser, "/api/journal", &good).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "the same entry twice");
    let items = journal_page(&app, &browser).await;
    assert_eq!(
        verify_page(&app, &owner, &items)
            .into_iter()
            .map(|(a, _)| a)
            .collect::<Vec<_>>(),
        ["coffre_created", "key_added"]
    );
    app.stop().await;
}

/// What the owner's browser sends to move to a new epoch after losing the carte: the new
/// seed's keys, the succession signed by the old key, every category key re-wrapped, one
/// new generation per category, a new carte. Returns the body and the new owner.
/// The body of `POST /api/coffre/epoch` for `owner`'s coffre, and the next epoch's owner.
pub(crate) async fn new_epoch(app: &TestApp, browser: &Browser, owner: &Owner) -> (Value, Owner) {
    use coffre_crypto::category::unwrap_category_key;
    use coffre_crypto::kinds::{Authority, EpochSuccession};
    let (_, coffre) = json_of(
        browser
            .with(app.client.get(app.at("/api/coffre")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let mut next = Owner::new(&owner.instance);
    next.coffre = owner.coffre;
    let (nonce_value, now) = nonce(app).await;
    let succession = EpochSuccession {
        authority: Authority::Previous,
        coffre: owner.coffre,
        created: now,
        from_epoch: 0,
        from_key: owner.keys.public(),
        instance: owner.instance.clone(),
        kind: Default::default(),
        reason: "carte_lost".into(),
        to_epoch: 1,
        to_key: next.keys.public(),
        to_recipient: next.keys.recipient.clone(),
        v: Default::default(),
    };
    let succession = coffre_crypto::statement::sign(&succession, &[&owner.keys.signing]).unwrap();
    let mut rewraps = Vec::new();
    let mut categories = Vec::new();
    for c in coffre["categories"].as_array().unwrap() {
        let env = Envelope::parse(&unb64(c["cert"].as_str().unwrap()).unwrap()).unwrap();
        let cert = env.peek::<coffre_crypto::kinds::CategoryCert>().unwrap();
        let ck = unwrap_category_key(
            &owner.keys.identity,
            &unb64(c["wrap"].as_str().unwrap()).unwrap(),
            &cert,
        )
        .unwrap();
        let payload = coffre_crypto::category::category_key_payload(
            owner.coffre,
            cert.category,
            cert.generation,
            &ck,
        )
        .unwrap();
        let wrap = coffre_crypto::category::wrap_category_key(
            std::slice::from_ref(&next.keys.recipient),
            &payload,
        )
        .unwrap();
        rewraps.push(json!({"category": cert.category.to_string(), "generation": cert.generation, "wrap": coffre_crypto::encoding::b64(&wrap)}));
        let mut fresh = next.category(cert.category, now);
        // `Owner::category` makes generation 0 at epoch 0; the new generation is 1 at epoch 1.
        let (cert_bytes, new_ck) = epoch_cert(&next, cert.category, 1, 1, now);
        let payload =
            coffre_crypto::category::category_key_payload(owner.coffre, cert.category, 1, &new_ck)
                .unwrap();
        let wrap = coffre_crypto::category::wrap_category_key(
            std::slice::from_ref(&next.keys.recipient),
            &payload,
        )
        .unwrap();
        fresh["cert"] = json!(coffre_crypto::encoding::b64(&cert_bytes));
        fresh["wrap"] = json!(coffre_crypto::encoding::b64(&wrap));
        categories.push(fresh);
    }
    let carte_signature = coffre_crypto::unlock::sign_auth_challenge(
        &next.carte_auth(),
        &owner.instance,
        &unb64(&nonce_value).unwrap(),
    )
    .unwrap();
    let carte_wrap = coffre_crypto::unlock::wrap_seed(
        &next.carte.recipient(),
        &seed_payload(owner.coffre, 1, &next.seed.0),
    )
    .unwrap();
    let body = json!({
        "succession": coffre_crypto::encoding::b64(&succession.to_bytes().unwrap()),
        "rewraps": rewraps,
        "categories": categories,
        "carte": {
            "auth_key": coffre_crypto::keys::public_key(&next.carte_auth()).to_b64(),
            "wrap": coffre_crypto::encoding::b64(&carte_wrap),
            "pin": PIN,
            "nonce": nonce_value,
            "signature": coffre_crypto::encoding::b64(&carte_signature),
        },
    });
    (body, next)
}

/// A `category_cert` for `generation` at `epoch`, signed by `owner`.
fn epoch_cert(
    owner: &Owner,
    category: Id,
    generation: u64,
    epoch: u64,
    now: u64,
) -> (Vec<u8>, age::x25519::Identity) {
    let ck = age::x25519::Identity::generate();
    let cert = coffre_crypto::kinds::CategoryCert {
        category,
        coffre: owner.coffre,
        created: now,
        epoch,
        generation,
        instance: owner.instance.clone(),
        kind: Default::default(),
        not_after: now + 10 * 365 * 86_400,
        not_before: now,
        recipient: coffre_crypto::age_io::recipient_of(&ck),
        v: Default::default(),
    };
    (
        coffre_crypto::statement::sign(&cert, &[&owner.keys.signing])
            .unwrap()
            .to_bytes()
            .unwrap(),
        ck,
    )
}

async fn a_lost_carte_starts_a_new_epoch_and_no_longer_opens_anything(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let phone = open_coffre(&app, &owner).await;
    let other = open_coffre_again(&app, &owner, false).await;
    let (body, next) = new_epoch(&app, &phone, &owner).await;
    let response = post(&app, &phone, "/api/coffre/epoch", &body).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "{:?}",
        response.text().await
    );

    // The old carte opens nothing any more; the new one opens the new seed.
    let (status, answer) = json_of(sign_in_carte(&app, &owner, PIN).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the lost carte: {answer}");
    let (status, signed_in) = json_of(sign_in_carte(&app, &next, PIN).await).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(signed_in["session"]["epoch"], 1);
    let wrap = unb64(signed_in["wrap"].as_str().unwrap()).unwrap();
    assert_eq!(
        unwrap_seed(&next.carte.identity, &wrap).unwrap(),
        seed_payload(owner.coffre, 1, &next.seed.0)
    );
    // Every other session is signed out; the one that asked stays.
    let r = other
        .with(app.client.get(app.at("/api/session")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (status, coffre) = json_of(
        phone
            .with(app.client.get(app.at("/api/coffre")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(coffre["epoch"], 1);
    assert_eq!(coffre["owner_key"], next.keys.public().to_b64());
    assert_eq!(
        coffre["categories"].as_array().unwrap().len(),
        20,
        "generations 0 and 1"
    );
    assert_eq!(
        coffre["factors"].as_array().unwrap().len(),
        1,
        "only the new carte"
    );
    // A client that pinned the epoch-0 key follows the succession to the new key.
    let steps: Vec<Envelope> = coffre["successions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Envelope::parse(&unb64(s.as_str().unwrap()).unwrap()).unwrap())
        .collect();
    let pinned = coffre_crypto::mandate::EpochKey {
        epoch: 0,
        key: owner.keys.public(),
        recipient: None,
    };
    let now_key = coffre_crypto::mandate::verify_succession(&pinned, owner.coffre, &steps).unwrap();
    assert_eq!(now_key.key, next.keys.public());
    // Old generations now open with the new owner key.
    for c in coffre["categories"].as_array().unwrap() {
        let env = Envelope::parse(&unb64(c["cert"].as_str().unwrap()).unwrap()).unwrap();
        let cert = env.peek::<coffre_crypto::kinds::CategoryCert>().unwrap();
        unwrap_category_key(
            &next.keys.identity,
            &unb64(c["wrap"].as_str().unwrap()).unwrap(),
            &cert,
        )
        .unwrap();
    }
    // Replayed, it is refused: the coffre is no longer at epoch 0.
    let (status, answer) = json_of(post(&app, &phone, "/api/coffre/epoch", &body).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    app.stop().await;
}

async fn a_new_epoch_that_does_not_verify_is_refused(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(&instance(&app));
    let phone = open_coffre(&app, &owner).await;
    let stranger = Owner::new(&instance(&app));
    type Tamper<'a> = Box<dyn Fn(&mut Value, &Owner) + 'a>;
    let cases: Vec<(&str, Tamper, StatusCode, &str)> = vec![
        (
            "a succession signed by another key",
            Box::new(|body: &mut Value, next: &Owner| {
                let raw = unb64(body["succession"].as_str().unwrap()).unwrap();
                let env = Envelope::parse(&raw).unwrap();
                let s = env.peek::<coffre_crypto::kinds::EpochSuccession>().unwrap();
                let _ = next;
                let forged = coffre_crypto::statement::sign(&s, &[&stranger.keys.signing]).unwrap();
                body["succession"] =
                    json!(coffre_crypto::encoding::b64(&forged.to_bytes().unwrap()));
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unauthorised_signer",
        ),
        (
            "a new cert signed by the old key",
            Box::new(|body: &mut Value, next: &Owner| {
                let raw = unb64(body["categories"][0]["cert"].as_str().unwrap()).unwrap();
                let cert = Envelope::parse(&raw)
                    .unwrap()
                    .peek::<coffre_crypto::kinds::CategoryCert>()
                    .unwrap();
                let _ = next;
                let forged = coffre_crypto::statement::sign(&cert, &[&owner.keys.signing]).unwrap();
                body["categories"][0]["cert"] =
                    json!(coffre_crypto::encoding::b64(&forged.to_bytes().unwrap()));
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unauthorised_signer",
        ),
        (
            "a category left out",
            Box::new(|body: &mut Value, _: &Owner| {
                body["categories"].as_array_mut().unwrap().pop();
            }),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "a generation not re-wrapped",
            Box::new(|body: &mut Value, _: &Owner| {
                body["rewraps"].as_array_mut().unwrap().pop();
            }),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ];
    for (what, tamper, status, code) in cases {
        let (mut body, next) = new_epoch(&app, &phone, &owner).await;
        tamper(&mut body, &next);
        let (got, answer) = json_of(post(&app, &phone, "/api/coffre/epoch", &body).await).await;
        assert_eq!(got, status, "{what}: {answer}");
        assert_eq!(answer["code"], code, "{what}: {answer}");
    }
    // Nothing changed: the old carte still opens the coffre at epoch 0.
    let (status, signed_in) = json_of(sign_in_carte(&app, &owner, PIN).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(signed_in["session"]["epoch"], 0);
    app.stop().await;
}

/// The rows name an IP or an auth key: a day after their window the retention job deletes them.
async fn rate_limit_rows_are_forgotten_a_day_later(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let stranger = Owner::new(&instance(&app));
    assert_eq!(
        sign_in_carte(&app, &stranger, PIN).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let key = coffre_crypto::keys::public_key(&stranger.carte_auth()).to_b64();
    let bucket = format!("signin-key:{key}");
    let holds = |dump: &[u8]| dump.windows(bucket.len()).any(|w| w == bucket.as_bytes());
    assert!(
        holds(&coffre_tests::secrets::database_dump(&env).await),
        "the row exists"
    );
    // The retention job's pass (`[retention] ip_hours = 24` by default).
    clock.advance(Duration::hours(23));
    nonce(&app).await;
    app.state.retention().run_once().await.unwrap();
    assert!(
        holds(&coffre_tests::secrets::database_dump(&env).await),
        "kept within the day"
    );
    clock.advance(Duration::hours(2));
    nonce(&app).await;
    let purged = app.state.retention().run_once().await.unwrap();
    assert!(
        purged.of(coffre_server::db::Expired::RateLimits) >= 1,
        "{purged:?}"
    );
    app.stop().await;
    // SQLite: the page that held the row may linger in the file until reused; read rows.
    let rows: Vec<(String,)> = match &env.db.url {
        None => {
            let url = format!("sqlite://{}", env.data_dir().join("coffre.db").display());
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
                .await
                .unwrap();
            sqlx::query_as("SELECT bucket FROM rate_limits")
                .fetch_all(&mut conn)
                .await
                .unwrap()
        }
        Some(url) => {
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url)
                .await
                .unwrap();
            sqlx::query_as("SELECT bucket FROM rate_limits")
                .fetch_all(&mut conn)
                .await
                .unwrap()
        }
    };
    assert!(
        !rows.iter().any(|(b,)| *b == bucket),
        "forgotten after a day: {rows:?}"
    );
    assert!(
        rows.iter().any(|(b,)| b.starts_with("nonce-ip:")),
        "the fresh rows stay: {rows:?}"
    );
}

async fn new_coffres_per_address_follow_the_configured_limit(env: TestEnv) {
    let mut config = env.config();
    config.limits.new_coffres_per_ip_per_hour = 2;
    let clock = Arc::new(ManualClock::new(start_time()));
    let app = TestApp::builder(config).clock(clock.clone()).start().await;
    for _ in 0..2 {
        open_coffre(&app, &Owner::new(&instance(&app))).await;
    }
    let owner = Owner::new(&instance(&app));
    let (n, now) = nonce(&app).await;
    let (status, body) = json_of(
        app.client
            .post(app.at("/api/coffres"))
            .json(&owner.create_body(&n, now))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], "too_many_attempts");
    // An hour later the address may open coffres again.
    clock.advance(Duration::hours(1));
    open_coffre(&app, &owner).await;
    app.stop().await;
}
