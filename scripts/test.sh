#!/usr/bin/env bash
# Coffre's whole test suite, the one command the README gives:
#   lints: rustfmt, clippy, Biome (format + lint of the TypeScript), tsc;
#   Rust: crypto core (vectors, properties, malicious host), server and Store on SQLite and
#         PostgreSQL, blob store on local files and on S3 (moto_server), TLS, crash safety,
#         three replicas behind nginx (one killed), metrics, retention, every release's
#         upgrade fixture (tests/fixtures/upgrade);
#   client: unit + crypto tests (vitest), live Rust <-> browser round-trip;
#   browser: the served app in Debian's Chromium (playwright-core), with axe.
# Needs: cargo, node >= 20.19 + npm, PostgreSQL on 127.0.0.1:5432 (or TEST_DATABASE_URL),
# moto_server, nginx, /usr/bin/chromium. `.ci/run` installs/starts them on a fresh CI machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\n==> %s\n' "$*"; }

step "client-web: npm dependencies"
if [ ! -f client-web/node_modules/.package-lock.json ] ||
   [ client-web/package-lock.json -nt client-web/node_modules/.package-lock.json ]; then
  (cd client-web && npm ci --ignore-scripts --no-audit --no-fund)
fi

step "client-web: build once (the server embeds this build)"
export COFFRE_WEB_DIST="$root/target/web-dist"
(cd client-web && npm run --silent build -- --outDir "$COFFRE_WEB_DIST" --emptyOutDir)

step "Rust: format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "client-web: format and lints (Biome)"
(cd client-web && npm run --silent lint)

step "client-web: type check"
(cd client-web && npm run --silent typecheck)

step "Rust: build (the coffre binary for the browser suite, then tests)"
cargo build --workspace --locked --bins
step "Rust: tests (crypto, server, Store on SQLite + PostgreSQL, S3, TLS, crash)"
cargo test --workspace --locked

step "client-web: unit and crypto tests (vitest), live round-trip with the Rust peer"
(cd client-web && npm test --silent)

step "browser: the served app in Chromium, with axe"
export COFFRE_TEST_BIN="$root/target/debug/coffre"
(cd client-web && npm run --silent test:browser)
