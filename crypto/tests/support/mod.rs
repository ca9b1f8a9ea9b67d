#![allow(dead_code)]
pub mod fixtures;
pub mod vectorgen;
