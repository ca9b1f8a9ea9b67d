//! Passkeys over HTTP, on SQLite and PostgreSQL, with webauthn-authenticator-rs's software
//! passkey: adding one, signing in and unlocking with it, and the attacks the server must
//! refuse (replayed and expired ceremonies, another origin or relying party, another
//! coffre's user handle, a PRF output posted, a shared computer adding a passkey).
//!
//! The software passkey keeps no resident credentials: it answers a `get()` only for the
//! credential ids it is given, and gives no user handle. A discoverable passkey (what a
//! phone holds, and what Chromium's virtual authenticator does in the browser suite)
//! chooses its credential itself and returns the user handle it was registered with, which
//! no signature covers. [`SoftPhone::sign_in`] does what that passkey does: it names its
//! own credential and returns the coffre id as the user handle.

use coffre_crypto::encoding::{Id, unb64};
use coffre_crypto::unlock::{passkey_identity, seed_payload, unwrap_seed, wrap_seed};
use coffre_tests::owner::{Browser, Owner, json_of, open_coffre, post, start};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;
use url::Url;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

on_both_backends!(
    a_passkey_is_added_then_signs_in_and_unlocks,
    a_passkey_without_prf_signs_in_and_gives_no_wrap,
    a_ceremony_is_single_use_short_lived_and_of_one_kind,
    another_origin_or_relying_party_is_refused,
    an_unknown_passkey_or_another_coffres_handle_is_refused,
    a_posted_prf_output_is_refused,
    a_shared_computer_never_adds_a_passkey,
    a_removed_passkey_no_longer_signs_in,
    a_new_epoch_removes_the_passkeys,
);

/// The PRF output the test "authenticator" gives (any 32 bytes: the server never sees it).
const PRF_OUTPUT: [u8; 32] = [7u8; 32];

/// A phone with a software passkey, and the credential it registered.
pub(crate) struct SoftPhone {
    authenticator: SoftPasskey,
    origin: Url,
    credential_id: Option<Vec<u8>>,
}

impl SoftPhone {
    pub(crate) fn new(app: &TestApp) -> Self {
        Self {
            // `true`: the software passkey claims user verification (a phone's screen lock).
            authenticator: SoftPasskey::new(true),
            origin: Url::parse(app.state.origin.as_str()).unwrap(),
            credential_id: None,
        }
    }

    /// `create()` for the server's options.
    fn register(&mut self, options: &Value) -> Value {
        let options: CreationChallengeResponse = serde_json::from_value(options.clone()).unwrap();
        let credential: RegisterPublicKeyCredential = self
            .authenticator
            .do_registration(self.origin.clone(), options)
            .unwrap();
        self.credential_id = Some(credential.raw_id.clone());
        serde_json::to_value(&credential).unwrap()
    }

    /// `get()` for the server's discoverable options, answered as a discoverable passkey
    /// does: this phone's own credential, and `user_handle` (the coffre id it registered).
    pub(crate) fn sign_in(&mut self, options: &Value, user_handle: Id) -> Value {
        let mut options = options.clone();
        let id = self.credential_id.clone().expect("a registered credential");
        options["publicKey"]["allowCredentials"] = json!([{
            "type": "public-key",
            "id": coffre_crypto::encoding::b64(&id),
        }]);
        let options: RequestChallengeResponse = serde_json::from_value(options).unwrap();
        let mut credential: PublicKeyCredential = self
            .authenticator
            .do_authentication(self.origin.clone(), options)
            .unwrap();
        credential.response.user_handle = Some(user_handle.0.as_bytes().to_vec());
        serde_json::to_value(&credential).unwrap()
    }
}

/// The seed wrapped to the recipient the PRF output gives for `credential_id`.
fn prf_wrap(owner: &Owner, credential_id: &[u8]) -> String {
    let identity = passkey_identity(&PRF_OUTPUT, credential_id).unwrap();
    let recipient = coffre_crypto::encoding::AgeRecipient::parse(
        &age::x25519::Identity::to_public(&identity).to_string(),
    )
    .unwrap();
    let wrap = wrap_seed(&recipient, &seed_payload(owner.coffre, 0, &owner.seed.0)).unwrap();
    coffre_crypto::encoding::b64(&wrap)
}

