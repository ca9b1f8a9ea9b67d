//! Coffre's integration tests: one binary, the real server on loopback.
//!
//! Store and HTTP tests run on SQLite and PostgreSQL (`…::sqlite::…` and
//! `…::postgres::…`). PostgreSQL: `TEST_DATABASE_URL` (default
//! postgres://postgres@127.0.0.1:5432/postgres); unreachable → the tests fail.
//! `COFFRE_TEST_SKIP_POSTGRES=1` compiles them as ignored (reported as ignored, never as
//! ok; refused under `CI=true`, see `tests/build.rs`). S3: a `moto_server` the tests start (or
//! `TEST_S3_ENDPOINT`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod backup;
mod blobs;
mod checkpoints;
mod cli;
mod concurrent_uploads;
mod crash;
mod deposits;
mod http;
mod invitations;
mod lifecycle;
mod listing;
mod mandate_notes;
mod mandates;
mod matrix;
mod metrics;
mod migrations;
mod org_proposals;
mod organisations;
mod packaging;
mod paper_indexes;
mod papers;
mod passkeys;
mod permissions;
mod received_categories;
mod remembered;
mod retention;
mod rotation;
mod s3;
mod scale_out;
mod server_key;
mod startup_sweep;
mod store;
mod support;
mod tls;
mod upgrade;
mod upload_crash;
mod web;
