//! A coffre owner's client, in Rust, for the API tests: it makes the keys, the ten
//! categories and the carte exactly as the browser does (with `coffre-crypto`), and talks
//! to the server with explicit cookies.

use coffre_crypto::category::{category_key_payload, seal_label, wrap_category_key};
use coffre_crypto::encoding::{Id, b64, unb64};
use coffre_crypto::keys::{OwnerKeys, OwnerSeed};
use coffre_crypto::kinds::{CategoryCert, CategoryLabel};
use coffre_crypto::statement::sign;
use coffre_crypto::unlock::{Carte, seed_payload, sign_auth_challenge, wrap_seed};
use ed25519_dalek::SigningKey;
use reqwest::header::{COOKIE, HeaderMap, SET_COOKIE};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

use crate::TestApp;

/// The PIN the tests choose (8 digits: unlikely to occur by chance in a database file).
pub const PIN: &str = "73915604";

/// Everything an owner's device holds after opening a coffre.
#[derive(Debug)]
pub struct Owner {
    pub instance: String,
    pub coffre: Id,
    pub seed: OwnerSeed,
    pub keys: OwnerKeys,
    pub carte: Carte,
    pub categories: Vec<Id>,
}

impl Owner {
    /// Fresh keys for a coffre on the instance `instance` (`http://localhost:PORT`).
    pub fn new(instance: &str) -> Self {
        let seed = OwnerSeed::generate();
        let keys = seed.keys().unwrap();
        Self {
            instance: instance.to_owned(),
            coffre: Id::random(),
            seed,
            keys,
            carte: Carte::generate(),
            categories: (0..10).map(|_| Id::random()).collect(),
        }
    }

    pub fn carte_auth(&self) -> SigningKey {
        self.carte.auth_key().unwrap()
    }

    /// A `category_cert` signed by `signer` for `coffre` on `instance` (tests vary them).
    pub fn cert_with(
        &self,
        category: Id,
        signer: &SigningKey,
        instance: &str,
        coffre: Id,
        now: u64,
    ) -> (Vec<u8>, age::x25519::Identity) {
        let ck = age::x25519::Identity::generate();
        let cert = CategoryCert {
            category,
            coffre,
            created: now,
            epoch: 0,
            generation: 0,
            instance: instance.to_owned(),
            kind: Default::default(),
            not_after: now + 10 * 365 * 86_400,
            not_before: now,
            recipient: coffre_crypto::age_io::recipient_of(&ck),
            v: Default::default(),
        };
        let env = sign(&cert, &[signer]).unwrap();
        (env.to_bytes().unwrap(), ck)
    }

    /// One category as `POST /api/coffres` takes it.
    pub fn category(&self, category: Id, now: u64) -> Value {
        let (cert, ck) = self.cert_with(
            category,
            &self.keys.signing,
            &self.instance,
            self.coffre,
            now,
        );
        let label = CategoryLabel {
            category,
            coffre: self.coffre,
            created: now,
            epoch: 0,
            icon: "folder".into(),
            instance: self.instance.clone(),
            kind: Default::default(),
            name: "Santé".into(),
            v: Default::default(),
        };
        let label = sign(&label, &[&self.keys.signing]).unwrap();
        let label = seal_label(std::slice::from_ref(&self.keys.recipient), &label).unwrap();
        let payload = category_key_payload(self.coffre, category, 0, &ck).unwrap();
        let wrap = wrap_category_key(std::slice::from_ref(&self.keys.recipient), &payload).unwrap();
        json!({"cert": b64(&cert), "label": b64(&label), "wrap": b64(&wrap)})
    }

