//! Building the web client for embedding (used by `build.rs`, unit-tested by the
//! server crate). Plain std only: it runs inside the build script.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Client files whose change must rebuild the embedded client.
pub const CLIENT_INPUTS: &[&str] = &[
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
];

/// The placeholder page, served when the client could not be built.
pub const PLACEHOLDER_HTML: &str = r#"<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Coffre — client web non construit</title>
<link rel="stylesheet" href="/assets/coffre-placeholder-v1.css">
</head>
<body>
<main>
<h1>Coffre</h1>
<p lang="fr">Le client web n'a pas été construit : ce serveur fonctionne, mais l'application
n'est pas incluse. Installez Node.js et npm, puis reconstruisez le serveur
(<code>cargo build</code>), ou indiquez un client déjà construit avec
<code>COFFRE_WEB_DIST=/chemin/vers/dist</code>.</p>
<p lang="en">The web client has not been built: this server works, but the application is not
included. Install Node.js and npm and rebuild the server (<code>cargo build</code>), or point
<code>COFFRE_WEB_DIST=/path/to/dist</code> at a prebuilt client.</p>
</main>
</body>
</html>
"#;

/// Style of the placeholder page (a file: the CSP forbids inline styles).
pub const PLACEHOLDER_CSS: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:0 .2em}\n";

/// Where the assets to embed came from.
#[derive(Debug, PartialEq, Eq)]
pub enum WebSource {
    /// `COFFRE_WEB_DIST`: a prebuilt folder, embedded as is.
    Prebuilt(PathBuf),
    /// Built from `client-web/` by npm.
    Built(PathBuf),
    /// The placeholder page; the reason is shown as a cargo warning.
    Placeholder { dir: PathBuf, reason: String },
}

impl WebSource {
    pub fn dir(&self) -> &Path {
        match self {
            Self::Prebuilt(dir) | Self::Built(dir) => dir,
            Self::Placeholder { dir, .. } => dir,
        }
    }
}

/// Inputs of [`prepare_web`].
#[derive(Debug)]
pub struct WebBuild<'a> {
    /// The `client-web/` directory.
    pub client_dir: &'a Path,
    /// A scratch directory (the build script's `OUT_DIR`).
    pub out_dir: &'a Path,
    /// Value of `COFFRE_WEB_DIST`, if set.
    pub prebuilt: Option<PathBuf>,
    /// The npm program (`npm`; tests use a missing one).
    pub npm: &'a str,
}

/// Decides what to embed: the prebuilt folder, a fresh npm build, or the placeholder.
pub fn prepare_web(build: &WebBuild<'_>) -> WebSource {
    if let Some(dir) = &build.prebuilt {
        if dir.join("index.html").is_file() {
            return WebSource::Prebuilt(dir.clone());
        }
        return placeholder(
            build.out_dir,
            format!("COFFRE_WEB_DIST={} has no index.html", dir.display()),
        );
    }
    match npm_build(build) {
        Ok(dir) => WebSource::Built(dir),
        Err(reason) => placeholder(build.out_dir, reason),
    }
}

fn npm_build(build: &WebBuild<'_>) -> Result<PathBuf, String> {
    let client = build.client_dir;
    if !client.join("package.json").is_file() {
        return Err(format!("{} has no package.json", client.display()));
    }
    let node_modules = client.join("node_modules");
    let lock = client.join("package-lock.json");
    let stale = match (modified(&node_modules), modified(&lock)) {
        (None, _) => true,
        (Some(modules), Some(lock)) => modules < lock,
        (Some(_), None) => false,
    };
    if stale {
        run(Command::new(build.npm)
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(client))
        .map_err(|e| format!("`npm ci` failed: {e}"))?;
    }
    let web = build.out_dir.join("web");
    let _ = fs::remove_dir_all(&web);
    let out = web.to_string_lossy().into_owned();
    run(Command::new(build.npm)
        .args(["run", "build", "--", "--outDir", &out, "--emptyOutDir"])
        .current_dir(client))
    .map_err(|e| format!("`npm run build` failed: {e}"))?;
    if web.join("index.html").is_file() {
        Ok(web)
    } else {
        Err(format!("`npm run build` left no index.html in {out}"))
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command.output().map_err(|e| e.to_string())?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let tail: Vec<&str> = stderr
        .lines()
        .chain(stdout.lines())
        .filter(|l| !l.trim().is_empty())
        .collect();
    let tail = tail[tail.len().saturating_sub(6)..].join(" | ");
    Err(format!("{} ({tail})", output.status))
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn placeholder(out_dir: &Path, reason: String) -> WebSource {
    let dir = out_dir.join("web-placeholder");
    let written = fs::create_dir_all(dir.join("assets"))
        .and_then(|()| fs::write(dir.join("index.html"), PLACEHOLDER_HTML))
        .and_then(|()| {
            fs::write(
                dir.join("assets/coffre-placeholder-v1.css"),
                PLACEHOLDER_CSS,
            )
        });
    let reason = match written {
        Ok(()) => reason,
        Err(e) => format!("{reason}; writing the placeholder also failed: {e}"),
    };
    WebSource::Placeholder { dir, reason }
}
