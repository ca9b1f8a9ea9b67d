//! The schema as read back from a database, in a vocabulary both backends share, so the
//! migration parity test can compare SQLite and PostgreSQL: tables and columns (type, NOT
//! NULL, primary key), CHECK constraints, UNIQUE constraints and indexes.

use std::collections::BTreeSet;
use std::fmt::Debug;

/// A column type in the shared vocabulary: SQLite's storage classes, which PostgreSQL
/// types map onto. A PostgreSQL type with no single SQLite counterpart (`integer`,
/// `timestamptz`, `varchar`, `numeric`…) stays `Other`, and never matches: integers are
/// `BIGINT`, times are `BIGINT` microseconds, strings are `TEXT` on PostgreSQL.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColumnKind {
    /// SQLite `INTEGER`; PostgreSQL `bigint`, or `boolean` (SQLite has no boolean).
    Integer,
    /// SQLite `TEXT`; PostgreSQL `text`.
    Text,
    /// SQLite `BLOB`; PostgreSQL `bytea`, or `uuid` (16 bytes on SQLite).
    Blob,
    /// SQLite `REAL`; PostgreSQL `double precision`.
    Real,
    /// Anything else, with the backend's own name.
    Other(String),
}

impl ColumnKind {
    /// A SQLite declared type (tables are STRICT: one of the storage classes or ANY).
    pub fn from_sqlite(declared: &str) -> Self {
        match declared.to_ascii_uppercase().as_str() {
            "INTEGER" => Self::Integer,
            "TEXT" => Self::Text,
            "BLOB" => Self::Blob,
            "REAL" => Self::Real,
            other => Self::Other(format!("sqlite {other}")),
        }
    }

    /// A PostgreSQL `information_schema.columns.data_type`.
    pub fn from_postgres(data_type: &str) -> Self {
        match data_type {
            "bigint" | "boolean" => Self::Integer,
            "text" => Self::Text,
            "bytea" | "uuid" => Self::Blob,
            "double precision" => Self::Real,
            other => Self::Other(format!("postgres {other}")),
        }
    }
}

/// One column of a table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ColumnInfo {
    pub table: String,
    pub column: String,
    pub kind: ColumnKind,
    pub not_null: bool,
    pub primary_key: bool,
}

/// A CHECK constraint, known by the columns its expression names (the expressions
/// themselves are written in each backend's dialect: `length` / `octet_length`…).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CheckInfo {
    pub table: String,
    /// Sorted.
    pub columns: Vec<String>,
}

/// What made an index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndexOrigin {
    /// A `UNIQUE` constraint (its index is named by the backend, so the name is not
    /// compared).
    UniqueConstraint,
    /// `CREATE [UNIQUE] INDEX name`: the name is ours and must match.
    Created(String),
}

/// An index other than a primary key's (primary keys are compared with the columns:
/// SQLite has no index for an `INTEGER PRIMARY KEY`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndexInfo {
    pub table: String,
    pub origin: IndexOrigin,
    /// In key order.
    pub columns: Vec<String>,
    pub unique: bool,
    pub partial: bool,
}

/// A database's schema, migration bookkeeping excluded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemaInfo {
    pub columns: Vec<ColumnInfo>,
    pub checks: Vec<CheckInfo>,
    pub indexes: Vec<IndexInfo>,
}

/// What differs between two schemas, one line per difference (empty: equal).
pub fn schema_differences(
    (a_name, a): (&str, &SchemaInfo),
    (b_name, b): (&str, &SchemaInfo),
) -> Vec<String> {
    let mut out = Vec::new();
    one_sided(
        &mut out,
        "column",
        (a_name, &a.columns),
        (b_name, &b.columns),
    );
    one_sided(&mut out, "CHECK", (a_name, &a.checks), (b_name, &b.checks));
    one_sided(
        &mut out,
        "index",
        (a_name, &a.indexes),
        (b_name, &b.indexes),
    );
    out
}

fn one_sided<T: Ord + Debug>(
    out: &mut Vec<String>,
    what: &str,
    (a_name, a): (&str, &[T]),
    (b_name, b): (&str, &[T]),
) {
    // A multiset: two identical CHECKs on one side are not one.
    let (a, b) = (numbered(a), numbered(b));
    for item in a.difference(&b) {
        out.push(format!("{what} only in {a_name}: {:?}", item.1));
    }
    for item in b.difference(&a) {
        out.push(format!("{what} only in {b_name}: {:?}", item.1));
    }
}

/// `items` as a set of (how many equal items came before, item).
fn numbered<T: Ord>(items: &[T]) -> BTreeSet<(usize, &T)> {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort();
    let mut out = BTreeSet::new();
    let mut previous: Option<&T> = None;
    let mut n = 0;
    for item in sorted {
        n = if previous == Some(item) { n + 1 } else { 0 };
        out.insert((n, item));
        previous = Some(item);
    }
    out
}

/// The CHECK constraints of a SQLite `CREATE TABLE` statement (as kept in
/// `sqlite_schema.sql`), each as the sorted `columns` it names. SQLite has no catalogue
/// of CHECK constraints, so the statement is read: comments and string literals are
/// skipped, and the identifiers of each `CHECK (…)` are matched against the columns.
pub fn sqlite_checks(table: &str, create_sql: &str, columns: &[String]) -> Vec<CheckInfo> {
    let tokens = tokenize(create_sql);
    let mut checks = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_check = matches!(&tokens[i], Token::Word(w) if w.eq_ignore_ascii_case("check"))
            && matches!(tokens.get(i + 1), Some(Token::Open));
        if !is_check {
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        let mut named = BTreeSet::new();
        let mut j = i + 1;
        while j < tokens.len() {
            match &tokens[j] {
                Token::Open => depth += 1,
                Token::Close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                Token::Word(w) => {
                    if let Some(column) = columns.iter().find(|c| c.eq_ignore_ascii_case(w)) {
                        named.insert(column.clone());
                    }
                }
                Token::Other => {}
            }
            j += 1;
        }
        checks.push(CheckInfo {
            table: table.to_owned(),
            columns: named.into_iter().collect(),
        });
        i = j + 1;
    }
    checks
}

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Open,
    Close,
    Other,
}

