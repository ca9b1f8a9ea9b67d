//! The Debian packaging files (`packaging/debian/`), checked without building the package:
//! the unit passes `systemd-analyze verify` and keeps its exposure at 2.0 or below (the
//! score is printed), the conffile is a valid Coffre configuration whose paths are the
//! unit's, and the package metadata puts each file where the unit and the scripts expect
//! it. Building and installing the package itself is `packaging/check-deb.sh` (root, a
//! release build).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use coffre_server::config::{BlobLocation, Config, DatabaseLocation, TlsMode};

/// The exposure `systemd-analyze security` may give the packaged unit at most.
const EXPOSURE_GOAL: f64 = 2.0;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn packaging_file(name: &str) -> String {
    let path = repo().join("packaging/debian").join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The values of `key=` in the unit, in order.
fn unit_values<'a>(unit: &'a str, key: &str) -> Vec<&'a str> {
    let prefix = format!("{key}=");
    unit.lines()
        .filter_map(|line| line.strip_prefix(prefix.as_str()))
        .collect()
}

fn one_value<'a>(unit: &'a str, key: &str) -> &'a str {
    match unit_values(unit, key).as_slice() {
        [value] => value,
        other => panic!("coffre.service: expected one {key}=, found {other:?}"),
    }
}

/// A throwaway root holding the unit (and optional drop-ins) where the package installs
/// it, an executable at /usr/bin/coffre, and the host's targets and slices, so that
/// `systemd-analyze --root` checks the unit as it would be installed.
fn unit_root(drop_ins: &[&str]) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let units = root.path().join("usr/lib/systemd/system");
    fs::create_dir_all(&units).unwrap();
    fs::write(
        units.join("coffre.service"),
        packaging_file("coffre.service"),
    )
    .unwrap();
    if !drop_ins.is_empty() {
        let dir = root.path().join("etc/systemd/system/coffre.service.d");
        fs::create_dir_all(&dir).unwrap();
        for name in drop_ins {
            fs::write(dir.join(name), packaging_file(name)).unwrap();
        }
    }
    let bin = root.path().join("usr/bin");
    fs::create_dir_all(&bin).unwrap();
    fs::write(bin.join("coffre"), "#!/bin/sh\n").unwrap();
    fs::set_permissions(bin.join("coffre"), fs::Permissions::from_mode(0o755)).unwrap();
    let host_units = Path::new("/usr/lib/systemd/system");
    let copied = root.path().join("usr/lib/systemd/system");
    fs::create_dir_all(&copied).unwrap();
    for entry in fs::read_dir(host_units).expect("/usr/lib/systemd/system: is systemd installed?") {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_file = entry.file_type().unwrap().is_file();
        if is_file && (name.ends_with(".target") || name.ends_with(".slice")) {
            fs::copy(entry.path(), copied.join(&*name)).unwrap();
        }
    }
    root
}

fn systemd_analyze(root: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new("systemd-analyze")
        .args(args)
        .arg(format!("--root={}", root.display()))
        .arg("coffre.service")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "systemd-analyze cannot run ({e}): install systemd (apt-get install systemd) \
                 to check the packaged unit"
            )
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// `systemd-analyze security --offline=true`: the overall exposure it prints.
fn exposure(root: &Path) -> f64 {
    let (_, text) = systemd_analyze(root, &["security", "--offline=true"]);
    let line = text
        .lines()
        .find(|line| line.contains("Overall exposure level for coffre.service:"))
        .unwrap_or_else(|| panic!("no exposure in:\n{text}"));
    let after = line.rsplit_once(':').unwrap().1.trim();
    after
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("cannot read the exposure in {line:?}"))
}

#[test]
fn the_unit_passes_systemd_analyze_verify() {
    let root = unit_root(&[]);
    let (ok, text) = systemd_analyze(root.path(), &["verify"]);
    assert!(
        ok && text.trim().is_empty(),
        "systemd-analyze verify:\n{text}"
    );
    let root = unit_root(&["port-443.conf"]);
    let (ok, text) = systemd_analyze(root.path(), &["verify"]);
    assert!(
        ok && text.trim().is_empty(),
        "systemd-analyze verify with port-443.conf:\n{text}"
    );
}

#[test]
fn the_unit_exposure_is_at_most_two() {
    let score = exposure(unit_root(&[]).path());
    println!("systemd-analyze security --offline=true coffre.service: exposure {score}");
    assert!(score <= EXPOSURE_GOAL, "exposure {score} > {EXPOSURE_GOAL}");
    // The ACME variant adds one capability, and stays under the goal too.
    let with_443 = exposure(unit_root(&["port-443.conf"]).path());
    println!("with port-443.conf (CAP_NET_BIND_SERVICE): exposure {with_443}");
    assert!(
        with_443 <= EXPOSURE_GOAL,
        "exposure {with_443} > {EXPOSURE_GOAL}"
    );
}

