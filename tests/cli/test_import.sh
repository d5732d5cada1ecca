# Capture from the command line: import, dry runs, idempotency, export,
# merge, dupes.  The shared corpora of real files: test_capture.sh.
DATA=$(cd "$(dirname "$0")/../data" && pwd)
. "$(dirname "$0")/lib.sh"
export KITH_NOW=2026-11-23T12:00:00Z

ok   "init" k init --me "Alex Morgan" --email alex@kith.example
d0=$(db_digest)
has  "dry run reports" "3 records: 2 new, 0 merged, 0 unchanged, 1 skipped, 0 rejected" \
     k import --dry-run "$DATA/apple.vcf"
has  "dry run says so" "dry run: nothing was saved" k import --dry-run "$DATA/apple.vcf"
same "dry run saves nothing" "$d0" "$(db_digest)"
has  "apple" "2 new" k import "$DATA/apple.vcf"
has  "apple skips the company card" "line 138: skipped: a contact card for an organisation" \
     k import --dry-run vcard "$DATA/apple.vcf"
has  "android merges Chinedu by phone" "1 merged" k import "$DATA/android21.vcf"
has  "google" "2 new" k import "$DATA/google.vcf"
has  "outlook merges Zoë by email" "1 records: 0 new, 1 merged" k import "$DATA/outlook21.vcf"
has  "thunderbird" "1 new" k import "$DATA/thunderbird40.vcf"
has  "malformed: named lines" "line 17: rejected: no END:VCARD before the next BEGIN:VCARD" \
     k import vcard "$DATA/malformed.vcf"
has  "linkedin" "6 records: 4 new, 1 merged, 0 unchanged, 0 skipped, 1 rejected" \
     k import "$DATA/linkedin_connections.csv"
has  "linkedin link since" "knows      Alex Morgan (#1)  since 2019-03-14" k show "Zoë Dupont"
has  "google csv" "google_contacts.csv (csv)" k import "$DATA/google_contacts.csv"
has  "outlook csv" "outlook_contacts.csv (csv)" k import "$DATA/outlook_contacts.csv"
d1=$(db_digest)
fails "unknown csv needs a map" 1 "name the columns with --map" k import "$DATA/generic.csv"
fails "a bad map" 1 "is not a column map" k import --map "nom=Full Name" "$DATA/generic.csv"
fails "a missing file" 1 "cannot open" k import "$DATA/nope.vcf"
fails "--map is for csv" 2 "--map is for CSV" k import vcard --map a=b "$DATA/apple.vcf"
fails "--map implies csv" 1 "no row has all the columns --map names" \
      k import --map name=Name "$DATA/apple.vcf"
fails "an unknown format word is not taken for a file" 2 "unknown format 'xls'" \
      k import xls "$DATA/apple.vcf"
k import mbox "$DATA/apple.vcf" >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 1 ] && grep -q "rejected" "$OUT" && grep -q "apple.vcf: every record was rejected as mbox" "$ERR"
_report $? "a file of the wrong format, named: every record rejected, exit 1"
iconv -f UTF-8 -t UTF-16 "$DATA/google_contacts.csv" > utf16.csv
has  "a UTF-16 CSV (Windows' Unicode text) is the same file" "utf16.csv (csv): 2 records: 0 new, 0 merged, 2 unchanged" k import --dry-run utf16.csv
printf 'Dear Ada,\r\n' | iconv -f UTF-8 -t UTF-16 | head -c 9 > broken16.csv
fails "broken UTF-16" 1 "not UTF-16LE text" k import broken16.csv
printf 'Dear Ada\nSee you soon\n' > letter.txt
fails "a letter is no contact file" 1 "not a vCard, iCalendar, mbox or CSV file" k import letter.txt
same "refused imports change nothing" "$d1" "$(db_digest)"
has  "mapped csv: Ines was in a vCard" "1 new, 1 merged" k import --map "name=Full Name,email=E-mail,phone=Mobile,org=Employer,city=Town" \
     "$DATA/generic.csv"
has  "mbox" "7 records: 3 new, 0 merged, 0 unchanged, 3 skipped, 1 rejected" k import "$DATA/mail.mbox"
has  "mbox list mail" "line 42: skipped: mailing-list mail" k import --dry-run "$DATA/mail.mbox"
has  "ics" "12 records: 8 new" k import "$DATA/calendar.ics"
has  "timeline from mail and calendar" "Pilot review, budget and next steps" k timeline zoe
d2=$(db_digest)
for f in apple.vcf android21.vcf google.vcf outlook21.vcf thunderbird40.vcf \
         linkedin_connections.csv google_contacts.csv outlook_contacts.csv mail.mbox calendar.ics; do
	k import "$DATA/$f" >"$OUT" 2>"$ERR"
	grep -q " 0 new, 0 merged" "$OUT"
	_report $? "re-import $f: nothing new"
done
same "re-import changes nothing" "$d2" "$(db_digest)"
k import "$DATA/apple.vcf" >/dev/null 2>"$ERR"
same "no progress bar when stderr is not a terminal" "" "$(cat "$ERR")"
same "json report" "1" "$(k --json import "$DATA/mail.mbox" | "$JSONQ" rejected)"
same "json issue line" "84" "$(k --json import "$DATA/mail.mbox" | "$JSONQ" issues.2.line)"
same "from stdin" "vcard" "$(k --json import - <"$DATA/google.vcf" | "$JSONQ" format)"

