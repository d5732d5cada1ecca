# The Debian package: `make deb` builds build/deb/kith_VERSION_ARCH.deb
# (VERSION as `kith --version` says), with its libraries in Depends, the
# binary, man pages, completion, unit and sysusers entry, and
# /etc/kith/kith.conf as a conffile; dpkg installs it into a temporary
# root (its maintainer scripts make the user kith and enable the unit
# there, not on this machine), the installed kith runs and creates a
# database, and purging it leaves only the user behind; lintian finds no
# error (its other tags are printed).
#
# Building the package takes one to four minutes on two cores, so it is
# built once and kept: `make deb` does nothing while no file of the
# checkout has changed since.  lintian's verdict is kept beside it.
. "$(dirname "$0")/lib.sh"

skip() { echo "ok $((T_N += 1)) - # SKIP $1"; }
for t in dpkg-buildpackage dh scdoc; do
	if ! command -v "$t" >/dev/null; then
		skip "make deb: $t is not installed (sh scripts/deps.sh deb)"
		exit 0
	fi
done

ver=$("$KITH" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
B=$T_TOP/build
DEB=$B/deb/kith_${ver}_$arch.deb
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$T_TOP" BUILD=build deb >"$OUT" 2>"$ERR"
_report $? "make deb"
[ -f "$DEB" ]; _report $? "it makes build/deb/kith_${ver}_$arch.deb"
[ -f "$DEB" ] || exit 0

field() { dpkg-deb -f "$DEB" "$1"; }
[ "$(field Package)" = kith ] && [ "$(field Version)" = "$ver" ] && [ "$(field Architecture)" = "$arch" ]
_report $? "Package kith, Version $ver (as kith --version), Architecture $arch"
dep=$(field Depends)
echo "$dep" | grep -q 'libc6 (>=' && echo "$dep" | grep -q 'libsqlite3-0 (>=' &&
	echo "$dep" | grep -q 'libmicrohttpd12' && echo "$dep" | grep -q 'systemd-sysusers'
_report $? "Depends come from the shared libraries (libc6, libsqlite3-0, libmicrohttpd12...) and sysusers"
# Each library the Makefile binds lazily (LAZY_LIBS) is no NEEDED entry
# of the binary, so dpkg-shlibdeps cannot see it: debian/control names
# its package, found here from the library's soname.
r=0
n=0
for name in $(sed -n 's/^LAZY_LIBS := //p' "$T_TOP/Makefile"); do
	file=$(readlink -f "$(cc -print-file-name="lib$name.so")")
	soname=$(objdump -p "$file" | awk '$1 == "SONAME" { print $2 }')
	pkg=$(dpkg -S "$(dirname "$file")/$soname" 2>/dev/null | sed -n '1s/:.*//p')
	n=$((n + 1))
	[ -n "$pkg" ] || { r=1; echo "#   no package holds $soname (lib$name)"; continue; }
	echo "$dep" | tr ',' '\n' | grep -q "^ *$pkg\( \|\$\)" ||
		{ r=1; echo "#   Depends lacks $pkg ($soname)"; }
done
[ "$n" -ge 10 ] || { r=1; echo "#   only $n lazily bound libraries found in the Makefile"; }
_report $r "Depends names the package of every library kith loads on first use (LAZY_LIBS)"

dpkg-deb -c "$DEB" | awk '{print $6}' | sed 's|^\./|/|' >"$T_DIR/files"
miss=""
for f in /usr/bin/kith /usr/share/man/man1/kith.1.gz /usr/share/bash-completion/completions/kith \
	/usr/share/zsh/vendor-completions/_kith /lib/systemd/system/kith.service \
	/usr/lib/sysusers.d/kith.conf /etc/kith/kith.conf /usr/share/doc/kith/copyright; do
	grep -qx -- "$f" "$T_DIR/files" || miss="$miss $f"
done
for f in "$T_TOP"/docs/man/*.scd; do
	p=${f##*/}; p=${p%.scd}
	grep -qx "/usr/share/man/man1/$p.gz" "$T_DIR/files" || miss="$miss $p"