#[test]
fn the_unit_has_its_hardening() {
    let unit = packaging_file("coffre.service");
    for line in [
        "DynamicUser=yes",
        "StateDirectory=coffre",
        "StateDirectoryMode=0700",
        "ConfigurationDirectory=coffre",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "SystemCallFilter=@system-service",
        "SystemCallFilter=~@privileged @resources",
        "SystemCallArchitectures=native",
        "MemoryDenyWriteExecute=yes",
        "UMask=0077",
    ] {
        assert!(
            unit.lines().any(|l| l == line),
            "coffre.service lacks {line}"
        );
    }
    // No address allow list: PostgreSQL, S3 and ACME may be anywhere.
    assert!(unit_values(&unit, "IPAddressDeny").is_empty());
    assert!(unit_values(&unit, "ReadWritePaths").is_empty());
}

#[test]
fn the_conffile_is_a_valid_config_matching_the_unit() {
    let toml = packaging_file("coffre.toml");
    let config = Config::from_toml_str(&toml).expect("packaging/debian/coffre.toml");
    let data_dir = Path::new("/var/lib/coffre");
    assert_eq!(config.data_dir, data_dir);
    assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
    assert!(
        config.public_url.is_none(),
        "public_url is the admin's to set"
    );
    assert_eq!(config.tls.mode, TlsMode::Off);
    assert!(toml.contains("# public_url = \"https://coffre.example.org\""));
    assert_eq!(
        config.database(),
        DatabaseLocation::Sqlite(data_dir.join("coffre.db"))
    );
    assert_eq!(config.blobs(), BlobLocation::Local(data_dir.join("blobs")));
    assert_eq!(config.effective_acme_cache_dir(), data_dir.join("acme"));
    // The same keys as `coffre default-config`, only some values changed.
    let example = Config::from_toml_str(coffre_server::config::EXAMPLE_TOML).unwrap();
    assert_eq!(
        Config {
            data_dir: example.data_dir.clone(),
            ..config.clone()
        },
        example
    );

    let unit = packaging_file("coffre.service");
    // StateDirectory=coffre is /var/lib/coffre: the data_dir, and the only writable path.
    let state = Path::new("/var/lib").join(one_value(&unit, "StateDirectory"));
    assert_eq!(state, config.data_dir);
    assert_eq!(Path::new(one_value(&unit, "WorkingDirectory")), data_dir);
    assert_eq!(
        one_value(&unit, "LoadCredential"),
        "coffre.toml:/etc/coffre/coffre.toml"
    );
    assert_eq!(
        one_value(&unit, "ExecStart"),
        "/usr/bin/coffre --config ${CREDENTIALS_DIRECTORY}/coffre.toml serve"
    );
    let run = packaging_file("coffre-run");
    assert!(run.contains("--property=StateDirectory=coffre "));
    assert!(run.contains("--property=LoadCredential=coffre.toml:/etc/coffre/coffre.toml "));
    assert!(run.contains("/usr/bin/coffre --config '${CREDENTIALS_DIRECTORY}/coffre.toml'"));
}

#[test]
fn the_package_metadata_installs_what_the_unit_names() {
    let manifest = fs::read_to_string(repo().join("server/Cargo.toml")).unwrap();
    for asset in [
        r#"["target/release/coffre", "usr/bin/", "755"]"#,
        r#"["../packaging/debian/coffre.toml", "etc/coffre/coffre.toml", "600"]"#,
        r#"["../packaging/debian/coffre-run", "usr/sbin/", "755"]"#,
        r#"["../packaging/debian/port-443.conf", "usr/share/doc/coffre/examples/", "644"]"#,
    ] {
        assert!(
            manifest.contains(asset),
            "server/Cargo.toml lacks the asset {asset}"
        );
    }
    assert!(manifest.contains("name = \"coffre\""));
    assert!(manifest.contains("unit-scripts = \"../packaging/debian/\""));
    assert!(manifest.contains("maintainer-scripts = \"../packaging/debian/\""));
    for script in ["postinst", "prerm", "postrm", "coffre-run"] {
        let path = repo().join("packaging/debian").join(script);
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("#!/bin/bash\n"),
            "{script}: not a bash script"
        );
        assert!(
            text.contains("set -euo pipefail"),
            "{script}: no set -euo pipefail"
        );
        if script != "coffre-run" {
            assert!(
                text.contains("\n#DEBHELPER#\n"),
                "{script}: no #DEBHELPER# line"
            );
        }
        let status = Command::new("bash").arg("-n").arg(&path).status().unwrap();
        assert!(status.success(), "{script}: bash -n failed");
    }
    let postrm = packaging_file("postrm");
    assert!(postrm.contains("remove_state_dir /var/lib/private/coffre"));
}
