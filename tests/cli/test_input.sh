#!/bin/sh
# Input at the edges: text that is not UTF-8, control characters and
# over-long fields are refused at every entry and change nothing; NFD and
# NFC names are one person; CSV cells a spreadsheet would run are quoted
# and come back as they were; what is printed cannot drive a terminal; a
# database holding bad bytes from an older kith still answers.
. "$(dirname "$0")/lib.sh"

FF=$(printf '\377')
ESC=$(printf '\033')
BEL=$(printf '\007')
CSI=$(printf '\302\233')         # U+009B, a C1 control
NFD=$(printf 'Zoe\314\210')      # Zoë with a combining diaeresis
long() { head -c "$1" /dev/zero | tr '\0' a; }

k init --me "Alex Morgan" >/dev/null
k add person "Zoë Dupont" --email zoe@acme.example --city Paris --org Acme >/dev/null
k add person "Sam Lee" >/dev/null
k link zoe sam --kind friend >/dev/null

# ---- every entry refuses bad text, with the field, and writes nothing -------
d0=$(db_digest)
fails "add: name not UTF-8" 1 "name is not valid UTF-8" k add person "Bad ${FF}name"
fails "add: --city not UTF-8" 1 "city is not valid UTF-8" k add person Ok --city "C${FF}ity"
fails "add: --tag not UTF-8" 1 "tag is not valid UTF-8" k add person Ok --tag "t${FF}"
fails "edit: --city not UTF-8" 1 "city is not valid UTF-8" k edit zoe --city "C${FF}"
fails "edit: --note not UTF-8" 1 "notes is not valid UTF-8" k edit zoe --note "n${FF}"
fails "log: --note not UTF-8" 1 "notes is not valid UTF-8" k log meeting zoe --note "n${FF}"
fails "add org: name not UTF-8" 1 "name is not valid UTF-8" k add org "Org${FF}"
fails "link: --note not UTF-8" 1 "notes is not valid UTF-8" k link zoe me --note "${FF}"
fails "work: --title not UTF-8" 1 "title is not valid UTF-8" k work sam Acme --title "T${FF}"
fails "tag: not UTF-8" 1 "tag is not valid UTF-8" k tag zoe "x${FF}"
fails "name with an escape sequence" 1 "name has a control character (U+001B)" \
	k add person "Evil${ESC}]0;pwned${BEL}"
fails "name with a C1 control" 1 "name has a control character (U+009B)" k add person "A${CSI}B"
fails "tab in a one-line field" 1 "city has a control character (U+0009)" \
	k add person Ok --city "$(printf 'a\tb')"
fails "line break in a name" 1 "name has a control character (U+000A)" \
	k edit zoe --name "$(printf 'Zo\ne')"
fails "member name with an escape" 1 "has a control character (U+001B)" \
	k member add "a${ESC}b"
fails "name over 500 bytes" 1 "name is too long (501 bytes" k add person "$(long 501)"
fails "city over 1,000 bytes" 1 "city is too long (1001 bytes" k add person Ok --city "$(long 1001)"
fails "notes over 100,000 bytes" 1 "notes is too long (100001 bytes" \
	k add person Ok --note "$(long 100001)"
same "refusals changed nothing" "$d0" "$(db_digest)"
ok "a name of 500 bytes is taken" k add person "$(long 500)"
ok "notes keep tabs and line breaks" k log meeting zoe --note "$(printf 'one\ttwo\nthree')"
same "... and read back so" "$(printf 'one\ttwo\nthree')" \
	"$(k --json timeline zoe | "$JSONQ" interactions.0.notes)"

# ---- one person whatever the Unicode form -----------------------------------
same "NFD name finds the NFC person" "2" "$(k --json show "$NFD Dupont" | "$JSONQ" id)"
same "upper case finds them" "2" "$(k --json show "ZOË DUPONT" | "$JSONQ" id)"
same "no accent finds them" "2" "$(k --json show "zoe dupont" | "$JSONQ" id)"
has "search without the accent" "Zoë Dupont" k find zoe
k add person "$NFD Martin" >/dev/null
same "an NFD name is stored in NFC" "Zoë Martin" "$(k --json show "zoe martin" | "$JSONQ" name)"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s Dupont\r\nORG:Acme\r\nNOTE:from a Mac\r\nEND:VCARD\r\n' \
	"$NFD" >nfd.vcf
