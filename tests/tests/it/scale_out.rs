//! Scale-out, proven: three `coffre serve` replicas started together on one PostgreSQL
//! database and one S3 bucket (moto), behind Debian's nginx on loopback (round robin, no
//! stickiness). Consecutive requests of one person land on different replicas: the coffre
//! is opened, signed into, written (journal, checkpoint, a paper in chunks) and read through
//! all three. Then one replica is killed with SIGKILL mid-scenario, a second paper's upload
//! under way: everything acknowledged before is still there (the paper, the chunk already
//! sent), and the scenario goes on through the two others.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use coffre_crypto::Context;
use coffre_crypto::encoding::{PublicKey, b64, unb64};
use coffre_crypto::journal::{Checkpoint, sign_checkpoint, verify_journal};
use coffre_crypto::paper::SealedPaper;
use coffre_crypto::statement::Envelope;
use coffre_tests::moto::S3Endpoint;
use coffre_tests::owner::{Browser, Owner, PIN};
use coffre_tests::process::start_replicas;
use coffre_tests::{Backend, TestDb};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long nginx may take to say it has opened its socket.
const NGINX_DEADLINE: Duration = Duration::from_secs(30);
/// The header nginx adds to every answer: the replica(s) it tried, in order.
const UPSTREAM: &str = "x-coffre-upstream";

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
    panic!("nginx is not installed: `apt-get install nginx` (`.ci/run` does it under CI=true)");
}

/// nginx in front of `upstreams` on 127.0.0.1:`port`: round robin, no stickiness; a
/// replica that refuses a connection is skipped (the request goes to the next one) and
/// left alone for a minute. One process, no privilege change, every file under `dir`.
async fn start_nginx(dir: &std::path::Path, port: u16, upstreams: &[String]) -> Child {
    let d = dir.display();
    let servers: String = upstreams
        .iter()
        .map(|u| format!("    server {u} max_fails=1 fail_timeout=60s;\n"))
        .collect();
    let conf = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
         error_log stderr notice;\nevents {{ worker_connections 256; }}\nhttp {{\n\
         access_log off;\nclient_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\nuwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n\
         client_max_body_size 1m;\n  upstream coffre {{\n{servers}  }}\n  server {{\n\
         listen 127.0.0.1:{port};\n    location / {{\n      proxy_pass http://coffre;\n\
         proxy_set_header Host $http_host;\n\
         proxy_set_header X-Forwarded-For $remote_addr;\n\
         proxy_next_upstream error timeout;\n      proxy_connect_timeout 5s;\n\
         add_header X-Coffre-Upstream $upstream_addr always;\n    }}\n  }}\n}}\n"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    let mut nginx = Command::new(nginx_binary())
        .arg("-e")
        .arg("stderr")
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start nginx");
    // nginx prints its OS line once the configuration is loaded and the socket is open.
    let mut log = BufReader::new(nginx.stderr.take().unwrap()).lines();
    let ready = async {
        while let Some(line) = log.next_line().await.unwrap() {
            if line.contains(" OS: ") {
                return Ok(());
            }
            if line.contains("[emerg]") {
                return Err(line);
            }
        }
        Err("nginx exited".to_owned())
    };
    match tokio::time::timeout(NGINX_DEADLINE, ready).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("nginx did not start: {e}"),
        Err(_) => panic!("nginx did not start within {NGINX_DEADLINE:?}"),
    }
    // Keep reading its log, so a full pipe never blocks it.
    tokio::spawn(async move { while let Ok(Some(_)) = log.next_line().await {} });
    nginx
}

/// The load balancer as a person's browser reaches it; every answer's replica is kept.
struct Balancer {
    url: String,
    client: reqwest::Client,
    /// For each request, the replicas nginx tried (the last one answered).
    trail: Vec<Vec<String>>,
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    /// The body as JSON (`null` if it is not).
    body: Value,
    bytes: bytes::Bytes,
}