    /// The whole `POST /api/coffres` body, with a signed `nonce`.
    pub fn create_body(&self, nonce: &str, now: u64) -> Value {
        let nonce_bytes = unb64(nonce).unwrap();
        let signature =
            sign_auth_challenge(&self.carte_auth(), &self.instance, &nonce_bytes).unwrap();
        let wrap = wrap_seed(
            &self.carte.recipient(),
            &seed_payload(self.coffre, 0, &self.seed.0),
        )
        .unwrap();
        json!({
            "coffre": self.coffre.to_string(),
            "owner_key": self.keys.public().to_b64(),
            "owner_recipient": self.keys.recipient.as_str(),
            "categories": self.categories.iter().map(|c| self.category(*c, now)).collect::<Vec<_>>(),
            "carte": {
                "auth_key": coffre_crypto::keys::public_key(&self.carte_auth()).to_b64(),
                "wrap": b64(&wrap),
                "pin": PIN,
                "nonce": nonce,
                "signature": b64(&signature),
            },
            "device": {"label": "Test, Rust", "shared": false},
        })
    }

    /// A `POST /api/journal` body: an owner-signed `action` entry (e.g. `key_added`) at the
    /// place `head` (the answer of `GET /api/journal/head`) says, its body an age file to the
    /// owner.
    pub fn journal_entry(&self, head: &Value, action: &str) -> Value {
        self.journal_entry_about(head, action, None, Some("passphrase"))
    }

    /// [`Self::journal_entry`] about `object` (e.g. `paper_added` and the paper's id), its
    /// body naming `factor`.
    pub fn journal_entry_about(
        &self,
        head: &Value,
        action: &str,
        object: Option<Id>,
        factor: Option<&str>,
    ) -> Value {
        use coffre_crypto::encoding::{Hash32, sha256};
        use coffre_crypto::kinds::{JournalBodyPayload, JournalEntry};
        let body = coffre_crypto::age_io::encrypt_payload(
            std::slice::from_ref(&self.keys.recipient),
            &JournalBodyPayload {
                backup_time: None,
                device: None,
                factor: factor.map(str::to_owned),
                kind: Default::default(),
                v: Default::default(),
            },
        )
        .unwrap();
        let entry = JournalEntry {
            action: action.into(),
            actor: self.keys.public(),
            body_sha256: Hash32(sha256(&body)),
            coffre: self.coffre,
            epoch: 0,
            instance: self.instance.clone(),
            kind: Default::default(),
            mandate: None,
            object,
            prev: Hash32::from_b64(head["prev"].as_str().unwrap()).unwrap(),
            proof: None,
            seq: head["next_seq"].as_u64().unwrap(),
            time: head["time"].as_u64().unwrap(),
            v: Default::default(),
        };
        let envelope = sign(&entry, &[&self.keys.signing]).unwrap();
        json!({"entry": b64(&envelope.to_bytes().unwrap()), "body": b64(&body)})
    }

    /// The coffre's first category as the owner's device unwraps it, from the answer of
    /// `GET /api/coffre`: its certificate and its key.
    pub fn first_category(
        &self,
        coffre: &Value,
    ) -> (coffre_crypto::statement::Envelope, age::x25519::Identity) {
        use coffre_crypto::statement::Envelope;
        let c = &coffre["categories"][0];
        let env = Envelope::parse(&unb64(c["cert"].as_str().unwrap()).unwrap()).unwrap();
        let cert = env.peek::<CategoryCert>().unwrap();
        let ck = coffre_crypto::category::unwrap_category_key(
            &self.keys.identity,
            &unb64(c["wrap"].as_str().unwrap()).unwrap(),
            &cert,
        )
        .unwrap();
        (env, ck)
    }

    /// A paper of `size` bytes (a pattern) sealed by the owner's code in the category of
    /// `cert`, as the browser seals a photographed récépissé.
    pub fn seal_paper(
        &self,
        cert: &coffre_crypto::statement::Envelope,
        size: usize,
        now: u64,
    ) -> coffre_crypto::paper::SealedPaper {
        let verified = cert.verify_by::<CategoryCert>(&self.keys.public()).unwrap();
        let content: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        let meta = coffre_crypto::paper::MetaFields {
            doc_type: "recepisse".into(),
            expires: Some("2027-06-30".into()),
            filename: "recepisse.jpg".into(),
            issued: None,
            mime: "image/jpeg".into(),
            pages: 1,
            title: "Récépissé".into(),
            replaces: None,
        };
        let ctx = coffre_crypto::Context {
            instance: self.instance.clone(),
            coffre: self.coffre,
            epoch: 0,
        };
        coffre_crypto::paper::seal_paper(
            &ctx,
            &self.keys.signing,
            None,
            &verified,
            Id::random(),
            &content,
            &meta,
            now,
        )
        .unwrap()
    }

