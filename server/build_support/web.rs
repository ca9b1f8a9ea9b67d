//! Building the web client for embedding (used by `build.rs`, unit-tested by the
//! server crate). Plain std only: it runs inside the build script.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Build-time variable: a prebuilt client folder to embed instead of running npm.
pub const WEB_DIST_VAR: &str = "COFFRE_WEB_DIST";
/// Build-time variable: `1` lets a build that embeds its assets fall back to the
/// placeholder page when the client cannot be built (otherwise that build fails).
pub const PLACEHOLDER_VAR: &str = "COFFRE_WEB_PLACEHOLDER";

/// Entries of `client-web/` whose change must rebuild the embedded client: everything
/// `vite build` reads. A test (`server/src/build_web_tests.rs`) fails on any other entry
/// of `client-web/` that it does not know to be irrelevant, so a new input cannot be forgotten.
pub const CLIENT_INPUTS: &[&str] = &[
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
];

/// The paths the build script watches (`cargo::rerun-if-changed`): the prebuilt folder,
/// or the client inputs that exist (cargo reruns on every build for a missing path).
pub fn rerun_if_changed(client_dir: &Path, prebuilt: Option<&Path>) -> Vec<PathBuf> {
    match prebuilt {
        Some(dir) => vec![dir.to_path_buf()],
        None => CLIENT_INPUTS
            .iter()
            .map(|input| client_dir.join(input))
            .filter(|path| path.exists())
            .collect(),
    }
}

/// The base64 SHA-256 of the PDF frame's script (`assets/pdf-frame-*.js`), as a CSP hash
/// source names it; `None` when the build has none (the placeholder page).
pub fn pdf_frame_sha256(dist: &Path) -> Option<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let mut frames: Vec<PathBuf> = fs::read_dir(dist.join("assets"))
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            name.starts_with("pdf-frame-") && name.ends_with(".js")
        })
        .collect();
    frames.sort();
    let [frame] = frames.as_slice() else {
        return None;
    };
    let bytes = fs::read(frame).ok()?;
    Some(base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&bytes)))
}

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
    /// The placeholder page; the reason goes into the build's warning or error.
    Placeholder { dir: PathBuf, reason: String },
}

impl WebSource {
    pub fn dir(&self) -> &Path {
        match self {
            Self::Prebuilt(dir) | Self::Built(dir) => dir,
            Self::Placeholder { dir, .. } => dir,
        }
    }

    /// A short name of the source, given to the crate as `COFFRE_BUILD_WEB_SOURCE`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Prebuilt(_) => "prebuilt",
            Self::Built(_) => "built",
            Self::Placeholder { .. } => "placeholder",
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
    let output = command.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "`{}` not found on PATH",
                command.get_program().to_string_lossy()
            )
        } else {
            e.to_string()
        }
    })?;
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

/// What the build script does with a [`WebSource`].
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The real client: embed it.
    Embed,
    /// The placeholder, allowed here: embed it and warn.
    Warn(String),
    /// The placeholder, not allowed: fail the build with this message.
    Fail(String),
}

/// Decides whether a placeholder is acceptable. A build that embeds its assets (release)
/// must ship the real client unless the packager set [`PLACEHOLDER_VAR`]; a debug build
/// (which serves the assets from disk, for development) only warns.
pub fn verdict(source: &WebSource, embeds_assets: bool, placeholder_allowed: bool) -> Verdict {
    let WebSource::Placeholder { reason, .. } = source else {
        return Verdict::Embed;
    };
    let fix = format!(
        "install Node.js >= 20.19 and npm, then build again, or set {WEB_DIST_VAR} to a \
         prebuilt client (the folder `npm run build` writes in client-web/)"
    );
    if embeds_assets && !placeholder_allowed {
        Verdict::Fail(format!(
            "the web client could not be built: {reason}. A release build embeds the client: \
             {fix}. To ship a server that only shows a \"client not built\" page instead, set \
             {PLACEHOLDER_VAR}=1."
        ))
    } else {
        Verdict::Warn(format!(
            "the web client was not built: {reason}. The server will show a placeholder page; \
             {fix}."
        ))
    }
}

/// Whether the value of [`PLACEHOLDER_VAR`] allows the placeholder.
pub fn placeholder_allowed(value: Option<&str>) -> bool {
    matches!(value.map(str::trim), Some("1" | "true" | "yes"))
}
