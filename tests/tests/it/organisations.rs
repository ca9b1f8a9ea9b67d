//! Organisations over HTTP, on SQLite and PostgreSQL (protocol.md section 7,
//! `docs/design/mandates-server.md`): the admin makes one and its founding link works once;
//! the founding responsable posts the genesis from a professional account; responsables add
//! and remove members (two signatures once there are two of them); every chain statement is
//! verified before it is stored; a removed aidant loses access at once; organisation keys are
//! root-certified, wrapped to each current member and served only to it; the admin sees
//! counts; an admin or an aidant who signs a chain statement is refused; a responsable (and
//! nobody else) sees which current members hold which generations.

use coffre_crypto::encoding::{Hash32, Id, PublicKey, b64, unb64};
use coffre_crypto::kinds::{Member, OrgAction, OrgChain, OrgKey, Role};
use coffre_crypto::organisation::wrap_org_key;
use coffre_crypto::statement::{Envelope, sign};
use coffre_server::domain::AccountRole;
use coffre_server::http::invitations::invite;
use coffre_tests::owner::{Browser, Owner, json_of, nonce, post, start};
use coffre_tests::process::run_coffre;
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use ed25519_dalek::SigningKey;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

on_both_backends!(
    the_admin_makes_an_organisation_and_its_responsable_founds_it,
    responsables_change_the_members_and_a_removal_cuts_access_at_once,
    organisation_keys_go_to_current_members_only,
    a_new_member_gets_the_older_generations_from_a_responsable,
    a_responsable_sees_which_members_hold_which_generations,
    the_command_line_makes_an_organisation,
);

/// Seconds on the server's clock.
pub(crate) fn now(app: &TestApp) -> u64 {
    app.state.clock.now().as_micros().div_euclid(1_000_000) as u64
}

/// A fresh Ed25519 key (a root made on a responsable's device).
pub(crate) fn fresh_key() -> SigningKey {
    let mut seed = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
    coffre_crypto::keys::signing_key_from(&seed)
}

