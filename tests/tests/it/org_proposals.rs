//! Pending organisation proposals over HTTP, on SQLite and PostgreSQL
//! (`docs/design/organisations-screens.md`, "Two responsables signing together"): once there
//! are two responsables, one signs a statement and the server keeps it as a proposal; the
//! second countersigns it and appends the two-signature statement through the chain route;
//! a refused proposal is deleted and one the chain passed is cleared. Who may propose, read
//! and refuse, and what the server refuses to keep.

use coffre_crypto::encoding::{b64, unb64};
use coffre_crypto::kinds::{OrgAction, OrgChain, Role};
use coffre_crypto::statement::{Envelope, sign};
use coffre_server::domain::AccountRole;
use coffre_tests::owner::{Browser, json_of, post, start};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::organisations::{Org, account, append, founded_org, get, member, now};

on_both_backends!(
    a_second_responsable_countersigns_what_the_first_proposed,
    the_server_keeps_only_a_proposal_that_would_apply,
);

/// Posts a proposal as `browser`.
async fn propose(
    app: &TestApp,
    browser: &Browser,
    org: &Org,
    statement: &Envelope,
) -> (StatusCode, Value) {
    json_of(
        post(
            app,
            browser,
            &format!("/api/organisations/{}/proposals", org.id),
            &json!({"statement": b64(&statement.to_bytes().unwrap())}),
        )
        .await,
    )
    .await
}

async fn refuse(app: &TestApp, browser: &Browser, org: &Org, proposal: &str) -> StatusCode {
    browser
        .with(app.client.delete(app.at(&format!(
            "/api/organisations/{}/proposals/{proposal}",
            org.id
        ))))
        .send()
        .await
        .unwrap()
        .status()
}

fn proposals_path(org: &Org) -> String {
    format!("/api/organisations/{}/proposals", org.id)
}

/// The proposal's statement as served, countersigned by `second` (the same body bytes, both
/// signatures).
fn countersigned(
    served: &Value,
    first: &ed25519_dalek::SigningKey,
    second: &ed25519_dalek::SigningKey,
) -> Envelope {
    let env = Envelope::parse(&unb64(served["statement"].as_str().unwrap()).unwrap()).unwrap();
    sign(&env.peek::<OrgChain>().unwrap(), &[first, second]).unwrap()
}

