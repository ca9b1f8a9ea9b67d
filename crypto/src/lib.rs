//! The Coffre protocol in Rust.
