//! The metadata index of a category generation (section 6): a host that serves an older
//! index, hides or swaps a paper, or passes off another category's, coffre's or epoch's
//! index, or its own.

use super::*;
use coffre_crypto::encoding::Id;
use coffre_crypto::index::{self, IndexCheckpoint, IndexInputs, ListedPaper, OpenedIndex};

fn paper_of(b: u8) -> paper::SealedPaper {
    let meta = paper::MetaFields {
        doc_type: "attestation".into(),
        filename: format!("p{b}.pdf"),
        mime: "application/pdf".into(),
        pages: 1,
        title: format!("Attestation {b}"),
        ..Default::default()
    };
    paper::seal_paper(
        &ctx(),
        &owner().signing,
        None,
        &verified_cert(),
        id(b),
        format!("contenu {b}").as_bytes(),
        &meta,
        NOW + u64::from(b),
    )
    .unwrap()
}

/// The owner's client opens a paper's statement and metadata: its index entry.
fn entry_of(p: &paper::SealedPaper, b: u8) -> IndexEntry {
    let ctx = ctx();
    let policy = paper::UploaderPolicy::owner(owner().public());
    let k = ck();
    let cert = cert_env();
    let inputs = paper::OpenInputs {
        ctx: &ctx,
        policy: &policy,
        cert: &cert,
        ck: &k,
        paper: id(b),
        deposit_receipt: None,
    };
    paper::open_meta(&inputs, &p.statement, &p.meta)
        .unwrap()
        .index_entry()
}

fn listed(papers: &[(&paper::SealedPaper, u8)]) -> Vec<ListedPaper> {
    papers
        .iter()
        .map(|(p, b)| ListedPaper {
            paper: id(*b),
            upload: p.statement.hash().unwrap(),
        })
        .collect()
}

fn seal(seq: u64, entries: Vec<IndexEntry>) -> index::SealedIndex {
    index::seal_index(
        &ctx(),
        &owner().signing,
        &verified_cert(),
        seq,
        entries,
        NOW + 500 + seq,
    )
    .unwrap()
}

fn open(s: &index::SealedIndex, remembered: Option<IndexCheckpoint>) -> Result<OpenedIndex, Error> {
    let ctx = ctx();
    let o = owner().public();
    let k = ck();
    let inputs = IndexInputs {
        ctx: &ctx,
        owner: &o,
        ck: &k,
        category: category(),
        generation: 0,
        remembered,
    };
    index::open_index(&inputs, &s.statement, &s.file)
}

fn ids(v: &[&IndexEntry]) -> Vec<Id> {
    v.iter().map(|e| e.paper).collect()
}

#[test]
fn a_category_listed_from_its_index_then_a_deposit_merged() {
    let (p1, p2, p3) = (paper_of(0xa1), paper_of(0xa2), paper_of(0xa3));
    // Given in any order, sorted by the seal.
    let s0 = seal(0, vec![entry_of(&p2, 0xa2), entry_of(&p1, 0xa1)]);
    let i0 = open(&s0, None).unwrap();
    assert_eq!(i0.papers[0].meta.title, "Attestation 161");
    let l = index::check_index_listing(&i0, &listed(&[(&p1, 0xa1), (&p2, 0xa2)]), &[]).unwrap();
    assert_eq!(ids(&l.indexed), vec![id(0xa1), id(0xa2)]);
    assert!(l.newer.is_empty());
    // A paper uploaded after the index is newer: opened from its files, then merged.
    let all = listed(&[(&p1, 0xa1), (&p2, 0xa2), (&p3, 0xa3)]);
    let l = index::check_index_listing(&i0, &all, &[]).unwrap();
    assert_eq!(l.newer, vec![id(0xa3)]);
    let mut entries = i0.papers.clone();
    entries.push(entry_of(&p3, 0xa3));
    let s1 = seal(1, entries);
    let i1 = open(&s1, Some(i0.checkpoint)).unwrap();
    assert_eq!(i1.checkpoint.seq, 1);
    let l = index::check_index_listing(&i1, &all, &[]).unwrap();
    assert_eq!(l.indexed.len(), 3);
    assert!(l.newer.is_empty());
}