fn tokenize(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let closing = |open: char| match open {
        '[' => ']',
        other => other,
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            // A string literal ('' inside is a quote): never a column.
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' && chars.get(i + 1) == Some(&'\'') {
                    i += 2;
                } else if chars[i] == '\'' {
                    break;
                } else {
                    i += 1;
                }
            }
            i += 1;
            tokens.push(Token::Other);
        } else if matches!(c, '"' | '`' | '[') {
            // A quoted identifier.
            let end = closing(c);
            let start = i + 1;
            i = start;
            while i < chars.len() && chars[i] != end {
                i += 1;
            }
            tokens.push(Token::Word(
                chars[start..i.min(chars.len())].iter().collect(),
            ));
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Word(chars[start..i].iter().collect()));
        } else {
            tokens.push(match c {
                '(' => Token::Open,
                ')' => Token::Close,
                _ => Token::Other,
            });
            i += 1;
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(table: &str, column: &str, kind: ColumnKind) -> ColumnInfo {
        ColumnInfo {
            table: table.into(),
            column: column.into(),
            kind,
            not_null: true,
            primary_key: false,
        }
    }

    fn schema() -> SchemaInfo {
        SchemaInfo {
            columns: vec![
                column("blobs", "id", ColumnKind::Blob),
                column("blobs", "size", ColumnKind::Integer),
            ],
            checks: vec![CheckInfo {
                table: "blobs".into(),
                columns: vec!["size".into()],
            }],
            indexes: vec![IndexInfo {
                table: "blobs".into(),
                origin: IndexOrigin::Created("blobs_size".into()),
                columns: vec!["size".into()],
                unique: false,
                partial: false,
            }],
        }
    }

    fn differences(a: &SchemaInfo, b: &SchemaInfo) -> Vec<String> {
        schema_differences(("SQLite", a), ("PostgreSQL", b))
    }

    #[test]
    fn equal_schemas_have_no_differences() {
        assert_eq!(differences(&schema(), &schema()), Vec::<String>::new());
    }

    #[test]
    fn a_different_type_is_a_difference() {
        let mut b = schema();
        b.columns[1].kind = ColumnKind::from_postgres("integer");
        let found = differences(&schema(), &b);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("only in SQLite") && found[0].contains("size"));
        assert!(found[1].contains("only in PostgreSQL") && found[1].contains("postgres integer"));
    }

    #[test]
    fn checks_unique_and_indexes_are_compared() {
        let mut b = schema();
        b.checks.push(b.checks[0].clone());
        let found = differences(&schema(), &b);
        assert_eq!(found.len(), 1, "a duplicated CHECK counts: {found:?}");
        assert!(found[0].starts_with("CHECK only in PostgreSQL"));

        let mut b = schema();
        b.indexes[0].unique = true;
        assert_eq!(differences(&schema(), &b).len(), 2);

        let mut b = schema();
        b.indexes[0].origin = IndexOrigin::Created("blobs_by_size".into());
        assert_eq!(differences(&schema(), &b).len(), 2, "index names are ours");

        let mut b = schema();
        b.indexes.push(IndexInfo {
            table: "blobs".into(),
            origin: IndexOrigin::UniqueConstraint,
            columns: vec!["id".into()],
            unique: true,
            partial: false,
        });
        let found = differences(&schema(), &b);
        assert!(found[0].contains("UniqueConstraint"), "{found:?}");
    }

    #[test]
    fn the_type_vocabulary_maps_both_backends() {
        assert_eq!(ColumnKind::from_sqlite("integer"), ColumnKind::Integer);
        assert_eq!(ColumnKind::from_postgres("bigint"), ColumnKind::Integer);
        assert_eq!(ColumnKind::from_postgres("boolean"), ColumnKind::Integer);
        assert_eq!(ColumnKind::from_postgres("uuid"), ColumnKind::Blob);
        assert_eq!(ColumnKind::from_sqlite("BLOB"), ColumnKind::Blob);
        assert_ne!(
            ColumnKind::from_postgres("timestamp with time zone"),
            ColumnKind::from_sqlite("TEXT")
        );
        assert_ne!(ColumnKind::from_postgres("integer"), ColumnKind::Integer);
    }

    #[test]
    fn sqlite_checks_are_read_from_the_statement() {
        let columns: Vec<String> = ["id", "size", "state", "note"].map(String::from).to_vec();
        let sql = "CREATE TABLE blobs (\n\
            id BLOB NOT NULL PRIMARY KEY, -- check (note) in a comment\n\
            size INTEGER NOT NULL CHECK (size >= 0 AND (size < 10)), /* CHECK (id) */\n\
            state TEXT NOT NULL CHECK (state IN ('size', 'it''s')),\n\
            note TEXT,\n\
            CHECK (\"note\" <> state)\n\
        ) STRICT";
        let checks = sqlite_checks("blobs", sql, &columns);
        let named: Vec<Vec<String>> = checks.into_iter().map(|c| c.columns).collect();
        assert_eq!(
            named,
            vec![
                vec!["size".to_owned()],
                vec!["state".to_owned()],
                vec!["note".to_owned(), "state".to_owned()],
            ]
        );
    }
}
