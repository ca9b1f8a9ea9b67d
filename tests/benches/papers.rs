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
//! static file), `blobs` (a 10 MB paper downloaded, and uploaded in chunks + commit,
//! against nginx GET of the same file and nginx PUT through its dav module), `rss` (the
//! server's resident memory sampled during 50 concurrent 50 MB uploads).
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
const MB: f64 = 1_000_000.0;

#[derive(Debug)]
struct Args {
    parts: Vec<String>,
    papers: Vec<usize>,
    routes: Vec<String>,
    rounds: usize,
}

fn args() -> Args {
    let mut parts = Vec::new();
    let mut papers = vec![1_000, 10_000];
    let mut routes = Vec::new();
    let mut rounds = 3;
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
            "listing" | "blobs" | "rss" => parts.push(a),
            other => panic!("unknown argument {other:?} (parts: listing blobs rss)"),
        }
    }
    if parts.is_empty() {
        parts = vec!["listing".into(), "blobs".into(), "rss".into()];
    }
    if routes.is_empty() {
        routes.push("/api/papers".into());
    }
    Args {
        parts,
        papers,
        routes,
        rounds,
    }
}

fn uptime() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// `VmHWM` or `VmRSS` of `pid`, in MB (10^6 bytes).
fn proc_kb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim_start_matches(':').split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .map(|kb| kb * 1024.0 / MB)
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
    now: u64,
    _dir: tempfile::TempDir,
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
        ];
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
        let (cert, _) = owner.first_category(&coffre);
        Self {
            child,
            base,
            client,
            owner,
            browser,
            cert,
            now,
            _dir: dir,
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

    async fn start_upload(&self, client: &reqwest::Client, size: usize) -> String {
        let response = self
            .browser
            .with(client.post(self.at("/api/uploads")))
            .json(&json!({"content_size": size}))
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
        let id = self.start_upload(client, content.len()).await;
        for (idx, start) in (0..content.len()).step_by(CHUNK).enumerate() {
            let end = (start + CHUNK).min(content.len());
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
/// `per_client` timed requests each after 3 untimed; every answer must be `len` bytes.
async fn load(
    url: &str,
    browser: Option<&Browser>,
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
        let request = |c: &reqwest::Client| match browser {
            Some(b) => b.with(c.get(url)),
            None => c.get(url),
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
    let started = Instant::now();
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|(client, requests)| {
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(requests.len());
                for request in requests {
                    let t = Instant::now();
                    let response = client.execute(request).await.unwrap();
                    assert!(response.status().is_success());
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

/// Seeds papers through the API: sealed beforehand (1 KiB of content each: the listing
/// carries the statement and metadata, not the content), then upload, chunk, commit.
async fn seed(coffre: &Coffre, count: usize) {
    let t = Instant::now();
    let sealed = coffre.seal(count, 1024);
    let client = reqwest::Client::new();
    for paper in &sealed {
        let content = Bytes::from(paper.content.clone());
        coffre.upload(&client, paper, &content).await;
    }
    eprintln!(
        "seeded {count} papers in {:.1} s (load {})",
        t.elapsed().as_secs_f64(),
        uptime()
    );
}

async fn listing(args: &Args) {
    println!(
        "\n## Listing (GET, keep-alive, authenticated), load before: {}",
        uptime()
    );
    println!(
        "| papers | route | bytes | clients | coffre p50 ms | coffre p99 ms | coffre req/s | nginx p50 ms | nginx p99 ms | nginx req/s | req/s ratio | coffre peak RSS MB |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let coffre = Coffre::start(100_000, 25).await;
    let nginx = Nginx::start().await;
    let mut seeded = 0;
    for &target in &args.papers {
        seed(&coffre, target - seeded).await;
        seeded = target;
        for route in &args.routes {
            let body = coffre.get_bytes(&coffre.client, route).await;
            let name = format!("list-{target}-{}.json", route.replace('/', "_"));
            let reference = nginx.publish(&name, &body);
            let url = coffre.at(route);
            for clients in [1, 16] {
                // About 2 s of requests per side and round, at least 100 samples.
                let probe = load(&url, Some(&coffre.browser), 1, 10, body.len()).await;
                let per_client = ((2000.0 / probe.p50_ms.max(0.05)) as usize / clients)
                    .clamp((100 / clients).max(5), 5000);
                let mut c = Vec::new();
                let mut n = Vec::new();
                let mut hwm = Vec::new();
                for _ in 0..args.rounds {
                    reset_peak(coffre.pid());
                    c.push(
                        load(&url, Some(&coffre.browser), clients, per_client, body.len()).await,
                    );
                    hwm.push(proc_kb(coffre.pid(), "VmHWM"));
                    n.push(load(&reference, None, clients, per_client, body.len()).await);
                }
                let ratios: Vec<f64> = c.iter().zip(&n).map(|(c, n)| c.rps / n.rps).collect();
                println!(
                    "| {target} | `{route}` | {} | {clients} | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} | {:.0} | {}× | {:.1} |",
                    body.len(),
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
    let sealed = coffre.seal(rounds + 1, SIZE);
    let client = reqwest::Client::new();
    // The paper every GET downloads.
    let first = &sealed[0];
    let first_content = Bytes::from(first.content.clone());
    coffre.upload(&client, first, &first_content).await;
    let content_path = format!("/api/papers/{}/content", paper_id(first));
    let reference = nginx.publish("paper.bin", &first_content);
    let len = first_content.len();
    let (mut get_c, mut get_n, mut put_c, mut put_n, mut put_nc) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
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
        // PUT: the upload path (start, 256 KiB chunks, commit) against one nginx PUT of
        // the same bytes, and nginx PUTs of the same chunks.
        let paper = &sealed[round + 1];
        let content = Bytes::from(paper.content.clone());
        let t = Instant::now();
        coffre.upload(&client, paper, &content).await;
        put_c.push(content.len() as f64 / MB / t.elapsed().as_secs_f64());
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
        for (idx, start) in (0..content.len()).step_by(CHUNK).enumerate() {
            let end = (start + CHUNK).min(content.len());
            let status = nclient
                .put(format!("{}/put/{round}/{idx}", nginx.base))
                .body(content.slice(start..end))
                .send()
                .await
                .unwrap()
                .status();
            assert!(status.is_success());
        }
        put_nc.push(content.len() as f64 / MB / t.elapsed().as_secs_f64());
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
        "PUT 10 MB (40 chunks + commit / one dav PUT)",
        &put_c,
        &put_n,
    );
    row(
        "PUT 10 MB (40 chunks + commit / 40 dav PUTs)",
        &put_c,
        &put_nc,
    );
    println!(
        "(load after: {}; {rounds} rounds, interleaved; coffre fsyncs the content (file and directory) and its database commits, not the chunks; nginx does not fsync)",
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
                samples.push((t.elapsed().as_secs_f64(), proc_kb(pid, "VmRSS")));
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
    let rss: Vec<f64> = samples.iter().map(|(_, r)| *r).collect();
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
            let (t, r) = samples[(samples.len() - 1) * i / 10];
            format!("{t:.0}s:{r:.0}")
        })
        .collect();
    println!("RSS over time (MB): {}", deciles.join(" "));
    println!("(load after: {})", uptime());
    Arc::try_unwrap(coffre).ok().unwrap().stop().await;
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
            _ => unreachable!(),
        }
    }
}
