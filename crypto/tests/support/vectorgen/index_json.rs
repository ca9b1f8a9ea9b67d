//! `index.json`: the owner-signed metadata index of a category generation (section 6), the
//! host's listing checked against it and against the journal, and their attacks.

use super::*;
use coffre_crypto::encoding::{INDEX_CAP, Id, to_canonical};
use coffre_crypto::index::{self, IndexCheckpoint, IndexInputs, ListedPaper};

/// The owner's upload statement of paper `b` (fixed hashes: the index names statements, it
/// never opens their files).
fn upload_of(b: u8) -> Envelope {
    let o = owner();
    let body = Upload {
        category: category(),
        coffre: coffre(),
        content_sha256: Hash32::of(format!("content {b}").as_bytes()),
        content_size: 1000 + u64::from(b),
        created: NOW + u64::from(b),
        epoch: 0,
        generation: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: None,
        meta_sha256: Hash32::of(format!("meta {b}").as_bytes()),
        paper: id(b),
        uploader: o.public(),
        v: Default::default(),
    };
    signed(&body, &[&o.signing])
}

fn meta_of(b: u8) -> PaperMeta {
    PaperMeta {
        doc_type: "recepisse".into(),
        expires: (b % 2 == 1).then(|| "2026-06-30".into()),
        filename: format!("recepisse-{b}.jpg"),
        issued: None,
        kind: Default::default(),
        mime: "image/jpeg".into(),
        pages: 2,
        paper: id(b),
        // a3 is a newer version of a1 (both listed: the older one is history).
        replaces: (b == 0xa3).then(|| id(0xa1)),
        sha256: Hash32::of(format!("plaintext {b}").as_bytes()),
        size: 300_000 + u64::from(b),
        title: format!("Récépissé n°{b}"),
        v: Default::default(),
    }
}

fn entry_of(b: u8) -> IndexEntry {
    let up = upload_of(b);
    IndexEntry {
        content_sha256: up.peek::<Upload>().unwrap().content_sha256,
        meta: meta_of(b),
        paper: id(b),
        upload: up.hash().unwrap(),
    }
}

fn body_of(papers: Vec<IndexEntry>) -> PaperIndexBody {
    PaperIndexBody {
        category: category(),
        coffre: coffre(),
        generation: 0,
        kind: Default::default(),
        papers,
        v: Default::default(),
    }
}

fn statement_of(file: &[u8], seq: u64) -> PaperIndex {
    PaperIndex {
        category: category(),
        coffre: coffre(),
        created: NOW + 100 + seq,
        epoch: 0,
        generation: 0,
        index_sha256: Hash32::of(file),
        index_size: file.len() as u64,
        instance: INSTANCE.into(),
        kind: Default::default(),
        seq,
        v: Default::default(),
    }
}

struct Files {
    file: Vec<u8>,
    plain: Vec<u8>,
}

/// An index file of `plain` (the committed one while it still decrypts to it).
fn index_file(store: &mut CtStore, name: &str, plain: Vec<u8>) -> Files {
    let file = store.x25519(&format!("index/{name}/index_ciphertext"), &[ck()], &plain);
    Files { file, plain }
}

