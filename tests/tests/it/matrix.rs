//! The authorization matrix of the routes a mandate or an organisation decides (issue 14),
//! on SQLite and PostgreSQL: each route × actor (owner, other owner, aidant of the mandated
//! organisation, aidant of another organisation, aidant removed from the mandated one, the
//! named person grantee, the mandated organisation's responsable, the instance admin,
//! anonymous) × mandate state (none, consult, deposit-only, both, expired, revoked,
//! renounced) has an expected answer, written out below; the test prints the table and fails
//! on any other answer. It also fails on a route of the OpenAPI document it does not know:
//! every route is either in the matrix or in `NOT_MANDATE_SCOPED`, with the reason it is
//! not (so a new route must join one or the other).
//!
//! The named person grantee acts on a mandate to itself in the same state; everyone else on
//! the mandate to the organisation. `none` is a mandate id that does not exist.

use coffre_crypto::encoding::{Id, b64};
use coffre_crypto::kinds::{OrgAction, Rights, Role};
use coffre_server::domain::AccountRole;
use coffre_tests::owner::{Browser, Owner, json_of, start};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::mandates::{
    first_category_id, give, give_keys, mandate, organisation, person, receipt, renounce, revoke,
    upload_paper,
};
use crate::organisations::{account, add_key, append, founded_org, member, now};

on_both_backends!(the_authorization_matrix_holds);

/// Routes of the OpenAPI document that no mandate or organisation decides, and why.
const NOT_MANDATE_SCOPED: &[(&str, &str, &str)] = &[
    ("get", "/api/health", "public"),
    ("get", "/api/instance", "public"),
    ("post", "/api/auth/nonce", "public"),
    ("post", "/api/sessions/carte", "public sign-in"),
    ("post", "/api/sessions/passphrase", "public sign-in"),
    ("post", "/api/sessions/passkey/challenge", "public sign-in"),
    ("post", "/api/sessions/passkey", "public sign-in"),
    ("post", "/api/sessions/remembered", "public sign-in"),
    ("post", "/api/coffres", "public: opens a coffre"),
    ("post", "/api/invitations/check", "public"),
    (
        "post",
        "/api/organisations/founding/check",
        "public: the token decides",
    ),
    (
        "get",
        "/api/organisations",
        "the caller's own memberships (organisations.rs)",
    ),
    (
        "post",
        "/api/organisations/found",
        "the founding token decides (organisations.rs)",
    ),
    (
        "post",
        "/api/passkeys/registration",
        "the caller's own coffre",
    ),
    ("post", "/api/passkeys", "the caller's own coffre"),
    ("delete", "/api/passkeys/{id}", "the caller's own coffre"),
    ("post", "/api/remembered", "the caller's own coffre"),
    ("delete", "/api/remembered/{id}", "the caller's own coffre"),
    ("get", "/api/coffre", "the caller's own coffre"),
    ("post", "/api/coffre/passphrase", "the caller's own coffre"),
    ("post", "/api/coffre/epoch", "the caller's own coffre"),
    (
        "post",
        "/api/coffre/categories/{category}/generations",
        "the caller's own coffre (its mandate wraps: rotation.rs)",
    ),
    ("get", "/api/session", "the caller's own session"),
    ("delete", "/api/session", "the caller's own session"),
    ("get", "/api/sessions", "the caller's own coffre"),
    ("delete", "/api/sessions", "the caller's own coffre"),
    ("delete", "/api/sessions/{id}", "the caller's own coffre"),
    ("get", "/api/journal", "the caller's own coffre"),
    ("post", "/api/journal", "the caller's own coffre"),
    ("get", "/api/journal/head", "the caller's own coffre"),
    ("get", "/api/journal/checkpoint", "the caller's own coffre"),
    ("put", "/api/journal/checkpoint", "the caller's own coffre"),
    (
        "post",
        "/api/uploads",
        "the caller's own coffre (a grantee's deposit: /api/mandates/{id}/deposits)",
    ),
    ("get", "/api/uploads/{id}", "the caller's own coffre"),
    ("delete", "/api/uploads/{id}", "the caller's own coffre"),
    (
        "put",
        "/api/uploads/{id}/chunks/{idx}",
        "the caller's own coffre",
    ),
    ("post", "/api/uploads/{id}/paper", "the caller's own coffre"),
    ("get", "/api/papers", "the caller's own coffre"),
    ("get", "/api/papers/{id}/content", "the caller's own coffre"),
    ("delete", "/api/papers/{id}", "the caller's own coffre"),
    ("post", "/api/papers/metas", "the caller's own coffre"),
    (
        "get",
        "/api/papers/indexes/{category}/{generation}",
        "the caller's own coffre",
    ),
    (
        "put",
        "/api/papers/indexes/{category}/{generation}",
        "the caller's own coffre (owner-signed)",
    ),
    (
        "post",
        "/api/mandates",
        "the caller's own coffre (mandates.rs: forged ones)",
    ),
    (
        "post",
        "/api/organisations/{id}/chain",
        "the chain's signatures (organisations.rs)",
    ),
    (
        "post",
        "/api/organisations/{id}/keys",
        "the root's certificate (organisations.rs)",
    ),
    (
        "post",
        "/api/organisations/{id}/wraps",
        "a responsable to current members (organisations.rs)",
    ),
    (
        "post",
        "/api/organisations/{id}/proposals",
        "a responsable's own organisation; the chain's signatures (org_proposals.rs)",
    ),
    (
        "get",
        "/api/organisations/{id}/proposals",
        "a responsable's own organisation (org_proposals.rs)",
    ),
    (
        "delete",
        "/api/organisations/{id}/proposals/{proposal}",
        "a responsable's own organisation (org_proposals.rs)",
    ),
];

