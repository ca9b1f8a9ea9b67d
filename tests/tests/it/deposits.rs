//! Deposits under a mandate and the grantee's acts in the owner's journal, on SQLite and
//! PostgreSQL (protocol.md sections 6, 8, 9; `docs/design/mandates-server.md`): a deposit in
//! scope becomes the owner's paper with the server's `paper_deposited` entry, the deposit
//! receipt and the entry's inclusion receipt; one outside the mandate (category, rights,
//! window, end, uploader, mandate, coffre, size, hash) is refused with the protocol's code
//! and stores nothing. Consultations and renunciations write their server-signed entries,
//! and the owner's verifier matches each with its grantee-signed statement.

use coffre_crypto::category::{open_label, seal_label};
use coffre_crypto::deposit::{MandateGrant, UploaderPolicy, verify_deposit_receipt};
use coffre_crypto::encoding::{Id, b64, unb64};
use coffre_crypto::journal::{
    self, GranteeStatement, allowed_signer, check_grantee_proofs, live_papers, verify_journal,
};
use coffre_crypto::kinds::{CategoryCert, CategoryLabel, JournalEntry, Rights, Upload};
use coffre_crypto::mandate::{MandateEnds, verify_mandate};
use coffre_crypto::paper::{MetaFields, SealedPaper, seal_paper, verify_upload_statement};
use coffre_crypto::statement::{Envelope, sign};
use coffre_crypto::{Context, Error};
use coffre_server::domain::AccountRole;
use coffre_tests::owner::{Browser, Owner, json_of, post, start};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::mandates::{
    access, first_category_id, give, give_keys, mandate, person, receipt, renounce, revoke,
};
use crate::organisations::{account, get, now};

on_both_backends!(
    a_deposit_in_scope_becomes_the_owners_paper,
    deposits_outside_the_mandate_are_refused_and_store_nothing,
    a_deposit_is_refused_from_the_mandates_end,
    a_consult_grantee_reads_the_labels_sealed_to_it,
);

fn ctx_of(owner: &Owner) -> Context {
    Context {
        instance: owner.instance.clone(),
        coffre: owner.coffre,
        epoch: 0,
    }
}

fn env_of(v: &Value) -> Envelope {
    Envelope::parse(&unb64(v.as_str().unwrap()).unwrap()).unwrap()
}

/// The covered categories' certificates, as the depositor receives them.
async fn deposit_certs(app: &TestApp, b: &Browser, m: Id) -> (StatusCode, Value) {
    get(app, b, &format!("/api/mandates/{m}/categories")).await
}

/// `grantee` seals a small paper under mandate `m` to `cert`'s recipient.
fn seal_deposit(grantee: &Owner, owner: &Owner, m: Id, cert: &Envelope, at: u64) -> SealedPaper {
    let cert = cert
        .verify_by::<CategoryCert>(&owner.keys.public())
        .unwrap();
    let meta = MetaFields {
        doc_type: "attestation".into(),
        expires: None,
        filename: "attestation-chrs.pdf".into(),
        issued: None,
        mime: "application/pdf".into(),
        pages: 1,
        title: "Attestation d'hébergement".into(),
        replaces: None,
    };
    let content: Vec<u8> = (0..1500u32).map(|i| (i * 11 % 253) as u8).collect();
    seal_paper(
        &ctx_of(owner),
        &grantee.keys.signing,
        Some(m),
        &cert,
        Id::random(),
        &content,
        &meta,
        at,
    )
    .unwrap()
}

/// Opens a deposit upload, sends `content` as its one chunk, then posts `statement`.
async fn deposit(
    app: &TestApp,
    b: &Browser,
    m: Id,
    content: &[u8],
    statement: &Envelope,
    meta: &[u8],
) -> (StatusCode, Value) {
    let (status, started) = json_of(
        post(
            app,
            b,
            &format!("/api/mandates/{m}/deposits"),
            &json!({"content_size": content.len()}),
        )
        .await,
    )
    .await;
    if status != StatusCode::CREATED {
        return (status, started);
    }
    let upload = started["upload"].as_str().unwrap().to_owned();
    let status = b
        .with(
            app.client
                .put(app.at(&format!("/api/mandates/{m}/deposits/{upload}/chunks/0")))
                .header("content-type", "application/octet-stream")
                .body(content.to_vec()),
        )
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NO_CONTENT);
    json_of(
        post(
            app,
            b,
            &format!("/api/mandates/{m}/deposits/{upload}/paper"),
            &json!({
                "statement": b64(&statement.to_bytes().unwrap()),
                "meta": b64(meta),
            }),
        )
        .await,
    )
    .await
}