#[test]
fn an_older_or_forked_index_is_refused_by_a_device_that_remembers() {
    let (p1, p2) = (paper_of(0xa1), paper_of(0xa2));
    let s0 = seal(0, vec![entry_of(&p1, 0xa1)]);
    let s1 = seal(1, vec![entry_of(&p1, 0xa1), entry_of(&p2, 0xa2)]);
    let remembered = open(&s1, None).unwrap().checkpoint;
    assert_eq!(open(&s0, Some(remembered)).unwrap_err(), Error::Rollback);
    let other1 = seal(1, vec![entry_of(&p2, 0xa2)]);
    assert_eq!(open(&other1, Some(remembered)).unwrap_err(), Error::Fork);
    open(&s1, Some(remembered)).unwrap();
}

#[test]
fn a_paper_hidden_from_listing_and_index_is_caught_by_the_journal() {
    let p1 = paper_of(0xa1);
    // The host serves the index from before p2 and leaves p2 out of its listing.
    let s0 = seal(0, vec![entry_of(&p1, 0xa1)]);
    let i0 = open(&s0, None).unwrap();
    let l = index::check_index_listing(&i0, &listed(&[(&p1, 0xa1)]), &[]).unwrap();
    assert_eq!(ids(&l.indexed), vec![id(0xa1)]);
    // The owner's journal says p2 was added.
    let o = owner();
    let e0 = {
        let mut e = journal_entry(0, Hash32::ZERO, &o.signing, "paper_added", NOW);
        e.object = Some(id(0xa1));
        signed(&e, &[&o.signing])
    };
    let e1 = {
        let mut e = journal_entry(1, e0.hash().unwrap(), &o.signing, "paper_added", NOW + 1);
        e.object = Some(id(0xa2));
        signed(&e, &[&o.signing])
    };
    verify_journal(&[e0.clone(), e1.clone()], None, &ctx(), &|k, _| {
        *k == o.public()
    })
    .unwrap();
    let page: Vec<JournalEntry> = [e0, e1].iter().map(|e| e.peek().unwrap()).collect();
    assert_eq!(
        index::check_journal_papers(&page, &[id(0xa1)]).unwrap_err(),
        Error::PaperMissing
    );
    index::check_journal_papers(&page, &[id(0xa1), id(0xa2)]).unwrap();
    // A deletion in the journal ends it; a paper action without its paper is malformed.
    let mut del = journal_entry(2, Hash32::ZERO, &o.signing, "paper_deleted", NOW + 2);
    del.object = Some(id(0xa2));
    let mut page2 = page.clone();
    page2.push(del.clone());
    index::check_journal_papers(&page2, &[id(0xa1)]).unwrap();
    del.object = None;
    page2.push(del);
    assert!(matches!(
        index::check_journal_papers(&page2, &[id(0xa1)]),
        Err(Error::Malformed(_))
    ));
}

#[test]
fn an_indexed_paper_dropped_or_swapped_by_the_host() {
    let (p1, p2) = (paper_of(0xa1), paper_of(0xa2));
    let s = seal(0, vec![entry_of(&p1, 0xa1), entry_of(&p2, 0xa2)]);
    let i = open(&s, None).unwrap();
    let only1 = listed(&[(&p1, 0xa1)]);
    assert_eq!(
        index::check_index_listing(&i, &only1, &[]).unwrap_err(),
        Error::PaperMissing
    );
    let c = ctx();
    let content = p2.statement.peek::<Upload>().unwrap().content_sha256;
    let good = paper::sign_deletion(&c, &owner().signing, id(0xa2), content, NOW + 9).unwrap();
    let good = paper::verify_deletion(&good, &owner().public(), &c).unwrap();
    let l = index::check_index_listing(&i, &only1, std::slice::from_ref(&good)).unwrap();
    assert_eq!(ids(&l.indexed), vec![id(0xa1)]);
    // A deletion of another content does not count.
    let other =
        paper::sign_deletion(&c, &owner().signing, id(0xa2), Hash32::of(b"x"), NOW).unwrap();
    let other = paper::verify_deletion(&other, &owner().public(), &c).unwrap();
    assert_eq!(
        index::check_index_listing(&i, &only1, &[other]).unwrap_err(),
        Error::PaperMissing
    );
    // p2 listed with p1's statement, or twice with two statements.
    let mut swapped = listed(&[(&p1, 0xa1), (&p2, 0xa2)]);
    swapped[1].upload = swapped[0].upload;
    assert_eq!(
        index::check_index_listing(&i, &swapped, &[]).unwrap_err(),
        Error::HashMismatch
    );
    let mut twice = listed(&[(&p1, 0xa1), (&p2, 0xa2)]);
    twice.push(ListedPaper {
        paper: id(0xa1),
        upload: twice[1].upload,
    });
    assert_eq!(
        index::check_index_listing(&i, &twice, &[]).unwrap_err(),
        Error::HashMismatch
    );
}