const ACTORS: [&str; 9] = [
    "owner", "other", "aidantA", "aidantB", "removed", "person", "respA", "admin", "anon",
];
const STATES: [&str; 7] = [
    "none",
    "consult",
    "deposit",
    "both",
    "expired",
    "revoked",
    "renounced",
];

/// Expected answers: one row per state, one status per actor (in the order of [`ACTORS`]).
/// `200+`/`200-`: the list answers and does / does not hold the mandate.
struct Route {
    method: &'static str,
    path: &'static str,
    what: &'static str,
    rows: [[&'static str; 9]; 7],
}

#[rustfmt::skip]
const MATRIX: &[Route] = &[
    //        owner   other   aidantA aidantB removed person  respA   admin   anon
    Route {
        method: "get",
        path: "/api/mandates",
        what: "the mandate in `received`",
        rows: [
            ["200-", "200-", "200-", "200-", "200-", "200-", "200-", "200-", "401"],
            ["200-", "200-", "200+", "200-", "200-", "200+", "200-", "200-", "401"],
            ["200-", "200-", "200+", "200-", "200-", "200+", "200-", "200-", "401"],
            ["200-", "200-", "200+", "200-", "200-", "200+", "200-", "200-", "401"],
            ["200-", "200-", "200-", "200-", "200-", "200-", "200-", "200-", "401"],
            ["200-", "200-", "200-", "200-", "200-", "200-", "200-", "200-", "401"],
            ["200-", "200-", "200-", "200-", "200-", "200-", "200-", "200-", "401"],
        ],
    },
    Route {
        method: "get",
        path: "/api/mandates/{id}",
        what: "read the mandate",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "200", "404", "404", "200", "404", "404", "401"],
            ["200", "404", "200", "404", "404", "200", "404", "404", "401"],
            ["200", "404", "200", "404", "404", "200", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "post",
        path: "/api/mandates/{id}/access",
        what: "unwrap_key with the next counter",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "201", "404", "404", "201", "404", "404", "401"],
            ["404", "404", "403", "404", "404", "403", "404", "404", "401"],
            ["404", "404", "201", "404", "404", "201", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "get",
        path: "/api/mandates/{id}/papers/{paper}/content",
        what: "after a download receipt",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "200", "404", "404", "200", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "200", "404", "404", "200", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "get",
        path: "/api/mandates/{id}/receipts",
        what: "read the receipts",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "put",
        path: "/api/mandates/{id}/keys",
        what: "give the category key",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "post",
        path: "/api/mandates/{id}/revocation",
        what: "a revocation dated in an hour (400 = allowed this far)",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "post",
        path: "/api/mandates/{id}/renunciation",
        what: "a renunciation dated in an hour (400 = allowed this far)",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "400", "404", "404", "400", "400", "404", "401"],
            ["404", "404", "400", "404", "404", "400", "400", "404", "401"],
            ["404", "404", "400", "404", "404", "400", "400", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "get",
        path: "/api/mandates/{id}/categories",
        what: "the certificates and labels of the covered categories",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "200", "404", "404", "200", "404", "404", "401"],
            ["404", "404", "200", "404", "404", "200", "404", "404", "401"],
            ["404", "404", "200", "404", "404", "200", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "get",
        path: "/api/mandates/received/categories",
        what: "the mandate's categories among those of every received mandate",
        rows: [
            ["200-", "200-", "200-", "200-", "200-", "200-", "200-", "200-", "401"],
            ["200-", "200-", "200+", "200-", "200-", "200+", "200-", "200-", "401"],
            ["200-", "200-", "200+", "200-", "200-", "200+", "200-", "200-", "401"],
            ["200-", "200-", "200+", "200-", "200-", "200+", "200-", "200-", "401"],
            ["200-", "200-", "200-", "200-", "200-", "200-", "200-", "200-", "401"],
            ["200-", "200-", "200-", "200-", "200-", "200-", "200-", "200-", "401"],
            ["200-", "200-", "200-", "200-", "200-", "200-", "200-", "200-", "401"],
        ],
    },
    Route {
        method: "put",
        path: "/api/mandates/{id}/labels",
        what: "give the grantee the category's label",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["400", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "put",
        path: "/api/mandates/{id}/note",
        what: "name or rename the grantee (the owner's note), any state",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["204", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "post",
        path: "/api/mandates/{id}/deposits",
        what: "open a deposit's upload",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "403", "404", "404", "403", "404", "404", "401"],
            ["404", "404", "201", "404", "404", "201", "404", "404", "401"],
            ["404", "404", "201", "404", "404", "201", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "put",
        path: "/api/mandates/{id}/deposits/{upload}/chunks/{idx}",
        what: "a chunk of the grantee's deposit upload",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "403", "404", "404", "403", "404", "404", "401"],
            ["404", "404", "204", "404", "404", "204", "404", "404", "401"],
            ["404", "404", "204", "404", "404", "204", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "post",
        path: "/api/mandates/{id}/deposits/{upload}/paper",
        what: "make the paper of an upload with no chunk yet (400 = allowed this far)",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "403", "404", "404", "403", "404", "404", "401"],
            ["404", "404", "400", "404", "404", "400", "404", "404", "401"],
            ["404", "404", "400", "404", "404", "400", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "get",
        path: "/api/mandates/{id}/deposits",
        what: "the owner reads the deposits",
        rows: [
            ["404", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
            ["200", "404", "404", "404", "404", "404", "404", "404", "401"],
        ],
    },
    Route {
        method: "get",
        path: "/api/organisations/{id}/mandates",
        what: "the mandated organisation's list",
        rows: [
            ["404", "404", "403", "404", "404", "404", "200", "404", "401"],
            ["404", "404", "403", "404", "404", "404", "200", "404", "401"],
            ["404", "404", "403", "404", "404", "404", "200", "404", "401"],
            ["404", "404", "403", "404", "404", "404", "200", "404", "401"],
            ["404", "404", "403", "404", "404", "404", "200", "404", "401"],
            ["404", "404", "403", "404", "404", "404", "200", "404", "401"],
            ["404", "404", "403", "404", "404", "404", "200", "404", "401"],
        ],
    },
    Route {
        method: "get",
        path: "/api/organisations/{id}",
        what: "the mandated organisation (its wraps: members only)",
        rows: [
            ["200", "200", "200w", "200", "200", "200", "200w", "200", "401"],
            ["200", "200", "200w", "200", "200", "200", "200w", "200", "401"],
            ["200", "200", "200w", "200", "200", "200", "200w", "200", "401"],
            ["200", "200", "200w", "200", "200", "200", "200w", "200", "401"],
            ["200", "200", "200w", "200", "200", "200", "200w", "200", "401"],
            ["200", "200", "200w", "200", "200", "200", "200w", "200", "401"],
            ["200", "200", "200w", "200", "200", "200", "200w", "200", "401"],
        ],
    },
    Route {
        method: "get",
        path: "/api/admin/organisations",
        what: "counts",
        rows: [
            ["403", "403", "403", "403", "403", "403", "403", "200", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "200", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "200", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "200", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "200", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "200", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "200", "401"],
        ],
    },
    Route {
        method: "post",
        path: "/api/admin/organisations",
        what: "make an organisation",
        rows: [
            ["403", "403", "403", "403", "403", "403", "403", "201", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "201", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "201", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "201", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "201", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "201", "401"],
            ["403", "403", "403", "403", "403", "403", "403", "201", "401"],
        ],
    },
];

/// Everyone of the matrix, signed in (anonymous: no cookie), in the order of [`ACTORS`]:
/// the owner first.
struct World {
    actors: Vec<(Owner, Browser)>,
    org_a: Uuid,
    paper: Id,
    category: Id,
    /// Per state: the mandate to the organisation, and the one to the person.
    mandates: Vec<(Id, Id)>,
}

async fn world(app: &TestApp, clock: &coffre_server::clock::ManualClock) -> World {
    let (admin_o, admin_b) = account(app, AccountRole::Admin).await;
    let (owner, owner_b) = account(app, AccountRole::Person).await;
    let (other, other_b) = account(app, AccountRole::Person).await;
    let (resp_a, resp_a_b) = account(app, AccountRole::Professional).await;
    let (aidant_a, aidant_a_b) = account(app, AccountRole::Professional).await;
    let (removed, removed_b) = account(app, AccountRole::Professional).await;
    let (resp_b, resp_b_b) = account(app, AccountRole::Professional).await;
    let (aidant_b, aidant_b_b) = account(app, AccountRole::Professional).await;
    let (person_o, person_b) = account(app, AccountRole::Professional).await;
    let mut org_a = founded_org(app, &admin_b, &resp_a, &resp_a_b, "CHRS A").await;
    let mut org_b = founded_org(app, &admin_b, &resp_b, &resp_b_b, "CCAS B").await;
    let t = now(app);
    for who in [&aidant_a, &removed] {
        let add = org_a.next(
            OrgAction::AddMember,
            member(who, Role::Aidant),
            &[&resp_a.keys.signing],
            t,
        );
        assert_eq!(
            append(app, &resp_a_b, &mut org_a, add).await.0,
            StatusCode::CREATED
        );
    }
    let add = org_b.next(
        OrgAction::AddMember,
        member(&aidant_b, Role::Aidant),
        &[&resp_b.keys.signing],
        t,
    );
    assert_eq!(
        append(app, &resp_b_b, &mut org_b, add).await.0,
        StatusCode::CREATED
    );

    let category = first_category_id(app, &owner_b).await;
    let paper = upload_paper(app, &owner_b, &owner).await;
    let mut mandates = Vec::new();
    for state in STATES {
        let mut pair = Vec::new();
        for grantee in [organisation(&org_a), person(&person_o)] {
            if state == "none" {
                pair.push(Id::random());
                continue;
            }
            let rights = match state {
                "deposit" => Rights::Deposit,
                "both" => Rights::ConsultDeposit,
                _ => Rights::Consult,
            };
            // The expired one ends in ten minutes; the clock moves eleven on below (less than a
            // session's idle lifetime).
            let mut body = mandate(&owner, grantee.clone(), rights, t, 31);
            if state == "expired" {
                body.not_after = t + 600;
            }
            body.categories = vec![category];
            let (status, granted) = give(app, &owner_b, &owner, &body).await;
            assert_eq!(status, StatusCode::CREATED, "{state}: {granted}");
            if rights.can_consult() {
                let to = match grantee.grantee_type {
                    coffre_crypto::kinds::GranteeType::Person => person_o.keys.recipient.clone(),
                    // The organisation key is the client's business; any recipient will do
                    // for the server, which cannot open the wrap.
                    coffre_crypto::kinds::GranteeType::Organisation => {
                        aidant_a.keys.recipient.clone()
                    }
                };
                assert_eq!(
                    give_keys(app, &owner_b, &owner, body.mandate, &to).await,
                    StatusCode::NO_CONTENT
                );
            }
            pair.push(body.mandate);
        }
        mandates.push((pair[0], pair[1]));
    }
    clock.advance(time::Duration::minutes(11));
    let t = now(app);
    let revoked = mandates[5];
    for m in [revoked.0, revoked.1] {
        assert_eq!(revoke(app, &owner_b, &owner, m, t).await.0, StatusCode::OK);
    }
    let renounced = mandates[6];
    assert_eq!(
        renounce(app, &aidant_a_b, &aidant_a, &owner, renounced.0, t)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        renounce(app, &person_b, &person_o, &owner, renounced.1, t)
            .await
            .0,
        StatusCode::OK
    );
    let remove = org_a.next(
        OrgAction::RemoveMember,
        member(&removed, Role::Aidant),
        &[&resp_a.keys.signing],
        t,
    );
    assert_eq!(
        append(app, &resp_a_b, &mut org_a, remove).await.0,
        StatusCode::CREATED
    );
    // An organisation key, made after the removal, wrapped to the current members.
    let head = org_a.chain.len() as u64 - 1;
    let (cert, key) = org_a.key_cert(0, head, t);
    let (status, body) = add_key(
        app,
        &resp_a_b,
        &mut org_a,
        &cert,
        &key,
        &[&resp_a, &aidant_a],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let anon = Owner::new(app.state.origin.as_str());
    World {
        actors: vec![
            (owner, owner_b),
            (other, other_b),
            (aidant_a, aidant_a_b),
            (aidant_b, aidant_b_b),
            (removed, removed_b),
            (person_o, person_b),
            (resp_a, resp_a_b),
            (admin_o, admin_b),
            (anon, Browser::default()),
        ],
        org_a: org_a.id,
        paper,
        category,
        mandates,
    }
}

async fn send(
    app: &TestApp,
    browser: &Browser,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let mut request = app.client.request(method, app.at(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    json_of(browser.with(request).send().await.unwrap()).await
}

/// What `actor` gets from `route` in `state`, as the matrix writes it.
async fn probe(
    app: &TestApp,
    w: &World,
    counters: &mut [u64],
    route: &Route,
    actor: usize,
    state: usize,
) -> String {
    let (who, browser) = &w.actors[actor];
    let owner = &w.actors[0].0;
    let m = if ACTORS[actor] == "person" {
        w.mandates[state].1
    } else {
        w.mandates[state].0
    };
    let t = now(app);
    let path = route
        .path
        .replace(
            "/organisations/{id}",
            &format!("/organisations/{}", w.org_a),
        )
        .replace("{id}", &m.to_string())
        .replace("{paper}", &w.paper.to_string());
    let (status, body) = match (route.method, route.path) {
        ("get", "/api/mandates") => {
            let (status, body) = send(app, browser, "get", &path, None).await;
            if status == StatusCode::OK {
                let held = body["received"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["mandate"] == m.to_string());
                return if held { "200+".into() } else { "200-".into() };
            }
            (status, body)
        }
        ("get", "/api/mandates/received/categories") => {
            let (status, body) = send(app, browser, "get", &path, None).await;
            if status == StatusCode::OK {
                let held = body["mandates"].as_array().unwrap().iter().any(|x| {
                    x["mandate"] == m.to_string() && !x["categories"].as_array().unwrap().is_empty()
                });
                return if held { "200+".into() } else { "200-".into() };
            }
            (status, body)
        }
        ("post", "/api/mandates/{id}/access") => {
            let r = receipt(who, owner, m, w.category, "unwrap_key", counters[actor], t);
            let answer = send(
                app,
                browser,
                "post",
                &path,
                Some(json!({"receipt": b64(&r.to_bytes().unwrap())})),
            )
            .await;
            if answer.0 == StatusCode::CREATED {
                counters[actor] += 1;
            }
            answer
        }
        ("get", "/api/mandates/{id}/papers/{paper}/content") => {
            let counter = counters[actor];
            let r = receipt(who, owner, m, w.paper, "download", counter, t);
            let access = format!("/api/mandates/{m}/access");
            let (s, _) = send(
                app,
                browser,
                "post",
                &access,
                Some(json!({"receipt": b64(&r.to_bytes().unwrap())})),
            )
            .await;
            if s == StatusCode::CREATED {
                counters[actor] += 1;
            }
            let response = browser
                .with(app.client.get(app.at(&format!("{path}?counter={counter}"))))
                .send()
                .await
                .unwrap();
            return response.status().as_u16().to_string();
        }
        ("put", "/api/mandates/{id}/keys") => {
            let owner_b = &w.actors[0].1;
            let _ = owner_b;
            let status = give_keys_as(app, browser, owner, m, w.category).await;
            return status.as_u16().to_string();
        }
        ("post", "/api/mandates/{id}/revocation") => {
            // Signed by the owner's key, with a journal entry at a made-up place: who may
            // revoke is decided before the date, the date before the journal.
            let body = coffre_crypto::kinds::Revocation {
                coffre: owner.coffre,
                created: t + 3600,
                epoch: 0,
                instance: owner.instance.clone(),
                kind: Default::default(),
                mandate: m,
                v: Default::default(),
            };
            let env = coffre_crypto::statement::sign(&body, &[&owner.keys.signing]).unwrap();
            let head = json!({"next_seq": 0, "prev": coffre_crypto::encoding::Hash32::ZERO.to_b64(), "time": t});
            let journal = owner.journal_entry_about(&head, "mandate_revoked", Some(m), None);
            send(
                app,
                browser,
                "post",
                &path,
                Some(json!({"revocation": b64(&env.to_bytes().unwrap()), "journal": journal})),
            )
            .await
        }
        ("put", "/api/mandates/{id}/labels") => {
            // Any age file: the server cannot open it; what is checked is who may put it.
            let label = coffre_crypto::age_io::encrypt(
                std::slice::from_ref(&owner.keys.recipient),
                b"label",
            )
            .unwrap();
            send(
                app,
                browser,
                "put",
                &path,
                Some(
                    json!({"labels": [{"category": w.category.to_string(), "label": b64(&label)}]}),
                ),
            )
            .await
        }
        ("put", "/api/mandates/{id}/note") => {
            // Any age file: the server cannot open it; what is checked is who may put it.
            let note = coffre_crypto::age_io::encrypt(
                std::slice::from_ref(&owner.keys.recipient),
                b"note",
            )
            .unwrap();
            send(
                app,
                browser,
                "put",
                &path,
                Some(json!({"note": b64(&note)})),
            )
            .await
        }
        ("post", "/api/mandates/{id}/deposits") => {
            send(
                app,
                browser,
                "post",
                &path,
                Some(json!({"content_size": 10})),
            )
            .await
        }
        ("put", "/api/mandates/{id}/deposits/{upload}/chunks/{idx}") => {
            let upload = grantee_upload(app, w, m, actor).await;
            let path = path.replace("{upload}", &upload).replace("{idx}", "0");
            let response = browser
                .with(
                    app.client
                        .put(app.at(&path))
                        .header("content-type", "application/octet-stream")
                        .body(vec![0u8; 10]),
                )
                .send()
                .await
                .unwrap();
            return response.status().as_u16().to_string();
        }
        ("post", "/api/mandates/{id}/deposits/{upload}/paper") => {
            let upload = grantee_upload(app, w, m, actor).await;
            let path = path.replace("{upload}", &upload);
            send(
                app,
                browser,
                "post",
                &path,
                Some(json!({"statement": "", "meta": ""})),
            )
            .await
        }
        ("post", "/api/mandates/{id}/renunciation") => {
            renounce(app, browser, who, owner, m, t + 3600).await
        }
        ("post", "/api/admin/organisations") => {
            send(app, browser, "post", &path, Some(json!({"name": "Essai"}))).await
        }
        ("get", "/api/organisations/{id}") => {
            let (status, body) = send(app, browser, "get", &path, None).await;
            if status == StatusCode::OK && !body["wraps"].as_array().unwrap().is_empty() {
                return "200w".into();
            }
            (status, body)
        }
        (method, _) => send(app, browser, method, &path, None).await,
    };
    let _ = body;
    status.as_u16().to_string()
}

/// A deposit upload of 10 bytes under `m`, opened by its rightful grantee (the person for
/// the person's mandate, the mandated organisation's aidant for the organisation's), or a
/// random id where none may be opened: what is checked is who may use it.
async fn grantee_upload(app: &TestApp, w: &World, m: Id, actor: usize) -> String {
    let rightful = if ACTORS[actor] == "person" { 5 } else { 2 };
    let path = format!("/api/mandates/{m}/deposits");
    let (status, body) = send(
        app,
        &w.actors[rightful].1,
        "post",
        &path,
        Some(json!({"content_size": 10})),
    )
    .await;
    if status == StatusCode::CREATED {
        body["upload"].as_str().unwrap().to_owned()
    } else {
        Uuid::new_v4().to_string()
    }
}

/// `PUT /api/mandates/{id}/keys` as `browser`, wrapping a fresh key (the server cannot
/// open it; what is checked is who may put it).
async fn give_keys_as(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    m: Id,
    category: Id,
) -> StatusCode {
    let ck = age::x25519::Identity::generate();
    let payload =
        coffre_crypto::category::category_key_payload(owner.coffre, category, 0, &ck).unwrap();
    let wrap = coffre_crypto::category::wrap_category_key(
        std::slice::from_ref(&owner.keys.recipient),
        &payload,
    )
    .unwrap();
    browser
        .with(
            app.client
                .put(app.at(&format!("/api/mandates/{m}/keys")))
                .json(&json!({"wraps": [{"category": category.to_string(), "generation": 0, "wrap": b64(&wrap)}]})),
        )
        .send()
        .await
        .unwrap()
        .status()
}

async fn the_authorization_matrix_holds(env: TestEnv) {
    let (app, clock) = start(&env).await;
    // Every route of the document is known here.
    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    let mut unknown = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let known = MATRIX.iter().any(|r| r.method == method && r.path == path)
                || NOT_MANDATE_SCOPED
                    .iter()
                    .any(|(m, p, _)| m == method && p == path);
            if !known {
                unknown.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "routes the matrix does not know (add them to MATRIX or NOT_MANDATE_SCOPED): {unknown:?}"
    );
    for r in MATRIX {
        assert!(
            doc["paths"][r.path][r.method].is_object(),
            "{} {} is not a route",
            r.method,
            r.path
        );
    }

    let w = world(&app, &clock).await;
    let mut counters = vec![1u64; ACTORS.len()];
    let mut failures = Vec::new();
    let mut table = String::new();
    for route in MATRIX {
        table.push_str(&format!(
            "\n{} {} — {}\n{:<10}{}\n",
            route.method.to_uppercase(),
            route.path,
            route.what,
            "",
            ACTORS.iter().map(|a| format!("{a:>9}")).collect::<String>()
        ));
        for (s, state) in STATES.iter().enumerate() {
            let mut line = format!("{state:<10}");
            for (a, actor) in ACTORS.iter().enumerate() {
                let got = probe(&app, &w, &mut counters, route, a, s).await;
                let want = route.rows[s][a];
                if got == want {
                    line.push_str(&format!("{got:>9}"));
                } else {
                    line.push_str(&format!("{:>9}", format!("{got}≠{want}")));
                    failures.push(format!(
                        "{} {} as {} in {state}: {got}, expected {want}",
                        route.method, route.path, actor
                    ));
                }
            }
            table.push_str(&line);
            table.push('\n');
        }
    }
    println!("{table}");
    assert!(
        failures.is_empty(),
        "unexpected cells:\n{}\n{table}",
        failures.join("\n")
    );
    app.stop().await;
}