done
[ -z "$miss" ] || echo "#   missing:$miss"
[ -z "$miss" ]; _report $? "it holds the binary, every man page, completion, unit, sysusers entry and config"

mkdir "$T_DIR/ctl" && dpkg-deb -e "$DEB" "$T_DIR/ctl"
grep -qx /etc/kith/kith.conf "$T_DIR/ctl/conffiles"; _report $? "/etc/kith/kith.conf is a conffile"
u=$(grep -n 'systemd-sysusers' "$T_DIR/ctl/postinst" | head -1 | cut -d: -f1)
e=$(grep -n "deb-systemd-helper enable 'kith.service'" "$T_DIR/ctl/postinst" | head -1 | cut -d: -f1)
[ -n "$u" ] && [ -n "$e" ] && [ "$u" -lt "$e" ]
_report $? "postinst makes the user kith before it enables kith.service"

# Install into a temporary root: dpkg runs the maintainer scripts here
# with DPKG_ROOT set (systemd-sysusers and deb-systemd-helper work inside
# it); systemctl and deb-systemd-invoke, which would reach this machine's
# systemd, are stand-ins that only note their arguments.
R=$T_DIR/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$T_DIR/stubs"
: >"$R/var/lib/dpkg/status"; : >"$R/var/lib/dpkg/available"
for s in systemctl deb-systemd-invoke; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/stubs.log"\n' "$s" "$T_DIR" >"$T_DIR/stubs/$s"
	chmod +x "$T_DIR/stubs/$s"
done
dp() {
	PATH=$T_DIR/stubs:$PATH dpkg --root="$R" --log=/dev/null --force-script-chrootless \
		--force-depends --force-unsafe-io "$@" >"$OUT" 2>"$ERR"
}
dp -i "$DEB"; _report $? "dpkg --root installs it (maintainer scripts included)"
grep -q '^kith:x:[0-9]*:[0-9]*:.*:/var/lib/kith:' "$R/etc/passwd" 2>/dev/null
_report $? "its postinst made the system user kith in that root"
[ -L "$R/etc/systemd/system/multi-user.target.wants/kith.service" ]
_report $? "and enabled kith.service there"
has "the installed kith runs" "^kith $ver " "$R/usr/bin/kith" --version
has "the installed kith creates a database" "" "$R/usr/bin/kith" --db "$T_DIR/p.db" init --me 'Ann Lee'
has "and reads it" "Ann Lee" "$R/usr/bin/kith" --db "$T_DIR/p.db" me
dp --purge kith; _report $? "dpkg --purge removes it"
left=$(cd "$R" && find . \( -type f -o -type l \) ! -path './var/lib/dpkg/*' \
	! -path ./etc/passwd ! -path ./etc/group ! -path ./etc/shadow ! -path ./etc/gshadow \
	! -path ./etc/.pwd.lock | sort | tr '\n' ' ')
[ -z "$left" ] || echo "#   left: $left"
[ -z "$left" ]; _report $? "nothing is left but the user (kept, as Debian does)"

if command -v lintian >/dev/null; then
	# the verdict is kept while the package is the same file
	L=$B/deb/lintian.out
	if [ ! -f "$L" ] || [ "$L" -ot "$DEB" ]; then
		lintian -I --fail-on error "$DEB" >"$L.tmp" 2>&1
		echo "exit $?" >>"$L.tmp"
		mv "$L.tmp" "$L"
	fi
	grep -v '^exit \|running with root privileges' "$L" | sed 's/^/# lintian: /'
	grep -qx 'exit 0' "$L" && ! grep -q '^E: ' "$L"
	_report $? "lintian: no errors"
else
	skip "lintian: lintian is not installed (sh scripts/deps.sh deb)"
fi
