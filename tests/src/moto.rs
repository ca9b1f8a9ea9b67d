//! An S3 endpoint for tests: one `moto_server` on loopback shared by the whole test
//! binary (each test makes its own bucket), or `TEST_S3_ENDPOINT`.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use coffre_server::config::{S3Config, Secret};
use tokio::sync::OnceCell;

/// How long `moto_server` may take to say it is listening after it is started.
const STARTUP_DEADLINE: Duration = Duration::from_secs(60);

/// A running S3 endpoint.
#[derive(Debug)]
pub struct S3Endpoint {
    pub endpoint: String,
    /// The watchdog shell: it kills moto_server when our end of its stdin closes, that
    /// is when the test binary exits, however it exits.
    _watchdog: Option<Child>,
}

static SHARED: OnceCell<S3Endpoint> = OnceCell::const_new();

impl S3Endpoint {
    /// The shared endpoint, started on first use.
    pub async fn shared() -> &'static S3Endpoint {
        SHARED.get_or_init(Self::start).await
    }

    async fn start() -> Self {
        if let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") {
            return Self {
                endpoint,
                _watchdog: None,
            };
        }
        // Ask the kernel for a free port, then hand it to moto_server.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        // `read` returns when the test binary's end of the pipe closes. moto's log (stderr)
        // comes to us on the shell's stdout: werkzeug writes "Running on …" once it listens.
        let script = format!(
            "command -v moto_server >/dev/null || exit 127\n\
             moto_server -H 127.0.0.1 -p {port} </dev/null 2>&1 >/dev/null & pid=$!\n\
             read _ignored\n\
             kill $pid 2>/dev/null\n"
        );
        let mut watchdog = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start moto_server through sh");
        let endpoint = format!("http://127.0.0.1:{port}");
        let log = watchdog.stdout.take().expect("moto_server log");
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let listening = format!("Running on {endpoint}");
        // Reads moto's log until it ends (the binary exits), so the pipe never fills: the
        // first line naming our address is the readiness signal.
        std::thread::spawn(move || {
            let mut ready = Some(ready_tx);
            for line in BufReader::new(log).lines().map_while(Result::ok) {
                if line.contains(&listening)
                    && let Some(tx) = ready.take()
                {
                    let _ = tx.send(());
                }
            }
        });
        match tokio::time::timeout(STARTUP_DEADLINE, ready_rx).await {
            Ok(Ok(())) => {}
            // Its log ended: the shell has exited (127 when moto_server is not installed).
            Ok(Err(_)) => panic!(
                "moto_server exited before listening ({}); install it with \
                 `pip install 'moto[server]'` or set TEST_S3_ENDPOINT",
                watchdog
                    .wait()
                    .map_or_else(|e| e.to_string(), |s| s.to_string())
            ),
            Err(_) => panic!("moto_server did not listen within {STARTUP_DEADLINE:?}"),
        }
        Self {
            endpoint,
            _watchdog: Some(watchdog),
        }
    }

    /// Creates a bucket with a random name and returns it.
    pub async fn create_bucket(&self) -> String {
        let bucket = format!("coffre-test-{}", uuid::Uuid::new_v4().simple());
        let response = reqwest::Client::new()
            .put(format!("{}/{bucket}", self.endpoint))
            .send()
            .await
            .expect("create bucket");
        assert!(
            response.status().is_success(),
            "create bucket: {}",
            response.status()
        );
        bucket
    }

    /// The `[s3]` configuration for this endpoint.
    pub fn config(&self) -> S3Config {
        S3Config {
            endpoint: Some(self.endpoint.clone()),
            region: Some("us-east-1".to_owned()),
            access_key_id: Some("testing".to_owned()),
            secret_access_key: Some(Secret::new("testing".to_owned())),
            allow_http: true,
        }
    }

    /// The same as environment variables for a child process.
    pub fn child_env(&self, bucket: &str) -> Vec<(String, String)> {
        vec![
            ("COFFRE_BLOB_URL".to_owned(), format!("s3://{bucket}")),
            ("COFFRE_S3__ENDPOINT".to_owned(), self.endpoint.clone()),
            ("COFFRE_S3__REGION".to_owned(), "us-east-1".to_owned()),
            ("COFFRE_S3__ACCESS_KEY_ID".to_owned(), "testing".to_owned()),
            (
                "COFFRE_S3__SECRET_ACCESS_KEY".to_owned(),
                "testing".to_owned(),
            ),
            ("COFFRE_S3__ALLOW_HTTP".to_owned(), "true".to_owned()),
        ]
    }
}
