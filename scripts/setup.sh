#!/usr/bin/env bash
# Set up portolan on a fresh Debian machine: install what it builds and runs
# with, build it, and build the default database offline from IANA's
# registry vendored in data/iana/ (no internet beyond Debian's and npm's
# package registries).
# Safe to run again: every step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: compilers, the libraries portolan links, test runners,
# the peer tools the tests and benchmarks compare against, and what builds
# and checks the Debian package (tests/package/: dpkg-buildpackage,
# lintian, systemd-analyze).
packages=(
	gcc make pkg-config clang libclang-rt-dev clang-format
	libsqlite3-dev sqlite3 libexpat1-dev libjansson-dev libcurl4-openssl-dev
	libunistring-dev libmd4c-dev libmd4c-html0-dev
	libmicrohttpd-dev nettle-dev zlib1g-dev libpq-dev postgresql
	libcmocka-dev python3 python3-pytest openssl
	nmap iproute2 lsof psmisc util-linux procps bpftool libbpf-dev wrk nginx-light
	prometheus
	gettext chromium fonts-noto-cjk fonts-noto-color-emoji fonts-noto-core
	debhelper dpkg-dev fakeroot lintian systemd
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The browser tests' driver (playwright-core), pinned in package-lock.json.
npm ci --no-audit --no-fund --loglevel=error

make -j"$(nproc)"

# The default database: IANA's XML (data/iana/) + nmap-services +
# /etc/services + the curated data/.
build/portolan update --from data/iana/service-names-port-numbers.xml
