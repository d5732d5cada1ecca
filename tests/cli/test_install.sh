# make install and make uninstall, staged under DESTDIR: every file lands
# where PREFIX and SYSCONFDIR say, the installed kith runs, the unit names
# the installed binary and passes systemd-analyze verify, its hardening
# keeps its exposure score, an edited configuration survives install and
# uninstall, and uninstall leaves nothing else behind.  Uses the binary
# under test ($KITH) and builds only its man pages and completion.
. "$(dirname "$0")/lib.sh"

build=$(cd "$(dirname "$KITH")" && pwd)
# make in the checkout, on this build, without the caller's make flags;
# -o: the binary is the one under test, never rebuilt here
mk() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$T_TOP" BUILD="$build" -o "$KITH" "$@" \
		>"$OUT" 2>"$ERR"
}
skip() { echo "ok $((T_N += 1)) - # SKIP $1"; }

if ! command -v scdoc >/dev/null; then
	skip "make install: scdoc is not installed (sh scripts/deps.sh)"
	exit 0
fi

R=$T_DIR/root
mk install DESTDIR="$R" PREFIX=/usr; _report $? "make install DESTDIR=... PREFIX=/usr"
miss=""
for f in usr/bin/kith usr/share/man/man1/kith.1 usr/share/man/man1/kith-serve.1 \
	usr/share/bash-completion/completions/kith usr/share/zsh/site-functions/_kith \
	usr/lib/systemd/system/kith.service usr/lib/sysusers.d/kith.conf \
	usr/share/doc/kith/examples/kith.conf etc/kith/kith.conf; do
	[ -f "$R/$f" ] || miss="$miss $f"
done
for f in "$T_TOP"/docs/man/*.scd; do
	p=${f##*/}; p=${p%.scd}
	[ -f "$R/usr/share/man/man1/$p" ] || miss="$miss man1/$p"
done
[ -z "$miss" ] || echo "#   missing:$miss"
[ -z "$miss" ]; _report $? "the binary, every man page, completion, unit, sysusers entry and config are installed"
[ -x "$R/usr/bin/kith" ] && [ "$(stat -c %a "$R/usr/bin/kith")" = 755 ] &&
	[ "$(stat -c %a "$R/usr/lib/systemd/system/kith.service")" = 644 ]
_report $? "modes: 755 for the binary, 644 for the rest"

has "the installed kith runs" "$("$KITH" --version)" "$R/usr/bin/kith" --version
has "the installed kith creates a database" "" "$R/usr/bin/kith" --db "$T_DIR/i.db" init --me 'Ann Lee'
has "and reads it" "Ann Lee" "$R/usr/bin/kith" --db "$T_DIR/i.db" me
cmp -s "$R/usr/share/bash-completion/completions/kith" "$build/completion/kith.bash" &&
	grep -q 'serve)' "$R/usr/share/bash-completion/completions/kith"
_report $? "the bash completion is the one written from this kith"

U=$R/usr/lib/systemd/system/kith.service
grep -qx 'ExecStart=/usr/bin/kith --config /etc/kith/kith.conf serve' "$U" &&
	grep -qx 'User=kith' "$U" && grep -qx 'StateDirectory=kith' "$U" &&
	grep -qx 'NoNewPrivileges=yes' "$U" && grep -qx 'ProtectSystem=strict' "$U"
_report $? "the unit runs /usr/bin/kith serve as kith, with its state directory and hardening"
grep -q '^u kith ' "$R/usr/lib/sysusers.d/kith.conf"; _report $? "sysusers.d makes the user kith"

if command -v systemd-analyze >/dev/null; then
	# verify it with the staged binary and man pages in place of /usr
	sed "s|/usr/bin/kith|$R/usr/bin/kith|g" "$U" >"$T_DIR/kith.service"
	MANPATH=$R/usr/share/man systemd-analyze verify "$T_DIR/kith.service" >"$OUT" 2>"$ERR" && [ ! -s "$ERR" ]
	_report $? "systemd-analyze verify: the unit, its commands and its man pages"
	if systemd-analyze security --offline=yes "$U" >"$OUT" 2>"$ERR"; then
		score=$(sed -n 's/.*Overall exposure level for kith.service: \([0-9.]*\).*/\1/p' "$OUT")
		echo "# systemd-analyze security: exposure $score"
		awk -v s="$score" 'BEGIN { exit !(s != "" && s + 0 <= 1.5) }'
		_report $? "systemd-analyze security: exposure at most 1.5 (is ${score:-?})"
	else
		skip "systemd-analyze security: no --offline here ($(head -1 "$ERR"))"
	fi
else
	skip "systemd-analyze verify: systemd-analyze is not installed"
fi

# an edited configuration is kept by install and by uninstall
echo "listen = 127.0.0.1:7171" >>"$R/etc/kith/kith.conf"
mk install DESTDIR="$R" PREFIX=/usr && grep -q 7171 "$R/etc/kith/kith.conf"
_report $? "install again keeps an edited /etc/kith/kith.conf"
mk uninstall DESTDIR="$R" PREFIX=/usr; _report $? "make uninstall"
left=$(cd "$R" && find . -type f | sort | tr '\n' ' ')
[ "$left" = "./etc/kith/kith.conf " ] || echo "#   left: $left"
[ "$left" = "./etc/kith/kith.conf " ]; _report $? "uninstall removes all but the edited configuration"
rm "$R/etc/kith/kith.conf"

# the defaults: PREFIX=/usr/local, the configuration still in /etc
R2=$T_DIR/root2
mk install DESTDIR="$R2" && [ -x "$R2/usr/local/bin/kith" ] &&
	grep -qx 'ExecStart=/usr/local/bin/kith --config /etc/kith/kith.conf serve' \
		"$R2/usr/local/lib/systemd/system/kith.service" &&
	[ -f "$R2/usr/local/share/man/man1/kith-init.1" ] && [ -f "$R2/etc/kith/kith.conf" ]
_report $? "PREFIX defaults to /usr/local, and the unit names /usr/local/bin/kith"
mk uninstall DESTDIR="$R2"; _report $? "make uninstall (PREFIX /usr/local)"
left=$(cd "$R2" && find . -type f | sort | tr '\n' ' ')
[ -z "$left" ] || echo "#   left: $left"
[ -z "$left" ]; _report $? "uninstall leaves no file behind"
[ ! -e "$R2/usr/local/share/doc/kith" ] && [ ! -e "$R2/etc/kith" ]
_report $? "nor kith's own folders"