async fn a_second_responsable_countersigns_what_the_first_proposed(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (_, admin) = account(&app, AccountRole::Admin).await;
    let (founder, founder_b) = account(&app, AccountRole::Professional).await;
    let (second, second_b) = account(&app, AccountRole::Professional).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (paul, paul_b) = account(&app, AccountRole::Professional).await;
    let (_, stranger_b) = account(&app, AccountRole::Professional).await;
    let mut org = founded_org(&app, &admin, &founder, &founder_b, "CHRS Les Tilleuls").await;
    let t = now(&app);
    let f = &founder.keys.signing;

    // One responsable: she signs alone, there is nothing to propose.
    let add_ines = org.next(OrgAction::AddMember, member(&ines, Role::Aidant), &[f], t);
    let (status, body) = propose(&app, &founder_b, &org, &add_ines).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "bad_chain");
    let (status, body) = append(&app, &founder_b, &mut org, add_ines).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The founder promotes Inès alone (one responsable): `set_role`.
    let promote = org.next(
        OrgAction::SetRole,
        member(&ines, Role::Responsable),
        &[f],
        t,
    );
    let (status, body) = append(&app, &founder_b, &mut org, promote).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, view) = get(&app, &ines_b, &format!("/api/organisations/{}", org.id)).await;
    assert_eq!(view["role"], "responsable");
    // Two responsables now; the second one added by both.
    let i = &ines.keys.signing;
    let add_second = org.next(
        OrgAction::AddMember,
        member(&second, Role::Aidant),
        &[f, i],
        t,
    );
    let (status, body) = append(&app, &ines_b, &mut org, add_second).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // The founder proposes adding Paul; nothing is in the chain yet.
    let add_paul = org.next(OrgAction::AddMember, member(&paul, Role::Aidant), &[f], t);
    let (status, placed) = propose(&app, &founder_b, &org, &add_paul).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert_eq!(placed["seq"], 4);
    let (_, mine) = get(&app, &paul_b, "/api/organisations").await;
    assert_eq!(
        mine,
        json!({"organisations": []}),
        "a proposal is no member"
    );
    // A responsable reads it; an aidant, a stranger, anonymous do not.
    let (status, listed) = get(&app, &ines_b, &proposals_path(&org)).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let items = listed["proposals"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["proposal"], placed["proposal"]);
    assert_eq!(items[0]["seq"], 4);
    assert_eq!(items[0]["proposer"], founder.keys.public().to_b64());
    assert_eq!(
        items[0]["statement"],
        b64(&add_paul.to_bytes().unwrap()),
        "the bytes the founder signed"
    );
    let (status, _) = get(&app, &second_b, &proposals_path(&org)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an aidant");
    let (status, _) = get(&app, &stranger_b, &proposals_path(&org)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not a member");
    let (status, _) = get(&app, &Browser::default(), &proposals_path(&org)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The proposal alone is not a chain statement.
    let (status, body) = append(&app, &ines_b, &mut org, add_paul.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "too_few_signatures");

    // A second proposal at the same seq; Inès countersigns the first: Paul is a member and
    // the other proposal, which no longer applies, is cleared.
    let promote_second = org.next(
        OrgAction::SetRole,
        member(&second, Role::Responsable),
        &[f],
        t,
    );
    let (status, other) = propose(&app, &founder_b, &org, &promote_second).await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    let both = countersigned(&items[0], f, i);
    let (status, body) = append(&app, &ines_b, &mut org, both).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, mine) = get(&app, &paul_b, "/api/organisations").await;
    assert_eq!(mine["organisations"][0]["role"], "aidant");
    let (_, listed) = get(&app, &founder_b, &proposals_path(&org)).await;
    assert_eq!(listed, json!({"proposals": []}), "the chain moved");
    assert_eq!(
        refuse(&app, &founder_b, &org, other["proposal"].as_str().unwrap()).await,
        StatusCode::NOT_FOUND,
        "cleared with the append"
    );

    // A refused proposal is deleted; an aidant may not refuse one.
    let promote_paul = org.next(
        OrgAction::SetRole,
        member(&paul, Role::Responsable),
        &[i],
        t,
    );
    let (status, placed) = propose(&app, &ines_b, &org, &promote_paul).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    let id = placed["proposal"].as_str().unwrap();
    assert_eq!(refuse(&app, &paul_b, &org, id).await, StatusCode::FORBIDDEN);
    assert_eq!(
        refuse(&app, &stranger_b, &org, id).await,
        StatusCode::NOT_FOUND
    );
    let (_, listed) = get(&app, &founder_b, &proposals_path(&org)).await;
    assert_eq!(listed["proposals"].as_array().unwrap().len(), 1);
    assert_eq!(
        refuse(&app, &founder_b, &org, id).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        refuse(&app, &founder_b, &org, id).await,
        StatusCode::NOT_FOUND
    );
    let (_, listed) = get(&app, &founder_b, &proposals_path(&org)).await;
    assert_eq!(listed, json!({"proposals": []}));

    // The chain every client reads: Paul an aidant, Inès a responsable.
    let (_, view) = get(&app, &paul_b, &format!("/api/organisations/{}", org.id)).await;
    let state = org.verify_served(&view);
    assert_eq!(state.responsables().len(), 2);
    assert!(state.is_member(&paul.keys.public()));
    assert_eq!(state.last_removal, None, "a promotion is no removal");
    app.stop().await;
}

async fn the_server_keeps_only_a_proposal_that_would_apply(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (admin_owner, admin) = account(&app, AccountRole::Admin).await;
    let (founder, founder_b) = account(&app, AccountRole::Professional).await;
    let (second, second_b) = account(&app, AccountRole::Professional).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (karim, _) = account(&app, AccountRole::Person).await;
    let mut org = founded_org(&app, &admin, &founder, &founder_b, "CHRS Les Tilleuls").await;
    let t = now(&app);
    let f = &founder.keys.signing;
    let s = &second.keys.signing;
    let st = org.next(
        OrgAction::AddMember,
        member(&second, Role::Responsable),
        &[f],
        t,
    );
    assert_eq!(
        append(&app, &founder_b, &mut org, st).await.0,
        StatusCode::CREATED
    );
    let st = org.next(
        OrgAction::AddMember,
        member(&ines, Role::Aidant),
        &[f, s],
        t,
    );
    assert_eq!(
        append(&app, &founder_b, &mut org, st).await.0,
        StatusCode::CREATED
    );

    // An aidant proposing his own promotion: not a responsable (the route, then the chain).
    let own = org.next(
        OrgAction::SetRole,
        member(&ines, Role::Responsable),
        &[&ines.keys.signing],
        t,
    );
    assert_eq!(
        propose(&app, &ines_b, &org, &own).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = propose(&app, &founder_b, &org, &own).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "not_a_responsable");
    // The root alone, the admin: not responsables.
    let by_root = org.next(
        OrgAction::SetRole,
        member(&ines, Role::Responsable),
        &[&org.root],
        t,
    );
    let (_, body) = propose(&app, &founder_b, &org, &by_root).await;
    assert_eq!(body["code"], "not_a_responsable");
    let by_admin = org.next(
        OrgAction::AddMember,
        member(&admin_owner, Role::Responsable),
        &[&admin_owner.keys.signing],
        t,
    );
    assert_eq!(
        propose(&app, &admin, &org, &by_admin).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, body) = propose(&app, &founder_b, &org, &by_admin).await;
    assert_eq!(body["code"], "not_a_responsable");
    // Signed by the other responsable than the one posting it.
    let promote = org.next(
        OrgAction::SetRole,
        member(&ines, Role::Responsable),
        &[s],
        t,
    );
    let (status, body) = propose(&app, &founder_b, &org, &promote).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // Already two signatures: append it, it is no proposal.
    let both = org.next(
        OrgAction::SetRole,
        member(&ines, Role::Responsable),
        &[f, s],
        t,
    );
    let (status, body) = propose(&app, &founder_b, &org, &both).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "bad_chain");
    // A statement that would not apply once countersigned: a member added again, a role she
    // already has.
    let again = org.next(OrgAction::AddMember, member(&ines, Role::Aidant), &[f], t);
    let (_, body) = propose(&app, &founder_b, &org, &again).await;
    assert_eq!(body["code"], "bad_chain");
    let same = org.next(OrgAction::SetRole, member(&ines, Role::Aidant), &[f], t);
    let (_, body) = propose(&app, &founder_b, &org, &same).await;
    assert_eq!(body["code"], "bad_chain");
    // A person's coffre is no member.
    let karim_in = org.next(OrgAction::AddMember, member(&karim, Role::Aidant), &[f], t);
    let (status, body) = propose(&app, &founder_b, &org, &karim_in).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // Another seq (the chain moved): a conflict.
    let mut stale = promote.peek::<OrgChain>().unwrap();
    stale.seq -= 1;
    let stale = sign(&stale, &[f]).unwrap();
    assert_eq!(
        propose(&app, &founder_b, &org, &stale).await.0,
        StatusCode::CONFLICT
    );
    let (_, listed) = get(&app, &second_b, &proposals_path(&org)).await;
    assert_eq!(listed, json!({"proposals": []}), "none of these was kept");

    // At most PROPOSALS_CAP wait at once.
    let promote = org.next(
        OrgAction::SetRole,
        member(&ines, Role::Responsable),
        &[f],
        t,
    );
    for _ in 0..coffre_server::db::org_proposals::PROPOSALS_CAP {
        assert_eq!(
            propose(&app, &founder_b, &org, &promote).await.0,
            StatusCode::CREATED
        );
    }
    assert_eq!(
        propose(&app, &founder_b, &org, &promote).await.0,
        StatusCode::CONFLICT
    );
    app.stop().await;
}
