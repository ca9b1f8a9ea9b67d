//! String settings that also accept a number or boolean: an environment variable such
//! as `COFFRE_S3__SECRET_ACCESS_KEY=0123` is parsed as a number before it reaches us.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::Secret;
use crate::domain::InstanceOrigin;

struct ScalarString(String);

impl<'de> Deserialize<'de> for ScalarString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ScalarString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ScalarString(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(ScalarString(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(ScalarString(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `Option<String>` accepting scalars.
pub fn opt_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<ScalarString>::deserialize(deserializer)?.map(|s| s.0))
}

/// `Option<Secret<String>>` accepting scalars.
pub fn opt_secret<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Secret<String>>, D::Error> {
    Ok(opt_string(deserializer)?.map(Secret::new))
}

/// `Option<InstanceOrigin>` from a string, checked like the protocol's `instance` field.
pub fn opt_origin<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<InstanceOrigin>, D::Error> {
    opt_string(deserializer)?
        .map(|raw| {
            InstanceOrigin::parse(&raw).map_err(|e| de::Error::custom(format!("`public_url`: {e}")))
        })
        .transpose()
}
