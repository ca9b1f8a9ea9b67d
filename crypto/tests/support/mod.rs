#![allow(dead_code)]
pub mod fixtures;
pub mod forge;
pub mod vectorgen;
