//! `kill -9` of a `coffre serve` process while a chunk's body is half sent: after a restart
//! on the same database and blob store no paper is visible, the upload lists exactly the
//! chunks that were acknowledged (not the half one), it resumes and commits, and the content
//! comes back byte for byte. An upload abandoned at the crash is ended by the retention job
//! (injected clock) and leaves no file in the blob directory.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use coffre_crypto::encoding::{Id, b64};
use coffre_crypto::paper::SealedPaper;
use coffre_server::blobs::ORPHAN_GRACE;
use coffre_server::clock::ManualClock;
use coffre_tests::owner::{Browser, Owner};
use coffre_tests::process::CoffreChild;
use coffre_tests::{TestEnv, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::blobs::files_under;

on_both_backends!(kill_9_mid_chunk_loses_only_the_half_chunk);

const CHUNK: usize = 256 * 1024;
/// The instance every statement names: the same across restarts on other ports.
const PUBLIC_URL: &str = "http://localhost:8080";
/// How long the server may take to read the half chunk we sent.
const READ_DEADLINE: Duration = Duration::from_secs(30);

/// A `coffre serve` child on `env`, and a client for it.
struct Served {
    child: CoffreChild,
    /// `127.0.0.1:PORT`.
    addr: String,
    client: reqwest::Client,
}

impl Served {
    async fn start(env: &TestEnv) -> Self {
        let mut vars = env.child_env();
        vars.push(("COFFRE_PUBLIC_URL".into(), PUBLIC_URL.into()));
        let mut child = CoffreChild::spawn(&["serve"], &vars);
        let line = child.line_starting_with("coffre: listening on ").await;
        let addr = line
            .strip_prefix("coffre: listening on http://")
            .unwrap_or_else(|| panic!("unexpected start line: {line:?}"))
            .to_owned();
        Self {
            child,
            addr,
            client: reqwest::Client::new(),
        }
    }

    fn at(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    async fn get(&self, browser: &Browser, path: &str) -> (StatusCode, Value) {
        let response = browser
            .with(self.client.get(self.at(path)))
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn post(&self, browser: &Browser, path: &str, body: &Value) -> (StatusCode, Value) {
        let response = browser
            .with(self.client.post(self.at(path)).json(body))
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn put_chunk(&self, browser: &Browser, upload: &str, idx: usize, bytes: &[u8]) {
        let status = browser
            .with(
                self.client
                    .put(self.at(&format!("/api/uploads/{upload}/chunks/{idx}")))
                    .header("content-type", "application/octet-stream")
                    .body(bytes.to_vec()),
            )
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::NO_CONTENT, "chunk {idx} of {upload}");
    }

    async fn start_upload(&self, browser: &Browser, size: usize) -> String {
        let (status, started) = self
            .post(browser, "/api/uploads", &json!({"content_size": size}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{started}");
        started["upload"].as_str().unwrap().to_owned()
    }

    /// Whether the server has read everything our connection from `client` sent: nothing
    /// waits in our socket's send queue (unacknowledged) nor in the server's receive queue
    /// (`/proc/net/tcp`: `tx_queue:rx_queue` of each side).
    fn has_read_all_from(&self, client: std::net::SocketAddr) -> bool {
        let server: u16 = self.addr.rsplit(':').next().unwrap().parse().unwrap();
        let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap();
        let port =
            |field: &str| u16::from_str_radix(field.rsplit(':').next().unwrap(), 16).unwrap();
        let queues = |local: u16, remote: u16| {
            tcp.lines()
                .skip(1)
                .find_map(|line| {
                    let f: Vec<&str> = line.split_whitespace().collect();
                    (port(f[1]) == local && port(f[2]) == remote).then(|| {
                        let (tx, rx) = f[4].split_once(':').unwrap();
                        (
                            u64::from_str_radix(tx, 16).unwrap(),
                            u64::from_str_radix(rx, 16).unwrap(),
                        )
                    })
                })
                .expect("both sides of our connection in /proc/net/tcp")
        };
        let (unsent, _) = queues(client.port(), server);
        let (_, unread) = queues(server, client.port());
        unsent == 0 && unread == 0
    }
}

fn paper_id(sealed: &SealedPaper) -> Id {
    sealed
        .statement
        .peek::<coffre_crypto::kinds::Upload>()
        .unwrap()
        .paper
}

fn staged(files: &[PathBuf]) -> Vec<&PathBuf> {
    files
        .iter()
        .filter(|f| f.to_string_lossy().contains('#'))
        .collect()
}

async fn kill_9_mid_chunk_loses_only_the_half_chunk(env: TestEnv) {
    let first = Served::start(&env).await;
    // Open a coffre (its session lives in the database: it outlives the process).
    let (_, challenge) = first
        .post(&Browser::default(), "/api/auth/nonce", &json!({}))
        .await;
    let nonce = challenge["nonce"].as_str().unwrap();
    let now = challenge["now"].as_u64().unwrap();
    let owner = Owner::new(PUBLIC_URL);
    let response = first
        .client
        .post(first.at("/api/coffres"))
        .json(&owner.create_body(nonce, now))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let headers = response.headers().clone();
    let body: Value = response.json().await.unwrap();
    let mut browser = Browser::default();
    browser.adopt(&headers, &body);
    let (_, coffre) = first.get(&browser, "/api/coffre").await;
    let (cert, _) = owner.first_category(&coffre);

    // Paper A: four chunks; 0, 1 and 3 acknowledged, 2 half sent when the process dies.
    let sealed = owner.seal_paper(&cert, 900_000, now);
    let chunks: Vec<&[u8]> = sealed.content.chunks(CHUNK).collect();
    assert_eq!(chunks.len(), 4);
    let a = first.start_upload(&browser, sealed.content.len()).await;
    for idx in [0, 1, 3] {
        first.put_chunk(&browser, &a, idx, chunks[idx]).await;
    }
    // Upload B: one chunk of two acknowledged, then never resumed.
    let before_b = files_under(&env.blob_dir());
    let b = first.start_upload(&browser, 300_000).await;
    first.put_chunk(&browser, &b, 0, &[9; CHUNK]).await;
    let b_files: BTreeSet<PathBuf> = files_under(&env.blob_dir())
        .into_iter()
        .filter(|f| !before_b.contains(f))
        .collect();
    assert_eq!(b_files.len(), 1, "upload B's chunk is one file");

    // Chunk 2 of A on a raw connection: the headers and half the body, then nothing.
    let mut raw = tokio::net::TcpStream::connect(&first.addr).await.unwrap();
    let head = format!(
        "PUT /api/uploads/{a}/chunks/2 HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\n\
         X-Coffre-Csrf: {}\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {}\r\n\r\n",
        first.addr,
        browser.cookie.as_deref().unwrap(),
        browser.csrf.as_deref().unwrap(),
        chunks[2].len(),
    );
    raw.write_all(head.as_bytes()).await.unwrap();
    let half = chunks[2].len() / 2;
    raw.write_all(&chunks[2][..half]).await.unwrap();
    raw.flush().await.unwrap();
    // Wait until the server has read what was sent (not a fixed sleep: a bounded poll of
    // its socket's receive queue), so it dies mid-body, holding half a chunk.
    let ours = raw.local_addr().unwrap();
    let deadline = tokio::time::Instant::now() + READ_DEADLINE;
    while !first.has_read_all_from(ours) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server did not read the half chunk"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let Served { mut child, .. } = first;
    child.signal("KILL").await;
    let status = child.wait().await;
    assert!(!status.success(), "killed: {status:?}");
    drop(raw);

    // Restarted on the same data.
    let second = Served::start(&env).await;
    let (status, listed) = second.get(&browser, "/api/papers").await;
    assert_eq!(status, StatusCode::OK, "the session survived: {listed}");
    assert_eq!(listed["papers"], json!([]), "no paper is visible");
    let content = format!("/api/papers/{}/content", paper_id(&sealed));
    assert_eq!(
        second.get(&browser, &content).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, state) = second.get(&browser, &format!("/api/uploads/{a}")).await;
    assert_eq!(
        state["received"],
        json!([0, 1, 3]),
        "the acknowledged chunks, not the half one"
    );
    let (_, state) = second.get(&browser, &format!("/api/uploads/{b}")).await;
    assert_eq!(state["received"], json!([0]));

    // A resumes and commits; the content comes back byte for byte.
    second.put_chunk(&browser, &a, 2, chunks[2]).await;
    let (_, head) = second.get(&browser, "/api/journal/head").await;
    let journal = owner.journal_entry_about(&head, "paper_added", Some(paper_id(&sealed)), None);
    let (status, recorded) = second
        .post(
            &browser,
            &format!("/api/uploads/{a}/paper"),
            &json!({
                "statement": b64(&sealed.statement.to_bytes().unwrap()),
                "meta": b64(&sealed.meta),
                "journal": journal,
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    let downloaded = browser
        .with(second.client.get(second.at(&content)))
        .send()
        .await
        .unwrap();
    assert_eq!(downloaded.status(), StatusCode::OK);
    assert_eq!(&downloaded.bytes().await.unwrap()[..], &sealed.content[..]);
    let after_commit = files_under(&env.blob_dir());
    assert!(
        b_files.iter().all(|f| after_commit.contains(f)),
        "B's chunk is still held"
    );
    let Served { mut child, .. } = second;
    child.signal("KILL").await;
    child.wait().await;

    // Past B's lifetime (and the orphan grace): the retention job ends it, chunk included.
    let later = time::OffsetDateTime::now_utc()
        + coffre_server::http::papers::UPLOAD_LIFETIME
        + ORPHAN_GRACE
        + time::Duration::minutes(1);
    let state = coffre_server::app::open(env.config(), Arc::new(ManualClock::new(later)))
        .await
        .unwrap();
    state.startup_sweep.wait().await.expect("a sweep").unwrap();
    let report = state.retention().run_once().await.unwrap();
    assert_eq!(report.uploads, 1, "B ended: {report:?}");
    let left = files_under(&env.blob_dir());
    assert_eq!(staged(&left), Vec::<&PathBuf>::new(), "no partial file");
    let expected: Vec<PathBuf> = after_commit
        .into_iter()
        .filter(|f| !b_files.contains(f))
        .collect();
    assert_eq!(left, expected, "only the paper's files are left");
    let recorded = state.blobs.list(100).await.unwrap();
    assert_eq!(
        recorded.len(),
        left.len(),
        "every file left is a recorded blob: {recorded:?}"
    );
    // A was committed: its content is what is left, still readable.
    let mut sizes: Vec<u64> = recorded.iter().map(|r| r.size).collect();
    sizes.sort();
    assert!(
        sizes.contains(&(sealed.content.len() as u64)),
        "the paper's content is kept: {sizes:?}"
    );
}
