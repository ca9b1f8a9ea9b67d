//! `GET /api/mandates/received/categories`, on SQLite and PostgreSQL: for every mandate the
//! caller acts under now, exactly what `GET /api/mandates/{id}/categories` answers for it,
//! in one answer; nothing of a mandate that has ended, of one to someone else, or of one the
//! caller gave.

use coffre_crypto::kinds::Rights;
use coffre_server::domain::AccountRole;
use coffre_tests::owner::start;
use coffre_tests::{TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::Value;

use crate::deposits::{put_labels, sealed_label};
use crate::mandates::{give, mandate, person, revoke};
use crate::organisations::{account, get, now};

on_both_backends!(the_received_categories_are_each_mandates_own);

/// The batch's mandate ids, in its order.
fn listed(batch: &Value) -> Vec<String> {
    batch["mandates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mandate"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_received_categories_are_each_mandates_own(env: TestEnv) {
    let (app, _) = start(&env).await;
    let (karim, karim_b) = account(&app, AccountRole::Person).await;
    let (lea, lea_b) = account(&app, AccountRole::Person).await;
    let (ines, ines_b) = account(&app, AccountRole::Professional).await;
    let (other, other_b) = account(&app, AccountRole::Professional).await;
    let t = now(&app);

    // Karim gives Inès a consult mandate on one category (its label sealed to her) and a
    // deposit mandate on two; Léa gives her one; Léa gives another aidant one.
    let mut consult = mandate(&karim, person(&ines), Rights::Consult, t, 31);
    consult.categories = vec![karim.categories[0]];
    let mut deposit = mandate(&karim, person(&ines), Rights::Deposit, t, 31);
    deposit.categories = vec![karim.categories[1], karim.categories[2]];
    deposit.categories.sort();
    let from_lea = mandate(&lea, person(&ines), Rights::ConsultDeposit, t, 31);
    let elsewhere = mandate(&lea, person(&other), Rights::Consult, t, 31);
    for (b, o, m) in [
        (&karim_b, &karim, &consult),
        (&karim_b, &karim, &deposit),
        (&lea_b, &lea, &from_lea),
        (&lea_b, &lea, &elsewhere),
    ] {
        let (status, answer) = give(&app, b, o, m).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let label = sealed_label(&karim, &ines, karim.categories[0], t);
    assert_eq!(
        put_labels(&app, &karim_b, consult.mandate, karim.categories[0], &label).await,
        StatusCode::NO_CONTENT
    );

    let (status, batch) = get(&app, &ines_b, "/api/mandates/received/categories").await;
    assert_eq!(status, StatusCode::OK, "{batch}");
    let ids = [consult.mandate, deposit.mandate, from_lea.mandate].map(|m| m.to_string());
    assert_eq!(listed(&batch), ids, "the received ones, by number");
    for (i, id) in ids.iter().enumerate() {
        let (status, one) = get(&app, &ines_b, &format!("/api/mandates/{id}/categories")).await;
        assert_eq!(status, StatusCode::OK, "{one}");
        assert_eq!(
            batch["mandates"][i]["categories"], one["categories"],
            "{id}"
        );
    }
    assert_eq!(
        batch["mandates"][1]["categories"].as_array().unwrap().len(),
        2
    );
    assert!(batch["mandates"][0]["categories"][0]["label"].is_string());
    assert_eq!(batch["mandates"][1]["categories"][0]["label"], Value::Null);

    // The other aidant sees only its own; the owners, who gave them, none.
    let (_, theirs) = get(&app, &other_b, "/api/mandates/received/categories").await;
    assert_eq!(listed(&theirs), [elsewhere.mandate.to_string()]);
    for b in [&karim_b, &lea_b] {
        let (status, none) = get(&app, b, "/api/mandates/received/categories").await;
        assert_eq!(status, StatusCode::OK, "{none}");
        assert_eq!(listed(&none), Vec::<String>::new());
    }

    // Revoked: gone from the batch as from its own route.
    let (status, ended) = revoke(&app, &karim_b, &karim, consult.mandate, t).await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    let (_, after) = get(&app, &ines_b, "/api/mandates/received/categories").await;
    assert_eq!(listed(&after), ids[1..]);
    app.stop().await;
}
