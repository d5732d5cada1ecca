#!/bin/sh
# Install the Debian 12 packages kith needs, only when some are missing.
# As root it runs apt-get; as anyone else it prints the exact command and
# fails, because a build that silently lacks a library helps nobody.
set -eu

PKGS="gcc make pkg-config libc6-dev
libsqlite3-dev sqlite3 libjansson-dev libcmocka-dev libigraph-dev
libcsv-dev libgmime-3.0-dev libical-dev clang libclang-rt-14-dev
libsodium-dev libmicrohttpd-dev python3 curl wrk chromium libxml2-dev vdirsyncer khard litmus"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "kith needs these Debian packages:$missing" >&2
	echo "run as root:  apt-get update && $cmd" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
$cmd