pub(super) fn index_file_json(store: &mut CtStore) -> Value {
    let o = owner();
    let ctx = ctx();
    let k = ck();
    let papers = [0xa1u8, 0xa2, 0xa3, 0xa4];
    let uploads: Vec<(u8, Envelope)> = papers.iter().map(|&b| (b, upload_of(b))).collect();
    let plain_of = |entries: Vec<IndexEntry>| to_canonical(&body_of(entries)).unwrap();

    // The generation's two honest indexes: seq 0 holds a1, a2; seq 1 holds a1, a2, a3.
    let seq0 = index_file(
        store,
        "index_seq0",
        plain_of(vec![entry_of(0xa1), entry_of(0xa2)]),
    );
    let seq1 = index_file(
        store,
        "index_seq1",
        plain_of(vec![entry_of(0xa1), entry_of(0xa2), entry_of(0xa3)]),
    );
    let st0 = signed(&statement_of(&seq0.file, 0), &[&o.signing]);
    let st1 = signed(&statement_of(&seq1.file, 1), &[&o.signing]);
    // Another index at seq 1 (a1 only): a host that forks the generation's indexes.
    let fork1 = index_file(store, "forked_index", plain_of(vec![entry_of(0xa1)]));
    let st_fork1 = signed(&statement_of(&fork1.file, 1), &[&o.signing]);
    let remembered1 = IndexCheckpoint {
        seq: 1,
        hash: st1.hash().unwrap(),
    };

    let owner_key = o.public();
    let inputs = |remembered| IndexInputs {
        ctx: &ctx,
        owner: &owner_key,
        ck: &k,
        category: category(),
        generation: 0,
        remembered,
    };
    let mut cases = vec![];
    let mut case = |name: &str,
                    description: &str,
                    statement: &Envelope,
                    file: Option<&Files>,
                    file_size: Option<usize>,
                    remembered: Option<IndexCheckpoint>,
                    want: &str| {
        let zeros;
        let bytes: &[u8] = match (file, file_size) {
            (Some(f), _) => &f.file,
            (None, Some(n)) => {
                zeros = vec![0u8; n];
                &zeros
            }
            (None, None) => unreachable!(),
        };
        let got = expect(
            index::open_index(&inputs(remembered), statement, bytes),
            want,
            name,
        );
        let mut c = json!({
            "name": name,
            "description": description,
            "statement": env_str(statement),
            "expect": got,
        });
        match (file, file_size) {
            (Some(f), _) => {
                c["index_ciphertext"] = json!(b64(&f.file));
                c["index_plaintext"] = json!(String::from_utf8(f.plain.clone()).unwrap());
            }
            (None, Some(n)) => c["file_size"] = json!(n),
            _ => {}
        }
        if let Some(r) = remembered {
            c["remembered"] = json!({"seq": r.seq, "hash": r.hash.to_b64()});
        }
        cases.push(c);
    };
    case(
        "index_seq0",
        "the generation's first index (seq 0): papers a1, a2",
        &st0,
        Some(&seq0),
        None,
        None,
        "ok",
    );
    case(
        "index_seq1",
        "the next index (seq 1): papers a1, a2, a3",
        &st1,
        Some(&seq1),
        None,
        None,
        "ok",
    );
    case(
        "index_seq1_remembered",
        "seq 1 again, by a device that remembers it",
        &st1,
        Some(&seq1),
        None,
        Some(remembered1),
        "ok",
    );
    case(
        "stale_index",
        "attack: the host serves seq 0 to a device that remembers seq 1",
        &st0,
        Some(&seq0),
        None,
        Some(remembered1),
        "rollback",
    );
    case(
        "forked_index",
        "attack: another index at the remembered seq 1",
        &st_fork1,
        Some(&fork1),
        None,
        Some(remembered1),
        "fork",
    );
    let mut other = statement_of(&seq1.file, 1);
    other.category = id(0x22);
    case(
        "other_category",
        "attack: an index of another category (the file is seq 1's)",
        &signed(&other, &[&o.signing]),
        Some(&seq1),
        None,
        None,
        "context_mismatch",
    );
    let mut other = statement_of(&seq1.file, 1);
    other.generation = 1;
    case(
        "other_generation",
        "attack: an index of another generation",
        &signed(&other, &[&o.signing]),
        Some(&seq1),
        None,
        None,
        "context_mismatch",
    );
    let mut other = statement_of(&seq1.file, 1);
    other.coffre = id(0x12);
    case(
        "other_coffre",
        "attack: an index of another coffre",
        &signed(&other, &[&o.signing]),
        Some(&seq1),
        None,
        None,
        "context_mismatch",
    );
    let mut other = statement_of(&seq1.file, 1);
    other.epoch = 1;
    case(
        "other_epoch",
        "attack: an index signed for another epoch than the current one (0)",
        &signed(&other, &[&o.signing]),
        Some(&seq1),
        None,
        None,
        "context_mismatch",
    );
    let mut other = statement_of(&seq1.file, 1);
    other.instance = "https://autre.example".into();
    case(
        "other_instance",
        "attack: an index of another instance",
        &signed(&other, &[&o.signing]),
        Some(&seq1),
        None,
        None,
        "context_mismatch",
    );
    case(
        "forged_signature",
        "attack: seq 1's statement with one bit of the signature flipped",
        &sig_flipped(&st1, 3, 0x04),
        Some(&seq1),
        None,
        None,
        "bad_signature",
    );
    case(
        "signed_by_host",
        "attack: seq 1's statement signed by the host instead of the owner",
        &signed(&statement_of(&seq1.file, 1), &[&admin()]),
        Some(&seq1),
        None,
        None,
        "unauthorised_signer",
    );
    case(
        "file_swapped",
        "attack: seq 1's statement served with seq 0's file",
        &st1,
        Some(&seq0),
        None,
        None,
        "hash_mismatch",
    );
    case(
        "file_too_large",
        "a file of 16 MiB + 1 byte (zeros, `file_size`) under seq 1's statement: refused before hashing",
        &st1,
        None,
        Some(INDEX_CAP + 1),
        None,
        "too_large",
    );
    // Files the owner's key signed but whose plaintext breaks the rules (a broken client).
    let mut hostile = |name: &str, description: &str, plain: Vec<u8>, want: &str| {
        let f = index_file(store, name, plain);
        let st = signed(&statement_of(&f.file, 2), &[&o.signing]);
        case(name, description, &st, Some(&f), None, None, want);
    };
    let mut body = body_of(vec![entry_of(0xa1)]);
    body.category = id(0x22);
    hostile(
        "file_of_other_category",
        "the statement names this category, its file another one",
        to_canonical(&body).unwrap(),
        "context_mismatch",
    );
    hostile(
        "papers_not_sorted",
        "the papers are not sorted by id",
        plain_of(vec![entry_of(0xa2), entry_of(0xa1)]),
        "non_canonical",
    );
    hostile(
        "paper_repeated",
        "one paper twice",
        plain_of(vec![entry_of(0xa1), entry_of(0xa1)]),
        "non_canonical",
    );
    let mut e = entry_of(0xa1);
    e.meta.paper = id(0xa2);
    hostile(
        "entry_names_other_paper",
        "an entry whose metadata names another paper",
        plain_of(vec![e]),
        "paper_id_mismatch",
    );
    let mut e = entry_of(0xa1);
    e.meta.expires = Some("30/06/2026".into());
    hostile(
        "entry_bad_date",
        "an entry whose metadata has a date that is not YYYY-MM-DD",
        plain_of(vec![e]),
        "malformed",
    );
    let mut e = entry_of(0xa1);
    e.meta.replaces = Some(id(0xa1));
    hostile(
        "entry_replaces_itself",
        "an entry whose metadata says the paper replaces itself",
        plain_of(vec![e]),
        "malformed",
    );
    let meta_plain = String::from_utf8(to_canonical(&meta_of(0xa1)).unwrap()).unwrap();
    let wrong_kind = format!(
        r#"{{"category":"{}","coffre":"{}","generation":0,"kind":"paper_index_body","papers":[{{"content_sha256":"{}","meta":{},"paper":"{}","upload":"{}"}}],"v":1}}"#,
        category(),
        coffre(),
        entry_of(0xa1).content_sha256.to_b64(),
        meta_plain.replace("\"paper_meta\"", "\"category_key\""),
        id(0xa1),
        entry_of(0xa1).upload.to_b64()
    );
    hostile(
        "entry_meta_wrong_kind",
        "an entry whose metadata has another kind",
        wrong_kind.into_bytes(),
        "malformed",
    );

    // The host's listing against the index (seq 1 unless said) and the signed deletions.
    let del_a2 = paper::sign_deletion(
        &ctx,
        &o.signing,
        id(0xa2),
        upload_of(0xa2).peek::<Upload>().unwrap().content_sha256,
        NOW + 200,
    )
    .unwrap();
    let deletions = [paper::verify_deletion(&del_a2, &o.public(), &ctx).unwrap()];
    let opened1 = index::open_index(&inputs(None), &st1, &seq1.file).unwrap();
    let opened0 = index::open_index(&inputs(None), &st0, &seq0.file).unwrap();
    let listed = |bs: &[u8]| -> Vec<ListedPaper> {
        bs.iter()
            .map(|&b| ListedPaper {
                paper: id(b),
                upload: upload_of(b).hash().unwrap(),
            })
            .collect()
    };
    let listed_json = |l: &[ListedPaper]| -> Value {
        l.iter()
            .map(|p| json!({"paper": p.paper.to_string(), "upload": p.upload.to_b64()}))
            .collect()
    };
    let ids = |v: &[Id]| -> Value { v.iter().map(|i| i.to_string()).collect() };
    let mut listing_cases = vec![];
    let mut listing = |name: &str,
                       description: &str,
                       which: &str,
                       listed: Vec<ListedPaper>,
                       with_deletion: bool,
                       want: &str| {
        let idx = if which == "index_seq0" {
            &opened0
        } else {
            &opened1
        };
        let dels: &[Deletion] = if with_deletion { &deletions } else { &[] };
        let r = index::check_index_listing(idx, &listed, dels);
        let mut c = json!({
            "name": name,
            "description": description,
            "index": which,
            "listed": listed_json(&listed),
            "deletions": if with_deletion { json!([env_str(&del_a2)]) } else { json!([]) },
        });
        match r {
            Ok(l) => {
                assert_eq!(want, "ok", "{name}");
                let shown: Vec<Id> = l.indexed.iter().map(|e| e.paper).collect();
                c["indexed"] = ids(&shown);
                c["newer"] = ids(&l.newer);
                c["expect"] = json!("ok");
            }
            Err(e) => {
                assert_eq!(want, e.code(), "{name}");
                c["expect"] = json!(e.code());
            }
        }
        listing_cases.push(c);
    };
    listing(
        "all_listed",
        "the host lists the index's papers with their statements",
        "index_seq1",
        listed(&[0xa1, 0xa2, 0xa3]),
        false,
        "ok",
    );
    listing(
        "one_newer",
        "a paper uploaded after the index: listed, not indexed, opened from its own files",
        "index_seq1",
        listed(&[0xa1, 0xa2, 0xa3, 0xa4]),
        false,
        "ok",
    );
    listing(
        "deleted_with_statement",
        "a2 is gone with the owner's signed deletion",
        "index_seq1",
        listed(&[0xa1, 0xa3]),
        true,
        "ok",
    );
    listing(
        "hidden_by_host",
        "attack: a2 is in the index, not listed, and no deletion names it",
        "index_seq1",
        listed(&[0xa1, 0xa3]),
        false,
        "paper_missing",
    );
    let mut swapped = listed(&[0xa1, 0xa2, 0xa3]);
    swapped[1].upload = upload_of(0xa4).hash().unwrap();
    listing(
        "other_upload_served",
        "attack: a2 listed with another upload statement than the one indexed",
        "index_seq1",
        swapped,
        false,
        "hash_mismatch",
    );
    let mut twice = listed(&[0xa1, 0xa2, 0xa3]);
    twice.push(ListedPaper {
        paper: id(0xa1),
        upload: upload_of(0xa3).hash().unwrap(),
    });
    listing(
        "listed_twice",
        "attack: a1 listed twice, with two statements",
        "index_seq1",
        twice,
        false,
        "hash_mismatch",
    );
    listing(
        "stale_index_complete_listing",
        "seq 0 served to a device that remembers nothing, every paper listed: a3 is simply newer than it",
        "index_seq0",
        listed(&[0xa1, 0xa2, 0xa3]),
        false,
        "ok",
    );
    listing(
        "stale_index_and_hidden",
        "attack, part 1: seq 0 served and a3 hidden from the listing too (a2 deleted): the index alone cannot tell; see stale_index (a device that remembers seq 1) and the journal case a3_hidden",
        "index_seq0",
        listed(&[0xa1]),
        true,
        "ok",
    );

    // The journal says which papers exist: a1, a2, a3 added, a2 deleted.
    let mut prev = Hash32::ZERO;
    let mut journal = vec![];
    for (seq, (action, b)) in [
        ("paper_added", 0xa1u8),
        ("paper_added", 0xa2),
        ("paper_added", 0xa3),
        ("paper_deleted", 0xa2),
    ]
    .into_iter()
    .enumerate()
    {
        let mut e = journal_entry(seq as u64, prev, &o.signing, action, NOW + seq as u64);
        e.object = Some(id(b));
        let env = signed(&e, &[&o.signing]);
        prev = env.hash().unwrap();
        journal.push(env);
    }
    journal::verify_journal(&journal, None, &ctx, &|k, _| *k == o.public()).unwrap();
    let bodies: Vec<JournalEntry> = journal.iter().map(|e| e.peek().unwrap()).collect();
    let journal_case = |name: &str, description: &str, listed: &[u8], want: &str| {
        let listed: Vec<Id> = listed.iter().map(|&b| id(b)).collect();
        let got = expect(index::check_journal_papers(&bodies, &listed), want, name);
        json!({"name": name, "description": description, "listed": ids(&listed), "expect": got})
    };
    let journal_cases = vec![
        journal_case(
            "all_live_listed",
            "the host lists a1 and a3 (a2 was deleted)",
            &[0xa1, 0xa3],
            "ok",
        ),
        journal_case(
            "a3_hidden",
            "attack, part 2: the host hides a3 from its listing (and serves an index from before it): the journal says a3 was added and never deleted",
            &[0xa1],
            "paper_missing",
        ),
    ];

    json!({
        "description": "The metadata index of category 21.., generation 0 (section 6), to CK[c,0] (identity 0x31..), owner-signed `paper_index` statements; `open_index` cases (the context is instance, coffre 11.., epoch 0, category 21.., generation 0; `remembered` is the device's checkpoint, if any), the host's listing checked against an index (`listed`: paper and upload statement hash; `deletions`: owner-signed; `indexed`/`newer` the outcome), and the host's coffre listing checked against the journal (`journal`: owner entries adding a1, a2, a3 and deleting a2). `uploads` are the papers' upload statements, whose hashes the index names.",
        "ck_identity": identity_string_from_bytes(&[0x31; 32]).unwrap(),
        "owner_ed25519_public": o.public().to_b64(),
        "category": category().to_string(),
        "generation": 0,
        "uploads": uploads.iter().map(|(b, e)| (id(*b).to_string(), json!(env_str(e)))).collect::<serde_json::Map<_, _>>(),
        "journal": journal.iter().map(env_str).collect::<Vec<_>>(),
        "cases": cases,
        "listing_cases": listing_cases,
        "journal_cases": journal_cases,
    })
}