/// The owner's whole journal, verified (server key for server actions, owner key for the
/// others), with its entries.
async fn verified_journal(app: &TestApp, b: &Browser, owner: &Owner) -> Vec<JournalEntry> {
    let (_, page) = get(app, b, "/api/journal").await;
    let entries: Vec<Envelope> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| env_of(&e["entry"]))
        .collect();
    let server = app.state.server_key.public_key();
    let owner_key = owner.keys.public();
    verify_journal(&entries, None, &ctx_of(owner), &|k, e| {
        allowed_signer(k, e, &server, &|_| Some(owner_key))
    })
    .unwrap();
    entries.iter().map(|e| e.peek().unwrap()).collect()
}

/// The owner-signed label of `category` ("Logement"), sealed to `grantee`'s recipient.
pub(crate) fn sealed_label(owner: &Owner, grantee: &Owner, category: Id, at: u64) -> Vec<u8> {
    let label = sign(
        &CategoryLabel {
            category,
            coffre: owner.coffre,
            created: at,
            epoch: 0,
            icon: "maison".into(),
            instance: owner.instance.clone(),
            kind: Default::default(),
            name: "Logement".into(),
            v: Default::default(),
        },
        &[&owner.keys.signing],
    )
    .unwrap();
    seal_label(std::slice::from_ref(&grantee.keys.recipient), &label).unwrap()
}

/// `PUT /api/mandates/{m}/labels` as `b`, one label for `category`.
pub(crate) async fn put_labels(
    app: &TestApp,
    b: &Browser,
    m: Id,
    category: Id,
    label: &[u8],
) -> StatusCode {
    b.with(
        app.client
            .put(app.at(&format!("/api/mandates/{m}/labels")))
            .json(&json!({"labels": [{"category": category.to_string(), "label": b64(label)}]})),
    )
    .send()
    .await
    .unwrap()
    .status()
}

/// How many papers the owner has, and its journal's length.
async fn stored(app: &TestApp, b: &Browser) -> (usize, usize) {
    let (_, papers) = get(app, b, "/api/papers").await;
    let (_, journal) = get(app, b, "/api/journal").await;
    (
        papers["papers"].as_array().unwrap().len(),
        journal["entries"].as_array().unwrap().len(),
    )
}

