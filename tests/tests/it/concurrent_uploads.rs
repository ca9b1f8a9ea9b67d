//! Many uploads of one coffre at once, on SQLite and PostgreSQL: every chunk is stored,
//! every commit becomes a paper (a `409` only asks to sign the journal entry again), every
//! abandon ends its upload, and nothing answers `500`. What this guards: write transactions
//! that began as reads. On SQLite such a transaction cannot take the write lock once another
//! connection has written since its first read (`SQLITE_BUSY`, with no wait), which is the
//! `500` on commit that 50 concurrent 50 MB uploads met (BENCHMARKS.md section 10).

use coffre_crypto::paper::SealedPaper;
use coffre_tests::owner::{Browser, Owner, open_coffre, start};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use futures::future::join_all;
use reqwest::StatusCode;

use crate::blobs::files_under;
use crate::papers::{category, commit, entry, list, paper_id, seal, send};

on_both_backends!(concurrent_uploads_all_become_papers);

/// Papers uploaded at once (each three chunks, so chunk writes and commits interleave).
const PAPERS: usize = 12;
/// Uploads abandoned meanwhile.
const ABANDONED: usize = 4;
/// Commits of one paper before the test gives up on the journal settling.
const MAX_ATTEMPTS: usize = 4 * PAPERS;

/// Uploads, then commits `sealed`, signing the journal entry again after each `409`.
/// Returns how many attempts it took; any status but `201` and `409` fails the test.
async fn upload_and_commit(
    app: &TestApp,
    browser: &Browser,
    owner: &Owner,
    sealed: &SealedPaper,
) -> usize {
    let id = send(app, browser, &sealed.content).await;
    for attempt in 1..=MAX_ATTEMPTS {
        let journal = entry(app, browser, owner, "paper_added", paper_id(sealed)).await;
        let (status, body) = commit(app, browser, &id, sealed, journal).await;
        match status {
            StatusCode::CREATED => return attempt,
            StatusCode::CONFLICT => continue,
            other => panic!("commit answered {other}: {body}"),
        }
    }
    panic!("no commit in {MAX_ATTEMPTS} attempts");
}

/// Sends one chunk of a new upload, then gives the upload up.
async fn upload_and_abandon(app: &TestApp, browser: &Browser, content: &[u8]) {
    let id = send(app, browser, content).await;
    let status = browser
        .with(app.client.delete(app.at(&format!("/api/uploads/{id}"))))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NO_CONTENT, "abandon");
}

async fn concurrent_uploads_all_become_papers(env: TestEnv) {
    let (app, _) = start(&env).await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    let (cert, _) = category(&app, &browser, &owner).await;
    let now = coffre_tests::owner::start_time().unix_timestamp() as u64;
    // Three chunks each: 256 KiB, 256 KiB and the rest.
    let sealed: Vec<SealedPaper> = (0..PAPERS)
        .map(|_| seal(&owner, &cert, 600_000, now))
        .collect();
    let dropped = vec![7u8; 1000];

    let commits = join_all(
        sealed
            .iter()
            .map(|s| upload_and_commit(&app, &browser, &owner, s)),
    );
    let abandons = join_all((0..ABANDONED).map(|_| upload_and_abandon(&app, &browser, &dropped)));
    let (attempts, _) = futures::join!(commits, abandons);
    assert_eq!(attempts.len(), PAPERS);

    // Every paper is listed once; the blob store holds their contents and nothing else
    // (no chunk, no staging file, no abandoned upload's bytes).
    let listed = list(&app, &browser).await;
    let mut ids: Vec<String> = listed["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["paper"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    let mut want: Vec<String> = sealed.iter().map(|s| paper_id(s).to_string()).collect();
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(listed["space"]["reserved"], 0, "no upload left under way");
    assert_eq!(files_under(&env.blob_dir()).len(), PAPERS);
    app.stop().await;
}
