//! "Se souvenir de ce téléphone" over HTTP, on SQLite and PostgreSQL (protocol.md 4.5): the
//! server's half comes back only with the device's signed challenge and the carte's PIN (or
//! with a passkey sign-in); wrong PINs count toward the carte's lock; "mon téléphone a été
//! volé" deletes the half and ends the device's sessions; a remembered session is no
//! recovery factor.

use coffre_crypto::encoding::{b64, unb64};
use coffre_crypto::unlock::{remembered_identity, seed_payload, unwrap_seed, wrap_seed};
use coffre_tests::owner::{
    Browser, Owner, PIN, json_of, nonce, open_coffre, post, signed_sign_in, start,
};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use ed25519_dalek::SigningKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    a_remembered_phone_opens_with_the_pin_alone,
    wrong_pins_on_the_phone_count_toward_the_carte_lock,
    a_stolen_phone_is_forgotten_at_once,
    a_remembered_session_is_no_recovery_factor,
    a_shared_computer_is_never_remembered,
    a_new_epoch_forgets_every_phone,
    a_passkey_sign_in_gives_the_half_to_a_remembered_phone,
);

/// What a remembered phone keeps: its auth key, its half, its wrap (never sent), its id.
struct Phone {
    key: SigningKey,
    half: [u8; 32],
    wrap: Vec<u8>,
    id: String,
}