async fn a_deposit_in_scope_becomes_the_owners_paper(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let category = first_category_id(&app, &karim_b).await;
    let t = now(&app);
    let mut body = mandate(&karim, person(&ines), Rights::ConsultDeposit, t, 31);
    body.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &body).await.0,
        StatusCode::CREATED
    );
    let m = body.mandate;

    // The depositor gets the certificate of the covered category, no key.
    let (status, certs) = deposit_certs(&app, &ines_b, m).await;
    assert_eq!(status, StatusCode::OK, "{certs}");
    let listed = certs["categories"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["category"], category.to_string());
    assert!(listed[0].get("wrap").is_none() && listed[0].get("key").is_none());
    assert_eq!(listed[0]["label"], Value::Null, "no label given yet");
    let cert = env_of(&listed[0]["cert"]);

    // The owner's client seals the category's label to the grantee: it opens to the
    // owner-signed name, with the grantee's own identity.
    let sealed_label = sealed_label(&karim, &ines, category, t);
    assert_eq!(
        put_labels(&app, &ines_b, m, category, &sealed_label).await,
        StatusCode::NOT_FOUND,
        "the owner's only"
    );
    assert_eq!(
        put_labels(&app, &karim_b, m, Id::random(), &sealed_label).await,
        StatusCode::BAD_REQUEST,
        "not covered"
    );
    assert_eq!(
        put_labels(&app, &karim_b, m, category, &sealed_label).await,
        StatusCode::NO_CONTENT
    );
    let (_, certs) = deposit_certs(&app, &ines_b, m).await;
    let opened = open_label(
        &ines.keys.identity,
        &unb64(certs["categories"][0]["label"].as_str().unwrap()).unwrap(),
        &karim.keys.public(),
        &ctx_of(&karim),
    )
    .unwrap();
    assert_eq!(opened.name, "Logement");

    // The owner's listing before the deposit, kept by the server and by the client.
    let (status, before, _) = crate::listing::listed(&app, &karim_b, None).await;
    assert_eq!(status, StatusCode::OK);
    let sealed = seal_deposit(&ines, &karim, m, &cert, t);
    let paper = sealed.statement.peek::<Upload>().unwrap().paper;
    let (status, done) = deposit(
        &app,
        &ines_b,
        m,
        &sealed.content,
        &sealed.statement,
        &sealed.meta,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    assert_eq!(done["paper"], paper.to_string());
    // The deposit moved the owner's listing: the copy held is not confirmed (no 304).
    let (status, _, after) = crate::listing::listed(&app, &karim_b, Some(&before)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        after["papers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["paper"] == paper.to_string()),
        "{after}"
    );

    // The depositor's proofs: the server's deposit receipt for this very upload, and the
    // inclusion receipt of the journal entry.
    let server = app.state.server_key.public_key();
    let ctx = ctx_of(&karim);
    let dr = env_of(&done["deposit_receipt"]);
    verify_deposit_receipt(&dr, &server, &ctx, &sealed.statement).unwrap();

    // The owner sees the paper, and its journal verifies with the server's entry.
    let (_, papers) = get(&app, &karim_b, "/api/papers").await;
    assert!(
        papers["papers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["paper"] == paper.to_string())
    );
    let entries = verified_journal(&app, &karim_b, &karim).await;
    let last = entries.last().unwrap();
    assert_eq!(last.action, "paper_deposited");
    assert_eq!(last.object, Some(paper));
    assert_eq!(last.mandate, Some(m));
    assert_eq!(last.seq, done["seq"].as_u64().unwrap());
    assert!(live_papers(&entries).unwrap().contains(&paper));
    let (_, page) = get(&app, &karim_b, "/api/journal").await;
    let last_env = env_of(&page["entries"].as_array().unwrap().last().unwrap()["entry"]);
    journal::verify_inclusion_receipt(
        &env_of(&done["receipt"]),
        &server,
        &ctx,
        last.seq,
        &last_env.hash().unwrap(),
    )
    .unwrap();

    // The owner's client opens the deposit as a reader does: the mandate, the deposit
    // receipt, the certificate at the receipt's time.
    let (status, deposits) = get(&app, &karim_b, &format!("/api/mandates/{m}/deposits")).await;
    assert_eq!(status, StatusCode::OK);
    let d = &deposits["deposits"][0];
    assert_eq!(d["paper"], paper.to_string());
    let statement = env_of(&d["statement"]);
    assert_eq!(
        statement.to_bytes().unwrap(),
        sealed.statement.to_bytes().unwrap()
    );
    assert_eq!(
        env_of(&d["deposit_receipt"]).to_bytes().unwrap(),
        dr.to_bytes().unwrap(),
        "signed again byte for byte"
    );
    let (_, one) = get(&app, &karim_b, &format!("/api/mandates/{m}")).await;
    let verified = verify_mandate(
        &env_of(&one["statement"]),
        &karim.keys.public(),
        &ctx,
        t,
        &MandateEnds::none(),
    )
    .unwrap();
    let policy = UploaderPolicy {
        owner: karim.keys.public(),
        server: Some(server),
        mandates: vec![MandateGrant {
            mandate: verified,
            ends: MandateEnds::none(),
            keys: vec![ines.keys.public()],
        }],
    };
    verify_upload_statement(&ctx, &policy, &cert, paper, Some(&dr), &statement).unwrap();
    assert_eq!(
        verify_upload_statement(&ctx, &policy, &cert, paper, None, &statement).unwrap_err(),
        Error::NotAllowed,
        "a deposit opens only with its receipt"
    );

    // A consultation and a renunciation: each its server-signed entry with the proof.
    assert_eq!(
        give_keys(&app, &karim_b, &karim, m, &ines.keys.recipient).await,
        StatusCode::NO_CONTENT
    );
    let r1 = receipt(&ines, &karim, m, category, "unwrap_key", 1, t);
    let (status, opened) = access(&app, &ines_b, m, &r1).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    assert!(
        opened["journal_receipt"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    // The depositor lists and downloads its own deposit: each answer carries the deposit
    // receipt, byte for byte the one the deposit returned, and the paper verifies with it
    // under this mandate.
    let own = crate::mandates::upload_paper(&app, &karim_b, &karim).await;
    let r2 = receipt(&ines, &karim, m, category, "list", 2, t);
    let (status, listed) = access(&app, &ines_b, m, &r2).await;
    assert_eq!(status, StatusCode::CREATED, "{listed}");
    let papers = listed["papers"].as_array().unwrap();
    assert_eq!(papers.len(), 2, "{listed}");
    let mine = papers
        .iter()
        .find(|p| p["paper"] == own.to_string())
        .unwrap();
    assert!(
        mine.get("deposit_receipt").is_none(),
        "the owner's own upload has none"
    );
    let item = papers
        .iter()
        .find(|p| p["paper"] == paper.to_string())
        .unwrap();
    assert_eq!(item["paper"], paper.to_string());
    let served = env_of(&item["deposit_receipt"]);
    assert_eq!(served.to_bytes().unwrap(), dr.to_bytes().unwrap());
    verify_upload_statement(
        &ctx,
        &policy,
        &cert,
        paper,
        Some(&served),
        &env_of(&item["statement"]),
    )
    .unwrap();
    let r3 = receipt(&ines, &karim, m, paper, "download", 3, t);
    let (status, one) = access(&app, &ines_b, m, &r3).await;
    assert_eq!(status, StatusCode::CREATED, "{one}");
    assert_eq!(
        env_of(&one["papers"][0]["deposit_receipt"])
            .to_bytes()
            .unwrap(),
        dr.to_bytes().unwrap()
    );
    let content = ines_b
        .with(app.client.get(app.at(&format!(
            "/api/mandates/{m}/papers/{paper}/content?counter=3"
        ))))
        .send()
        .await
        .unwrap();
    assert_eq!(content.status(), StatusCode::OK);
    assert_eq!(content.bytes().await.unwrap().as_ref(), &sealed.content[..]);

    let (status, ended) = renounce(&app, &ines_b, &ines, &karim, m, t).await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert!(ended["receipt"].as_str().is_some());

    let entries = verified_journal(&app, &karim_b, &karim).await;
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.ends_with(&[
            "paper_deposited",
            "mandate_accessed",
            "paper_added",
            "mandate_accessed",
            "mandate_accessed",
            "mandate_renounced"
        ]),
        "{actions:?}"
    );
    let (_, receipts) = get(&app, &karim_b, &format!("/api/mandates/{m}/receipts")).await;
    let (_, one) = get(&app, &karim_b, &format!("/api/mandates/{m}")).await;
    let mut statements: Vec<GranteeStatement> = receipts["receipts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| GranteeStatement::access_receipt(&env_of(r)).unwrap())
        .collect();
    statements.push(GranteeStatement::deposit(&statement).unwrap());
    statements.push(GranteeStatement::renunciation(&env_of(&one["end"])).unwrap());
    check_grantee_proofs(&entries, &statements, true).unwrap();
    // The owner's own client cannot write the server's record of a grantee's act.
    for action in ["mandate_accessed", "paper_deposited", "mandate_renounced"] {
        let journal = crate::mandates::entry(&app, &karim_b, &karim, action, paper).await;
        let (status, body) = json_of(post(&app, &karim_b, "/api/journal", &journal).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{action}: {body}");
    }
    // The host hiding the receipt, or serving an entry without its statement, is caught.
    assert_eq!(
        check_grantee_proofs(&entries, &statements[1..], true).unwrap_err(),
        Error::ProofMissing
    );
    let without_access: Vec<JournalEntry> = entries
        .iter()
        .filter(|e| e.action != "mandate_accessed")
        .cloned()
        .collect();
    assert_eq!(
        check_grantee_proofs(&without_access, &statements, true).unwrap_err(),
        Error::EntryMissing
    );
    app.stop().await;
}

async fn deposits_outside_the_mandate_are_refused_and_store_nothing(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (other, _) = account(&app, AccountRole::Person).await;
    let category = first_category_id(&app, &karim_b).await;
    let t = now(&app);
    let mut deposit_only = mandate(&karim, person(&ines), Rights::Deposit, t, 31);
    deposit_only.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &deposit_only).await.0,
        StatusCode::CREATED
    );
    let m = deposit_only.mandate;
    let mut consult = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    consult.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &consult).await.0,
        StatusCode::CREATED
    );
    let (_, certs) = deposit_certs(&app, &ines_b, m).await;
    let cert = env_of(&certs["categories"][0]["cert"]);
    let before = stored(&app, &karim_b).await;

    // A deposit-only grantee opens nothing: no key, no list.
    let (status, _) = access(
        &app,
        &ines_b,
        m,
        &receipt(&ines, &karim, m, category, "list", 1, t),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Consult-only rights: no deposit, no certificates.
    let sealed = seal_deposit(&ines, &karim, consult.mandate, &cert, t);
    let (status, body) = deposit(
        &app,
        &ines_b,
        consult.mandate,
        &sealed.content,
        &sealed.statement,
        &sealed.meta,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    let refused = |what: &str, (status, body): (StatusCode, Value), code: &str| {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
        assert_eq!(body["code"], code, "{what}: {body}");
    };
    // A category the mandate does not cover (the coffre's second one, with its own cert).
    let (_, coffre) = get(&app, &karim_b, "/api/coffre").await;
    let second = coffre["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| env_of(&c["cert"]))
        .find(|c| c.peek::<CategoryCert>().unwrap().category != category)
        .unwrap();
    let s = seal_deposit(&ines, &karim, m, &second, t);
    refused(
        "outside the categories",
        deposit(&app, &ines_b, m, &s.content, &s.statement, &s.meta).await,
        "unauthorised_signer",
    );
    // Signed by another key than the caller's, naming another mandate, for another coffre.
    let s = seal_deposit(&other, &karim, m, &cert, t);
    refused(
        "another uploader",
        deposit(&app, &ines_b, m, &s.content, &s.statement, &s.meta).await,
        "unauthorised_signer",
    );
    let s = seal_deposit(&ines, &karim, consult.mandate, &cert, t);
    refused(
        "another mandate",
        deposit(&app, &ines_b, m, &s.content, &s.statement, &s.meta).await,
        "unauthorised_signer",
    );
    let good = seal_deposit(&ines, &karim, m, &cert, t);
    let mut elsewhere: Upload = good.statement.peek().unwrap();
    elsewhere.coffre = other.coffre;
    let elsewhere = sign(&elsewhere, &[&ines.keys.signing]).unwrap();
    refused(
        "another coffre",
        deposit(&app, &ines_b, m, &good.content, &elsewhere, &good.meta).await,
        "context_mismatch",
    );
    // Another size than signed, a content that is not the signed one, another metadata file.
    let mut longer = good.content.clone();
    longer.push(0);
    refused(
        "wrong size",
        deposit(&app, &ines_b, m, &longer, &good.statement, &good.meta).await,
        "hash_mismatch",
    );
    let mut flipped = good.content.clone();
    flipped[100] ^= 1;
    refused(
        "wrong SHA-256",
        deposit(&app, &ines_b, m, &flipped, &good.statement, &good.meta).await,
        "hash_mismatch",
    );
    let mut meta = good.meta.clone();
    let n = meta.len();
    meta[n - 1] ^= 1;
    refused(
        "another metadata file",
        deposit(&app, &ines_b, m, &good.content, &good.statement, &meta).await,
        "hash_mismatch",
    );
    assert_eq!(stored(&app, &karim_b).await, before, "nothing stored");

    // The good one goes in; after a revocation nothing does.
    let (status, body) =
        deposit(&app, &ines_b, m, &good.content, &good.statement, &good.meta).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(revoke(&app, &karim_b, &karim, m, t).await.0, StatusCode::OK);
    let after = stored(&app, &karim_b).await;
    let s = seal_deposit(&ines, &karim, m, &cert, t);
    let (status, _) = deposit(&app, &ines_b, m, &s.content, &s.statement, &s.meta).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = deposit_certs(&app, &ines_b, m).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(stored(&app, &karim_b).await, after, "nothing stored");
    app.stop().await;
}

async fn a_deposit_is_refused_from_the_mandates_end(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let category = first_category_id(&app, &karim_b).await;
    let t = now(&app);
    // Twenty minutes long (the clock moves in steps shorter than a session's idle life).
    let mut body = mandate(&karim, person(&ines), Rights::Deposit, t, 1);
    body.not_after = t + 1200;
    body.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &body).await.0,
        StatusCode::CREATED
    );
    let m = body.mandate;
    let (_, certs) = deposit_certs(&app, &ines_b, m).await;
    let cert = env_of(&certs["categories"][0]["cert"]);

    // Valid at not_after − 1 s.
    clock.advance(time::Duration::seconds(599));
    let _ = get(&app, &ines_b, "/api/mandates").await;
    clock.advance(time::Duration::seconds(600));
    assert_eq!(now(&app), body.not_after - 1);
    let s = seal_deposit(&ines, &karim, m, &cert, now(&app));
    let (status, done) = deposit(&app, &ines_b, m, &s.content, &s.statement, &s.meta).await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    let dr = env_of(&done["deposit_receipt"]);
    let receipt_time = dr
        .peek::<coffre_crypto::kinds::DepositReceipt>()
        .unwrap()
        .time;
    assert_eq!(receipt_time, body.not_after - 1);

    // Refused at not_after: the mandate is over, the grantee's routes answer 404.
    let before = stored(&app, &karim_b).await;
    clock.advance(time::Duration::seconds(1));
    let s = seal_deposit(&ines, &karim, m, &cert, now(&app));
    let (status, _) = deposit(&app, &ines_b, m, &s.content, &s.statement, &s.meta).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(stored(&app, &karim_b).await, before, "nothing stored");
    app.stop().await;
}

/// A consult-only grantee names its démarches too: the covered categories' certificates and
/// the labels the owner sealed to it (never a key), while the mandate is in force; nothing
/// once it is revoked, and nothing for a mandate to someone else.
async fn a_consult_grantee_reads_the_labels_sealed_to_it(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (_, other_b) = account(&app, AccountRole::Professional).await;
    let category = first_category_id(&app, &karim_b).await;
    let t = now(&app);
    let mut body = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    body.categories = vec![category];
    assert_eq!(
        give(&app, &karim_b, &karim, &body).await.0,
        StatusCode::CREATED
    );
    let m = body.mandate;
    let (status, before) = deposit_certs(&app, &ines_b, m).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(
        before["categories"][0]["label"],
        Value::Null,
        "none given yet"
    );

    assert_eq!(
        put_labels(
            &app,
            &karim_b,
            m,
            category,
            &sealed_label(&karim, &ines, category, t)
        )
        .await,
        StatusCode::NO_CONTENT
    );
    let (status, listed) = deposit_certs(&app, &ines_b, m).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let listed = listed["categories"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["category"], category.to_string());
    assert!(listed[0].get("wrap").is_none() && listed[0].get("key").is_none());
    let opened = open_label(
        &ines.keys.identity,
        &unb64(listed[0]["label"].as_str().unwrap()).unwrap(),
        &karim.keys.public(),
        &ctx_of(&karim),
    )
    .unwrap();
    assert_eq!(
        (opened.name.as_str(), opened.category),
        ("Logement", category)
    );

    // Another account, and the owner itself, get nothing under it.
    assert_eq!(
        deposit_certs(&app, &other_b, m).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        deposit_certs(&app, &karim_b, m).await.0,
        StatusCode::NOT_FOUND
    );
    // Revoked: not the labels either.
    let (status, ended) = revoke(&app, &karim_b, &karim, m, t).await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(
        deposit_certs(&app, &ines_b, m).await.0,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}