# export
ok   "export vcard" k export vcard --out all.vcf
has  "vcard 4.0" "VERSION:4.0" cat all.vcf
ok   "export csv" k export csv --out all.csv
ok   "export json" k export json --out all.json
same "json people" "$(sqlite3 "$KITH_DB" 'SELECT count(*) FROM person')" "$("$JSONQ" -l people <all.json)"
has  "export graphml" "<graphml" k export graphml
has  "export dot" "graph kith {" k export dot
fails "unknown export format" 2 "is not a format" k export xls
ok   "fresh database" k --db fresh.db init
has  "exported vcards read back" "0 rejected" k --db fresh.db import all.vcf
same "every person came back" "$(sqlite3 "$KITH_DB" 'SELECT count(*) FROM person')" \
     "$(sqlite3 fresh.db 'SELECT count(*) FROM person')"
same "every email came back" "$(sqlite3 "$KITH_DB" 'SELECT count(*) FROM person_email')" \
     "$(sqlite3 fresh.db 'SELECT count(*) FROM person_email')"
same "every job came back" "$(sqlite3 "$KITH_DB" 'SELECT count(*) FROM job')" \
     "$(sqlite3 fresh.db 'SELECT count(*) FROM job')"

# identity by hand
ok   "two records of one person" k add person "Marc Leroy" --phone "+33 6 11 22 33 44" --email marc@leroy.example
ok   "the other" k add person "M. Leroy" --phone "0033 6 11 22 33 44" --tag sailing
has  "dupes: shared phone" "shared phone" k dupes
same "dupes json" "shared phone" "$(k --json dupes --limit 1 | "$JSONQ" 0.reason)"
has  "merge" "Merged M. Leroy" k merge marc@leroy.example "M. Leroy"
has  "merged tags" "sailing" k show marc@leroy.example
fails "merge into self" 1 "cannot be merged into themselves" k merge marc@leroy.example marc@leroy.example

# a file of 1 MiB and more takes the bulk path: the same summary, search
# and idempotency, all or nothing
export KITH_DB="$T_DIR/big.db"
awk 'BEGIN { for (i = 0; i < 5000; i++)
	printf "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big-%d\r\nFN:Person%d Big\r\n" \
	       "EMAIL:p%d@big.example\r\nTEL:+33 6 00 %02d %02d %02d\r\nORG:Org %d\r\n" \
	       "TITLE:Engineer\r\nCATEGORIES:bulk,team%d\r\nNOTE:Met at meetup %d\\, " \
	       "talked about energy and the weather for a long while\r\nEND:VCARD\r\n",
	       i, i, i, i / 10000, i / 100 % 100, i % 100, i % 40, i % 7, i }' >big.vcf
awk 'BEGIN { for (i = 0; i < 2000; i++)
	printf "From p%d@big.example Mon Jan  1 00:00:00 2025\nMessage-ID: <b%d@big.example>\n" \
	       "Date: Mon, 01 Dec 2025 10:%02d:00 +0000\nFrom: Person%d Big <p%d@big.example>\n" \
	       "To: alex@kith.example, p%d@big.example\nSubject: Quarterly planning round %d\n\n" \
	       "Body of the message, long enough to make the file pass a mebibyte in all.\n" \
	       "Another line of it, and another, and another one to be sure of the size.\n" \
	       "And a last line of the body, with nothing in it that looks like a header.\n" \
	       "Regards, and see you at the next round of the quarterly planning meeting.\n\n",
	       i % 5000, i, i % 60, i % 5000, i % 5000, (i + 1) % 5000, i }' >big.mbox
ok   "big: init" k init --me "Alex Morgan" --email alex@kith.example
same "big: the files pass a mebibyte" "yes" \
     "$([ "$(wc -c <big.vcf)" -ge 1048576 ] && [ "$(wc -c <big.mbox)" -ge 1048576 ] && echo yes)"
b0=$(db_digest)
has  "big: dry run" "5000 records: 5000 new, 0 merged" k import --dry-run big.vcf
same "big: dry run saves nothing" "$b0" "$(db_digest)"
has  "big: vcards" "5000 records: 5000 new, 0 merged, 0 unchanged" k import big.vcf
has  "big: search finds them" "Person4999 Big" k find "energy person4999"
has  "big: jobs" "Org 39" k show p4999@big.example
has  "big: mbox" "2000 records: 2000 new, 0 merged" k import big.mbox
has  "big: timeline" "Quarterly planning round 1999" k timeline p1999@big.example
same "big: one change-log row per person (the bulk path ran)" "5000" \
     "$(sqlite3 "$KITH_DB" "SELECT count(*) FROM card_change WHERE person_id IN
        (SELECT person_id FROM person_email WHERE email LIKE '%@big.example')")"
same "big: the triggers are back" \
     "$(sqlite3 "$T_DIR/k.db" "SELECT group_concat(sql) FROM (SELECT sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name)")" \
     "$(sqlite3 "$KITH_DB" "SELECT group_concat(sql) FROM (SELECT sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name)")"
b1=$(db_digest)
has  "big: vcards again" "5000 records: 0 new, 0 merged, 5000 unchanged" k import big.vcf
has  "big: mbox again" "2000 records: 0 new, 0 merged, 2000 unchanged" k import big.mbox
same "big: again changes nothing, schema included" "$b1" "$(db_digest)"
export KITH_DB="$T_DIR/k.db"

