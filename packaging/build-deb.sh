#!/bin/bash
# Builds the Debian package of Coffre in one command: the web client (npm), the release
# binary with that client embedded, then the .deb (cargo-deb, metadata in
# server/Cargo.toml [package.metadata.deb]). Prints the path of the .deb.
#   packaging/build-deb.sh
# With COFFRE_WEB_DIST set to a client already built elsewhere (`npm run build` there, same
# commit), npm is not needed here: that folder is embedded.
# Needs: Rust (cargo), Node >= 20.19 with npm, cargo-deb (cargo install cargo-deb --locked),
# dpkg-dev (dpkg-shlibdeps, for the package's dependencies).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$repo/target}
prebuilt_web=${COFFRE_WEB_DIST:-}
web_dist=${prebuilt_web:-$target_dir/web-dist}

need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "build-deb: '$1' is missing: $2" >&2
        exit 1
    fi
}
need cargo "install Rust (https://rustup.rs)"
[ -n "$prebuilt_web" ] || need npm "install Node.js >= 20.19 with npm, or set COFFRE_WEB_DIST"
need dpkg-shlibdeps "sudo apt-get install dpkg-dev"
if ! cargo deb --version >/dev/null 2>&1; then
    echo "build-deb: cargo-deb is missing: cargo install cargo-deb --locked" >&2
    exit 1
fi

if [ -n "$prebuilt_web" ]; then
    [ -f "$web_dist/index.html" ] || { echo "build-deb: $web_dist/index.html is missing" >&2; exit 1; }
    echo "build-deb: 1/3 the web client: prebuilt in $web_dist"
else
    echo "build-deb: 1/3 the web client -> $web_dist"
    (
        cd "$repo/client-web"
        npm ci --ignore-scripts --no-audit --no-fund
        npm run build -- --outDir "$web_dist" --emptyOutDir
    )
fi

echo "build-deb: 2/3 the release binary, web client embedded"
export CARGO_TARGET_DIR=$target_dir
export COFFRE_WEB_DIST=$web_dist
cd "$repo"
cargo build --release --locked -p coffre-server --bin coffre

echo "build-deb: 3/3 the package"
deb=$(cargo deb --locked -p coffre-server --no-build | tail -n 1)
if [ ! -f "$deb" ]; then
    echo "build-deb: cargo deb did not report a .deb (last line: $deb)" >&2
    exit 1
fi
echo "build-deb: built $deb"
