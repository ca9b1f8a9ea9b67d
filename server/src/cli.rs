//! The `coffre` command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::{self, StartError};
use crate::clock::SharedClock;
use crate::config::{Config, ConfigError, EXAMPLE_TOML, EnvVars};
use crate::{backup, diagnostics, server, telemetry};

/// Coffre: an end-to-end encrypted safe for papers.
#[derive(Debug, Parser)]
#[command(name = "coffre", version, about)]
pub struct Cli {
    /// Configuration file (TOML). `COFFRE_*` environment variables override it.
    #[arg(long, global = true, env = "COFFRE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the API and the web client.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print a commented example configuration.
    DefaultConfig,
    /// Check the configuration and print a summary (secrets redacted).
    CheckConfig,
    /// The instance admin's tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Copy the database and every blob into a new or empty directory, with a manifest
    /// (safe while `coffre serve` runs; PostgreSQL needs `pg_dump`).
    Backup {
        /// The directory to write (created if missing; must be empty).
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Put a backup back into an empty database and an empty blob store, verified, and
    /// tell every owner through their journal (PostgreSQL needs `pg_restore`).
    Restore {
        /// A directory written by `coffre backup`.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
    },
    /// Check every blob against its record and report missing, corrupt and extra
    /// objects (exit status 2 if any).
    Verify {
        /// Check this backup directory against its manifest instead of the live store.
        #[arg(long, value_name = "DIR")]
        backup: Option<PathBuf>,
    },
    /// Diagnostics for the blob store (not for everyday use).
    #[command(hide = true, subcommand)]
    Blobs(BlobsCommand),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Print a one-time link that opens an admin's or a professional's account. The link
    /// works once, until it expires; give it in person or over a channel you trust.
    Invite {
        /// `admin` (the instance admin) or `professional` (an aidant or a responsable).
        #[arg(long, value_enum)]
        role: InviteRole,
        /// How long the link works, in hours (1 to 720).
        #[arg(long, default_value_t = 72, value_parser = clap::value_parser!(u16).range(1..=720))]
        hours: u16,
    },
    /// Organisations (associations, CCAS, CHRS…).
    #[command(subcommand)]
    Org(OrgCommand),
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Make an organisation and print the one-time link for its founding responsable, who
    /// opens it signed in with their professional account. The link works once, until it
    /// expires; give it in person or over a channel you trust.
    Create {
        /// The organisation's name, e.g. "CHRS Les Tilleuls".
        name: String,
        /// How long the link works, in hours (1 to 720).
        #[arg(long, default_value_t = 72, value_parser = clap::value_parser!(u16).range(1..=720))]
        hours: u16,
    },
}

/// The accounts an invitation can open.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum InviteRole {
    Admin,
    Professional,
}

