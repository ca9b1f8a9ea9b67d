//! The Coffre server: configuration, storage (database + blobs), HTTP.
//!
//! The server stores only ciphertext and public keys; it can never read a paper.
//! `coffre serve` = [`config::Config::load`] → [`app::open`] → [`server::serve`].

pub mod app;
pub mod backup;
pub mod blobs;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod diagnostics;
pub mod domain;
pub mod error;
pub mod http;
pub mod malloc;
pub mod metrics;
pub mod private_fs;
pub mod retention;
pub mod server;
pub mod telemetry;

#[cfg(test)]
#[path = "../build_support/web.rs"]
mod build_web;
#[cfg(test)]
mod build_web_tests;
