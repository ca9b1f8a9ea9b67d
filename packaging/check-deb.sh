#!/bin/bash
# Checks the Debian package on this machine, outside the test suite (it needs a release
# build and root): builds it (packaging/build-deb.sh) unless a .deb is given, lists it,
# installs it, starts the installed binary with the installed config the way the unit
# does (a throwaway uid, a copy of the config, a private state directory) and asks
# /api/health, upgrades it, removes it (data kept), purges it (data removed), and leaves
# the machine without the package. Refuses to run where Coffre is installed or has data.
#   sudo packaging/check-deb.sh [path/to/coffre.deb]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=/var/lib/private/coffre
step() { echo; echo "check-deb: == $*"; }
fail() { echo "check-deb: FAILED: $*" >&2; exit 1; }
expect_file() { [ -e "$1" ] || fail "$1 is missing"; echo "check-deb: ok, $1 exists"; }
expect_gone() { [ ! -e "$1" ] && [ ! -L "$1" ] || fail "$1 is still there"; echo "check-deb: ok, $1 is gone"; }
# The system calls of systemd's groups, nested groups expanded.
syscalls_of() {
    local group line
    for group in "$@"; do
        systemd-analyze syscall-filter "$group" | tail -n +2 | while read -r line; do
            case "$line" in
                '' | '#'*) ;;
                @*) syscalls_of "$line" ;;
                *) echo "$line" ;;
            esac
        done
    done
}

[ "$(id -u)" -eq 0 ] || fail "run it as root (it installs the package)"
if dpkg-query -W -f='${Status}' coffre 2>/dev/null | grep -q 'installed\|config-files'; then
    fail "the coffre package is already on this machine: this check would remove it"
fi
for path in /var/lib/coffre "$state" /etc/coffre; do
    [ ! -e "$path" ] || fail "$path exists: this check would delete it"
done

deb=${1:-}
if [ -z "$deb" ]; then
    step "build"
    deb=$("$repo/packaging/build-deb.sh" | tail -n 1 | sed 's/^build-deb: built //')
fi
[ -f "$deb" ] || fail "no package at '$deb'"

step "dpkg-deb --info $deb"
dpkg-deb --info "$deb"
step "dpkg-deb --contents"
contents=$(dpkg-deb --contents "$deb")
echo "$contents"
for path in ./usr/bin/coffre ./usr/sbin/coffre-run ./etc/coffre/coffre.toml \
    ./usr/lib/systemd/system/coffre.service ./usr/share/doc/coffre/README.md \
    ./usr/share/doc/coffre/hosting/installer.md ./usr/share/doc/coffre/hosting/en/install.md \
    ./usr/share/doc/coffre/examples/port-443.conf; do
    grep -q " ${path}\$" <<<"$contents" || fail "$path is not in the package"
done
grep -q -- '-rw------- \(root/root\|0/0\) .* ./etc/coffre/coffre.toml$' <<<"$contents" \
    || fail "etc/coffre/coffre.toml is not 0600 root:root"
dpkg-deb --field "$deb" Conffiles 2>/dev/null | grep -q /etc/coffre/coffre.toml \
    || dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/coffre/coffre.toml \
    || fail "/etc/coffre/coffre.toml is not a conffile"
echo "check-deb: ok, the expected files are in the package; coffre.toml is a 0600 conffile"

step "dpkg -i (fresh install)"
dpkg -i "$deb"
expect_file /usr/bin/coffre
expect_file /etc/coffre/coffre.toml
expect_file /usr/lib/systemd/system/coffre.service
expect_file /etc/systemd/system/multi-user.target.wants/coffre.service
/usr/bin/coffre --version
/usr/bin/coffre --config /etc/coffre/coffre.toml check-config
systemd-analyze verify /usr/lib/systemd/system/coffre.service
echo "check-deb: ok, systemd-analyze verify of the installed unit"
systemd-analyze security --offline=true /usr/lib/systemd/system/coffre.service | tail -n 1

step "the installed binary and config, run as the unit runs them"
# What systemd would do for the unit, by hand: a private state directory owned by a
# throwaway uid, /var/lib/coffre linking to it, the config copied where only that uid
# reads it (LoadCredential=), umask 0077, no new privileges, no capabilities.
uid=64999
private_existed=no
[ -d /var/lib/private ] && private_existed=yes
install -d -m 0700 /var/lib/private
install -d -m 0700 -o "$uid" -g "$uid" "$state"
ln -s private/coffre /var/lib/coffre
creds=$(mktemp -d)
install -m 0400 -o "$uid" -g "$uid" /etc/coffre/coffre.toml "$creds/coffre.toml"
chown "$uid:$uid" "$creds"
chmod 0500 "$creds"
chmod 0711 /var/lib/private   # systemd makes it reachable inside the unit's namespace only
log=$(mktemp)
tracer=()
if command -v strace >/dev/null 2>&1; then
    tracer=(strace -f -qq -o "$log.strace")
