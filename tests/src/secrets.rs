//! Looking for secrets where they must never be: a database's files or rows, logs,
//! captured requests. A secret is searched in every encoding the code uses for it.

use coffre_crypto::encoding::b64;
use coffre_crypto::unlock::{Passphrase, passphrase_auth_key};
use sqlx::{Connection, PgConnection, Row};

use crate::TestEnv;
use crate::owner::{Owner, PIN};

/// One secret and the byte strings that would give it away.
#[derive(Debug, Clone)]
pub struct Secret {
    pub name: String,
    pub forms: Vec<Vec<u8>>,
}

impl Secret {
    /// Raw bytes, their base64url, standard base64 (without padding) and lowercase hex.
    pub fn bytes(name: &str, raw: Vec<u8>) -> Self {
        use base64_forms::standard_b64;
        let forms = vec![
            b64(&raw).into_bytes(),
            standard_b64(&raw).into_bytes(),
            hex_lower(&raw).into_bytes(),
            raw,
        ];
        Self {
            name: name.to_owned(),
            forms,
        }
    }

    /// A text secret, as typed and in lower and upper case.
    pub fn text(name: &str, text: &str) -> Self {
        let mut forms = vec![
            text.as_bytes().to_vec(),
            text.to_lowercase().into_bytes(),
            text.to_uppercase().into_bytes(),
        ];
        forms.extend(Self::bytes(name, text.as_bytes().to_vec()).forms);
        Self {
            name: name.to_owned(),
            forms,
        }
    }
}

mod base64_forms {
    /// Standard base64 without padding (what `btoa` gives, less the `=`).
    pub fn standard_b64(raw: &[u8]) -> String {
        coffre_crypto::encoding::b64(raw)
            .replace('-', "+")
            .replace('_', "/")
    }
}

fn hex_lower(raw: &[u8]) -> String {
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every secret an owner's device holds: the seed, the owner's private keys, the carte
/// (identity string, its bytes, its typed form), the carte's auth key, the PIN and, if
/// given, the passphrase and its auth key.
pub fn of_owner(owner: &Owner, passphrase: Option<&Passphrase>) -> Vec<Secret> {
    use age::secrecy::ExposeSecret;
    let carte = owner.carte.identity.to_string();
    let carte = carte.expose_secret().to_owned();
    let owner_identity = owner.keys.identity.to_string().expose_secret().to_owned();
    let carte_bytes = coffre_crypto::age_io::identity_bytes(&owner.carte.identity).unwrap();
    let owner_x = coffre_crypto::age_io::identity_bytes(&owner.keys.identity).unwrap();
    let mut secrets = vec![
        Secret::bytes("seed", owner.seed.0.to_vec()),
        Secret::text("owner age identity", &owner_identity),
        Secret::bytes("owner X25519 secret", owner_x.to_vec()),
        Secret::bytes(
            "owner Ed25519 secret",
            owner.keys.signing.to_bytes().to_vec(),
        ),
        Secret::text("carte identity", &carte),
        Secret::text(
            "carte typed form",
            carte.trim_start_matches("AGE-SECRET-KEY-1"),
        ),
        Secret::bytes("carte secret bytes", carte_bytes.to_vec()),
        Secret::bytes("carte auth secret", owner.carte_auth().to_bytes().to_vec()),
        Secret::text("PIN", PIN),
    ];
    if let Some(words) = passphrase {
        secrets.push(Secret::text("passphrase", words.expose()));
        secrets.push(Secret::text(
            "passphrase with hyphens",
            &words.expose().replace(' ', "-"),
        ));
        secrets.push(Secret::bytes(
            "passphrase auth secret",
            passphrase_auth_key(words).unwrap().to_bytes().to_vec(),
        ));
    }
    secrets
}

/// Which secrets occur in `haystack` (by name and form index).
pub fn find_in(haystack: &[u8], secrets: &[Secret]) -> Vec<String> {
    let mut found = Vec::new();
    for secret in secrets {
        for (i, form) in secret.forms.iter().enumerate() {
            if !form.is_empty() && haystack.windows(form.len()).any(|w| w == form.as_slice()) {
                found.push(format!("{} (form {i})", secret.name));
            }
        }
    }
    found
}

/// Everything the database holds: the SQLite files (database and WAL) as bytes, or every
/// row of every PostgreSQL table as JSON text (bytea as hex).
pub async fn database_dump(env: &TestEnv) -> Vec<u8> {
    match &env.db.url {
        None => {
            let mut all = Vec::new();
            for entry in std::fs::read_dir(env.data_dir()).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if name.starts_with("coffre.db") {
                    all.extend(std::fs::read(&path).unwrap());
                }
            }
            assert!(!all.is_empty(), "no SQLite file found");
            all
        }
        Some(url) => {
            let mut conn = PgConnection::connect(url).await.unwrap();
            let tables: Vec<String> = sqlx::query(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = 'public'",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.get::<String, _>(0))
            .collect();
            let mut all = Vec::new();
            for table in tables {
                let rows = sqlx::query(&format!("SELECT row_to_json(t)::text FROM \"{table}\" t"))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
                for row in rows {
                    all.extend(row.get::<String, _>(0).into_bytes());
                    all.push(b'\n');
                }
            }
            conn.close().await.ok();
            all
        }
    }
}
