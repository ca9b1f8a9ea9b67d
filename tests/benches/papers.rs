//! Papers through `coffre serve` (release build) against Debian's nginx on loopback, same
//! run, same client, same bytes (BENCHMARKS.md section 10). Not a test: it prints tables.
//!
//! ```sh
//! cargo bench -p coffre-tests --bench papers                   # everything
//! cargo bench -p coffre-tests --bench papers -- listing blobs  # some parts
//! cargo bench -p coffre-tests --bench papers -- listing --papers 1000 --route /api/papers
//! ```
//!
//! Parts: `listing` (a coffre of 1,000 then 10,000 papers seeded through the real API:
//! `GET` of each listing route with 1 and 16 keep-alive clients — p50, p99, requests per
//! second, the server's peak RSS — against nginx serving the same response bytes as a
//! static file), `blobs` (a 10 MB paper downloaded, and uploaded in one request and in the
//! web client's chunks, each + commit,
//! against nginx GET of the same file and nginx PUT through its dav module), `rss` (the
//! server's resident memory sampled during 50 concurrent 50 MB uploads), `grantee` (one
//! paper, `--size` bytes, served to 1 and 16 grantees under consult mandates against the
//! owner's own fetch of it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use coffre_crypto::encoding::{Id, b64};
use coffre_crypto::paper::SealedPaper;
use coffre_crypto::statement::Envelope;
use coffre_tests::owner::{Browser, Owner};
use coffre_tests::process::CoffreChild;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::process::{Child, Command};

const CHUNK: usize = 256 * 1024;
/// The chunk size that sends a 10 MB paper in one request (the server's largest).
const ONE_REQUEST: usize = 16 * 1024 * 1024;
/// The web client's chunk size (`client-web/src/paper-store/upload.ts`).
const WEB_CHUNK: usize = 512 * 1024;
const MB: f64 = 1_000_000.0;

#[derive(Debug)]
struct Args {
    parts: Vec<String>,
    papers: Vec<usize>,
    routes: Vec<String>,
    rounds: usize,
    /// Content bytes of the paper the `grantee` part serves.
    grantee_size: usize,
}

/// `--server-env K=V` pairs: more environment for `coffre serve` (e.g. glibc's
/// `MALLOC_MMAP_THRESHOLD_`, to test where the upload RSS goes).
static SERVER_ENV: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();

fn args() -> Args {
    let mut parts = Vec::new();
    let mut papers = vec![1_000, 10_000];
    let mut routes = Vec::new();
    let mut rounds = 3;
    let mut grantee_size = 1_000_000;
    let mut server_env = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            // cargo bench passes --bench to harness = false programs.
            "--bench" => {}
            "--papers" => {
                papers = it
                    .next()
                    .expect("--papers N,M")
                    .split(',')
                    .map(|n| n.parse().expect("a number of papers"))
                    .collect();
            }
            "--route" => routes.push(it.next().expect("--route PATH")),
            "--rounds" => rounds = it.next().expect("--rounds N").parse().expect("a number"),
            "--size" => grantee_size = it.next().expect("--size BYTES").parse().expect("a number"),
            "--server-env" => {
                let pair = it.next().expect("--server-env K=V");
                let (k, v) = pair.split_once('=').expect("--server-env K=V");
                server_env.push((k.to_owned(), v.to_owned()));
            }
            "listing" | "blobs" | "rss" | "grantee" => parts.push(a),
            other => panic!("unknown argument {other:?} (parts: listing blobs rss grantee)"),
        }
    }
    if parts.is_empty() {
        parts = vec![
            "listing".into(),
            "blobs".into(),
            "rss".into(),
            "grantee".into(),
        ];
    }
    if routes.is_empty() {
        routes.push("/api/papers".into());
    }
    SERVER_ENV.set(server_env).expect("arguments read once");
    Args {
        parts,
        papers,
        routes,
        rounds,
        grantee_size,
    }
}

fn uptime() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// `VmHWM` or `VmRSS` of `pid`, in MB (10^6 bytes).
fn proc_kb(pid: u32, field: &str) -> f64 {
    proc_field(pid, field) * 1024.0 / MB
}

/// A number field of `/proc/PID/status` as it is written (`Threads`, or kB for `Vm…`).
fn proc_field(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim_start_matches(':').split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap_or(f64::NAN)
}

/// Resets `VmHWM` to the current RSS (proc(5), clear_refs "5").
fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

// ---------------------------------------------------------------------------------------
// The coffre server and its owner

struct Coffre {
    child: CoffreChild,
    base: String,
    client: reqwest::Client,
    owner: Owner,
    browser: Browser,
    cert: Envelope,
    ck: age::x25519::Identity,
    now: u64,
    dir: tempfile::TempDir,
}