#[test]
fn an_index_of_another_category_coffre_epoch_or_key() {
    let p1 = paper_of(0xa1);
    let o = owner();
    // Another category's certificate (same key, so only the names differ).
    let mut other_cat = cert();
    other_cat.category = id(0x22);
    let s = index::seal_index(
        &ctx(),
        &o.signing,
        &verified_cert_of(&other_cat, NOW),
        0,
        vec![entry_of(&p1, 0xa1)],
        NOW,
    )
    .unwrap();
    assert_eq!(
        open(&s, None).unwrap_err(),
        Error::ContextMismatch("index category or generation")
    );
    let mut other_ctx = ctx();
    other_ctx.epoch = 1;
    let s = index::seal_index(
        &other_ctx,
        &o.signing,
        &verified_cert(),
        0,
        vec![entry_of(&p1, 0xa1)],
        NOW,
    )
    .unwrap();
    assert_eq!(open(&s, None).unwrap_err(), Error::ContextMismatch("epoch"));
    let mut other_ctx = ctx();
    other_ctx.coffre = id(0x12);
    let s = index::seal_index(
        &other_ctx,
        &o.signing,
        &verified_cert(),
        0,
        vec![entry_of(&p1, 0xa1)],
        NOW,
    )
    .unwrap();
    assert_eq!(
        open(&s, None).unwrap_err(),
        Error::ContextMismatch("coffre")
    );
    // The right statement, opened with another generation's key.
    let s = seal(0, vec![entry_of(&p1, 0xa1)]);
    let c = ctx();
    let ok = o.public();
    let wrong = x25519(0x32);
    let inputs = IndexInputs {
        ctx: &c,
        owner: &ok,
        ck: &wrong,
        category: category(),
        generation: 0,
        remembered: None,
    };
    assert_eq!(
        index::open_index(&inputs, &s.statement, &s.file).unwrap_err(),
        Error::DecryptionFailed
    );
}

#[test]
fn an_index_forged_by_the_host() {
    let (p1, p2) = (paper_of(0xa1), paper_of(0xa2));
    let honest = seal(0, vec![entry_of(&p1, 0xa1), entry_of(&p2, 0xa2)]);
    // The host knows the category recipient (certificates are public to it): it can make a
    // file, but not the owner's statement over it.
    let own = index::seal_index(
        &ctx(),
        &admin(),
        &verified_cert(),
        5,
        vec![entry_of(&p1, 0xa1)],
        NOW,
    )
    .unwrap();
    assert_eq!(open(&own, None).unwrap_err(), Error::UnauthorisedSigner);
    let spliced = index::SealedIndex {
        file: own.file.clone(),
        statement: honest.statement.clone(),
    };
    assert_eq!(open(&spliced, None).unwrap_err(), Error::HashMismatch);
    let flipped = index::SealedIndex {
        file: honest.file.clone(),
        statement: sig_flipped(&honest.statement, 7, 0x01),
    };
    assert_eq!(open(&flipped, None).unwrap_err(), Error::BadSignature);
}

#[test]
fn seal_index_refuses_what_open_index_would_refuse() {
    let p1 = paper_of(0xa1);
    let e = entry_of(&p1, 0xa1);
    let r = index::seal_index(
        &ctx(),
        &owner().signing,
        &verified_cert(),
        0,
        vec![e.clone(), e.clone()],
        NOW,
    );
    assert!(matches!(r, Err(Error::NonCanonical(_))));
    let mut wrong = e;
    wrong.paper = id(0xa2);
    let r = index::seal_index(
        &ctx(),
        &owner().signing,
        &verified_cert(),
        0,
        vec![wrong],
        NOW,
    );
    assert_eq!(r.unwrap_err(), Error::PaperIdMismatch);
    // An empty generation has an index too.
    let empty = seal(0, vec![]);
    assert!(open(&empty, None).unwrap().papers.is_empty());
}
