//! `encoding.json`: canonical JSON, envelope and b64 accept/reject cases (section 2).

use super::*;

pub(super) fn encoding_file() -> Value {
    use coffre_crypto::encoding::parse_canonical;
    let good =
        String::from_utf8(coffre_crypto::encoding::to_canonical(&revocation_body()).unwrap())
            .unwrap();
    let c = coffre().to_string();
    let m = id(0x9c).to_string();
    let mut cases = vec![];
    let mut add = |name: &str, description: &str, input: String, want: &str| {
        let got = code(parse_canonical::<Revocation>(
            input.as_bytes(),
            coffre_crypto::encoding::ENVELOPE_CAP,
        ));
        assert_eq!(got, want, "encoding case {name}");
        cases.push(json!({"name": name, "description": description, "expected_kind": "revocation", "input": input, "expect": want}));
    };
    add(
        "accepted",
        "a canonical revocation body",
        good.clone(),
        "ok",
    );
    add(
        "unsorted_keys",
        "keys not in byte order",
        format!(
            r#"{{"created":{NOW},"coffre":"{c}","epoch":0,"instance":"{INSTANCE}","kind":"revocation","mandate":"{m}","v":1}}"#
        ),
        "non_canonical",
    );
    add(
        "whitespace",
        "a space after a colon",
        good.replacen(":", ": ", 1),
        "non_canonical",
    );
    add(
        "trailing_newline",
        "a trailing line feed",
        format!("{good}\n"),
        "non_canonical",
    );
    add(
        "duplicate_key",
        "the same key twice",
        good.replacen(r#""epoch":0,"#, r#""epoch":0,"epoch":0,"#, 1),
        "duplicate_field",
    );
    add(
        "float",
        "a float where an integer is expected",
        good.replacen(r#""epoch":0"#, r#""epoch":0.0"#, 1),
        "malformed",
    );
    add(
        "negative",
        "a negative integer",
        good.replacen(r#""epoch":0"#, r#""epoch":-1"#, 1),
        "malformed",
    );
    add(
        "too_big_integer",
        "an integer above 2^53-1",
        good.replacen(
            &format!(r#""created":{NOW}"#),
            r#""created":9007199254740992"#,
            1,
        ),
        "non_canonical",
    );
    add(
        "unknown_field",
        "a field the schema does not know",
        good.replacen(r#""v":1"#, r#""v":1,"zzz":1"#, 1),
        "unknown_field",
    );
    add(
        "unknown_version",
        "v = 2",
        good.replacen(r#""v":1"#, r#""v":2"#, 1),
        "unknown_version",
    );
    add(
        "wrong_kind",
        "a deletion where a revocation is expected",
        good.replacen("revocation", "deletion", 1),
        "wrong_kind",
    );
    add(
        "missing_field",
        "no mandate field",
        good.replacen(&format!(r#""mandate":"{m}","#), "", 1),
        "malformed",
    );
    add(
        "uppercase_uuid",
        "an id in uppercase",
        good.replacen(&m, &m.to_uppercase(), 1),
        "malformed",
    );
    add(
        "uuid_v1",
        "an id whose version nibble is 1",
        good.replacen(&m, &format!("{}1{}", &m[..14], &m[15..]), 1),
        "malformed",
    );
    add(
        "escaped_ascii",
        "\\u0068 where h is expected (JSON.stringify writes raw h)",
        good.replacen("https", "\\u0068ttps", 1),
        "non_canonical",
    );
    add(
        "bom",
        "a UTF-8 byte-order mark",
        format!("\u{feff}{good}"),
        "malformed",
    );
    add("not_object", "an array", "[1]".into(), "malformed");
    add("garbage", "not JSON", "coffre".into(), "malformed");
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    add("deep_nesting", "200 nested arrays", deep, "malformed");
    add(
        "too_large",
        "above the 64 KiB envelope cap",
        format!(
            "{}{}",
            good.replacen(r#""v":1"#, r#""v":1,"x":""#, 1),
            "a".repeat(65536)
        ),
        "too_large",
    );
    for (name, description, instance, want) in [
        (
            "instance_port",
            "an https origin with a port",
            "https://coffre.example:8443",
            "ok",
        ),
        (
            "instance_localhost",
            "http://localhost with its port (tests)",
            "http://localhost:8080",
            "ok",
        ),
        (
            "instance_uppercase",
            "an instance host in uppercase",
            "https://Coffre.example",
            "malformed",
        ),
        (
            "instance_trailing_slash",
            "an instance with a trailing slash",
            "https://coffre.example/",
            "malformed",
        ),
        (
            "instance_path",
            "an instance with a path",
            "https://coffre.example/coffre",
            "malformed",
        ),
        (
            "instance_http",
            "plain http to another host than localhost",
            "http://coffre.example",
            "malformed",
        ),
        (
            "instance_localhost_no_port",
            "http://localhost without its port",
            "http://localhost",
            "malformed",
        ),
        (
            "instance_long_port",
            "a port of six digits",
            "https://coffre.example:844300",
            "malformed",
        ),
        (
            "instance_empty_host",
            "https:// without a host",
            "https://",
            "malformed",
        ),
    ] {
        add(
            name,
            description,
            good.replacen(INSTANCE, instance, 1),
            want,
        );
    }
    let receipt_good = String::from_utf8(
        coffre_crypto::encoding::to_canonical(&receipt(1, &person().signing)).unwrap(),
    )
    .unwrap();
    let long_action = "a".repeat(32);
    let too_long_action = "a".repeat(33);
    for (name, description, action, want) in [
        (
            "action_snake_case",
            "an access receipt whose action is snake_case",
            "unwrap_key",
            "ok",
        ),
        (
            "action_32",
            "an access receipt action of 32 characters",
            long_action.as_str(),
            "ok",
        ),
        (
            "action_uppercase",
            "an access receipt action with an uppercase letter",
            "Download",
            "malformed",
        ),
        (
            "action_hyphen",
            "an access receipt action with a hyphen",
            "unwrap-key",
            "malformed",
        ),
        (
            "action_empty",
            "an empty access receipt action",
            "",
            "malformed",
        ),
        (
            "action_33",
            "an access receipt action of 33 characters",
            too_long_action.as_str(),
            "malformed",
        ),
    ] {
        let input = receipt_good.replacen(
            r#""action":"download""#,
            &format!(r#""action":"{action}""#),
            1,
        );
        let got = code(parse_canonical::<AccessReceipt>(
            input.as_bytes(),
            coffre_crypto::encoding::ENVELOPE_CAP,
        ));
        assert_eq!(got, want, "encoding case {name}");
        cases.push(json!({"name": name, "description": description, "expected_kind": "access_receipt", "input": input, "expect": want}));
    }

    let owner = owner();
    let env = signed(&revocation_body(), &[&owner.signing]);
    let good_env = env_str(&env);
    let mut env_cases = vec![];
    let mut add_env = |name: &str, description: &str, input: String, want: &str| {
        let got = code(Envelope::parse(input.as_bytes()));
        assert_eq!(got, want, "envelope case {name}");
        env_cases.push(
            json!({"name": name, "description": description, "input": input, "expect": want}),
        );
    };
    add_env("accepted", "a canonical envelope", good_env.clone(), "ok");
    add_env(
        "padded_b64",
        "b64 body with '=' padding",
        good_env.replacen(
            &format!("\"{}\"", env.body_b64()),
            &format!("\"{}==\"", env.body_b64()),
            1,
        ),
        "bad_base64",
    );
    let two = signed(&revocation_body(), &[&owner.signing, &admin()]);
    let mut rev: Value = serde_json::from_slice(&two.to_bytes().unwrap()).unwrap();
    rev["sigs"].as_array_mut().unwrap().reverse();
    add_env(
        "unsorted_sigs",
        "two signatures not sorted by key",
        serde_json::to_string(&rev).unwrap(),
        "non_canonical",
    );
    let mut dup: Value = serde_json::from_slice(&env.to_bytes().unwrap()).unwrap();
    let first = dup["sigs"][0].clone();
    dup["sigs"].as_array_mut().unwrap().push(first);
    add_env(
        "duplicate_sig_key",
        "the same key twice in sigs",
        serde_json::to_string(&dup).unwrap(),
        "non_canonical",
    );
    add_env(
        "no_sigs",
        "an empty sigs array",
        format!(r#"{{"body":"{}","sigs":[]}}"#, env.body_b64()),
        "too_few_signatures",
    );
    add_env(
        "extra_field",
        "an unknown envelope field",
        good_env.replacen("{", r#"{"a":1,"#, 1),
        "unknown_field",
    );

    let mut b64_cases = vec![];
    for (input, want) in [
        ("AQ", "ok"),
        ("AQ==", "bad_base64"),
        ("AR", "bad_base64"),
        ("+w", "bad_base64"),
        ("-w", "ok"),
        ("A Q", "bad_base64"),
        ("", "ok"),
    ] {
        let got = code(unb64(input));
        assert_eq!(got, want, "b64 {input}");
        b64_cases.push(json!({"input": input, "expect": want, "bytes_hex": unb64(input).ok().map(|b| b.iter().map(|x| format!("{x:02x}")).collect::<String>())}));
    }
    json!({
        "description": "Canonical JSON (section 2.1), envelope parsing (2.2) and b64 (2). 'expect' is 'ok' or an error code; inputs are the exact bytes (UTF-8).",
        "cases": cases,
        "envelope_cases": env_cases,
        "b64_cases": b64_cases,
    })
}
