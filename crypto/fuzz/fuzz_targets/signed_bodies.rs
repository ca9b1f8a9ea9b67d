#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    coffre_crypto::fuzz_targets::signed_bodies(data);
});
