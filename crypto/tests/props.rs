//! Property tests: round trips at the STREAM boundaries and single-bit flips.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use coffre_crypto::age_io::{self, recipient_of};
use coffre_crypto::encoding::Hash32;
use coffre_crypto::journal::verify_journal;
use coffre_crypto::kinds::Revocation;
use coffre_crypto::paper;
use coffre_crypto::statement::{Envelope, sign};
use proptest::prelude::*;
use support::fixtures::*;

const CHUNK: usize = 64 * 1024;

fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

#[test]
fn stream_boundaries_round_trip() {
    for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
        let plain = data(len, 3);
        let ids = [x25519(1), x25519(2), x25519(3)];
        let rs: Vec<_> = ids.iter().map(recipient_of).collect();
        let ct = age_io::encrypt(&rs, &plain).unwrap();
        for id in &ids {
            assert_eq!(
                &age_io::decrypt(id, &ct).unwrap()[..],
                &plain[..],
                "len {len}"
            );
        }
        assert!(age_io::decrypt(&x25519(4), &ct).is_err());
    }
}

#[test]
fn sealed_paper_stream_boundaries() {
    let o = owner();
    let certenv = sign(&cert(), &[&o.signing]).unwrap();
    let ctx = ctx();
    let policy = paper::UploaderPolicy::owner(o.public());
    let k = ck();
    for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5] {
        let plain = data(len, 9);
        let s = paper::seal_paper(
            &ctx,
            &o.signing,
            None,
            &verified_cert(),
            id(0xa1),
            &plain,
            &Default::default(),
            NOW,
        )
        .unwrap();
        let inputs = paper::OpenInputs {
            ctx: &ctx,
            policy: &policy,
            cert: &certenv,
            ck: &k,
            paper: id(0xa1),
            deposit_receipt: None,
        };
        let opened =
            paper::open_paper_stream(&inputs, &s.statement, &s.content[..], &s.meta).unwrap();
        assert_eq!(&opened.content[..], &plain[..]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn ciphertext_bit_flip_rejected(len in prop_oneof![Just(0usize), Just(1), 2usize..3000, Just(CHUNK), Just(CHUNK + 1)], pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let plain = data(len, 1);
        let id = x25519(7);
        let mut ct = age_io::encrypt(&[recipient_of(&id)], &plain).unwrap();
        let i = pos.index(ct.len());
        ct[i] ^= 1 << bit;
        prop_assert!(age_io::decrypt(&id, &ct).is_err(), "flip at {} of {} accepted", i, ct.len());
    }

    #[test]
    fn paper_bit_flip_rejected(pos in any::<prop::sample::Index>(), bit in 0u8..8, which in 0u8..3) {
        let o = owner();
        let certenv = sign(&cert(), &[&o.signing]).unwrap();
        let ctx = ctx();
        let policy = paper::UploaderPolicy::owner(o.public());
        let k = ck();
        let mut s = paper::seal_paper(&ctx, &o.signing, None, &verified_cert(), id(0xa1), &data(1000, 2), &Default::default(), NOW).unwrap();
        let mut st = s.statement.to_bytes().unwrap();
        match which {
            0 => { let i = pos.index(s.content.len()); s.content[i] ^= 1 << bit; }
            1 => { let i = pos.index(s.meta.len()); s.meta[i] ^= 1 << bit; }
            _ => { let i = pos.index(st.len()); st[i] ^= 1 << bit; }
        }
        let inputs = paper::OpenInputs { ctx: &ctx, policy: &policy, cert: &certenv, ck: &k, paper: id(0xa1), deposit_receipt: None };
        let r = Envelope::parse(&st).and_then(|env| paper::open_paper(&inputs, &env, &s.content, &s.meta));
        prop_assert!(r.is_err());
    }

    #[test]
    fn envelope_bit_flip_rejected(pos in any::<prop::sample::Index>(), bit in 0u8..8, created in 0u64..(1 << 53)) {
        let o = owner();
        let body = Revocation { coffre: coffre(), created, epoch: 0, instance: INSTANCE.into(), kind: Default::default(), mandate: id(0x91), v: Default::default() };
        let mut bytes = sign(&body, &[&o.signing]).unwrap().to_bytes().unwrap();
        let i = pos.index(bytes.len());
        bytes[i] ^= 1 << bit;
        let r = Envelope::parse(&bytes).and_then(|e| e.verify_by::<Revocation>(&o.public()));
        prop_assert!(r.is_err());
    }

    #[test]
    fn journal_entry_bit_flip_rejected(pos in any::<prop::sample::Index>(), bit in 0u8..8, idx in 0usize..3) {
        let o = owner();
        let mut prev = Hash32::ZERO;
        let mut entries = vec![];
        for seq in 0..3 {
            let e = sign(&journal_entry(seq, prev, &o.signing, "upload", NOW + seq), &[&o.signing]).unwrap();
            prev = e.hash().unwrap();
            entries.push(e.to_bytes().unwrap());
        }
        let i = pos.index(entries[idx].len());
        entries[idx][i] ^= 1 << bit;
        let ctx = ctx();
        let okey = o.public();
        let r = entries.iter().map(|b| Envelope::parse(b)).collect::<Result<Vec<_>, _>>()
            .and_then(|es| verify_journal(&es, None, &ctx, &|k, _| *k == okey));
        prop_assert!(r.is_err());
    }
}