fi
(
    umask 0077
    cd /
    exec "${tracer[@]}" setpriv --reuid="$uid" --regid="$uid" --clear-groups \
        --no-new-privs --inh-caps=-all --bounding-set=-all \
        env -i PATH=/usr/bin:/bin RUST_LOG=info COFFRE_LISTEN=127.0.0.1:0 \
        /usr/bin/coffre --config "$creds/coffre.toml" serve
) >"$log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 100); do
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; fail "the server stopped"; }
    sleep 0.2
done
[ -n "$url" ] || { cat "$log"; fail "the server did not say where it listens"; }
health=$(curl -fsS "$url/api/health")
echo "check-deb: $url/api/health -> $health"
grep -q '"status":"ok"' <<<"$health" || fail "health is not ok"
page=$(curl -fsS "$url/")
grep -qi '<!doctype html' <<<"$page" || fail "the web client is not served"
grep -qi 'le client web n' <<<"$page" && fail "the package embeds the placeholder page"
echo "check-deb: ok, the embedded web client answers $url/"
# Under strace the server is strace's child; otherwise setpriv and env exec into it.
coffre_pid=$(pgrep -P "$server" || echo "$server")
kill -TERM "$coffre_pid"
wait "$server" || true
grep -q 'coffre: listening on' "$log" && echo "check-deb: server log:" && grep -v '^\s*$' "$log" | head -n 20
chmod 0700 /var/lib/private
rm -rf "$creds"
stat -c 'check-deb: mode %a uid %u %n' "$state" "$state/coffre.db" "$state/blobs"
[ "$(stat -c %a "$state/coffre.db")" = 600 ] || fail "coffre.db is not 0600"
[ "$(stat -c %a "$state/blobs")" = 700 ] || fail "blobs/ is not 0700"
if [ -f "$log.strace" ]; then
    step "system calls the server made, against the unit's SystemCallFilter"
    allowed=$(syscalls_of @system-service | sort -u)
    denied=$(syscalls_of @privileged @resources | sort -u)
    # setpriv and env run before coffre in the same trace: only look after the execve of coffre.
    used=$(awk '/execve\("\/usr\/bin\/coffre"/ {on=1} on' "$log.strace" \
        | sed -n 's/^[0-9]\+ \+\([a-z0-9_]*\)(.*/\1/p' | sort -u)
    outside=$(comm -23 <(echo "$used") <(echo "$allowed"))
    refused=$(comm -12 <(echo "$used") <(echo "$denied"))
    echo "check-deb: $(echo "$used" | wc -l) distinct system calls: $(echo $used)"
    [ -z "$outside" ] || fail "outside @system-service: $outside"
    [ -z "$refused" ] || fail "in @privileged or @resources: $refused"
    echo "check-deb: ok, every call is in @system-service and none in @privileged @resources"
fi
rm -f "$log" "$log.strace"
echo "# changed by check-deb" >>/etc/coffre/coffre.toml
touch "$state/marker"

step "dpkg -i of a newer revision (upgrade)"
upgrade_dir=$(mktemp -d)
(
    cd "$repo"
    CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target} \
        cargo deb --locked -p coffre-server --no-build --deb-revision 2 -o "$upgrade_dir/" >/dev/null
)
dpkg -i "$upgrade_dir"/*.deb
rm -rf "$upgrade_dir"
dpkg-query -W -f='check-deb: installed version ${Version}\n' coffre
grep -q '^# changed by check-deb$' /etc/coffre/coffre.toml || fail "the upgrade lost the config change"
expect_file "$state/marker"
expect_file "$state/coffre.db"

step "dpkg -r (remove)"
dpkg -r coffre
expect_gone /usr/bin/coffre
expect_file /etc/coffre/coffre.toml
expect_file "$state/coffre.db"
expect_file /var/lib/coffre

step "dpkg -P (purge)"
dpkg -P coffre
expect_gone /etc/coffre/coffre.toml
expect_gone /var/lib/coffre
expect_gone "$state"
expect_gone /etc/systemd/system/multi-user.target.wants/coffre.service
[ "$private_existed" = yes ] || rmdir /var/lib/private
dpkg-query -W coffre >/dev/null 2>&1 && fail "dpkg still knows coffre"
echo
echo "check-deb: all checks passed; the package is no longer installed"