has "an NFD card merges into the NFC person" "1 merged" k import nfd.vcf
same "... who has its note" "from a Mac" "$(k --json show zoe\ dupont | "$JSONQ" notes)"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\033]0;x\007 Card\r\nEND:VCARD\r\n' >ctl.vcf
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s\r\nEND:VCARD\r\n' "$(long 600)" >>ctl.vcf
has "import: a long name rejects its record, with the field" "name is too long" \
	k import ctl.vcf
same "import: control characters are taken out" "Eve]0;x Card" \
	"$(k --json show "eve" | "$JSONQ" name)"

# ---- CSV: formulas neutralised, and back as they were ------------------------
k add person "=HYPERLINK(\"http://evil.example\",\"x\")" --email f@evil.example \
	--phone "+44 20 7946 0000" \
	--city "-5" --note "@SUM(A1)" >/dev/null
k add person "'=already quoted" --city "'plain" >/dev/null
k export csv >out.csv
ok "export: = cell quoted" grep -q "\"'=HYPERLINK(" out.csv
ok "export: + - @ cells quoted" grep -q "\"'+44 20 7946 0000\",\"'-5\",.*\"'@SUM(A1)\"" out.csv
ok "export: a leading quote is doubled" grep -q "\"''=already quoted\",.*\"''plain\"" out.csv
! grep -Eq '(^|,)"[=+@-]' out.csv; _report $? "export: no cell starts a formula"
mkdir back && KITH_DB=$T_DIR/back/k.db k init >/dev/null
KITH_DB=$T_DIR/back/k.db k import out.csv >/dev/null
KITH_DB=$T_DIR/back/k.db k export csv >back.csv
same "export, import, export: the same file" "$(sed 's/,"[0-9]*"$//' out.csv | sort)" \
	"$(sed 's/,"[0-9]*"$//' back.csv | sort)"
same "re-import undid the quote" "=HYPERLINK(\"http://evil.example\",\"x\")" \
	"$(KITH_DB=$T_DIR/back/k.db k --json show f@evil.example | "$JSONQ" name)"
printf 'Name,E-mail 1 - Value\n'"'"'=1+1,one@other.example\n' >google.csv
KITH_DB=$T_DIR/back/k.db k import google.csv >/dev/null
same "another program's CSV keeps its quote" "'=1+1" \
	"$(KITH_DB=$T_DIR/back/k.db k --json show one@other.example | "$JSONQ" name)"

# ---- bytes an older kith stored: answers go on, and the terminal is safe ----
sqlite3 "$KITH_DB" "UPDATE person SET display_name = 'Evil' || char(27) || ']0;pwned' ||
	char(7) || ' One', city = CAST(X'43FF697479C29B' AS TEXT),
	notes = 'a' || char(10) || 'b' || char(27) || '[2J' WHERE id = 3;
	UPDATE org SET notes = CAST(X'6EFF' AS TEXT);
	UPDATE link SET notes = CAST(X'FE' AS TEXT);
	UPDATE interaction SET notes = CAST(X'C0AF' AS TEXT)"
ok "--json show with bad bytes" sh -c '"$KITH" --json show 3 | "$JSONQ"'
same "... which come back as U+FFFD" "$(printf 'C\357\277\275ity\302\233')" \
	"$(k --json show 3 | "$JSONQ" city)"
ok "export json with bad bytes" sh -c '"$KITH" export json | "$JSONQ"'
ok "export vcard with bad bytes" k export vcard
ok "timeline with bad bytes" sh -c '"$KITH" --json timeline "zoe dupont" | "$JSONQ"'
for cmd in "show 3" "list" "find Evil" "--json show 3" "timeline 3"; do
	# shellcheck disable=SC2086
	k $cmd >tty.out 2>&1
	bad=$(LC_ALL=C grep -c "[$ESC$BEL$(printf '\302\233')]" tty.out)
	same "$cmd: no control character reaches the terminal" "0" "$bad"
