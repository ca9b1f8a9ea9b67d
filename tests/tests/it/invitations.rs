//! Professional and admin accounts from one-time invitations, on SQLite and PostgreSQL:
//! `coffre admin invite` prints a link; the link opens one account of its role, once,
//! before it expires; a coffre opened without one is a person's.

use coffre_server::domain::AccountRole;
use coffre_server::http::invitations::invite;
use coffre_tests::owner::{Owner, json_of, nonce, start};
use coffre_tests::process::run_coffre;
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

on_both_backends!(
    an_invitation_opens_one_account_of_its_role,
    an_invitation_expires,
    the_command_line_prints_a_working_admin_link,
);

/// The token in an invitation link (after `#`).
fn token_of(link: &str) -> String {
    let (_, token) = link
        .split_once("/inscription#")
        .expect("an invitation link");
    token.to_owned()
}

async fn check(app: &TestApp, token: &str) -> (StatusCode, Value) {
    json_of(
        app.client
            .post(app.at("/api/invitations/check"))
            .json(&json!({ "token": token }))
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Opens `owner`'s account with `invitation` (or none).
async fn open(app: &TestApp, owner: &Owner, invitation: Option<&str>) -> (StatusCode, Value) {
    let (nonce, now) = nonce(app).await;
    let mut body = owner.create_body(&nonce, now);
    if let Some(token) = invitation {
        body["invitation"] = json!(token);
    }
    json_of(
        app.client
            .post(app.at("/api/coffres"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn an_invitation_opens_one_account_of_its_role(env: TestEnv) {
    let (app, _) = start(&env).await;
    let state = &app.state;
    let (link, _) = invite(
        &state.store,
        &state.clock,
        &state.origin,
        AccountRole::Professional,
        Duration::hours(72),
    )
    .await
    .unwrap();
    assert!(
        link.starts_with(&format!("{}/inscription#", state.origin)),
        "{link}"
    );
    let token = token_of(&link);
    let (status, info) = check(&app, &token).await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert_eq!(info["role"], "professional");

    // A person's coffre, without an invitation.
    let person = Owner::new(state.origin.as_str());
    let (status, opened) = open(&app, &person, None).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    assert_eq!(opened["session"]["role"], "person");

    // The professional's account: the role comes from the invitation.
    let aidant = Owner::new(state.origin.as_str());
    let (status, opened) = open(&app, &aidant, Some(&token)).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    assert_eq!(opened["session"]["role"], "professional");

    // Used once: a second account with the same link is refused, and nothing is stored.
    let (status, _) = check(&app, &token).await;
    assert_eq!(status, StatusCode::GONE);
    let second = Owner::new(state.origin.as_str());
    let (status, body) = open(&app, &second, Some(&token)).await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    assert_eq!(body["code"], "invitation_expired");
    assert!(
        state
            .store
            .coffre(coffre_server::domain::CoffreId(second.coffre.0))
            .await
            .unwrap()
            .is_none(),
        "a refused invitation opens nothing"
    );
    // The aidant signs in like anyone, and the session says the role.
    let (n, _) = nonce(&app).await;
    let (status, signed_in) = json_of(
        app.client
            .post(app.at("/api/sessions/carte"))
            .json(&aidant.carte_sign_in(&n, coffre_tests::owner::PIN))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(signed_in["session"]["role"], "professional");

    // An unknown token and a malformed one.
    let (status, _) = check(&app, &coffre_crypto::encoding::b64(&[1u8; 32])).await;
    assert_eq!(status, StatusCode::GONE);
    let (status, _) = check(&app, "short").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = open(&app, &Owner::new(state.origin.as_str()), Some("short")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    app.stop().await;
}

async fn an_invitation_expires(env: TestEnv) {
    let (app, clock) = start(&env).await;
    let state = &app.state;
    let (link, _) = invite(
        &state.store,
        &state.clock,
        &state.origin,
        AccountRole::Admin,
        Duration::hours(1),
    )
    .await
    .unwrap();
    let token = token_of(&link);
    assert_eq!(check(&app, &token).await.1["role"], "admin");
    clock.advance(Duration::hours(1));
    let (status, _) = check(&app, &token).await;
    assert_eq!(status, StatusCode::GONE);
    let (status, body) = open(&app, &Owner::new(state.origin.as_str()), Some(&token)).await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    app.stop().await;
}

async fn the_command_line_prints_a_working_admin_link(env: TestEnv) {
    let mut vars = env.child_env();
    vars.push((
        "COFFRE_PUBLIC_URL".to_owned(),
        "https://coffre.example.org".to_owned(),
    ));
    let (ok, stdout, stderr) = run_coffre(
        &["admin", "invite", "--role", "admin", "--hours", "2"],
        &vars,
    )
    .await;
    assert!(ok, "{stderr}");
    assert!(stdout.contains("an admin's account"), "{stdout}");
    let link = stdout
        .lines()
        .find(|l| l.starts_with("https://coffre.example.org/inscription#"))
        .unwrap_or_else(|| panic!("a link in {stdout}"));
    assert_eq!(token_of(link).len(), 43, "32 bytes in base64url");
    // The server on the same database accepts it.
    let (app, _) = start(&env).await;
    let (status, info) = check(&app, &token_of(link)).await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert_eq!(info["role"], "admin");
    app.stop().await;
    // Out of range: refused with a clear message.
    let (ok, _, stderr) = run_coffre(
        &["admin", "invite", "--role", "admin", "--hours", "0"],
        &vars,
    )
    .await;
    assert!(!ok);
    assert!(stderr.contains("--hours"), "{stderr}");
}