impl Balancer {
    fn request(&self, browser: &Browser, method: Method, path: &str) -> RequestBuilder {
        browser.with(self.client.request(method, format!("{}{path}", self.url)))
    }

    async fn send(&mut self, request: RequestBuilder) -> Answer {
        let response = request.send().await.expect("nginx answers");
        let tried: Vec<String> = response
            .headers()
            .get(UPSTREAM)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .split(", ")
            .map(str::to_owned)
            .collect();
        self.trail.push(tried);
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a whole answer");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            bytes,
        }
    }

    /// The replica that answered the last request.
    fn last(&self) -> &str {
        self.trail.last().and_then(|t| t.last()).unwrap()
    }

    /// A sign-in nonce and the server's time.
    async fn nonce(&mut self) -> (String, u64) {
        let answer = self
            .send(self.request(&Browser::default(), Method::POST, "/api/auth/nonce"))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        (
            answer.body["nonce"].as_str().unwrap().to_owned(),
            answer.body["now"].as_u64().unwrap(),
        )
    }

    async fn sign_in(&mut self, owner: &Owner) -> Browser {
        let (nonce, _) = self.nonce().await;
        let answer = self
            .send(
                self.request(&Browser::default(), Method::POST, "/api/sessions/carte")
                    .json(&owner.carte_sign_in(&nonce, PIN)),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let mut browser = Browser::default();
        browser.adopt(&answer.headers, &answer.body);
        browser
    }

    async fn append(&mut self, browser: &Browser, owner: &Owner) -> u64 {
        let head = self
            .send(self.request(browser, Method::GET, "/api/journal/head"))
            .await;
        assert_eq!(head.status, StatusCode::OK, "{}", head.body);
        let answer = self
            .send(
                self.request(browser, Method::POST, "/api/journal")
                    .json(&owner.journal_entry(&head.body, "key_added")),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        answer.body["seq"].as_u64().unwrap()
    }

    /// Starts the upload of `sealed`'s content; returns its id and chunk size.
    async fn start_upload(&mut self, browser: &Browser, sealed: &SealedPaper) -> (String, usize) {
        let started = self
            .send(
                self.request(browser, Method::POST, "/api/uploads")
                    .json(&json!({"content_size": sealed.content.len()})),
            )
            .await;
        assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
        (
            started.body["upload"].as_str().unwrap().to_owned(),
            started.body["chunk_size"].as_u64().unwrap() as usize,
        )
    }

    /// Sends chunks `range` of `content` (each request to whichever replica nginx picks).
    async fn put_chunks(
        &mut self,
        browser: &Browser,
        upload: &str,
        content: &[u8],
        chunk_size: usize,
        range: std::ops::Range<usize>,
    ) {
        for (i, chunk) in content.chunks(chunk_size).enumerate() {
            if !range.contains(&i) {
                continue;
            }
            let put = self
                .send(
                    self.request(
                        browser,
                        Method::PUT,
                        &format!("/api/uploads/{upload}/chunks/{i}"),
                    )
                    .header("content-type", "application/octet-stream")
                    .body(chunk.to_vec()),
                )
                .await;
            assert_eq!(
                put.status,
                StatusCode::NO_CONTENT,
                "chunk {i}: {}",
                put.body
            );
        }
    }

    /// Makes the upload a paper, with the owner's `paper_added` entry; returns its seq.
    async fn commit_paper(
        &mut self,
        browser: &Browser,
        owner: &Owner,
        upload: &str,
        sealed: &SealedPaper,
    ) -> u64 {
        let head = self
            .send(self.request(browser, Method::GET, "/api/journal/head"))
            .await;
        let journal =
            owner.journal_entry_about(&head.body, "paper_added", Some(paper_id(sealed)), None);
        let committed = self
            .send(
                self.request(
                    browser,
                    Method::POST,
                    &format!("/api/uploads/{upload}/paper"),
                )
                .json(&json!({
                    "statement": b64(&sealed.statement.to_bytes().unwrap()),
                    "meta": b64(&sealed.meta),
                    "journal": journal,
                })),
            )
            .await;
        assert_eq!(committed.status, StatusCode::CREATED, "{}", committed.body);
        head.body["next_seq"].as_u64().unwrap()
    }

    /// The ids of the coffre's papers, sorted.
    async fn papers(&mut self, browser: &Browser) -> Vec<String> {
        let listed = self
            .send(self.request(browser, Method::GET, "/api/papers"))
            .await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        let mut ids: Vec<String> = listed.body["papers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["paper"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    }

    /// A paper's content as stored (the ciphertext the owner's device opens).
    async fn content(&mut self, browser: &Browser, sealed: &SealedPaper) -> bytes::Bytes {
        let path = format!("/api/papers/{}/content", paper_id(sealed));
        let got = self.send(self.request(browser, Method::GET, &path)).await;
        assert_eq!(got.status, StatusCode::OK);
        got.bytes
    }

    /// The whole journal, verified (chain, signatures, receipts) against the instance key.
    async fn journal(
        &mut self,
        browser: &Browser,
        ctx: &Context,
        server: &PublicKey,
        owner: &Owner,
    ) -> Vec<String> {
        let page = self
            .send(self.request(browser, Method::GET, "/api/journal"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let entries: Vec<Envelope> = page.body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| Envelope::parse(&unb64(i["entry"].as_str().unwrap()).unwrap()).unwrap())
            .collect();
        let owner_key = owner.keys.public();
        let allowed =
            |k: &PublicKey, _: &coffre_crypto::kinds::JournalEntry| k == server || *k == owner_key;
        verify_journal(&entries, None, ctx, &allowed).expect("the journal verifies");
        entries
            .iter()
            .map(|e| {
                e.peek::<coffre_crypto::kinds::JournalEntry>()
                    .unwrap()
                    .action
            })
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn three_replicas_behind_nginx_share_everything_and_survive_a_kill() {
    coffre_tests::init();
    let db = TestDb::new(Backend::Postgres).await;
    let s3 = S3Endpoint::shared().await;
    let bucket = s3.create_bucket().await;
    // nginx takes its port from its configuration: ask the kernel for a free one first.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let origin = format!("http://localhost:{port}");
    let mut vars = s3.child_env(&bucket);
    vars.push(("COFFRE_DATABASE_URL".into(), db.url.clone().unwrap()));
    vars.push(("COFFRE_PUBLIC_URL".into(), origin.clone()));

    let mut replicas = start_replicas(3, &vars).await;
    let addrs: Vec<String> = replicas.iter().map(|r| r.addr.clone()).collect();

    // Started together: every migration recorded once and successful, one instance, one key.
    let pool = sqlx::PgPool::connect(db.url.as_deref().unwrap())
        .await
        .unwrap();
    let (migrations, failed): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE NOT success) FROM _sqlx_migrations",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let files = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../migrations/postgres"
    ))
    .unwrap()
    .count();
    assert_eq!((migrations, failed), (files as i64, 0));
    let mut keys = std::collections::BTreeSet::new();
    for addr in &addrs {
        let info: Value = reqwest::get(format!("http://{addr}/api/instance"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(info["origin"], origin.as_str());
        keys.insert(info["server_key"].as_str().unwrap().to_owned());
        let health: Value = reqwest::get(format!("http://{addr}/api/health"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(health["status"], "ok", "{addr}: {health}");
    }
    assert_eq!(keys.len(), 1, "one server key for all replicas: {keys:?}");
    let server = PublicKey::from_b64(keys.first().unwrap()).unwrap();

    let nginx_dir = tempfile::tempdir().unwrap();
    let _nginx = start_nginx(nginx_dir.path(), port, &addrs).await;
    let mut lb = Balancer {
        url: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::new(),
        trail: Vec::new(),
    };

    // Open a coffre: the nonce from one replica, the coffre through the next.
    let owner = Owner::new(&origin);
    let ctx = Context {
        instance: origin.clone(),
        coffre: owner.coffre,
        epoch: 0,
    };
    let (nonce, now) = lb.nonce().await;
    let opened = lb
        .send(
            lb.request(&Browser::default(), Method::POST, "/api/coffres")
                .json(&owner.create_body(&nonce, now)),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let mut first = Browser::default();
    first.adopt(&opened.headers, &opened.body);
    // Write through one replica, sign in on a second browser, read through another.
    assert_eq!(lb.append(&first, &owner).await, 1);
    let second = lb.sign_in(&owner).await;
    assert_eq!(
        lb.journal(&second, &ctx, &server, &owner).await,
        ["coffre_created", "key_added", "sign_in"]
    );
    let checkpoint = sign_checkpoint(
        &ctx,
        &owner.keys.signing,
        Checkpoint {
            seq: 2,
            hash: journal_hash(&mut lb, &second, 2).await,
        },
        1,
    )
    .unwrap();
    let kept = lb
        .send(
            lb.request(&first, Method::PUT, "/api/journal/checkpoint")
                .json(&json!({"checkpoint": b64(&checkpoint.to_bytes().unwrap())})),
        )
        .await;
    assert_eq!(kept.status, StatusCode::NO_CONTENT, "{}", kept.body);
    let sessions = lb
        .send(lb.request(&second, Method::GET, "/api/sessions"))
        .await;
    assert_eq!(sessions.body.as_array().map(Vec::len), Some(2));
    // A paper: sealed by the owner, sent in chunks (each through the next replica), made a
    // paper, listed and downloaded through others.
    let coffre = lb
        .send(lb.request(&first, Method::GET, "/api/coffre"))
        .await;
    let (cert, _) = owner.first_category(&coffre.body);
    let paper_a = owner.seal_paper(&cert, 600_000, now);
    let (upload, chunk_size) = lb.start_upload(&first, &paper_a).await;
    lb.put_chunks(&first, &upload, &paper_a.content, chunk_size, 0..3)
        .await;
    assert_eq!(lb.commit_paper(&first, &owner, &upload, &paper_a).await, 3);
    assert_eq!(lb.papers(&second).await, [paper_id(&paper_a).to_string()]);
    assert_eq!(lb.content(&second, &paper_a).await, paper_a.content);
    // A second paper's upload under way: its first chunk acknowledged.
    let paper_b = owner.seal_paper(&cert, 300_000, now);
    let (upload_b, _) = lb.start_upload(&second, &paper_b).await;
    lb.put_chunks(&second, &upload_b, &paper_b.content, chunk_size, 0..1)
        .await;

    // No stickiness: each request went to another replica than the one before, and all
    // three answered.
    let answered: Vec<&str> = lb
        .trail
        .iter()
        .map(|t| t.last().unwrap().as_str())
        .collect();
    for pair in answered.windows(2) {
        assert_ne!(
            pair[0], pair[1],
            "consecutive requests on one replica: {answered:?}"
        );
    }
    for addr in &addrs {
        assert!(
            answered.contains(&addr.as_str()),
            "{addr} never answered: {answered:?}"
        );
    }
    let before_kill = lb.trail.len();

    // Kill -9 the replica that answered last, mid-scenario.
    let victim = replicas.iter().position(|r| r.addr == lb.last()).unwrap();
    let mut killed = replicas.remove(victim);
    killed.child.signal("KILL").await;
    let status = killed.child.wait().await;
    assert_eq!(status.code(), None, "killed by a signal");
    assert!(
        reqwest::get(format!("http://{}/api/health", killed.addr))
            .await
            .is_err(),
        "the killed replica no longer answers"
    );

    // Everything acknowledged before the kill is there, through the two others.
    assert_eq!(
        lb.journal(&first, &ctx, &server, &owner).await,
        ["coffre_created", "key_added", "sign_in", "paper_added"]
    );
    assert_eq!(lb.papers(&first).await, [paper_id(&paper_a).to_string()]);
    assert_eq!(lb.content(&second, &paper_a).await, paper_a.content);
    let state = lb
        .send(lb.request(&second, Method::GET, &format!("/api/uploads/{upload_b}")))
        .await;
    assert_eq!(state.body["received"], json!([0]), "the acknowledged chunk");
    let served = lb
        .send(lb.request(&second, Method::GET, "/api/journal/checkpoint"))
        .await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(
        served.body["checkpoint"].as_str(),
        Some(b64(&checkpoint.to_bytes().unwrap()).as_str())
    );
    let sessions = lb
        .send(lb.request(&first, Method::GET, "/api/sessions"))
        .await;
    assert_eq!(sessions.status, StatusCode::OK);
    let ids: Vec<String> = sessions
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["current"] == false)
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1, "{}", sessions.body);
    // The scenario goes on: the upload finishes, write, sign in, sign a browser out, read.
    lb.put_chunks(&second, &upload_b, &paper_b.content, chunk_size, 1..2)
        .await;
    assert_eq!(
        lb.commit_paper(&second, &owner, &upload_b, &paper_b).await,
        4
    );
    assert_eq!(lb.content(&first, &paper_b).await, paper_b.content);
    let mut both = vec![
        paper_id(&paper_a).to_string(),
        paper_id(&paper_b).to_string(),
    ];
    both.sort();
    assert_eq!(lb.papers(&first).await, both);
    assert_eq!(lb.append(&first, &owner).await, 5);
    let third = lb.sign_in(&owner).await;
    let out = lb
        .send(lb.request(&third, Method::DELETE, &format!("/api/sessions/{}", ids[0])))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.body);
    let gone = lb
        .send(lb.request(&second, Method::GET, "/api/session"))
        .await;
    assert_eq!(
        gone.status,
        StatusCode::UNAUTHORIZED,
        "the second browser is signed out"
    );
    assert_eq!(
        lb.journal(&third, &ctx, &server, &owner).await,
        [
            "coffre_created",
            "key_added",
            "sign_in",
            "paper_added",
            "paper_added",
            "key_added",
            "sign_in"
        ]
    );

    // nginx tried the dead replica once (refused), went on to a live one, then left it out.
    let after: &[Vec<String>] = &lb.trail[before_kill..];
    let retried: Vec<&Vec<String>> = after.iter().filter(|t| t.len() > 1).collect();
    assert_eq!(retried.len(), 1, "{after:?}");
    assert_eq!(retried[0][0], killed.addr);
    for tried in after {
        assert_ne!(tried.last(), Some(&killed.addr), "{after:?}");
    }
    for replica in &replicas {
        assert!(
            after.iter().any(|t| t.last() == Some(&replica.addr)),
            "{} took part after the kill: {after:?}",
            replica.addr
        );
    }

    for mut replica in replicas {
        replica.child.signal("TERM").await;
        assert_eq!(replica.child.wait().await.code(), Some(0));
    }
    pool.close().await;
}

fn paper_id(sealed: &SealedPaper) -> coffre_crypto::encoding::Id {
    sealed
        .statement
        .peek::<coffre_crypto::kinds::Upload>()
        .unwrap()
        .paper
}

/// The statement hash of entry `seq` of the journal.
async fn journal_hash(
    lb: &mut Balancer,
    browser: &Browser,
    seq: usize,
) -> coffre_crypto::encoding::Hash32 {
    let page = lb
        .send(lb.request(browser, Method::GET, "/api/journal"))
        .await;
    let raw = page.body["entries"][seq]["entry"].as_str().unwrap();
    Envelope::parse(&unb64(raw).unwrap())
        .unwrap()
        .hash()
        .unwrap()
}
