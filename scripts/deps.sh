#!/bin/sh
# Install the Debian 12 packages kith needs, only when some are missing.
# As root it runs apt-get; as anyone else it prints the exact command and
# fails, because a build that silently lacks a library helps nobody.
#   scripts/deps.sh run   build, install and serve kith (make run, make install)
#   scripts/deps.sh deb   that, and what `make deb` needs
#   scripts/deps.sh       everything, for the tests too (make test)
set -eu

# building kith and its man pages (also debian/control's Build-Depends)
RUN="gcc make pkg-config libc6-dev
libsqlite3-dev sqlite3 libjansson-dev libigraph-dev libcsv-dev
libgmime-3.0-dev libical-dev libsodium-dev libmicrohttpd-dev libxml2-dev scdoc"
# building the Debian package and checking it
DEB="dpkg-dev debhelper fakeroot lintian"
# the tests: cmocka, the ASan build and fuzzers (clang), the HTTP, DAV and
# browser tests' clients, the load test, the completion test's shells, the
# start-up test's system call trace
TEST="libcmocka-dev clang libclang-rt-14-dev python3 curl wrk chromium
vdirsyncer khard litmus zsh strace"

case ${1:-all} in
run) PKGS=$RUN ;;
deb) PKGS="$RUN $DEB" ;;
all) PKGS="$RUN $DEB $TEST" ;;
*) echo "usage: $0 [run|deb|all]" >&2; exit 2 ;;
esac

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
