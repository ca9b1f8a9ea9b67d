//! `COFFRE_*` environment variables as a figment provider.
//!
//! The variables are captured once (`EnvVars::from_process`) or given explicitly
//! (`EnvVars::from_pairs`, in tests), so loading never depends on hidden global state.

use figment::value::{Dict, Map, Value};
use figment::{Error, Metadata, Profile, Provider};

use super::{NON_CONFIG_ENV, NON_CONFIG_ENV_PREFIXES};

const PREFIX: &str = "COFFRE_";

/// The `COFFRE_*` variables that are configuration keys, as (dotted key, raw value).
#[derive(Clone, Debug, Default)]
pub struct EnvVars {
    pairs: Vec<(String, String)>,
}

impl EnvVars {
    /// Captures the `COFFRE_*` variables of this process.
    pub fn from_process() -> Self {
        Self::from_pairs(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }

    /// Keeps the `COFFRE_*` pairs among `vars`: `COFFRE_TLS__MODE` becomes `tls.mode`.
    pub fn from_pairs<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: AsRef<str>,
        V: Into<String>,
    {
        let pairs = vars
            .into_iter()
            .filter_map(|(k, v)| {
                let name = k.as_ref();
                let rest = name
                    .get(..PREFIX.len())
                    .filter(|p| p.eq_ignore_ascii_case(PREFIX))
                    .map(|_| &name[PREFIX.len()..])?;
                let key = rest.to_ascii_lowercase();
                let skipped = NON_CONFIG_ENV.contains(&key.as_str())
                    || NON_CONFIG_ENV_PREFIXES.iter().any(|p| key.starts_with(p));
                (!skipped && !key.is_empty()).then(|| (key.replace("__", "."), v.into()))
            })
            .collect();
        Self { pairs }
    }

    /// Whether no configuration variable was given.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

impl Provider for EnvVars {
    fn metadata(&self) -> Metadata {
        Metadata::named("`COFFRE_` environment variable(s)")
    }

    fn data(&self) -> Result<Map<Profile, Dict>, Error> {
        let mut dict = Dict::new();
        for (key, raw) in &self.pairs {
            insert_nested(&mut dict, key, parse_value(raw)).map_err(Error::from)?;
        }
        Ok(Profile::Default.collect(dict))
    }
}

/// Same value syntax as figment's own `Env` provider (`8080` is a number, `true` a
/// boolean, `[a, b]` an array, anything else a string), except that numbers which would
/// not survive the round trip (`007`, `+1`) stay strings. String settings accept numbers
/// and booleans (see `lenient`), so a numeric secret is kept exactly.
fn parse_value(raw: &str) -> Value {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let lossy = raw.starts_with('+')
        || (digits.len() > 1
            && digits.starts_with('0')
            && digits[1..].starts_with(|c: char| c.is_ascii_digit()));
    if lossy {
        return Value::from(raw.to_owned());
    }
    raw.parse().unwrap_or_else(|_| Value::from(raw.to_owned()))
}

fn insert_nested(dict: &mut Dict, dotted: &str, value: Value) -> Result<(), String> {
    match dotted.split_once('.') {
        None => {
            dict.insert(dotted.to_owned(), value);
            Ok(())
        }
        Some((head, tail)) => {
            let entry = dict
                .entry(head.to_owned())
                .or_insert_with(|| Value::from(Dict::new()));
            match entry {
                Value::Dict(_, inner) => insert_nested(inner, tail, value),
                _ => Err(format!(
                    "environment variables set both `{head}` and `{head}.{dotted}`"
                )),
            }
        }
    }
}
