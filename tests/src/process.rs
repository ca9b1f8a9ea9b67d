//! The `coffre` command as a child process.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::task::JoinHandle;

/// Path of the `coffre` command built for the tests (same `main` as the real one):
/// cargo builds `target/<profile>/coffre-it` with the integration test, whose own
/// executable is `target/<profile>/deps/it-<hash>`.
pub fn coffre_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|dir| dir.join("coffre-it"))
        .expect("target directory");
    assert!(
        bin.is_file(),
        "{} is missing: run the tests with `cargo test -p coffre-tests`",
        bin.display()
    );
    bin
}

/// A child's stdout, line by line.
pub type StdoutLines = Lines<BufReader<ChildStdout>>;

/// How long a child may take to print an expected line.
pub const LINE_DEADLINE: Duration = Duration::from_secs(60);

/// A running `coffre` child.
#[derive(Debug)]
pub struct CoffreChild {
    pub child: Child,
    pub stdout: StdoutLines,
    pub stdin: Option<ChildStdin>,
    /// Reads the child's stderr as it comes (a full pipe would block the child).
    stderr: Option<JoinHandle<String>>,
}

impl CoffreChild {
    /// Starts `coffre ARGS` with only `vars` (plus PATH/HOME/RUST_LOG) as environment;
    /// its stderr goes to the test's.
    pub fn spawn(args: &[&str], vars: &[(String, String)]) -> Self {
        Self::spawn_with(args, vars, false)
    }

    /// Like [`Self::spawn`], keeping stderr for [`Self::stderr_text`].
    pub fn spawn_capturing_stderr(args: &[&str], vars: &[(String, String)]) -> Self {
        Self::spawn_with(args, vars, true)
    }

    fn spawn_with(args: &[&str], vars: &[(String, String)], capture_stderr: bool) -> Self {
        let mut command = Command::new(coffre_bin());
        command
            .args(args)
            .env_clear()
            .envs(
                ["PATH", "HOME", "RUST_LOG"]
                    .into_iter()
                    .filter_map(|k| std::env::var(k).ok().map(|v| (k, v))),
            )
            .envs(vars.iter().cloned())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if capture_stderr {
                Stdio::piped()
            } else {
                Stdio::inherit()
            })
            .kill_on_drop(true);
        let mut child = command.spawn().expect("spawn coffre");
        let stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let stdin = child.stdin.take();
        let stderr = child.stderr.take().map(|mut stderr| {
            tokio::spawn(async move {
                let mut text = String::new();
                let _ = stderr.read_to_string(&mut text).await;
                text
            })
        });
        Self {
            child,
            stdout,
            stdin,
            stderr,
        }
    }

    /// Everything the child wrote on stderr (call after it exited).
    pub async fn stderr_text(&mut self) -> String {
        match self.stderr.take() {
            Some(reader) => tokio::time::timeout(LINE_DEADLINE, reader)
                .await
                .expect("stderr closes when the child exits")
                .expect("stderr reader"),
            None => String::new(),
        }
    }

    /// The next stdout line (panics at EOF or after [`LINE_DEADLINE`]).
    pub async fn next_line(&mut self) -> String {
        next_line(&mut self.stdout).await
    }

    /// Reads lines until one starts with `prefix` and returns it.
    pub async fn line_starting_with(&mut self, prefix: &str) -> String {
        loop {
            let line = self.next_line().await;
            if line.starts_with(prefix) {
                return line;
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("child still running")
    }

    /// Sends a signal by name (`INT`, `TERM`, `KILL`) with kill(1).
    pub async fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.pid().to_string()])
            .status()
            .await
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits for the exit status (bounded).
    pub async fn wait(&mut self) -> std::process::ExitStatus {
        tokio::time::timeout(LINE_DEADLINE, self.child.wait())
            .await
            .expect("child should exit in time")
            .expect("wait for child")
    }
}

pub async fn next_line<R: AsyncRead + Unpin>(lines: &mut Lines<BufReader<R>>) -> String {
    match tokio::time::timeout(LINE_DEADLINE, lines.next_line()).await {
        Ok(Ok(Some(line))) => line,
        Ok(Ok(None)) => panic!("child closed stdout"),
        Ok(Err(e)) => panic!("reading child stdout: {e}"),
        Err(_) => panic!("no line from child within {LINE_DEADLINE:?}"),
    }
}

/// Runs `coffre ARGS` to completion; returns (success, stdout, stderr).
pub async fn run_coffre(args: &[&str], vars: &[(String, String)]) -> (bool, String, String) {
    let (code, stdout, stderr) = run_coffre_code(args, vars).await;
    (code == Some(0), stdout, stderr)
}

/// Runs `coffre ARGS` to completion; returns (exit code, stdout, stderr).
pub async fn run_coffre_code(
    args: &[&str],
    vars: &[(String, String)],
) -> (Option<i32>, String, String) {
    let output = Command::new(coffre_bin())
        .args(args)
        .env_clear()
        .envs(
            ["PATH", "HOME"]
                .into_iter()
                .filter_map(|k| std::env::var(k).ok().map(|v| (k, v))),
        )
        .envs(vars.iter().cloned())
        .stdin(Stdio::null())
        .output();
    let output = tokio::time::timeout(LINE_DEADLINE, output)
        .await
        .expect("coffre should finish in time")
        .expect("run coffre");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A replica: the `coffre serve` child and its address.
#[derive(Debug)]
pub struct Replica {
    pub child: CoffreChild,
    /// `127.0.0.1:PORT`, as it printed it.
    pub addr: String,
    _data: tempfile::TempDir,
}

/// Starts `n` `coffre serve` replicas at once (every process spawned before any is waited
/// for, so their migrations run concurrently), each on 127.0.0.1:0 with a data directory of
/// its own, all with the environment `vars` (the same database, blob store and public URL).
pub async fn start_replicas(n: usize, vars: &[(String, String)]) -> Vec<Replica> {
    let mut started = Vec::new();
    for _ in 0..n {
        let data = tempfile::tempdir().unwrap();
        let mut env = vars.to_vec();
        env.push(("COFFRE_LISTEN".into(), "127.0.0.1:0".into()));
        env.push(("COFFRE_DATA_DIR".into(), data.path().display().to_string()));
        started.push((CoffreChild::spawn_capturing_stderr(&["serve"], &env), data));
    }
    let mut replicas = Vec::new();
    for (mut child, data) in started {
        let line = child.next_line().await;
        let addr = line
            .strip_prefix("coffre: listening on http://")
            .unwrap_or_else(|| panic!("a replica did not start: {line:?}"))
            .to_owned();
        replicas.push(Replica {
            child,
            addr,
            _data: data,
        });
    }
    replicas
}