#[derive(Debug, Subcommand)]
pub enum BlobsCommand {
    /// Write a blob of pseudo-random bytes through the real code path, read it back,
    /// delete it. With `--hold`, pause mid-write until a line arrives on stdin (the
    /// crash test kills the process there).
    SelfTest {
        /// Size of the test blob in bytes.
        #[arg(long, default_value_t = 16 * 1024 * 1024)]
        size: u64,
        /// Pause mid-write (after printing `coffre: blob write under way`).
        #[arg(long)]
        hold: bool,
    },
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
enum CliError {
    /// The reason follows as the error's source (`error_chain` prints it once).
    #[error("configuration")]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error(transparent)]
    SelfTest(#[from] diagnostics::SelfTestError),
    #[error(transparent)]
    Backup(#[from] backup::BackupError),
    /// `verify` found problems (already printed): exit status [`PROBLEMS_FOUND`].
    #[error("verification failed: {0}")]
    ProblemsFound(String),
    #[error("{0}")]
    Other(String),
}

/// Exit status of `coffre verify` when it finds a missing, corrupt or extra object (1 is
/// a command that could not run).
pub const PROBLEMS_FOUND: u8 = 2;

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        Self::Other(e.to_string())
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Serve)
        && let Some(e) = crate::malloc::fix_mmap_threshold()
    {
        eprintln!(
            "coffre: warning: running with glibc's default malloc threshold \
             (set {}={} to keep memory flat under many uploads): {e}",
            crate::malloc::MMAP_THRESHOLD_VAR,
            crate::malloc::MMAP_THRESHOLD
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("coffre: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ CliError::ProblemsFound(_)) => {
            eprintln!("coffre: {e}");
            ExitCode::from(PROBLEMS_FOUND)
        }
        Err(e) => {
            eprintln!("coffre: error: {}", crate::error::error_chain(&e));
            ExitCode::FAILURE
        }
    }
}

fn load_config(cli: &Cli) -> Result<Config, ConfigError> {
    Config::load(cli.config.as_deref(), &EnvVars::from_process())
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let clock: SharedClock = crate::clock::process_clock();
    match &cli.command {
        Command::DefaultConfig => {
            print!("{EXAMPLE_TOML}");
            Ok(())
        }
        Command::CheckConfig => {
            let config = load_config(&cli)?;
            println!("coffre: configuration OK: {}", config.summary());
            Ok(())
        }
        Command::Migrate => {
            let config = load_config(&cli)?;
            telemetry::init(config.log_format);
            let (store, instance, _) = app::open_store(&config, &clock)
                .await
                .map_err(StartError::from)?;
            store.close().await;
            println!(
                "coffre: database migrated (schema version {}, instance {})",
                instance.schema_version, instance.id
            );
            Ok(())
        }
        Command::Serve => serve(&cli, clock).await,
        Command::Admin(AdminCommand::Invite { role, hours }) => {
            let config = load_config(&cli)?;
            telemetry::init(config.log_format);
            let (store, _, _) = app::open_store(&config, &clock)
                .await
                .map_err(StartError::from)?;
            let role = match role {
                InviteRole::Admin => crate::domain::AccountRole::Admin,
                InviteRole::Professional => crate::domain::AccountRole::Professional,
            };
            let made = crate::http::invitations::invite(
                &store,
                &clock,
                &config.instance_origin(),
                role,
                time::Duration::hours(i64::from(*hours)),
            )
            .await;
            store.close().await;
            let (link, expires) = made.map_err(StartError::from)?;
            let until = expires
                .to_datetime()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default();
            let whose = match role {
                crate::domain::AccountRole::Admin => "an admin's",
                _ => "a professional's",
            };
            println!("coffre: a one-time link that opens {whose} account, valid until {until}:");
            println!("{link}");
            Ok(())
        }
        Command::Admin(AdminCommand::Org(OrgCommand::Create { name, hours })) => {
            let config = load_config(&cli)?;
            telemetry::init(config.log_format);
            let (store, _, _) = app::open_store(&config, &clock)
                .await
                .map_err(StartError::from)?;
            let made = crate::http::organisations::create(
                &store,
                &clock,
                &config.instance_origin(),
                name,
                time::Duration::hours(i64::from(*hours)),
            )
            .await;
            store.close().await;
            let (org, link) = match made {
                Ok(made) => made,
                Err(crate::http::organisations::CreateError::Store(e)) => {
                    return Err(StartError::from(e).into());
                }
                Err(e) => return Err(CliError::Other(e.to_string())),
            };
            let until = org
                .founding_expires_at
                .to_datetime()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default();
            println!(
                "coffre: organisation {} ({}) made; a one-time link for its founding \
                 responsable, valid until {until}:",
                org.name, org.id
            );
            println!("{link}");
            Ok(())
        }
        Command::Backup { to } => {
            let config = load_config(&cli)?;
            telemetry::init(config.log_format);
            app::install_crypto_provider();
            let done = backup::backup(&config, &clock, to).await?;
            println!(
                "coffre: backup written to {} ({} blobs, {} bytes; database snapshot {}, \
                 taken at {})",
                done.dir.display(),
                done.blobs,
                done.blob_bytes,
                done.manifest.database.file,
                done.manifest.taken_at
            );
            Ok(())
        }
        Command::Restore { from } => {
            let config = load_config(&cli)?;
            telemetry::init(config.log_format);
            app::install_crypto_provider();
            let done = backup::restore(&config, &clock, from).await?;
            println!(
                "coffre: restored instance {} from {} ({} blobs verified, {} coffres told in \
                 their journal, {} sessions signed out; backup taken at {})",
                done.instance,
                from.display(),
                done.blobs,
                done.coffres,
                done.sessions_ended,
                backup::manifest::format_time(done.taken_at)
            );
            Ok(())
        }
        Command::Verify { backup: dir } => {
            let config = load_config(&cli)?;
            telemetry::init(config.log_format);
            app::install_crypto_provider();
            let report = match dir {
                Some(dir) => backup::verify_backup(dir).await?.1,
                None => backup::verify_configured(&config).await?,
            };
            for line in report.lines() {
                println!("coffre: {line}");
            }
            if report.is_clean() {
                Ok(())
            } else {
                Err(CliError::ProblemsFound(report.summary()))
            }
        }
        Command::Blobs(BlobsCommand::SelfTest { size, hold }) => {
            let config = load_config(&cli)?;
            telemetry::init(config.log_format);
            let summary = diagnostics::blob_self_test(&config, clock, *size, *hold).await?;
            println!("coffre: blob self-test ok: {summary}");
            Ok(())
        }
    }
}

async fn serve(cli: &Cli, clock: SharedClock) -> Result<(), CliError> {
    let mut config = load_config(cli)?;
    telemetry::init(config.log_format);
    if config.tls.behind_proxy && !config.listen.ip().is_loopback() {
        tracing::warn!(listen = %config.listen, "tls.behind_proxy is set but listen is not a loopback address");
    }
    // Signal handlers first: a SIGINT right after the line below must stop us cleanly.
    let shutdown = shutdown_signal()?;
    // The bound ports (listen may say 0): the default origin is http://localhost:PORT.
    let listeners = server::Listeners::bind(&mut config)?;
    let state = app::open(config, clock).await?;
    let transport = server::prepare_transport(&state.config).await?;
    let url = server::listening_url(&state.config, &listeners.app)?;
    if let Some(metrics) = state.config.metrics.listen {
        tracing::info!("metrics on http://{metrics}/metrics");
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "coffre: listening on {url}")?;
        // What people type: the instance origin every statement and passkey is bound to.
        writeln!(out, "coffre: open {} in a browser", state.origin)?;
        out.flush()?;
    }
    server::serve(listeners, state, transport, shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on SIGINT or SIGTERM.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => tracing::info!("SIGINT: shutting down"),
            _ = terminate.recv() => tracing::info!("SIGTERM: shutting down"),
        }
    })
}