done
has "show: the escape is shown, not obeyed" 'Evil\\u001B\]0;pwned\\u0007 One' k show 3
k show "x${ESC}[2Jy" >/dev/null 2>tty.err
same "an error quoting input is escaped" "kith: no person matches 'x\\u001B[2Jy'" "$(cat tty.err)"
ok "--json output stays JSON after escaping" sh -c '"$KITH" --json show 3 | "$JSONQ" notes'
# Bytes printed as they came (getopt quotes an unknown option): each
# sequence that is not UTF-8 is \xHH byte by byte (an overlong form, a
# surrogate, past U+10FFFF, a cut or a five-byte lead), UTF-8 goes through,
# a C1 control is \u0085.
raw=$(printf 'a\300\257b\340\200\257c\355\240\200d\364\220\200\200e\303\251f\302\205g\342\206\222h\360\237\230\200i\303\303j\341\200k\370\210\200\200\200l')
k show --bogus"$raw" >/dev/null 2>tty.err
same "bytes that are not UTF-8 are shown as \\xHH, UTF-8 as it is" \
	"$(printf '%s' 'a\xC0\xAFb\xE0\x80\xAFc\xED\xA0\x80d\xF4\x90\x80\x80e'; printf '\303\251'; printf '%s' 'f\u0085g'; printf '\342\206\222h\360\237\230\200'; printf '%s' 'i\xC3\xC3j\xE1\x80k\xF8\x88\x80\x80\x80l')" \
	"$(sed -n "s/.*option '--bogus\(.*\)'$/\1/p" tty.err)"

# ---- the HTTP API and CardDAV --------------------------------------------------
# A long name the server cuts for a list: 150 "é" (300 bytes), cut at 199.
k add person "$(long 150 | sed 's/a/é/g')" --link friend >/dev/null
TOK=$(k --json member add alex --person me | "$JSONQ" token)
"$KITH" serve --listen 127.0.0.1:0 >srv.out 2>srv.err &
SRV=$!
trap 'kill "$SRV" 2>/dev/null; rm -rf "$T_DIR"' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	[ -s srv.out ] && break
	sleep 0.1
done
URL=$(sed -n 's/.* at //p' srv.out)
api() { # METHOD PATH: body on stdin; prints the body and the status
	curl -s -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
		-X "$1" --data-binary @- -w '\n%{http_code}' "$URL$2"
}
# The server writes when a token was last used: compare the rest.
data_digest() { sqlite3 "$KITH_DB" .dump | grep -av '^INSERT INTO token' | md5sum; }
d1=$(data_digest)
same "API: raw bytes not UTF-8: 400" "400" "$(printf '{"display_name":"Bad \377"}' | api POST api/v1/people | tail -1)"
same "API: a lone surrogate: 400" "400" \
	"$(printf '{"display_name":"Bad \\udcff"}' | api POST api/v1/people | tail -1)"
printf '{"display_name":"Evil \\u001b]0;x\\u0007"}' | api POST api/v1/people >api.out
same "API: control character: 400 with the reason" \
	'{"error":{"code":"invalid","message":"name has a control character (U+001B)"}}|400' \
	"$(tr '\n' '|' <api.out)"
same "API: over-long name: 400" "400" \
	"$(printf '{"display_name":"%s"}' "$(long 501)" | api POST api/v1/people | tail -1)"
same "API: PATCH with a C1 city: 400" "400" \
	"$(printf '{"city":"x\\u0085"}' | api PATCH api/v1/people/2 | tail -1)"
same "API: a note with an escape: 400" "400" \
	"$(printf '{"body":"x\\u001b[2J"}' | api POST api/v1/people/2/notes | tail -1)"
card=$(printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:evil-1\r\nFN:Evil\033]0;x\007\r\nEND:VCARD\r\n')
st=$(printf '%s' "$card" | curl -s -o /dev/null -w '%{http_code}' -u "alex:$TOK" -X PUT \
	-H 'Content-Type: text/vcard' --data-binary @- "${URL}dav/alex/contacts/evil-1.vcf")
same "CardDAV: a card with a control character in FN: 400" "400" "$st"
same "API and CardDAV refusals changed nothing" "$d1" "$(data_digest)"
same "API: a person with bad stored bytes: 200" "200" \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" "${URL}api/v1/people/3")"
same "API: export json with bad stored bytes: 200" "200" \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" "${URL}api/v1/export?format=json")"
curl -s -H "Authorization: Bearer $TOK" "${URL}api/v1/due" >due.json
same "API: a list cuts a long name between characters" "$(long 99 | sed 's/a/é/g')" \
	"$("$JSONQ" items.0.name <due.json)"
kill "$SRV"
wait "$SRV" 2>/dev/null
! grep -q "Sanitizer\|runtime error" srv.err; _report $? "the server reported no memory error"

echo "1..$T_N"