    /// A carte sign-in body for `nonce` (with `pin`).
    pub fn carte_sign_in(&self, nonce: &str, pin: &str) -> Value {
        signed_sign_in(&self.carte_auth(), &self.instance, nonce, Some(pin))
    }
}

/// A sign-in body signed by `key` for `instance`.
pub fn signed_sign_in(key: &SigningKey, instance: &str, nonce: &str, pin: Option<&str>) -> Value {
    let signature = sign_auth_challenge(key, instance, &unb64(nonce).unwrap()).unwrap();
    let mut body = json!({
        "auth_key": coffre_crypto::keys::public_key(key).to_b64(),
        "nonce": nonce,
        "signature": b64(&signature),
        "device": {"label": "Test, Rust", "shared": false},
    });
    if let Some(pin) = pin {
        body["pin"] = json!(pin);
    }
    body
}

/// A browser as the server sees it: a cookie and a CSRF token, sent explicitly.
#[derive(Debug, Default, Clone)]
pub struct Browser {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
}

impl Browser {
    /// Adds this browser's cookie and CSRF header to a request.
    pub fn with(&self, request: RequestBuilder) -> RequestBuilder {
        let mut request = request;
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        if let Some(csrf) = &self.csrf {
            request = request.header("x-coffre-csrf", csrf);
        }
        request
    }

    /// Takes the session cookie and CSRF token from a sign-in answer.
    pub fn adopt(&mut self, headers: &HeaderMap, body: &Value) {
        self.cookie = Some(session_cookie(headers).expect("a session cookie"));
        self.csrf = body["session"]["csrf"].as_str().map(str::to_owned);
    }
}

/// `name=value` of the `Set-Cookie` in `headers`.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(SET_COOKIE)?.to_str().ok()?;
    raw.split(';').next().map(str::to_owned)
}

/// `POST /api/auth/nonce` → (nonce, server time).
pub async fn nonce(app: &TestApp) -> (String, u64) {
    let answer: Value = app
        .client
        .post(app.at("/api/auth/nonce"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        answer["nonce"].as_str().unwrap().to_owned(),
        answer["now"].as_u64().unwrap(),
    )
}

/// Opens `owner`'s coffre; returns the signed-in browser.
pub async fn open_coffre(app: &TestApp, owner: &Owner) -> Browser {
    let (nonce, now) = nonce(app).await;
    let response = app
        .client
        .post(app.at("/api/coffres"))
        .json(&owner.create_body(&nonce, now))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED, "open the coffre");
    let headers = response.headers().clone();
    let body: Value = response.json().await.unwrap();
    let mut browser = Browser::default();
    browser.adopt(&headers, &body);
    browser
}

/// Posts a JSON body to `path` as `browser`.
pub async fn post(app: &TestApp, browser: &Browser, path: &str, body: &Value) -> Response {
    browser
        .with(app.client.post(app.at(path)).json(body))
        .send()
        .await
        .unwrap()
}

/// The time every accounts test starts at (the injected clock).
pub fn start_time() -> time::OffsetDateTime {
    time::macros::datetime!(2026-12-01 10:00 UTC)
}

/// Starts the server of `env` on a manual clock set at [`start_time`].
pub async fn start(
    env: &crate::TestEnv,
) -> (TestApp, std::sync::Arc<coffre_server::clock::ManualClock>) {
    start_with(env.config()).await
}

/// [`start`] with a configuration of the test's own (`env.config()`, changed).
pub async fn start_with(
    config: coffre_server::config::Config,
) -> (TestApp, std::sync::Arc<coffre_server::clock::ManualClock>) {
    let clock = std::sync::Arc::new(coffre_server::clock::ManualClock::new(start_time()));
    let app = TestApp::builder(config).clock(clock.clone()).start().await;
    (app, clock)
}

/// A response's status and JSON body (`null` when it has none).
pub async fn json_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}