impl Coffre {
    /// `coffre serve` (the binary beside this bench: target/release/coffre-it) on a fresh
    /// data directory (SQLite, local blobs), a coffre opened in it.
    async fn start(quota_mb: u64, paper_max_mb: u64) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let vars = vec![
            ("COFFRE_LISTEN".to_owned(), "127.0.0.1:0".to_owned()),
            (
                "COFFRE_DATA_DIR".to_owned(),
                dir.path().display().to_string(),
            ),
            (
                "COFFRE_LIMITS__COFFRE_QUOTA_MB".to_owned(),
                quota_mb.to_string(),
            ),
            (
                "COFFRE_LIMITS__PAPER_MAX_MB".to_owned(),
                paper_max_mb.to_string(),
            ),
            // The `grantee` part opens 17 accounts from loopback.
            (
                "COFFRE_LIMITS__NEW_COFFRES_PER_IP_PER_HOUR".to_owned(),
                "1000".to_owned(),
            ),
        ]
        .into_iter()
        .chain(SERVER_ENV.get().into_iter().flatten().cloned())
        .collect::<Vec<_>>();
        // stderr (one log line per request, as in production) is read and dropped.
        let mut child = CoffreChild::spawn_capturing_stderr(&["serve"], &vars);
        let line = child.line_starting_with("coffre: listening on ").await;
        let base = line
            .strip_prefix("coffre: listening on ")
            .unwrap()
            .to_owned();
        let origin = child.line_starting_with("coffre: open ").await;
        let origin = origin
            .strip_prefix("coffre: open ")
            .and_then(|l| l.strip_suffix(" in a browser"))
            .unwrap()
            .to_owned();
        let client = reqwest::Client::new();
        let challenge: Value = client
            .post(format!("{base}/api/auth/nonce"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let nonce = challenge["nonce"].as_str().unwrap();
        let now = challenge["now"].as_u64().unwrap();
        let owner = Owner::new(&origin);
        let response = client
            .post(format!("{base}/api/coffres"))
            .json(&owner.create_body(nonce, now))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let headers = response.headers().clone();
        let body: Value = response.json().await.unwrap();
        let mut browser = Browser::default();
        browser.adopt(&headers, &body);
        let coffre: Value = browser
            .with(client.get(format!("{base}/api/coffre")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let (cert, ck) = owner.first_category(&coffre);
        Self {
            child,
            base,
            client,
            owner,
            browser,
            cert,
            ck,
            now,
            dir,
        }
    }

    fn pid(&self) -> u32 {
        self.child.pid()
    }

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Papers sealed by the owner's code, `size` bytes each, on both cores.
    fn seal(&self, count: usize, size: usize) -> Vec<SealedPaper> {
        let threads = 2;
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let n = count / threads + usize::from(t < count % threads);
                    s.spawn(move || {
                        (0..n)
                            .map(|_| self.owner.seal_paper(&self.cert, size, self.now))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        })
    }

    async fn start_upload(&self, client: &reqwest::Client, size: usize, chunk: usize) -> String {
        let response = self
            .browser
            .with(client.post(self.at("/api/uploads")))
            .json(&json!({"content_size": size, "chunk_size": chunk}))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["upload"].as_str().unwrap().to_owned()
    }

    async fn put_chunk(&self, client: &reqwest::Client, upload: &str, idx: usize, bytes: Bytes) {
        let status = self
            .browser
            .with(
                client
                    .put(self.at(&format!("/api/uploads/{upload}/chunks/{idx}")))
                    .header("content-type", "application/octet-stream")
                    .body(bytes),
            )
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::NO_CONTENT);
    }

    /// Commits `upload` as `sealed`, signing the journal entry after the current head
    /// (again if another commit moved it meanwhile: 409).
    async fn commit(&self, client: &reqwest::Client, upload: &str, sealed: &SealedPaper) {
        let paper = paper_id(sealed);
        loop {
            let head: Value = self
                .browser
                .with(client.get(self.at("/api/journal/head")))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let journal = self
                .owner
                .journal_entry_about(&head, "paper_added", Some(paper), None);
            let response = self
                .browser
                .with(client.post(self.at(&format!("/api/uploads/{upload}/paper"))))
                .json(&json!({
                    "statement": b64(&sealed.statement.to_bytes().unwrap()),
                    "meta": b64(&sealed.meta),
                    "journal": journal,
                }))
                .send()
                .await
                .unwrap();
            match response.status() {
                StatusCode::CREATED => return,
                StatusCode::CONFLICT => continue,
                other => panic!("commit: {other} {}", response.text().await.unwrap()),
            }
        }
    }

    /// The whole upload path of one paper: start, every chunk in order, commit.
    async fn upload(&self, client: &reqwest::Client, sealed: &SealedPaper, content: &Bytes) {
        self.upload_in(client, sealed, content, CHUNK).await;
    }

    /// The upload path of one paper in chunks of `chunk` bytes.
    async fn upload_in(
        &self,
        client: &reqwest::Client,
        sealed: &SealedPaper,
        content: &Bytes,
        chunk: usize,
    ) {
        let id = self.start_upload(client, content.len(), chunk).await;
        for (idx, start) in (0..content.len()).step_by(chunk).enumerate() {
            let end = (start + chunk).min(content.len());
            self.put_chunk(client, &id, idx, content.slice(start..end))
                .await;
        }
        self.commit(client, &id, sealed).await;
    }

    async fn get_bytes(&self, client: &reqwest::Client, path: &str) -> Bytes {
        let response = self
            .browser
            .with(client.get(self.at(path)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.bytes().await.unwrap()
    }

    async fn stop(mut self) {
        self.child.signal("TERM").await;
        self.child.wait().await;
    }

    /// Stops the server and returns its stderr (its log: warnings and errors with their
    /// causes, one line per request).
    async fn stop_with_log(mut self) -> String {
        self.child.signal("TERM").await;
        self.child.wait().await;
        self.child.stderr_text().await
    }
}

/// The log lines worth reading after a failure: warnings and errors, the last 40.
fn problems(log: &str) -> String {
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR") || l.contains("error"))
        .collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

fn paper_id(sealed: &SealedPaper) -> Id {
    sealed
        .statement
        .peek::<coffre_crypto::kinds::Upload>()
        .unwrap()
        .paper
}

// ---------------------------------------------------------------------------------------
// nginx

struct Nginx {
    child: Child,
    base: String,
    client: reqwest::Client,
    root: PathBuf,
    dir: tempfile::TempDir,
}

fn nginx_binary() -> PathBuf {
    for dir in std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .chain(["/usr/sbin", "/sbin"])
    {
        let candidate = PathBuf::from(dir).join("nginx");
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!("nginx is not installed (apt-get install nginx)");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Nginx {
    /// nginx on loopback, two workers (one per core, as tokio's runtime), static files
    /// under `www/`, `PUT` under `/put/` (dav module), an access log like a default install.
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display();
        let root = dir.path().join("www");
        std::fs::create_dir_all(root.join("put")).unwrap();
        let port = free_port();
        let conf = format!(
            "daemon off;\n{user}worker_processes 2;\npid {d}/nginx.pid;\nerror_log stderr warn;\n\
             events {{ worker_connections 1024; }}\nhttp {{\n\
             types {{ application/json json; application/octet-stream bin; }}\n\
             default_type application/octet-stream;\n\
             access_log {d}/access.log;\nsendfile on;\ntcp_nopush on;\n\
             keepalive_timeout 300s;\nkeepalive_requests 1000000;\n\
             client_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi;\nuwsgi_temp_path {d}/uwsgi;\n\
             scgi_temp_path {d}/scgi;\nclient_max_body_size 100m;\n\
             client_body_buffer_size 256k;\n\
             server {{\n  listen 127.0.0.1:{port};\n  root {root};\n\
             location /put/ {{ dav_methods PUT; create_full_put_path on; }}\n}}\n}}\n",
            root = root.display(),
            // Started as root, nginx's workers would become `nobody` and could not write
            // into this private directory: they stay the user who runs the bench.
            user = if std::env::var("USER").as_deref() == Ok("root")
                || std::env::var("HOME").as_deref() == Ok("/root")
            {
                "user root;\n"
            } else {
                ""
            }
        );
        let path = dir.path().join("nginx.conf");
        std::fs::write(&path, conf).unwrap();
        let child = Command::new(nginx_binary())
            .arg("-e")
            .arg("stderr")
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start nginx");
        let base = format!("http://127.0.0.1:{port}");
        // Ready once it answers (bounded).
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if client.get(format!("{base}/")).send().await.is_ok() {
                break;
            }
            assert!(Instant::now() < deadline, "nginx did not start");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Self {
            child,
            base,
            client,
            root,
            dir,
        }
    }

    fn publish(&self, name: &str, bytes: &[u8]) -> String {
        std::fs::write(self.root.join(name), bytes).unwrap();
        format!("{}/{name}", self.base)
    }

    async fn stop(mut self) {
        // SIGQUIT: the master waits for its workers (a SIGKILL would orphan them).
        if let Some(pid) = self.child.id() {
            let _ = Command::new("kill")
                .args(["-QUIT", &pid.to_string()])
                .status()
                .await;
        }
        let _ = tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await;
        drop(self.dir);
    }
}

// ---------------------------------------------------------------------------------------
// Measures

#[derive(Debug, Clone, Copy)]
struct Load {
    p50_ms: f64,
    p99_ms: f64,
    rps: f64,
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// `clients` keep-alive connections (one client each) sending `GET url` back to back,
/// `per_client` timed requests each after 3 untimed; every answer must be `len` bytes
/// (`If-None-Match: etag` when given: then a `304` of no bytes).
async fn load(
    url: &str,
    browser: Option<&Browser>,
    etag: Option<&str>,
    clients: usize,
    per_client: usize,
    len: usize,
) -> Load {
    let mut conns = Vec::new();
    for _ in 0..clients {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()
            .unwrap();
        let request = |c: &reqwest::Client| {
            let r = match browser {
                Some(b) => b.with(c.get(url)),
                None => c.get(url),
            };
            match etag {
                Some(tag) => r.header("if-none-match", tag),
                None => r,
            }
        };
        for _ in 0..3 {
            let body = request(&client)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            assert_eq!(body.len(), len, "{url}");
        }
        let requests: Vec<_> = (0..per_client)
            .map(|_| request(&client).build().unwrap())
            .collect();
        conns.push((client, requests));
    }
    timed(conns, len).await
}

/// Sends each connection's requests back to back, all connections at once; every answer
/// must be `len` bytes with a 2xx or a 304.
async fn timed(conns: Vec<(reqwest::Client, Vec<reqwest::Request>)>, len: usize) -> Load {
    let started = Instant::now();
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|(client, requests)| {
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(requests.len());
                for request in requests {
                    let t = Instant::now();
                    let response = client.execute(request).await.unwrap();
                    let status = response.status();
                    assert!(
                        status.is_success() || status == StatusCode::NOT_MODIFIED,
                        "{status}"
                    );
                    let body = response.bytes().await.unwrap();
                    times.push(t.elapsed());
                    assert_eq!(body.len(), len);
                }
                times
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let wall = started.elapsed().as_secs_f64();
    all.sort();
    Load {
        p50_ms: percentile(&all, 0.5),
        p99_ms: percentile(&all, 0.99),
        rps: all.len() as f64 / wall,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn range(v: &[f64]) -> String {
    let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if (hi - lo) / hi.abs().max(1e-9) < 0.005 {
        format!("{lo:.2}")
    } else {
        format!("{lo:.2}–{hi:.2}")
    }
}

/// Seeds papers sealed by the owner's code (1 KiB of content each: the listing carries the
/// statements, not the content) straight into the server's SQLite database, in one
/// transaction that also moves the coffre's papers version, as the commit route does: a
/// paper row and its content's blob row per paper. Through the API (start, chunk, journal
/// head, commit: every statement and journal entry verified) a paper took ≈ 0.2 s here, so
/// 10,000 would take over half an hour. What the listing reads is the same: the rows and
/// their real signed statements (no journal entries are written, which it does not read;
/// the content objects are not written either: this part never downloads them).
async fn seed(coffre: &Coffre, count: usize) {
    use coffre_crypto::kinds::Upload;
    use sha2::Digest;
    let t = Instant::now();
    let sealed = coffre.seal(count, 1024);
    let url = format!("sqlite://{}", coffre.dir.path().join("coffre.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    let base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros() as i64;
    for (n, paper) in sealed.iter().enumerate() {
        let upload = paper.statement.peek::<Upload>().unwrap();
        let blob = uuid::Uuid::new_v4();
        let created = base + n as i64;
        sqlx::query(
            "INSERT INTO blobs (id, size, sha256, created_at, state) VALUES ($1, $2, $3, $4, 'committed')",
        )
        .bind(blob)
        .bind(paper.content.len() as i64)
        .bind(sha2::Sha256::digest(&paper.content).to_vec())
        .bind(created)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO papers (id, coffre, category, generation, content, content_size, meta, statement, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(upload.paper.0)
        .bind(coffre.owner.coffre.0)
        .bind(upload.category.0)
        .bind(upload.generation as i64)
        .bind(blob)
        .bind(paper.content.len() as i64)
        .bind(&paper.meta)
        .bind(paper.statement.to_bytes().unwrap())
        .bind(created)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    sqlx::query("UPDATE coffres SET papers_version = papers_version + 1 WHERE id = $1")
        .bind(coffre.owner.coffre.0)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    pool.close().await;
    eprintln!(
        "seeded {count} papers in {:.1} s (load {})",
        t.elapsed().as_secs_f64(),
        uptime()
    );
}

/// One measured row: coffre and nginx alternating, `rounds` rounds of ≈ 2 s per side.
#[allow(clippy::too_many_arguments)]
async fn listing_row(
    coffre: &Coffre,
    url: &str,
    reference: &str,
    etags: Option<(&str, &str)>,
    what: &str,
    clients: usize,
    len: usize,
    rounds: usize,
) {
    let (coffre_tag, nginx_tag) = match etags {
        Some((c, n)) => (Some(c), Some(n)),
        None => (None, None),
    };
    // About 2 s of requests per side and round, at least 100 samples.
    let probe = load(url, Some(&coffre.browser), coffre_tag, 1, 10, len).await;
    let per_client =
        ((2000.0 / probe.p50_ms.max(0.05)) as usize / clients).clamp((100 / clients).max(5), 5000);
    let mut c = Vec::new();
    let mut n = Vec::new();
    let mut hwm = Vec::new();
    for _ in 0..rounds {
        reset_peak(coffre.pid());
        c.push(
            load(
                url,
                Some(&coffre.browser),
                coffre_tag,
                clients,
                per_client,
                len,
            )
            .await,
        );
        hwm.push(proc_kb(coffre.pid(), "VmHWM"));
        n.push(load(reference, None, nginx_tag, clients, per_client, len).await);
    }
    let ratios: Vec<f64> = c.iter().zip(&n).map(|(c, n)| c.rps / n.rps).collect();
    println!(
        "| {what} | {len} | {clients} | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} | {:.0} | {}× | {:.1} |",
        median(c.iter().map(|l| l.p50_ms).collect()),
        median(c.iter().map(|l| l.p99_ms).collect()),
        median(c.iter().map(|l| l.rps).collect()),
        median(n.iter().map(|l| l.p50_ms).collect()),
        median(n.iter().map(|l| l.p99_ms).collect()),
        median(n.iter().map(|l| l.rps).collect()),
        range(&ratios),
        hwm.iter().cloned().fold(0.0, f64::max),
    );
}

async fn listing(args: &Args) {
    println!(
        "\n## Listing (GET, keep-alive, authenticated), load before: {}",
        uptime()
    );
    println!(
        "| papers, route | bytes | clients | coffre p50 ms | coffre p99 ms | coffre req/s | nginx p50 ms | nginx p99 ms | nginx req/s | req/s ratio | coffre peak RSS MB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let coffre = Coffre::start(100_000, 25).await;
    let nginx = Nginx::start().await;
    let mut seeded = 0;
    for &target in &args.papers {
        seed(&coffre, target - seeded).await;
        seeded = target;
        eprintln!("load before {target}: {}", uptime());
        for route in &args.routes {
            let response = coffre
                .browser
                .with(coffre.client.get(coffre.at(route)))
                .send()
                .await
                .unwrap();
            let coffre_tag = response
                .headers()
                .get("etag")
                .map(|v| v.to_str().unwrap().to_owned());
            let body = response.bytes().await.unwrap();
            let name = format!("list-{target}-{}.json", route.replace('/', "_"));
            let reference = nginx.publish(&name, &body);
            let url = coffre.at(route);
            for clients in [1, 16] {
                let what = format!("{target}, `{route}`");
                listing_row(
                    &coffre,
                    &url,
                    &reference,
                    None,
                    &what,
                    clients,
                    body.len(),
                    args.rounds,
                )
                .await;
            }
            // The client that holds the listing: `If-None-Match` with the ETag, `304`.
            let nginx_tag = nginx
                .client
                .get(&reference)
                .send()
                .await
                .unwrap()
                .headers()
                .get("etag")
                .map(|v| v.to_str().unwrap().to_owned());
            if let (Some(c), Some(n)) = (coffre_tag, nginx_tag) {
                for clients in [1, 16] {
                    let what = format!("{target}, `{route}`, If-None-Match → 304");
                    listing_row(
                        &coffre,
                        &url,
                        &reference,
                        Some((&c, &n)),
                        &what,
                        clients,
                        0,
                        args.rounds,
                    )
                    .await;
                }
            }
        }
    }
    println!(
        "(load after: {}; {} rounds per row, medians; ratio range over rounds)",
        uptime(),
        args.rounds
    );
    coffre.stop().await;
    nginx.stop().await;
}

async fn blobs(args: &Args) {
    const SIZE: usize = 10_000_000;
    println!("\n## 10 MB blobs, one client, load before: {}", uptime());
    let coffre = Coffre::start(100_000, 25).await;
    let nginx = Nginx::start().await;
    let rounds = args.rounds.max(3) + 2;
    let sealed = coffre.seal(2 * rounds + 1, SIZE);
    let client = reqwest::Client::new();
    // The paper every GET downloads.
    let first = &sealed[0];
    let first_content = Bytes::from(first.content.clone());
    coffre.upload(&client, first, &first_content).await;
    let content_path = format!("/api/papers/{}/content", paper_id(first));
    let reference = nginx.publish("paper.bin", &first_content);
    let len = first_content.len();
    let (mut get_c, mut get_n, mut put_c, mut put_w, mut put_n, mut put_ns) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    // Each one-request coffre PUT's parts, ms: the upload's start, its chunk, the commit.
    let mut put_parts: Vec<(f64, f64, f64)> = Vec::new();
    let nclient = reqwest::Client::new();
    for _ in 0..3 {
        coffre.get_bytes(&client, &content_path).await;
        nclient
            .get(&reference)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
    }
    for round in 0..rounds {
        // GET: coffre, then nginx.
        let t = Instant::now();
        let got = coffre.get_bytes(&client, &content_path).await;
        get_c.push(len as f64 / MB / t.elapsed().as_secs_f64());
        assert_eq!(got, first_content);
        let t = Instant::now();
        let got = nclient
            .get(&reference)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        get_n.push(len as f64 / MB / t.elapsed().as_secs_f64());
        assert_eq!(got.len(), len);
        // PUT: the upload path in one request (start, one chunk, commit: what a client on a
        // good connection sends, the chunk kept as the content) and in the web client's
        // 512 KiB chunks (joined at commit), against one nginx PUT of the same bytes, and
        // that PUT followed by an fsync of the file nginx wrote and of its directory (what
        // Coffre does before its 201).
        let one = &sealed[2 * round + 1];
        let content = Bytes::from(one.content.clone());
        let t = Instant::now();
        let id = coffre
            .start_upload(&client, content.len(), ONE_REQUEST)
            .await;
        let started = t.elapsed();
        coffre.put_chunk(&client, &id, 0, content.clone()).await;
        let sent = t.elapsed();
        coffre.commit(&client, &id, one).await;
        let all = t.elapsed();
        put_c.push(content.len() as f64 / MB / all.as_secs_f64());
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        put_parts.push((ms(started), ms(sent - started), ms(all - sent)));
        let web = &sealed[2 * round + 2];
        let web_content = Bytes::from(web.content.clone());
        let t = Instant::now();
        coffre
            .upload_in(&client, web, &web_content, WEB_CHUNK)
            .await;
        put_w.push(content.len() as f64 / MB / t.elapsed().as_secs_f64());
        let t = Instant::now();
        let status = nclient
            .put(format!("{}/put/{round}.bin", nginx.base))
            .body(content.clone())
            .send()
            .await
            .unwrap()
            .status();
        put_n.push(content.len() as f64 / MB / t.elapsed().as_secs_f64());
        assert_eq!(status, StatusCode::CREATED);
        let t = Instant::now();
        let status = nclient
            .put(format!("{}/put/synced-{round}.bin", nginx.base))
            .body(content.clone())
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::CREATED);
        let put_dir = nginx.root.join("put");
        std::fs::File::open(put_dir.join(format!("synced-{round}.bin")))
            .unwrap()
            .sync_all()
            .unwrap();
        std::fs::File::open(&put_dir).unwrap().sync_all().unwrap();
        put_ns.push(content.len() as f64 / MB / t.elapsed().as_secs_f64());
    }
    println!("| operation | coffre MB/s | nginx MB/s | ratio (median) | ratio range |");
    println!("|---|---:|---:|---:|---|");
    let row = |what: &str, c: &[f64], n: &[f64]| {
        let ratios: Vec<f64> = c.iter().zip(n).map(|(c, n)| c / n).collect();
        println!(
            "| {what} | {:.0} | {:.0} | {:.2}× | {} |",
            median(c.to_vec()),
            median(n.to_vec()),
            median(ratios.clone()),
            range(&ratios)
        );
    };
    row("GET 10 MB (content / static file)", &get_c, &get_n);
    row(
        "PUT 10 MB (one request: start, chunk, commit / one dav PUT)",
        &put_c,
        &put_n,
    );
    row(
        "PUT 10 MB (one request / one dav PUT + fsync)",
        &put_c,
        &put_ns,
    );
    row(
        "PUT 10 MB (the web client's 512 KiB chunks + commit / one dav PUT)",
        &put_w,
        &put_n,
    );
    println!(
        "coffre one-request PUT in parts (median ms): start {:.1}, chunk {:.1}, commit {:.1}",
        median(put_parts.iter().map(|p| p.0).collect()),
        median(put_parts.iter().map(|p| p.1).collect()),
        median(put_parts.iter().map(|p| p.2).collect()),
    );
    println!(
        "(load after: {}; {rounds} rounds, interleaved; coffre fsyncs the content (file and directory) and its database commits, not the chunks; nginx does not fsync, the + fsync reference does it after nginx's 201)",
        uptime()
    );
    coffre.stop().await;
    nginx.stop().await;
}

async fn rss(_args: &Args) {
    const SIZE: usize = 50_000_000;
    const UPLOADS: usize = 50;
    println!(
        "\n## RSS during {UPLOADS} concurrent 50 MB uploads, load before: {}",
        uptime()
    );
    let coffre = Arc::new(Coffre::start(1_000_000, 64).await);
    let t = Instant::now();
    let sealed = coffre.seal(UPLOADS, SIZE);
    eprintln!(
        "sealed {UPLOADS} × 50 MB in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let pid = coffre.pid();
    let idle = proc_kb(pid, "VmRSS");
    reset_peak(pid);
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            let t = Instant::now();
            while !done.load(Ordering::Relaxed) {
                samples.push((
                    t.elapsed().as_secs_f64(),
                    proc_kb(pid, "VmRSS"),
                    proc_field(pid, "Threads"),
                    [
                        proc_kb(pid, "RssAnon"),
                        proc_kb(pid, "RssFile"),
                        proc_kb(pid, "RssShmem"),
                    ],
                ));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            samples
        })
    };
    let started = Instant::now();
    let tasks: Vec<_> = sealed
        .into_iter()
        .map(|mut paper| {
            let coffre = coffre.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let content = Bytes::from(std::mem::take(&mut paper.content));
                coffre.upload(&client, &paper, &content).await;
            })
        })
        .collect();
    let mut failed = 0;
    for t in tasks {
        if t.await.is_err() {
            failed += 1;
        }
    }
    if failed > 0 {
        let log = Arc::try_unwrap(coffre).ok().unwrap().stop_with_log().await;
        panic!(
            "{failed} of {UPLOADS} uploads failed; the server's warnings and errors:\n{}",
            problems(&log)
        );
    }
    let wall = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let samples = sampler.await.unwrap();
    let rss: Vec<f64> = samples.iter().map(|(_, r, _, _)| *r).collect();
    let threads = samples.iter().map(|(_, _, n, _)| *n).fold(0.0, f64::max);
    let at_max = samples
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|s| s.3)
        .unwrap_or_default();
    let peak = proc_kb(pid, "VmHWM");
    println!(
        "| idle RSS MB | RSS samples | median MB | max sampled MB | VmHWM MB | wall s | MB/s in |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {idle:.1} | {} | {:.1} | {:.1} | {peak:.1} | {wall:.1} | {:.0} |",
        rss.len(),
        median(rss.clone()),
        rss.iter().cloned().fold(0.0, f64::max),
        (UPLOADS * SIZE) as f64 / MB / wall
    );
    let deciles: Vec<String> = (0..=10)
        .map(|i| {
            let (t, r, n, _) = samples[(samples.len() - 1) * i / 10];
            format!("{t:.0}s:{r:.0}({n:.0})")
        })
        .collect();
    println!(
        "RSS over time (MB, the server's threads in brackets; at most {threads:.0}): {}",
        deciles.join(" ")
    );
    println!(
        "at the largest sample: anonymous {:.1} MB, file-backed {:.1} MB, shared {:.1} MB",
        at_max[0], at_max[1], at_max[2]
    );
    println!(
        "server environment added: {:?}",
        SERVER_ENV.get().into_iter().flatten().collect::<Vec<_>>()
    );
    println!("(load after: {})", uptime());
    Arc::try_unwrap(coffre).ok().unwrap().stop().await;
}

// ---------------------------------------------------------------------------------------
// A paper served to grantees under their mandates against the owner's own fetch

/// A person with a consult mandate on the owner's first category, its key wrapped to them.
struct Grantee {
    person: Owner,
    browser: Browser,
    mandate: Id,
    /// The last access receipt counter used.
    counter: u64,
    /// Receipts sent again after a `503`.
    retries: u64,
}

impl Coffre {
    /// Opens a person's coffre on this server (another account, signed in).
    async fn open_account(&self) -> (Owner, Browser) {
        let challenge: Value = self
            .client
            .post(self.at("/api/auth/nonce"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let person = Owner::new(&self.owner.instance);
        let response = self
            .client
            .post(self.at("/api/coffres"))
            .json(&person.create_body(
                challenge["nonce"].as_str().unwrap(),
                challenge["now"].as_u64().unwrap(),
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let headers = response.headers().clone();
        let body: Value = response.json().await.unwrap();
        let mut browser = Browser::default();
        browser.adopt(&headers, &body);
        (person, browser)
    }

    /// The owner gives `person` a 31-day consult mandate on its first category and wraps
    /// that category's key (generation 0) to them.
    async fn give_consult(&self, person: &Owner) -> Id {
        use coffre_crypto::category::{category_key_payload, wrap_category_key};
        use coffre_crypto::encoding::{Hash32, sha256};
        use coffre_crypto::kinds::{CategoryCert, Grantee, GranteeType, Mandate, Rights};
        let category = self.cert.peek::<CategoryCert>().unwrap().category;
        let body = Mandate {
            categories: vec![category],
            coffre: self.owner.coffre,
            created: self.now,
            epoch: 0,
            grantee: Grantee {
                id: person.coffre,
                key: person.keys.public(),
                recipient: Some(person.keys.recipient.clone()),
                grantee_type: GranteeType::Person,
            },
            instance: self.owner.instance.clone(),
            kind: Default::default(),
            mandate: Id::random(),
            not_after: self.now + 31 * 86_400,
            not_before: self.now,
            rights: Rights::Consult,
            text_sha256: Hash32(sha256(b"Texte du mandat, version 1")),
            v: Default::default(),
        };
        let envelope = coffre_crypto::statement::sign(&body, &[&self.owner.keys.signing]).unwrap();
        let head: Value = self
            .browser
            .with(self.client.get(self.at("/api/journal/head")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let journal =
            self.owner
                .journal_entry_about(&head, "mandate_granted", Some(body.mandate), None);
        let response = self
            .browser
            .with(self.client.post(self.at("/api/mandates")))
            .json(&json!({"mandate": b64(&envelope.to_bytes().unwrap()), "journal": journal}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "mandate");
        let payload = category_key_payload(self.owner.coffre, category, 0, &self.ck).unwrap();
        let wrap =
            wrap_category_key(std::slice::from_ref(&person.keys.recipient), &payload).unwrap();
        let status = self
            .browser
            .with(self.client.put(self.at(&format!("/api/mandates/{}/keys", body.mandate))))
            .json(&json!({"wraps": [{"category": category.to_string(), "generation": 0, "wrap": b64(&wrap)}]}))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::NO_CONTENT, "keys");
        body.mandate
    }
}

impl Grantee {
    /// Posts the next `download` access receipt for `paper`; returns its counter. A `503`
    /// (the owner's journal moved under each of the server's tries: grantees of one owner
    /// posting at once) is sent again, and counted in `retries`.
    async fn receipt(&mut self, coffre: &Coffre, paper: Id) -> u64 {
        use coffre_crypto::kinds::AccessReceipt;
        self.counter += 1;
        loop {
            let body = AccessReceipt {
                action: "download".into(),
                coffre: coffre.owner.coffre,
                counter: self.counter,
                // Now, as the grantee's device dates it (the server takes only recent ones).
                created: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs(),
                epoch: 0,
                grantee_key: self.person.keys.public(),
                instance: coffre.owner.instance.clone(),
                kind: Default::default(),
                mandate: self.mandate,
                paper,
                v: Default::default(),
            };
            let envelope =
                coffre_crypto::statement::sign(&body, &[&self.person.keys.signing]).unwrap();
            let response = self
                .browser
                .with(
                    coffre
                        .client
                        .post(coffre.at(&format!("/api/mandates/{}/access", self.mandate))),
                )
                .json(&json!({"receipt": b64(&envelope.to_bytes().unwrap())}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let text = response.text().await.unwrap();
            if status == StatusCode::SERVICE_UNAVAILABLE {
                self.retries += 1;
                continue;
            }
            assert_eq!(status, StatusCode::CREATED, "{text}");
            return self.counter;
        }
    }

    fn content_url(&self, coffre: &Coffre, paper: Id, counter: u64) -> String {
        coffre.at(&format!(
            "/api/mandates/{}/papers/{paper}/content?counter={counter}",
            self.mandate
        ))
    }
}

/// Times `GET` of a paper's content: the owner's own route against a grantee's, each
/// grantee's receipts posted beforehand (untimed: `GET` only), then the whole access (the
/// receipt `POST`, then the `GET`), with 1 and 16 clients (16 grantees: a receipt counter
/// is per grantee and owner, so concurrent grantees are different people).
async fn grantee(args: &Args) {
    const CLIENTS: usize = 16;
    println!(
        "\n## A paper served to grantees vs to its owner ({} bytes of content), load before: {}",
        args.grantee_size,
        uptime()
    );
    let coffre = Coffre::start(100_000, 25).await;
    let sealed = coffre.seal(1, args.grantee_size).pop().unwrap();
    let content = Bytes::from(sealed.content.clone());
    coffre.upload(&coffre.client, &sealed, &content).await;
    let paper = paper_id(&sealed);
    let owner_url = coffre.at(&format!("/api/papers/{paper}/content"));
    let mut grantees = Vec::new();
    for _ in 0..CLIENTS {
        let (person, browser) = coffre.open_account().await;
        let mandate = coffre.give_consult(&person).await;
        grantees.push(Grantee {
            person,
            browser,
            mandate,
            counter: 0,
            retries: 0,
        });
    }
    let len = content.len();
    // Warm-up: each grantee fetches once.
    for g in grantees.iter_mut() {
        let counter = g.receipt(&coffre, paper).await;
        let got = g
            .browser
            .with(coffre.client.get(g.content_url(&coffre, paper, counter)))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(got.len(), len);
    }
    println!(
        "| clients | owner p50 ms | owner p99 ms | owner req/s | grantee GET p50 ms | grantee GET p99 ms | grantee GET req/s | **p99 grantee / owner** | receipt + GET p50 ms | receipt + GET p99 ms | receipt + GET / owner p99 |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for clients in [1, CLIENTS] {
        let per_client = (400 / clients).max(25);
        let (mut own, mut get, mut whole) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..args.rounds {
            own.push(
                load(
                    &owner_url,
                    Some(&coffre.browser),
                    None,
                    clients,
                    per_client,
                    len,
                )
                .await,
            );
            // Receipts first (untimed), then the GETs that use them.
            let mut conns = Vec::new();
            for g in grantees.iter_mut().take(clients) {
                let mut requests = Vec::new();
                for _ in 0..per_client {
                    let counter = g.receipt(&coffre, paper).await;
                    requests.push(
                        g.browser
                            .with(coffre.client.get(g.content_url(&coffre, paper, counter)))
                            .build()
                            .unwrap(),
                    );
                }
                let client = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .unwrap();
                conns.push((client, requests));
            }
            get.push(timed(conns, len).await);
            // The whole access, timed: receipt then GET, per grantee, all at once.
            let started = Instant::now();
            let tasks: Vec<_> = grantees
                .iter_mut()
                .take(clients)
                .map(|g| {
                    let coffre = &coffre;
                    async move {
                        let mut times = Vec::with_capacity(per_client);
                        for _ in 0..per_client {
                            let t = Instant::now();
                            let counter = g.receipt(coffre, paper).await;
                            let got = g
                                .browser
                                .with(coffre.client.get(g.content_url(coffre, paper, counter)))
                                .send()
                                .await
                                .unwrap()
                                .bytes()
                                .await
                                .unwrap();
                            times.push(t.elapsed());
                            assert_eq!(got.len(), len);
                        }
                        times
                    }
                })
                .collect();
            let mut all: Vec<Duration> = futures::future::join_all(tasks)
                .await
                .into_iter()
                .flatten()
                .collect();
            let wall = started.elapsed().as_secs_f64();
            all.sort();
            whole.push(Load {
                p50_ms: percentile(&all, 0.5),
                p99_ms: percentile(&all, 0.99),
                rps: all.len() as f64 / wall,
            });
        }
        let m = |v: &[Load], f: fn(&Load) -> f64| median(v.iter().map(f).collect());
        let (own99, get99, whole99) = (
            m(&own, |l| l.p99_ms),
            m(&get, |l| l.p99_ms),
            m(&whole, |l| l.p99_ms),
        );
        println!(
            "| {clients} | {:.2} | {own99:.2} | {:.0} | {:.2} | {get99:.2} | {:.0} | **{:.2}×** | {:.2} | {whole99:.2} | {:.2}× |",
            m(&own, |l| l.p50_ms),
            m(&own, |l| l.rps),
            m(&get, |l| l.p50_ms),
            m(&get, |l| l.rps),
            get99 / own99,
            m(&whole, |l| l.p50_ms),
            whole99 / own99,
        );
    }
    println!(
        "receipts sent again after a 503 (the owner's journal moved under every try): {}",
        grantees.iter().map(|g| g.retries).sum::<u64>()
    );
    println!(
        "(load after: {}; {} rounds, medians; a grantee's GET checks its session, the mandate (in force, verified with the coffre's key), that it is the grantee, and uses its receipt (a database write); the receipt POST verifies the grantee's signature and writes the receipt and the server's journal entry)",
        uptime(),
        args.rounds
    );
    coffre.stop().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    coffre_tests::init();
    let args = args();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "# Papers through coffre serve vs nginx — {} UTC-epoch s, {cores} cores, load {}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
        uptime()
    );
    for part in &args.parts {
        match part.as_str() {
            "listing" => listing(&args).await,
            "blobs" => blobs(&args).await,
            "rss" => rss(&args).await,
            "grantee" => grantee(&args).await,
            _ => unreachable!(),
        }
    }
}