/// Opens an account (with an invitation for `role`, none for a person's coffre) and returns
/// its keys and signed-in browser.
pub(crate) async fn account(app: &TestApp, role: AccountRole) -> (Owner, Browser) {
    let owner = Owner::new(app.state.origin.as_str());
    let (nonce, now) = nonce(app).await;
    let mut body = owner.create_body(&nonce, now);
    if role != AccountRole::Person {
        let (link, _) = invite(
            &app.state.store,
            &app.state.clock,
            &app.state.origin,
            role,
            time::Duration::hours(1),
        )
        .await
        .unwrap();
        body["invitation"] = json!(link.split_once('#').unwrap().1);
    }
    let response = app
        .client
        .post(app.at("/api/coffres"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED, "open an account");
    let headers = response.headers().clone();
    let answer: Value = response.json().await.unwrap();
    let mut browser = Browser::default();
    browser.adopt(&headers, &answer);
    (owner, browser)
}

pub(crate) async fn get(app: &TestApp, browser: &Browser, path: &str) -> (StatusCode, Value) {
    json_of(
        browser
            .with(app.client.get(app.at(path)))
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The organisation member an account is.
pub(crate) fn member(who: &Owner, role: Role) -> Member {
    Member {
        key: who.keys.public(),
        recipient: who.keys.recipient.clone(),
        role,
    }
}

/// An organisation as its responsables' devices know it: the root and the chain so far.
pub(crate) struct Org {
    pub id: Uuid,
    pub instance: String,
    pub root: SigningKey,
    pub chain: Vec<Envelope>,
    pub keys: u64,
}

impl Org {
    /// The next chain statement, signed by `signers`.
    pub(crate) fn next(
        &self,
        action: OrgAction,
        member: Member,
        signers: &[&SigningKey],
        now: u64,
    ) -> Envelope {
        let (seq, prev) = match self.chain.last() {
            Some(last) => (self.chain.len() as u64, last.hash().unwrap()),
            None => (0, Hash32::ZERO),
        };
        let body = OrgChain {
            action,
            created: now,
            instance: self.instance.clone(),
            kind: Default::default(),
            member,
            organisation: Id(self.id),
            prev,
            seq,
            v: Default::default(),
        };
        sign(&body, signers).unwrap()
    }

    /// The chain an organisation view serves, verified against the root a client pinned.
    pub(crate) fn verify_served(&self, view: &Value) -> coffre_crypto::organisation::OrgState {
        let chain: Vec<Envelope> = view["chain"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| Envelope::parse(&unb64(c.as_str().unwrap()).unwrap()).unwrap())
            .collect();
        coffre_crypto::organisation::verify_org_chain(
            &chain,
            &coffre_crypto::keys::public_key(&self.root),
            None,
        )
        .unwrap()
    }

    /// A root-signed key certificate for `generation` made at chain seq `chain_seq`, and
    /// the key.
    pub(crate) fn key_cert(
        &self,
        generation: u64,
        chain_seq: u64,
        now: u64,
    ) -> (Envelope, age::x25519::Identity) {
        let key = age::x25519::Identity::generate();
        let body = OrgKey {
            chain_seq,
            created: now,
            generation,
            instance: self.instance.clone(),
            kind: Default::default(),
            organisation: Id(self.id),
            recipient: coffre_crypto::age_io::recipient_of(&key),
            v: Default::default(),
        };
        (sign(&body, &[&self.root]).unwrap(), key)
    }
}

/// Adds each of `who` as an aidant, one `add_member` each signed by `by` alone, as `browser`.
pub(crate) async fn add_aidants(
    app: &TestApp,
    browser: &Browser,
    org: &mut Org,
    who: &[&Owner],
    by: &Owner,
    t: u64,
) {
    for who in who {
        let add = org.next(
            OrgAction::AddMember,
            member(who, Role::Aidant),
            &[&by.keys.signing],
            t,
        );
        assert_eq!(append(app, browser, org, add).await.0, StatusCode::CREATED);
    }
}

/// Posts a chain statement as `browser`; on success the statement joins `org.chain`.
pub(crate) async fn append(
    app: &TestApp,
    browser: &Browser,
    org: &mut Org,
    statement: Envelope,
) -> (StatusCode, Value) {
    let answer = json_of(
        post(
            app,
            browser,
            &format!("/api/organisations/{}/chain", org.id),
            &json!({"statement": b64(&statement.to_bytes().unwrap())}),
        )
        .await,
    )
    .await;
    if answer.0 == StatusCode::CREATED {
        org.chain.push(statement);
    }
    answer
}

/// Posts a new organisation key wrapped to `members` (each a key and recipient).
pub(crate) async fn add_key(
    app: &TestApp,
    browser: &Browser,
    org: &mut Org,
    cert: &Envelope,
    key: &age::x25519::Identity,
    members: &[&Owner],
) -> (StatusCode, Value) {
    let generation = cert.peek::<OrgKey>().unwrap().generation;
    let wraps: Vec<Value> = members
        .iter()
        .map(|m| {
            let wrap = wrap_org_key(
                std::slice::from_ref(&m.keys.recipient),
                Id(org.id),
                generation,
                key,
            )
            .unwrap();
            json!({"member": m.keys.public().to_b64(), "wrap": b64(&wrap)})
        })
        .collect();
    let answer = json_of(
        post(
            app,
            browser,
            &format!("/api/organisations/{}/keys", org.id),
            &json!({"cert": b64(&cert.to_bytes().unwrap()), "wraps": wraps}),
        )
        .await,
    )
    .await;
    if answer.0 == StatusCode::CREATED {
        org.keys += 1;
    }
    answer
}

/// The admin makes an organisation; returns its id and founding token.
pub(crate) async fn make_org(app: &TestApp, admin: &Browser, name: &str) -> (Uuid, String) {
    let (status, made) = json_of(
        post(
            app,
            admin,
            "/api/admin/organisations",
            &json!({"name": name}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let link = made["link"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("{}/organisation/fonder#", app.state.origin)),
        "{link}"
    );
    (
        made["organisation"].as_str().unwrap().parse().unwrap(),
        link.split_once('#').unwrap().1.to_owned(),
    )
}

pub(crate) async fn post_genesis(
    app: &TestApp,
    founder: &Browser,
    token: &str,
    genesis: &Envelope,
) -> (StatusCode, Value) {
    json_of(
        post(
            app,
            founder,
            "/api/organisations/found",
            &json!({"token": token, "statement": b64(&genesis.to_bytes().unwrap())}),
        )
        .await,
    )
    .await
}

/// An organisation made by `admin` and founded by `founder` (a professional account).
pub(crate) async fn founded_org(
    app: &TestApp,
    admin: &Browser,
    founder: &Owner,
    founder_browser: &Browser,
    name: &str,
) -> Org {
    let (id, token) = make_org(app, admin, name).await;
    let mut org = Org {
        id,
        instance: app.state.origin.as_str().to_owned(),
        root: fresh_key(),
        chain: Vec::new(),
        keys: 0,
    };
    let genesis = org.next(
        OrgAction::Found,
        member(founder, Role::Responsable),
        &[&org.root],
        now(app),
    );
    let (status, answer) = post_genesis(app, founder_browser, &token, &genesis).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    org.chain.push(genesis);
    org
}

async fn the_admin_makes_an_organisation_and_its_responsable_founds_it(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (_, admin) = account(&app, AccountRole::Admin).await;
    let (founder, founder_browser) = account(&app, AccountRole::Professional).await;
    let (person, person_browser) = account(&app, AccountRole::Person).await;

    // Only the admin makes organisations, and a name must be one.
    for (browser, name, want) in [
        (&person_browser, "CHRS", StatusCode::FORBIDDEN),
        (&founder_browser, "CHRS", StatusCode::FORBIDDEN),
        (&admin, "  ", StatusCode::BAD_REQUEST),
        (&admin, "a\u{7}b", StatusCode::BAD_REQUEST),
    ] {
        let (status, body) = json_of(
            post(
                &app,
                browser,
                "/api/admin/organisations",
                &json!({"name": name}),
            )
            .await,
        )
        .await;
        assert_eq!(status, want, "{name:?}: {body}");
    }
    let (id, token) = make_org(&app, &admin, "CHRS Les Tilleuls").await;

    // The link says which organisation it founds (the genesis names it).
    let (status, info) = json_of(
        app.client
            .post(app.at("/api/organisations/founding/check"))
            .json(&json!({ "token": token }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert_eq!(info["organisation"], id.to_string());
    assert_eq!(info["name"], "CHRS Les Tilleuls");

    let mut org = Org {
        id,
        instance: app.state.origin.as_str().to_owned(),
        root: fresh_key(),
        chain: Vec::new(),
        keys: 0,
    };
    let t = now(&app);
    let genesis = org.next(
        OrgAction::Found,
        member(&founder, Role::Responsable),
        &[&org.root],
        t,
    );
    // A person's coffre does not found an organisation.
    let (status, _) = post_genesis(&app, &person_browser, &token, &genesis).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The genesis must name the account that posts it.
    let (other, other_browser) = account(&app, AccountRole::Professional).await;
    let (status, body) = post_genesis(&app, &other_browser, &token, &genesis).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // Forged geneses: signed by another key than the one it is checked with is impossible
    // (the root is its signer), but two signatures, another organisation, another
    // instance, an aidant as founder, a seq other than 0 are refused.
    let two = sign(
        &genesis.peek::<OrgChain>().unwrap(),
        &[&org.root, &fresh_key()],
    )
    .unwrap();
    let mut wrong_org = genesis.peek::<OrgChain>().unwrap();
    wrong_org.organisation = Id::random();
    let mut wrong_instance = genesis.peek::<OrgChain>().unwrap();
    wrong_instance.instance = "https://elsewhere.example".into();
    let mut aidant = genesis.peek::<OrgChain>().unwrap();
    aidant.member.role = Role::Aidant;
    let mut seq1 = genesis.peek::<OrgChain>().unwrap();
    seq1.seq = 1;
    for (forged, code) in [
        (two, "unauthorised_signer"),
        (sign(&wrong_org, &[&org.root]).unwrap(), "context_mismatch"),
        (
            sign(&wrong_instance, &[&org.root]).unwrap(),
            "context_mismatch",
        ),
        (sign(&aidant, &[&org.root]).unwrap(), "bad_chain"),
        (sign(&seq1, &[&org.root]).unwrap(), "seq_gap"),
    ] {
        let (status, body) = post_genesis(&app, &founder_browser, &token, &forged).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["code"], code, "{body}");
    }
    // Nothing of that founded it.
    let (status, _) = get(&app, &founder_browser, &format!("/api/organisations/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, placed) = post_genesis(&app, &founder_browser, &token, &genesis).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert_eq!(placed["seq"], 0);
    assert_eq!(placed["hash"], genesis.hash().unwrap().to_b64());
    org.chain.push(genesis.clone());

    // Used once.
    let (status, body) = post_genesis(&app, &other_browser, &token, &genesis).await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    let (status, _) = json_of(
        app.client
            .post(app.at("/api/organisations/founding/check"))
            .json(&json!({ "token": token }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::GONE);

    // Any signed-in account reads the chain (an owner verifies it before a mandate); a
    // member also learns its role.
    let (status, view) = get(&app, &person_browser, &format!("/api/organisations/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(
        view["root"],
        coffre_crypto::keys::public_key(&org.root).to_b64()
    );
    assert_eq!(view["chain"][0], b64(&genesis.to_bytes().unwrap()));
    assert_eq!(view["members"][0]["key"], founder.keys.public().to_b64());
    assert_eq!(view["role"], Value::Null);
    let (_, view) = get(&app, &founder_browser, &format!("/api/organisations/{id}")).await;
    assert_eq!(view["role"], "responsable");
    let anonymous = Browser::default();
    let (status, _) = get(&app, &anonymous, &format!("/api/organisations/{id}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The admin sees counts, not who is followed; nobody else sees the list.
    let (status, counts) = get(&app, &admin, "/api/admin/organisations").await;
    assert_eq!(status, StatusCode::OK, "{counts}");
    let row = &counts["organisations"][0];
    assert_eq!(row["organisation"], id.to_string());
    assert_eq!(row["founded"], true);
    assert_eq!(row["members"], 1);
    assert_eq!(row["mandates_in_force"], 0);
    assert!(!counts.to_string().contains(&founder.keys.public().to_b64()));
    let (status, _) = get(&app, &founder_browser, "/api/admin/organisations").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let _ = (person, other);
    app.stop().await;
}

async fn responsables_change_the_members_and_a_removal_cuts_access_at_once(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (admin_owner, admin) = account(&app, AccountRole::Admin).await;
    let (founder, founder_b) = account(&app, AccountRole::Professional).await;
    let (second, second_b) = account(&app, AccountRole::Professional).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let mut org = founded_org(&app, &admin, &founder, &founder_b, "CHRS Les Tilleuls").await;
    let t = now(&app);

    // A person's coffre is not a member.
    let not_pro = org.next(
        OrgAction::AddMember,
        member(&karim, Role::Aidant),
        &[&founder.keys.signing],
        t,
    );
    let (status, body) = append(&app, &founder_b, &mut org, not_pro).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // One responsable signs alone while there is one.
    let add_ines = org.next(
        OrgAction::AddMember,
        member(&ines, Role::Aidant),
        &[&founder.keys.signing],
        t,
    );
    let (status, body) = append(&app, &founder_b, &mut org, add_ines).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["seq"], 1);

    // An aidant may not post, nor sign, a chain statement; the admin neither (malicious
    // admin: a "responsable" he signs in himself is refused).
    let add_second = org.next(
        OrgAction::AddMember,
        member(&second, Role::Responsable),
        &[&ines.keys.signing],
        t,
    );
    let (status, body) = append(&app, &ines_b, &mut org, add_second.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = append(&app, &founder_b, &mut org, add_second).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "not_a_responsable");
    let by_admin = org.next(
        OrgAction::AddMember,
        member(&admin_owner, Role::Responsable),
        &[&admin_owner.keys.signing],
        t,
    );
    let (status, _) = append(&app, &admin, &mut org, by_admin.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the admin is no member");
    let (status, body) = append(&app, &founder_b, &mut org, by_admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "not_a_responsable");
    // The root alone is not a responsable once the chain is founded.
    let by_root = org.next(
        OrgAction::AddMember,
        member(&second, Role::Responsable),
        &[&org.root],
        t,
    );
    let (_, body) = append(&app, &founder_b, &mut org, by_root).await;
    assert_eq!(body["code"], "not_a_responsable");

    let add_second = org.next(
        OrgAction::AddMember,
        member(&second, Role::Responsable),
        &[&founder.keys.signing],
        t,
    );
    let (status, body) = append(&app, &founder_b, &mut org, add_second).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Two responsables now: one signature is too few.
    let (third, _) = account(&app, AccountRole::Professional).await;
    let alone = org.next(
        OrgAction::AddMember,
        member(&third, Role::Aidant),
        &[&founder.keys.signing],
        t,
    );
    let (status, body) = append(&app, &second_b, &mut org, alone).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "too_few_signatures");
    // A statement for a seq already taken (a race lost) is a conflict.
    let mut stale = org
        .next(
            OrgAction::AddMember,
            member(&third, Role::Aidant),
            &[&founder.keys.signing, &second.keys.signing],
            t,
        )
        .peek::<OrgChain>()
        .unwrap();
    stale.seq -= 1;
    let stale = sign(&stale, &[&founder.keys.signing, &second.keys.signing]).unwrap();
    let (status, _) = append(&app, &second_b, &mut org, stale).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Inès is an aidant: she sees her role.
    let (_, view) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["role"], "aidant");
    assert_eq!(view["members"].as_array().unwrap().len(), 3);
    // Her client finds her organisation (`GET /api/organisations`: the caller's own
    // memberships); a person's coffre belongs to none; anonymous is refused.
    let (status, mine) = get(&app, &ines_b, "/api/organisations").await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(
        mine,
        json!({"organisations": [{
            "organisation": org.id.to_string(),
            "name": "CHRS Les Tilleuls",
            "role": "aidant",
        }]})
    );
    let (_, mine) = get(&app, &founder_b, "/api/organisations").await;
    assert_eq!(mine["organisations"][0]["role"], "responsable");
    let (status, mine) = get(&app, &karim_b, "/api/organisations").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine, json!({"organisations": []}));
    let (status, _) = get(&app, &Browser::default(), "/api/organisations").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Removed with two signatures: at once she is no member.
    let remove = org.next(
        OrgAction::RemoveMember,
        member(&ines, Role::Aidant),
        &[&founder.keys.signing, &second.keys.signing],
        t,
    );
    let (status, body) = append(&app, &second_b, &mut org, remove).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, view) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["role"], Value::Null);
    assert_eq!(view["chain"].as_array().unwrap().len(), 4);
    let (_, mine) = get(&app, &ines_b, "/api/organisations").await;
    assert_eq!(
        mine,
        json!({"organisations": []}),
        "a removed member sees none"
    );
    // The chain the server serves verifies against the root a client pinned.
    let state = org.verify_served(&view);
    assert_eq!(state.last_removal, Some(3));
    assert!(!state.is_member(&ines.keys.public()));
    app.stop().await;
}

async fn organisation_keys_go_to_current_members_only(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (_, admin) = account(&app, AccountRole::Admin).await;
    let (founder, founder_b) = account(&app, AccountRole::Professional).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (paul, paul_b) = account(&app, AccountRole::Professional).await;
    let mut org = founded_org(&app, &admin, &founder, &founder_b, "Accueil de jour").await;
    let t = now(&app);
    add_aidants(&app, &founder_b, &mut org, &[&ines, &paul], &founder, t).await;
    let (cert0, key0) = org.key_cert(0, 2, t);
    // Not one wrap per member: refused, nothing stored.
    let (status, body) = add_key(
        &app,
        &founder_b,
        &mut org,
        &cert0,
        &key0,
        &[&founder, &ines],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (outsider, _) = account(&app, AccountRole::Professional).await;
    let (status, _) = add_key(
        &app,
        &founder_b,
        &mut org,
        &cert0,
        &key0,
        &[&founder, &ines, &paul, &outsider],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // An aidant does not store keys.
    let (status, _) = add_key(
        &app,
        &ines_b,
        &mut org,
        &cert0,
        &key0,
        &[&founder, &ines, &paul],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A certificate not signed by the root is refused.
    let mut forged = cert0.peek::<OrgKey>().unwrap();
    forged.generation = 0;
    let forged = sign(&forged, &[&founder.keys.signing]).unwrap();
    let (status, body) = add_key(
        &app,
        &founder_b,
        &mut org,
        &forged,
        &key0,
        &[&founder, &ines, &paul],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = add_key(
        &app,
        &founder_b,
        &mut org,
        &cert0,
        &key0,
        &[&founder, &ines, &paul],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Each member gets its own wrap, which opens to the certified key; nobody else gets it.
    for (who, browser) in [(&ines, &ines_b), (&paul, &paul_b)] {
        let (_, view) = get(&app, browser, &format!("/api/organisations/{}", org.id)).await;
        let wraps = view["wraps"].as_array().unwrap();
        assert_eq!(wraps.len(), 1, "{view}");
        let cert = cert0.peek::<OrgKey>().unwrap();
        let opened = coffre_crypto::organisation::unwrap_org_key(
            &who.keys.identity,
            &unb64(wraps[0]["wrap"].as_str().unwrap()).unwrap(),
            &cert,
        )
        .unwrap();
        assert_eq!(
            coffre_crypto::age_io::recipient_of(&opened),
            coffre_crypto::age_io::recipient_of(&key0)
        );
    }
    let (outsider, outsider_b) = (outsider, account(&app, AccountRole::Professional).await.1);
    let (_, view) = get(&app, &outsider_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["wraps"], json!([]));
    assert_eq!(view["keys"].as_array().unwrap().len(), 1);

    // Inès leaves: her wraps are no longer served, and the next key must be made after the
    // removal (a key made before it is a rollback: she still holds it).
    let remove = org.next(
        OrgAction::RemoveMember,
        member(&ines, Role::Aidant),
        &[&founder.keys.signing],
        t,
    );
    assert_eq!(
        append(&app, &founder_b, &mut org, remove).await.0,
        StatusCode::CREATED
    );
    let (_, view) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["wraps"], json!([]));
    let (early, early_key) = org.key_cert(1, 2, t);
    let (status, body) = add_key(
        &app,
        &founder_b,
        &mut org,
        &early,
        &early_key,
        &[&founder, &paul],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "rollback");
    // Nor is Inès given the new one.
    let (cert1, key1) = org.key_cert(1, 3, t);
    let (status, _) = add_key(
        &app,
        &founder_b,
        &mut org,
        &cert1,
        &key1,
        &[&founder, &paul, &ines],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = add_key(
        &app,
        &founder_b,
        &mut org,
        &cert1,
        &key1,
        &[&founder, &paul],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["generation"], 1);
    // The same generation again is a conflict.
    let (status, _) = add_key(
        &app,
        &founder_b,
        &mut org,
        &cert1,
        &key1,
        &[&founder, &paul],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, view) = get(&app, &paul_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["wraps"].as_array().unwrap().len(), 2);
    let _ = (outsider, PublicKey(founder.keys.public().0));
    app.stop().await;
}

/// `POST /api/organisations/{id}/wraps {wraps: [{generation, member, wrap}]}` as `browser`.
async fn post_wraps(
    app: &TestApp,
    browser: &Browser,
    org: &Org,
    wraps: &[(u64, &Owner, &age::x25519::Identity)],
) -> (StatusCode, Value) {
    let wraps: Vec<Value> = wraps
        .iter()
        .map(|(generation, who, key)| {
            let wrap = wrap_org_key(
                std::slice::from_ref(&who.keys.recipient),
                Id(org.id),
                *generation,
                key,
            )
            .unwrap();
            json!({"generation": generation, "member": who.keys.public().to_b64(), "wrap": b64(&wrap)})
        })
        .collect();
    json_of(
        post(
            app,
            browser,
            &format!("/api/organisations/{}/wraps", org.id),
            &json!({ "wraps": wraps }),
        )
        .await,
    )
    .await
}

async fn a_new_member_gets_the_older_generations_from_a_responsable(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (admin_owner, admin) = account(&app, AccountRole::Admin).await;
    let (founder, founder_b) = account(&app, AccountRole::Professional).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (outsider, outsider_b) = account(&app, AccountRole::Professional).await;
    let mut org = founded_org(&app, &admin, &founder, &founder_b, "CHRS Les Tilleuls").await;
    let t = now(&app);
    let (cert0, key0) = org.key_cert(0, 0, t);
    let (status, body) = add_key(&app, &founder_b, &mut org, &cert0, &key0, &[&founder]).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Generation 0 was made before Inès: not hers to have while she is no member.
    let (status, body) = post_wraps(&app, &founder_b, &org, &[(0, &ines, &key0)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let add = org.next(
        OrgAction::AddMember,
        member(&ines, Role::Aidant),
        &[&founder.keys.signing],
        t,
    );
    assert_eq!(
        append(&app, &founder_b, &mut org, add).await.0,
        StatusCode::CREATED
    );
    let (_, view) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["wraps"], json!([]), "a new member holds no older key");

    // Who may give it: a responsable only; the admin, an outsider and anonymous may not.
    let (status, _) = post_wraps(&app, &ines_b, &org, &[(0, &ines, &key0)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post_wraps(&app, &outsider_b, &org, &[(0, &ines, &key0)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_wraps(&app, &admin, &org, &[(0, &admin_owner, &key0)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_wraps(&app, &Browser::default(), &org, &[(0, &ines, &key0)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // To whom, and of what: a current member, an existing generation, once each.
    for (wraps, what) in [
        (vec![(0, &outsider, &key0)], "a non-member"),
        (vec![(0, &admin_owner, &key0)], "the admin"),
        (vec![(1, &ines, &key0)], "a generation that does not exist"),
        (
            vec![(0, &ines, &key0), (0, &ines, &key0)],
            "the same wrap twice",
        ),
        (vec![], "no wrap"),
    ] {
        let (status, body) = post_wraps(&app, &founder_b, &org, &wraps).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    }
    let (_, view) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["wraps"], json!([]), "nothing stored by a refusal");

    let (status, body) = post_wraps(&app, &founder_b, &org, &[(0, &ines, &key0)]).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["added"], 1);
    // She opens generation 0 with her own key, checked against its certificate.
    let (_, view) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    let wraps = view["wraps"].as_array().unwrap();
    assert_eq!(wraps.len(), 1, "{view}");
    assert_eq!(wraps[0]["generation"], 0);
    let opened = coffre_crypto::organisation::unwrap_org_key(
        &ines.keys.identity,
        &unb64(wraps[0]["wrap"].as_str().unwrap()).unwrap(),
        &cert0.peek::<OrgKey>().unwrap(),
    );
    assert!(opened.is_ok(), "her wrap opens to the certified key");
    // A second wrap of the same generation for her is a conflict; the first stays.
    let (status, _) = post_wraps(&app, &founder_b, &org, &[(0, &ines, &key0)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, again) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(again["wraps"], view["wraps"]);

    // Removed, she gets none any more (served or given).
    let remove = org.next(
        OrgAction::RemoveMember,
        member(&ines, Role::Aidant),
        &[&founder.keys.signing],
        t,
    );
    assert_eq!(
        append(&app, &founder_b, &mut org, remove).await.0,
        StatusCode::CREATED
    );
    let (_, view) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["wraps"], json!([]));
    let (status, _) = post_wraps(&app, &founder_b, &org, &[(0, &ines, &key0)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let _ = outsider;
    app.stop().await;
}

/// The `wrapped` pairs of `GET /api/organisations/{id}` as `browser` sees them, sorted.
async fn wrapped_pairs(app: &TestApp, browser: &Browser, org: &Org) -> Vec<(u64, String)> {
    let (status, view) = get(app, browser, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let mut pairs: Vec<(u64, String)> = view["wrapped"]
        .as_array()
        .unwrap_or_else(|| panic!("wrapped in {view}"))
        .iter()
        .map(|p| {
            (
                p["generation"].as_u64().unwrap(),
                p["member"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

/// The pairs `(generation, member key)` expected, sorted.
fn pairs_of(expected: &[(u64, &Owner)]) -> Vec<(u64, String)> {
    let mut pairs: Vec<(u64, String)> = expected
        .iter()
        .map(|(g, who)| (*g, who.keys.public().to_b64()))
        .collect();
    pairs.sort();
    pairs
}

async fn a_responsable_sees_which_members_hold_which_generations(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (_, admin) = account(&app, AccountRole::Admin).await;
    let (founder, founder_b) = account(&app, AccountRole::Professional).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (paul, paul_b) = account(&app, AccountRole::Professional).await;
    let (_, stranger_b) = account(&app, AccountRole::Professional).await;
    let (_, owner_b) = account(&app, AccountRole::Person).await;
    let mut org = founded_org(&app, &admin, &founder, &founder_b, "CHRS Les Tilleuls").await;
    let t = now(&app);
    let (cert0, key0) = org.key_cert(0, 0, t);
    let (status, body) = add_key(&app, &founder_b, &mut org, &cert0, &key0, &[&founder]).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        wrapped_pairs(&app, &founder_b, &org).await,
        pairs_of(&[(0, &founder)])
    );

    // Two arrivals hold nothing yet: the responsable sees it.
    add_aidants(&app, &founder_b, &mut org, &[&ines, &paul], &founder, t).await;
    assert_eq!(
        wrapped_pairs(&app, &founder_b, &org).await,
        pairs_of(&[(0, &founder)])
    );
    let (status, body) = post_wraps(
        &app,
        &founder_b,
        &org,
        &[(0, &ines, &key0), (0, &paul, &key0)],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        wrapped_pairs(&app, &founder_b, &org).await,
        pairs_of(&[(0, &founder), (0, &ines), (0, &paul)])
    );
    // Nobody else sees them: an aidant (who holds one), a stranger, an owner, the admin.
    for (browser, who) in [
        (&ines_b, "an aidant"),
        (&stranger_b, "a stranger"),
        (&owner_b, "an owner"),
        (&admin, "the admin"),
    ] {
        assert_eq!(wrapped_pairs(&app, browser, &org).await, vec![], "{who}");
    }
    let (_, view) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["wraps"].as_array().unwrap().len(), 1, "{view}");

    // Paul leaves: his pair is gone (his wrap stays stored, he is no member); the next key
    // is wrapped to those who stay.
    let remove = org.next(
        OrgAction::RemoveMember,
        member(&paul, Role::Aidant),
        &[&founder.keys.signing],
        t,
    );
    assert_eq!(
        append(&app, &founder_b, &mut org, remove).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        wrapped_pairs(&app, &founder_b, &org).await,
        pairs_of(&[(0, &founder), (0, &ines)])
    );
    assert_eq!(wrapped_pairs(&app, &paul_b, &org).await, vec![]);
    let (cert1, key1) = org.key_cert(1, 3, t);
    let (status, body) = add_key(
        &app,
        &founder_b,
        &mut org,
        &cert1,
        &key1,
        &[&founder, &ines],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let all = pairs_of(&[(0, &founder), (0, &ines), (1, &founder), (1, &ines)]);
    assert_eq!(wrapped_pairs(&app, &founder_b, &org).await, all);

    // Named responsable, Inès sees them too; as an aidant again she does not.
    let promote = org.next(
        OrgAction::SetRole,
        member(&ines, Role::Responsable),
        &[&founder.keys.signing],
        t,
    );
    assert_eq!(
        append(&app, &founder_b, &mut org, promote).await.0,
        StatusCode::CREATED
    );
    assert_eq!(wrapped_pairs(&app, &ines_b, &org).await, all);
    let demote = org.next(
        OrgAction::SetRole,
        member(&ines, Role::Aidant),
        &[&founder.keys.signing, &ines.keys.signing],
        t,
    );
    let (status, body) = append(&app, &founder_b, &mut org, demote).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(wrapped_pairs(&app, &ines_b, &org).await, vec![]);
    assert_eq!(wrapped_pairs(&app, &founder_b, &org).await, all);
    app.stop().await;
}

async fn the_command_line_makes_an_organisation(env: TestEnv) {
    let (ok, stdout, stderr) = run_coffre(
        &["admin", "org", "create", "CCAS de Lille", "--hours", "2"],
        &env.child_env(),
    )
    .await;
    assert!(ok, "{stderr}");
    assert!(stdout.contains("CCAS de Lille"), "{stdout}");
    let link = stdout
        .lines()
        .find(|l| l.contains("/organisation/fonder#"))
        .unwrap_or_else(|| panic!("a founding link in {stdout}"));
    let token = link.split_once('#').unwrap().1.trim();
    let (app, _) = start(&env).await;
    // The clock of the test server is older than the wall clock the command used: the link
    // works at the command's time plus less than two hours, so read it through the store.
    let digest: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(unb64(token).unwrap()).into();
    let org = app
        .state
        .store
        .organisation_by_founding(
            &digest,
            coffre_server::clock::Clock::now(&coffre_server::clock::SystemClock),
        )
        .await
        .unwrap()
        .expect("the link founds the organisation it printed");
    assert_eq!(org.name, "CCAS de Lille");
    // An empty name is refused, and says why.
    let (ok, _, stderr) = run_coffre(&["admin", "org", "create", " "], &env.child_env()).await;
    assert!(!ok);
    assert!(stderr.contains("name"), "{stderr}");
    app.stop().await;
}