/// Adds a passkey to the signed-in coffre (`with_prf`: with its wrap).
pub(crate) async fn add_passkey(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    phone: &mut SoftPhone,
    with_prf: bool,
) -> Value {
    let (status, started) =
        json_of(post(app, browser, "/api/passkeys/registration", &json!({})).await).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    assert_eq!(
        started["options"]["publicKey"]["authenticatorSelection"]["userVerification"],
        "required"
    );
    let credential = phone.register(&started["options"]);
    let mut body = json!({
        "ceremony": started["ceremony"],
        "credential": credential,
        "label": "Téléphone de test",
    });
    if with_prf {
        body["wrap"] = json!(prf_wrap(owner, phone.credential_id.as_ref().unwrap()));
    }
    let (status, added) = json_of(post(app, browser, "/api/passkeys", &body).await).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    added
}

/// `POST /api/sessions/passkey/challenge` from a fresh browser.
pub(crate) async fn sign_in_challenge(app: &TestApp) -> Value {
    let (status, started) = json_of(
        app.client
            .post(app.at("/api/sessions/passkey/challenge"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{started}");
    started
}

async fn passkey_sign_in(
    app: &TestApp,
    ceremony: &Value,
    credential: Value,
) -> (StatusCode, Value) {
    json_of(
        app.client
            .post(app.at("/api/sessions/passkey"))
            .json(&json!({
                "ceremony": ceremony,
                "credential": credential,
                "device": {"label": "Chromium, Android", "shared": false},
            }))
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn coffre_view(app: &TestApp, browser: &Browser) -> Value {
    let (status, view) = json_of(
        browser
            .with(app.client.get(app.at("/api/coffre")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    view
}

async fn a_passkey_is_added_then_signs_in_and_unlocks(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let mut phone = SoftPhone::new(&app);
    let added = add_passkey(&app, &browser, &owner, &mut phone, true).await;
    assert_eq!(added["unlocks"], true);
    let view = coffre_view(&app, &browser).await;
    assert_eq!(view["passkeys"].as_array().unwrap().len(), 1);
    assert_eq!(view["passkeys"][0]["label"], "Téléphone de test");

    // A fresh browser: one get(), and the wrap the PRF output opens.
    let started = sign_in_challenge(&app).await;
    assert!(
        started["options"]["publicKey"]
            .get("allowCredentials")
            .is_none_or(|a| a.as_array().is_some_and(Vec::is_empty)),
        "a discoverable sign-in names no credential: {started}"
    );
    assert!(
        started["options"]
            .get("mediation")
            .is_none_or(Value::is_null)
    );
    let credential = phone.sign_in(&started["options"], owner.coffre);
    let (status, signed_in) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(signed_in["session"]["factor"], "passkey");
    assert_eq!(signed_in["session"]["coffre"], owner.coffre.to_string());
    let wrap = unb64(signed_in["wrap"].as_str().unwrap()).unwrap();
    let identity = passkey_identity(&PRF_OUTPUT, phone.credential_id.as_ref().unwrap()).unwrap();
    let payload = unwrap_seed(&identity, &wrap).unwrap();
    assert_eq!(payload, seed_payload(owner.coffre, 0, &owner.seed.0));

    // The passkey's use is recorded, and the journal (verified) says "passkey".
    let view = coffre_view(&app, &browser).await;
    assert!(view["passkeys"][0]["last_used"].is_i64(), "{view}");
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
        &("sign_in".to_owned(), Some("passkey".to_owned())),
        "the journal says how: {lines:?}"
    );
    app.stop().await;
}

async fn a_passkey_without_prf_signs_in_and_gives_no_wrap(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let mut phone = SoftPhone::new(&app);
    let added = add_passkey(&app, &browser, &owner, &mut phone, false).await;
    assert_eq!(added["unlocks"], false);
    let started = sign_in_challenge(&app).await;
    let credential = phone.sign_in(&started["options"], owner.coffre);
    let (status, signed_in) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert!(signed_in["wrap"].is_null(), "{signed_in}");
    app.stop().await;
}

async fn a_ceremony_is_single_use_short_lived_and_of_one_kind(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let mut phone = SoftPhone::new(&app);
    add_passkey(&app, &browser, &owner, &mut phone, true).await;

    // Used once: the same answer again is refused.
    let started = sign_in_challenge(&app).await;
    let credential = phone.sign_in(&started["options"], owner.coffre);
    let (status, _) = passkey_sign_in(&app, &started["ceremony"], credential.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = passkey_sign_in(&app, &started["ceremony"], credential.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "challenge_expired");
    // An answer to an older challenge, posted with a fresh ceremony: its challenge differs.
    let fresh = sign_in_challenge(&app).await;
    let (status, body) = passkey_sign_in(&app, &fresh["ceremony"], credential).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "sign_in_failed");

    // Expired after five minutes (the injected clock).
    let started = sign_in_challenge(&app).await;
    let credential = phone.sign_in(&started["options"], owner.coffre);
    clock.advance(Duration::minutes(5) + Duration::seconds(1));
    let (status, body) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "challenge_expired");

    // A registration ceremony does not finish a sign-in, and an unknown id is refused.
    let (_, registration) =
        json_of(post(&app, &browser, "/api/passkeys/registration", &json!({})).await).await;
    let started = sign_in_challenge(&app).await;
    let credential = phone.sign_in(&started["options"], owner.coffre);
    let (status, body) = passkey_sign_in(&app, &registration["ceremony"], credential.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "challenge_expired");
    let (status, body) =
        passkey_sign_in(&app, &json!(uuid::Uuid::new_v4().to_string()), credential).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "challenge_expired");

    // Another coffre's registration ceremony does not add a passkey to this one.
    let other = Owner::new(app.state.origin.as_str());
    let other_browser = open_coffre(&app, &other).await;
    let (_, theirs) = json_of(
        post(
            &app,
            &other_browser,
            "/api/passkeys/registration",
            &json!({}),
        )
        .await,
    )
    .await;
    let mut thief = SoftPhone::new(&app);
    let credential = thief.register(&theirs["options"]);
    let (status, body) = json_of(
        post(
            &app,
            &browser,
            "/api/passkeys",
            &json!({"ceremony": theirs["ceremony"], "credential": credential, "label": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "challenge_expired");
    app.stop().await;
}

async fn another_origin_or_relying_party_is_refused(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;

    // Registration made on a look-alike origin: refused.
    let (_, started) =
        json_of(post(&app, &browser, "/api/passkeys/registration", &json!({})).await).await;
    let mut phishing = SoftPhone::new(&app);
    phishing.origin = Url::parse("http://localhost:1").unwrap();
    let credential = phishing.register(&started["options"]);
    let (status, body) = json_of(
        post(
            &app,
            &browser,
            "/api/passkeys",
            &json!({"ceremony": started["ceremony"], "credential": credential, "label": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "passkey_refused");

    // Registration for another relying party id: refused.
    let (_, started) =
        json_of(post(&app, &browser, "/api/passkeys/registration", &json!({})).await).await;
    let mut options = started["options"].clone();
    options["publicKey"]["rp"]["id"] = json!("evil.example");
    let mut phone = SoftPhone::new(&app);
    phone.origin = Url::parse("https://evil.example").unwrap();
    let credential = phone.register(&options);
    let (status, body) = json_of(
        post(
            &app,
            &browser,
            "/api/passkeys",
            &json!({"ceremony": started["ceremony"], "credential": credential, "label": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // A real passkey, then a sign-in answered on another origin: refused.
    let mut phone = SoftPhone::new(&app);
    add_passkey(&app, &browser, &owner, &mut phone, true).await;
    let started = sign_in_challenge(&app).await;
    phone.origin = Url::parse("http://localhost:1").unwrap();
    let credential = phone.sign_in(&started["options"], owner.coffre);
    let (status, body) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "sign_in_failed");
    app.stop().await;
}

async fn an_unknown_passkey_or_another_coffres_handle_is_refused(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let mut phone = SoftPhone::new(&app);
    add_passkey(&app, &browser, &owner, &mut phone, true).await;
    let other = Owner::new(app.state.origin.as_str());
    open_coffre(&app, &other).await;

    // This phone's credential with another coffre's id as user handle.
    let started = sign_in_challenge(&app).await;
    let credential = phone.sign_in(&started["options"], other.coffre);
    let (status, body) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "sign_in_failed");

    // A passkey no coffre registered (made for a ceremony never finished).
    let (_, unfinished) =
        json_of(post(&app, &browser, "/api/passkeys/registration", &json!({})).await).await;
    let mut stranger = SoftPhone::new(&app);
    stranger.register(&unfinished["options"]);
    let started = sign_in_challenge(&app).await;
    let credential = stranger.sign_in(&started["options"], owner.coffre);
    let (status, body) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "sign_in_failed");

    // A tampered signature.
    let started = sign_in_challenge(&app).await;
    let mut credential = phone.sign_in(&started["options"], owner.coffre);
    let signature = credential["response"]["signature"].as_str().unwrap();
    let mut bytes = unb64(signature).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    credential["response"]["signature"] = json!(coffre_crypto::encoding::b64(&bytes));
    let (status, body) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "sign_in_failed");
    app.stop().await;
}

async fn a_posted_prf_output_is_refused(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let mut phone = SoftPhone::new(&app);
    add_passkey(&app, &browser, &owner, &mut phone, true).await;
    let started = sign_in_challenge(&app).await;
    let mut credential = phone.sign_in(&started["options"], owner.coffre);
    credential["clientExtensionResults"] =
        json!({"prf": {"results": {"first": coffre_crypto::encoding::b64(&PRF_OUTPUT)}}});
    let (status, body) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["message"].as_str().unwrap().contains("PRF"));
    app.stop().await;
}

async fn a_shared_computer_never_adds_a_passkey(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    open_coffre(&app, &owner).await;
    // Signed in with the carte on a computer the person said is shared.
    let (nonce, _) = coffre_tests::owner::nonce(&app).await;
    let mut body = owner.carte_sign_in(&nonce, coffre_tests::owner::PIN);
    body["device"] = json!({"label": "Ordinateur de l'accueil", "shared": true});
    let response = app
        .client
        .post(app.at("/api/sessions/carte"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    let signed_in: Value = response.json().await.unwrap();
    let mut shared = Browser::default();
    shared.adopt(&headers, &signed_in);
    let (status, body) =
        json_of(post(&app, &shared, "/api/passkeys/registration", &json!({})).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "shared_computer");
    app.stop().await;
}

async fn a_removed_passkey_no_longer_signs_in(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let mut phone = SoftPhone::new(&app);
    let added = add_passkey(&app, &browser, &owner, &mut phone, true).await;
    let id = added["id"].as_str().unwrap();
    // Another coffre cannot remove it.
    let other = Owner::new(app.state.origin.as_str());
    let other_browser = open_coffre(&app, &other).await;
    let status = other_browser
        .with(app.client.delete(app.at(&format!("/api/passkeys/{id}"))))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let status = browser
        .with(app.client.delete(app.at(&format!("/api/passkeys/{id}"))))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        coffre_view(&app, &browser).await["passkeys"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let started = sign_in_challenge(&app).await;
    let credential = phone.sign_in(&started["options"], owner.coffre);
    let (status, body) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "sign_in_failed");
    app.stop().await;
}

async fn a_new_epoch_removes_the_passkeys(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let mut phone = SoftPhone::new(&app);
    add_passkey(&app, &browser, &owner, &mut phone, true).await;
    let (body, _) = super::accounts::new_epoch(&app, &browser, &owner).await;
    let response = post(&app, &browser, "/api/coffre/epoch", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(
        coffre_view(&app, &browser).await["passkeys"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let started = sign_in_challenge(&app).await;
    let credential = phone.sign_in(&started["options"], owner.coffre);
    let (status, _) = passkey_sign_in(&app, &started["ceremony"], credential).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}
