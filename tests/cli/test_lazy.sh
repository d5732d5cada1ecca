# The libraries but SQLite are bound lazily on x86-64 (scripts/lazy_stubs.sh,
# src/base/lazy.c): kith does not name them as needed, a command that does
# not use one never loads it, and each one loads on its first call and
# works (the stubs keep every argument, variadic ones too).
. "$(dirname "$0")/lib.sh"

if [ "$(uname -m)" != x86_64 ] || [ "${KITH_LAZY:-1}" = 0 ]; then
	echo "ok 1 - # SKIP lazy binding is off (make LAZY=0, or not x86-64: $(uname -m))"
	exit 0
fi

heavy="libigraph libical libgmime libmicrohttpd libxml2 libgobject libglib libjansson
libsodium libcsv"
needed=$(readelf -d "$KITH" | awk '/NEEDED/ { print $5 }' | tr -d '[]')
for lib in $heavy; do
	case " $(echo $needed) " in
	*" $lib."*) same "$lib is not a load-time dependency" "" "$lib" ;;
	*) same "$lib is not a load-time dependency" "" "" ;;
	esac
done

# loaded(CMD...): the heavy libraries the command loaded, sorted.
loaded() {
	LD_DEBUG=files LD_DEBUG_OUTPUT="$T_DIR/ld" "$@" >/dev/null 2>&1
	cat "$T_DIR"/ld.* 2>/dev/null | awk '/file=/ { sub(/.*file=/, ""); sub(/ .*/, "");
		sub(/.*\//, ""); sub(/\.so.*/, ""); print }' |
		grep -E '^lib(igraph|ical|gmime-3.0|microhttpd|xml2|gobject-2.0|glib-2.0|jansson|sodium|csv)$' |
		sort -u | tr '\n' ' '
	rm -f "$T_DIR"/ld.*
}

k init --me "Alex Morgan" --email alex@example.com >/dev/null
k add person "Zoë Martin" --email zoe@example.com >/dev/null
k add person "Ana Silva" >/dev/null
k link me zoe --kind friend >/dev/null
k link zoe ana >/dev/null
k log call zoe --at 2026-11-01 >/dev/null

# The network and the text of records (UTF-8 read and printed, "Zoë"
# on the path among them) need none of them; GLib comes in to fold a
# name against one with an accent, jansson for --json, libsodium for a
# token.
same "show, path, near, mutual and log load none" "" \
	"$(loaded k show ana)$(loaded k path me ana)$(loaded k near me)$(loaded k mutual me ana)$(loaded k log call ana --at 2026-11-02)"
has "path shows the name with an accent" "Zoë Martin" k path me ana
same "a name matched against one with an accent loads GLib" "libglib-2.0 " "$(loaded k show zoe)"
same "--json loads jansson" "libjansson " "$(loaded k --json show ana)"
k member add ana --person ana >/dev/null
same "a token loads libsodium" "libsodium " "$(loaded k member token ana)"

cat >cal.ics <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//kith test//EN
BEGIN:VEVENT
UID:lazy-1@example.com
DTSTART:20261105T100000Z
DTEND:20261105T110000Z
SUMMARY:Coffee with Zoë
ATTENDEE;CN=Zoë Martin:mailto:zoe@example.com
ORGANIZER;CN=Alex Morgan:mailto:alex@example.com
END:VEVENT
END:VCALENDAR
ICS
same "an iCalendar import loads libical (and GLib) on its first call" "libglib-2.0 libical " "$(loaded k import cal.ics)"
has "and reads the event through it" "Coffee with Zoë" k timeline zoe

cat >mail.mbox <<'MBOX'
From zoe@example.com Mon Nov  2 09:00:00 2026
From: Zoë Martin <zoe@example.com>
To: Alex Morgan <alex@example.com>
Subject: lunch
Date: Mon, 02 Nov 2026 09:00:00 +0000
Message-ID: <lazy-2@example.com>

See you at noon.
MBOX
same "an mbox import loads GMime (and GObject, GLib)" "libglib-2.0 libgmime-3.0 libgobject-2.0 " "$(loaded k import mail.mbox)"
has "and reads the message through it" "lunch" k timeline zoe

# igraph needs libxml2 (its GraphML reader), so both come in together.
same "stats loads igraph (betweenness)" "libigraph libxml2 " "$(loaded k stats)"
has "and ranks the connector through it" "1.000  Zoë Martin" k stats

# The heap a command starts with is made resident in one call (cli/main.c,
# heap_ready) instead of a page fault per page: the call is made, it
# succeeds, and it covers the first heap, not more than twice its size.
if command -v strace >/dev/null 2>&1; then
	strace -e trace=madvise -o trace.txt "$KITH" show zoe >/dev/null 2>&1
	line=$(grep MADV_POPULATE_WRITE trace.txt)
	if nm "$KITH" 2>/dev/null | grep -q ' __asan_init$'; then
		# A sanitizer's heap is not the brk heap: nothing to populate.
		same "a sanitizer build populates nothing of a heap not its own" "" "$line"
	else
		same "show makes its first heap resident in one call" 1 \
			"$(printf '%s\n' "$line" | grep -c ' = 0$')"
		len=$(printf '%s\n' "$line" | sed -n 's/.*, \([0-9]*\), MADV_POPULATE_WRITE.*/\1/p')
		same "of at least 640 KiB and at most twice that" yes \
			"$([ "${len:-0}" -ge 655360 ] && [ "${len:-0}" -le 1310720 ] && echo yes)"
	fi
else
	echo "ok $((T_N += 1)) - # SKIP the first heap is made resident in one call: strace is not installed (sh scripts/deps.sh)"
fi

# SQLite is linked in from libsqlite3-dev's archive (Makefile,
# SQLITE_STATIC): the shared library, built with BIND_NOW, binds some
# 1,600 symbols at every start (1,710 for a `kith --version` linked to
# it).  Linked in, the start binds a few hundred at most.
# The Makefile says which (KITH_SQLITE_STATIC); run alone, the binary does.
static=${KITH_SQLITE_STATIC:-$(printf '%s\n' $needed | grep -q '^libsqlite3' && echo 0 || echo 1)}
if [ "$static" = 1 ]; then
	same "SQLite is no load-time library (linked in)" "" \
		"$(printf '%s\n' $needed | grep '^libsqlite3')"
	n=$(LD_DEBUG=statistics "$KITH" --version 2>&1 >/dev/null |
		awk '/final number of relocations:/ { print $NF; exit }')
	# A sanitizer build binds its runtime's symbols too (about 680).
	limit=400
	nm "$KITH" 2>/dev/null | grep -q ' __asan_init$' && limit=1000
	same "kith --version binds fewer than $limit symbols at start (it bound ${n:-?})" yes \
		"$([ "${n:-99999}" -lt $limit ] && echo yes)"
else
	echo "ok $((T_N += 1)) - # SKIP SQLite is linked as the shared library (make SQLITE_STATIC=0, or no libsqlite3.a)"
fi