/// Remembers a new phone for the signed-in `browser`.
async fn remember(app: &TestApp, browser: &Browser, owner: &Owner) -> (StatusCode, Option<Phone>) {
    let key = SigningKey::from_bytes(&rand_bytes());
    let half = rand_bytes();
    let (n, _) = nonce(app).await;
    let mut body = signed_sign_in(&key, &owner.instance, &n, None);
    body.as_object_mut().unwrap().remove("device");
    body["label"] = json!("Téléphone de Karim");
    let (status, answer) = json_of(post(app, browser, "/api/remembered", &body).await).await;
    if status != StatusCode::CREATED {
        return (status, None);
    }
    let server_half: [u8; 32] = unb64(answer["server_half"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let identity = remembered_identity(&half, &server_half).unwrap();
    let recipient = coffre_crypto::encoding::AgeRecipient::parse(
        &age::x25519::Identity::to_public(&identity).to_string(),
    )
    .unwrap();
    let wrap = wrap_seed(&recipient, &seed_payload(owner.coffre, 0, &owner.seed.0)).unwrap();
    let id = answer["id"].as_str().unwrap().to_owned();
    (
        status,
        Some(Phone {
            key,
            half,
            wrap,
            id,
        }),
    )
}

fn rand_bytes() -> [u8; 32] {
    let mut b = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
    b
}

async fn phone_sign_in(
    app: &TestApp,
    owner: &Owner,
    phone: &Phone,
    pin: &str,
) -> (StatusCode, Value) {
    let (n, _) = nonce(app).await;
    let body = signed_sign_in(&phone.key, &owner.instance, &n, Some(pin));
    json_of(
        app.client
            .post(app.at("/api/sessions/remembered"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn browser_of(answer: &Value, cookie: Option<String>) -> Browser {
    Browser {
        cookie,
        csrf: answer["session"]["csrf"].as_str().map(str::to_owned),
    }
}

async fn phone_browser(app: &TestApp, owner: &Owner, phone: &Phone) -> Browser {
    let (n, _) = nonce(app).await;
    let body = signed_sign_in(&phone.key, &owner.instance, &n, Some(PIN));
    let response = app
        .client
        .post(app.at("/api/sessions/remembered"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = coffre_tests::owner::session_cookie(response.headers());
    let answer: Value = response.json().await.unwrap();
    browser_of(&answer, cookie)
}

async fn a_remembered_phone_opens_with_the_pin_alone(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (status, phone) = remember(&app, &browser, &owner).await;
    assert_eq!(status, StatusCode::CREATED);
    let phone = phone.unwrap();
    let (status, signed_in) = phone_sign_in(&app, &owner, &phone, PIN).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(signed_in["session"]["remembered"], true);
    // The two halves open the wrap the phone kept.
    let server_half: [u8; 32] = unb64(signed_in["server_half"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let identity = remembered_identity(&phone.half, &server_half).unwrap();
    assert_eq!(
        unwrap_seed(&identity, &phone.wrap).unwrap(),
        seed_payload(owner.coffre, 0, &owner.seed.0)
    );
    // Neither half alone does.
    let alone = remembered_identity(&[0u8; 32], &server_half).unwrap();
    assert!(unwrap_seed(&alone, &phone.wrap).is_err());
    // The coffre page lists it; the journal says "device".
    let (_, view) = json_of(
        browser
            .with(app.client.get(app.at("/api/coffre")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(view["remembered"][0]["label"], "Téléphone de Karim");
    let (_, page) = json_of(
        browser
            .with(app.client.get(app.at("/api/journal")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let lines = super::accounts::verify_page(&app, &owner, page["entries"].as_array().unwrap());
    assert_eq!(
        lines.last().unwrap(),
        &("sign_in".to_owned(), Some("device".to_owned()))
    );
    // A signature by another key, for this device's public key: refused like a wrong PIN.
    let (n, _) = nonce(&app).await;
    let mut forged = signed_sign_in(
        &SigningKey::from_bytes(&rand_bytes()),
        &owner.instance,
        &n,
        Some(PIN),
    );
    forged["auth_key"] = json!(coffre_crypto::keys::public_key(&phone.key).to_b64());
    let (status, body) = json_of(
        app.client
            .post(app.at("/api/sessions/remembered"))
            .json(&forged)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "sign_in_failed");
    app.stop().await;
}

async fn wrong_pins_on_the_phone_count_toward_the_carte_lock(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let phone = remember(&app, &browser, &owner).await.1.unwrap();
    for _ in 0..4 {
        let (status, body) = phone_sign_in(&app, &owner, &phone, "11111111").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["code"], "sign_in_failed");
    }
    let (status, body) = phone_sign_in(&app, &owner, &phone, "11111111").await;
    assert_eq!(status, StatusCode::LOCKED, "{body}");
    // The carte is locked too: it is the same PIN, the same count.
    let (n, _) = nonce(&app).await;
    let (status, _) = json_of(
        app.client
            .post(app.at("/api/sessions/carte"))
            .json(&owner.carte_sign_in(&n, PIN))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::LOCKED);
    let (status, _) = phone_sign_in(&app, &owner, &phone, PIN).await;
    assert_eq!(status, StatusCode::LOCKED, "even the right PIN");
    app.stop().await;
}

async fn a_stolen_phone_is_forgotten_at_once(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let phone = remember(&app, &browser, &owner).await.1.unwrap();
    let thief = phone_browser(&app, &owner, &phone).await;
    assert_eq!(
        thief
            .with(app.client.get(app.at("/api/session")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // Another coffre cannot forget it.
    let other = Owner::new(app.state.origin.as_str());
    let other_browser = open_coffre(&app, &other).await;
    let path = format!("/api/remembered/{}", phone.id);
    let status = other_browser
        .with(app.client.delete(app.at(&path)))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The owner, from another device: the half is gone, the phone's session ends.
    let status = browser
        .with(app.client.delete(app.at(&path)))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        thief
            .with(app.client.get(app.at("/api/session")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = phone_sign_in(&app, &owner, &phone, PIN).await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    assert_eq!(body["code"], "device_forgotten");
    app.stop().await;
}

async fn a_remembered_session_is_no_recovery_factor(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let phone = remember(&app, &browser, &owner).await.1.unwrap();
    let remembered = phone_browser(&app, &owner, &phone).await;
    let (body, _) = super::accounts::new_epoch(&app, &browser, &owner).await;
    for (path, body) in [
        ("/api/coffre/epoch", body),
        ("/api/passkeys/registration", json!({})),
        (
            "/api/coffre/passphrase",
            json!({"auth_key": b64(&[1u8; 32]), "wrap": "", "nonce": "", "signature": ""}),
        ),
        (
            "/api/remembered",
            json!({"auth_key": b64(&[1u8; 32]), "nonce": "", "signature": "", "label": "x"}),
        ),
    ] {
        let (status, answer) = json_of(post(&app, &remembered, path, &body).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {answer}");
        assert_eq!(answer["code"], "remembered_device", "{path}");
    }
    // Reading works: the coffre is open on the phone.
    let (status, _) = json_of(
        remembered
            .with(app.client.get(app.at("/api/coffre")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
}

async fn a_shared_computer_is_never_remembered(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    open_coffre(&app, &owner).await;
    let (n, _) = nonce(&app).await;
    let mut body = owner.carte_sign_in(&n, PIN);
    body["device"] = json!({"label": "Médiathèque", "shared": true});
    let response = app
        .client
        .post(app.at("/api/sessions/carte"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let cookie = coffre_tests::owner::session_cookie(response.headers());
    let answer: Value = response.json().await.unwrap();
    let shared = browser_of(&answer, cookie);
    let (status, _) = remember(&app, &shared, &owner).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}

async fn a_new_epoch_forgets_every_phone(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let phone = remember(&app, &browser, &owner).await.1.unwrap();
    let (body, _) = super::accounts::new_epoch(&app, &browser, &owner).await;
    let response = post(&app, &browser, "/api/coffre/epoch", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let (status, _) = phone_sign_in(&app, &owner, &phone, PIN).await;
    assert_eq!(status, StatusCode::GONE);
    app.stop().await;
}

async fn a_passkey_sign_in_gives_the_half_to_a_remembered_phone(env: TestEnv) {
    use super::passkeys::{SoftPhone, add_passkey, sign_in_challenge};
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let phone = remember(&app, &browser, &owner).await.1.unwrap();
    let mut passkey = SoftPhone::new(&app);
    add_passkey(&app, &browser, &owner, &mut passkey, false).await;
    for (key, expect_half) in [
        (phone.key.clone(), true),
        (SigningKey::from_bytes(&rand_bytes()), false),
    ] {
        let started = sign_in_challenge(&app).await;
        let credential = passkey.sign_in(&started["options"], owner.coffre);
        let (n, _) = nonce(&app).await;
        let mut proof = signed_sign_in(&key, &owner.instance, &n, None);
        proof.as_object_mut().unwrap().remove("device");
        let (status, signed_in) = json_of(
            app.client
                .post(app.at("/api/sessions/passkey"))
                .json(&json!({
                    "ceremony": started["ceremony"],
                    "credential": credential,
                    "device": {"label": "Téléphone", "shared": false},
                    "remembered": proof,
                }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{signed_in}");
        assert!(signed_in["wrap"].is_null(), "a passkey without PRF");
        assert_eq!(
            signed_in["server_half"].is_string(),
            expect_half,
            "{signed_in}"
        );
        if expect_half {
            let half: [u8; 32] = unb64(signed_in["server_half"].as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap();
            let identity = remembered_identity(&phone.half, &half).unwrap();
            assert!(unwrap_seed(&identity, &phone.wrap).is_ok());
        }
    }
    app.stop().await;
}
