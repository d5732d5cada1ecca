# Capture on the real files of ../shared/data/corpora (beside the checkout;
# $KITH_CORPORA overrides): each of its 73 files is read with the counts
# below, or refused with its one-line reason, each into a database of its
# own; then fields of specific files, as an independent reading of each
# file says they are.  A file the table does not name fails, so a new file
# needs its line.  Skips (one line, with the reason) when the corpora are
# not there.
. "$(dirname "$0")/lib.sh"
export KITH_NOW=2026-11-23T12:00:00Z
C=${KITH_CORPORA:-$T_SHARED/data/corpora}
if [ ! -d "$C/vcard" ]; then
	echo "ok 1 - # SKIP no corpora at $C (../shared/data/corpora beside the checkout)"
	exit 0
fi

# file|what the import says: "records: ..." of its summary, or the
# reason it is refused with (exit 1)
cat >"$T_DIR/expected" <<'EOF'
csv/hordedata-Outlook.csv|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
csv/hordedata-Thunderbird.csv|not a CSV kith knows (no header row of
csv/hordedata-WAB.csv|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
csv/hordedata-Yahoo.csv|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
csv/hordedata-bug_3839.csv|not a CSV kith knows (no header row of
csv/hordedata-bug_6311.csv|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
csv/roundcube-email.csv|4 records: 4 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
csv/roundcube-gmail.csv|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
csv/thunderbird-basic_csv_addressbook.csv|2 records: 2 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
csv/thunderbird-csv_semicolon.csv|2 records: 2 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
csv/thunderbird-import.csv|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
csv/thunderbird-utf16_addressbook.csv|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
ics/applecal-Test-01A.ics|5 records: 5 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
ics/eds-invite-7.ics|2 records: 2 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
ics/hordeical-exchange.ics|1 records: 0 new, 0 merged, 0 unchanged, 1 skipped, 0 rejected
ics/ical4j-THFC.ics|114 records: 1 new, 0 merged, 0 unchanged, 113 skipped, 0 rejected
ics/ical4j-groupwise.ics|1 records: 0 new, 0 merged, 0 unchanged, 1 skipped, 0 rejected
ics/ical4j-incoming.ics|9 records: 3 new, 0 merged, 1 unchanged, 0 skipped, 5 rejected
ics/ical4j-multiple_calendars.ics|2 records: 2 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
ics/icaljs-google_birthday.ics|4 records: 0 new, 0 merged, 0 unchanged, 4 skipped, 0 rejected
ics/icaljs-recur_instances.ics|122 records: 120 new, 0 merged, 0 unchanged, 2 skipped, 0 rejected
ics/kcalcore-KOrganizer_3.1.ics|13 records: 1 new, 0 merged, 0 unchanged, 12 skipped, 0 rejected
ics/kcalcore-test_conference.ics|314 records: 314 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
ics/libical-calendar.ics|3 records: 2 new, 0 merged, 0 unchanged, 1 skipped, 0 rejected
ics/libical-issue252.ics|1 records: 0 new, 0 merged, 0 unchanged, 0 skipped, 1 rejected
ics/libical-process-incoming.ics|3 records: 3 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
ics/pyical-bom_calendar.ics|0 records: 0 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
ics/pyical-broken_ical.ics|1 records: 0 new, 0 merged, 0 unchanged, 1 skipped, 0 rejected
ics/pyical-property_params.ics|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
ics/pyical-rfc_6868.ics|1 records: 0 new, 0 merged, 0 unchanged, 0 skipped, 1 rejected
ics/radicale-event_issue2151.ics|26 records: 26 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
ics/thunderbird-importLatin1.ics|4 records: 0 new, 0 merged, 0 unchanged, 4 skipped, 0 rejected
mbox/mailbox-mbox.src|45 records: 23 new, 0 merged, 0 unchanged, 21 skipped, 1 rejected
mbox/mailutils-mime.mbox|2 records: 0 new, 0 merged, 0 unchanged, 2 skipped, 0 rejected
mbox/mailutils-msg.mbox|4 records: 2 new, 0 merged, 0 unchanged, 0 skipped, 2 rejected
mbox/mailutils-relational.mbox|9 records: 4 new, 0 merged, 0 unchanged, 0 skipped, 5 rejected
mbox/mailutils-teaparty.mbox|95 records: 91 new, 0 merged, 0 unchanged, 4 skipped, 0 rejected
mbox/mboxparser-mailarc-1.txt|16 records: 14 new, 0 merged, 2 unchanged, 0 skipped, 0 rejected
mbox/mboxparser-mailseparators.txt|3 records: 2 new, 0 merged, 0 unchanged, 1 skipped, 0 rejected
mbox/mboxparser-newlines_at_beginning.txt|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
mbox/mimekit-simple.mbox.txt|3 records: 0 new, 0 merged, 0 unchanged, 3 skipped, 0 rejected
mbox/mimekit-unmunged.mbox.txt|2 records: 0 new, 0 merged, 0 unchanged, 0 skipped, 2 rejected
mbox/neomutt-banana.mbox|1 records: 0 new, 0 merged, 0 unchanged, 0 skipped, 1 rejected
mbox/thunderbird-mbox_mboxrd|2 records: 2 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
mbox/thunderbird-movemailspool|3 records: 2 new, 0 merged, 0 unchanged, 1 skipped, 0 rejected
mbox/thunderbird-template-latin1|1 records: 0 new, 0 merged, 0 unchanged, 1 skipped, 0 rejected
vcard/android-v21_backslash.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/android-v21_complicated.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/android-v21_japanese_2.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/android-v21_nest.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/android-v21_x_param.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/android-v30_ios_613_multiline.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/android-v30_pause_wait.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/applecal-AFBB77B8-0438-4825-A1DB-A75D76B6C3A8.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/eds-1.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/eds-5.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/ezvcard-John_Doe_EVOLUTION.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/ezvcard-John_Doe_IPHONE.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/ezvcard-John_Doe_MS_OUTLOOK.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/ezvcard-gmail-list.vcf|3 records: 3 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/ezvcard-gmail-single2.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/ezvcard-outlook-2003.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/ezvcard-rfc6350-example.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/icaljs-vcard3.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/kcontacts-vcard10.vcf|5 records: 4 new, 0 merged, 0 unchanged, 0 skipped, 1 rejected
vcard/kcontacts-vcard15.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/kcontacts-vcard9.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/libical-test.vcf|2 records: 2 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/radicale-broken-vcards.vcf|2 records: 2 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/roundcube-johndoe.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/sabre-issue64.vcf|1 records: 0 new, 0 merged, 0 unchanged, 0 skipped, 1 rejected
vcard/thunderbird-emptylines_vcard_addressbook.vcf|2 records: 2 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
vcard/thunderbird-v4-uri-png.vcf|1 records: 1 new, 0 merged, 0 unchanged, 0 skipped, 0 rejected
EOF

(cd "$C" && find . -type f ! -name 'SOURCES.md' | sed 's#^\./##' | sort) >"$T_DIR/files"
cut -d'|' -f1 "$T_DIR/expected" | sort >"$T_DIR/named"
same "every file of the corpora has its line here, and no other" \
     "" "$(comm -3 "$T_DIR/files" "$T_DIR/named" | tr -d '\t' | tr '\n' ' ')"

# one empty database, copied for each file (a kith init each is slow
# under ASan)
k --db tmpl.db init --me "Corpus Owner" --email owner@corpus.example >/dev/null 2>&1
while IFS='|' read -r f want; do
	[ -f "$C/$f" ] || continue
	rm -f c.db c.db-wal c.db-shm
	cp tmpl.db c.db
	k --db c.db import --quiet "$C/$f" >"$OUT" 2>"$ERR"
	rc=$?
	case $want in
	*" records: "*)
		[ $rc -eq 0 ] && [ ! -s "$ERR" ] && grep -qF "): $want" "$OUT" ;;
	*)  # refused: exit 1, the file named with the reason on the first line
		[ $rc -eq 1 ] && [ ! -s "$OUT" ] &&
			head -1 "$ERR" | grep -qF "kith: $C/$f: $want" ;;
	esac
	_report $? "$f: $want"
done <"$T_DIR/expected"

# Fields, as the files hold them.
ok   "init" k init --me "Corpus Owner" --email owner@corpus.example
V=$C/vcard M=$C/mbox S=$C/csv
has  "nest: the outer card is the person" "1 new" k import "$V/android-v21_nest.vcf"
has  "nest: named 'parent'" "parent" k list
same "nest: the inner cards are no people" 0 \
     "$(sqlite3 "$KITH_DB" "SELECT count(*) FROM person WHERE display_name LIKE 'nest%'")"
has  "nest: said by line" "line 4: warning: a vCard inside the one of line 1; left out" \
     k import --dry-run "$V/android-v21_nest.vcf"
k import --quiet "$V/android-v21_japanese_2.vcf" >/dev/null 2>&1
same "Shift_JIS (CHARSET, quoted-printable): the name" "安藤 ロイド 1" \
     "$(sqlite3 "$KITH_DB" "SELECT display_name FROM person WHERE notes = 'メモ'")"
k import --quiet "$V/roundcube-johndoe.vcf" >/dev/null 2>&1
has  "a declared 8-bit charset: John Doë" "lives    Hometown" k show roundcube@gmail.com
has  "... his name" "John Doë  #" k show roundcube@gmail.com
k import --quiet "$V/ezvcard-John_Doe_MS_OUTLOOK.vcf" >/dev/null 2>&1
has  "Outlook 2.1 quoted-printable: city" "lives    Albaney" k show john.doe@ibm.cm
has  "... birthday" "Birthday: 1980-03-22" k show john.doe@ibm.cm
k import --quiet "$V/applecal-AFBB77B8-0438-4825-A1DB-A75D76B6C3A8.vcf" >/dev/null 2>&1
same "Apple's related names naming nobody here: kept line for line" \
     "item4.X-ABRELATEDNAMES;type=pref:Aho Sak|item4.X-ABLabel:_\$!<Friend>!\$_" \
     "$(sqlite3 "$KITH_DB" "SELECT lines FROM card_extra" | grep -A1 'Aho Sak' | tr -d '\r' | paste -sd'|')"
k import --quiet "$V/kcontacts-vcard15.vcf" >/dev/null 2>&1
same "RELATED;VALUE=text naming nobody: kept" 1 \
     "$(sqlite3 "$KITH_DB" "SELECT count(*) FROM card_extra WHERE lines LIKE '%RELATED;TYPE=child;VALUE=text:Child Tester%'")"
has  "Yahoo CSV without --map" "1 new" k import "$S/hordedata-Yahoo.csv"
has  "Yahoo: the home town" "lives    Bandung, Indonesia" k show firman@php.net
has  "Yahoo: the company" "works    at Foo" k show firman@php.net
has  "Thunderbird CSV in UTF-16" "1 new" k import "$S/thunderbird-utf16_addressbook.csv"
has  "Thunderbird: display name" "John Doe  #" k show johndoe@host.invalid
has  "Thunderbird, semicolons" "2 new" k import "$S/thunderbird-csv_semicolon.csv"
has  "old Gmail CSV" "1 new" k import "$S/roundcube-gmail.csv"
has  "old Gmail: the city of its address" "lives    home_city" k show home@aaa.pl
has  "a column of addresses" "4 new" k import "$S/roundcube-email.csv"
fails "a calendar CSV is refused in one line" 1 "not a CSV kith knows" \
      k import "$S/hordedata-bug_3839.csv"
has  "mbox after blank lines" "1 new" k import "$M/mboxparser-newlines_at_beginning.txt"
same "... its message is an email" 1 \
     "$(sqlite3 "$KITH_DB" "SELECT count(*) FROM interaction WHERE kind = 'email'")"
has  "teaparty: 91 messages" "91 new" k import "$M/mailutils-teaparty.mbox"
has  "teaparty: the March Hare wrote" "Re: Remark" k timeline hare@wonder.land
k --db d2.db init --me "Corpus Owner" >/dev/null 2>&1
has  "mailarc: two true copies count once" "16 records: 14 new, 0 merged, 2 unchanged" \
     k --db d2.db import "$M/mboxparser-mailarc-1.txt"
has  "unmunged: 'From Russia with love' is a body line" "2 records" \
     k import --dry-run "$M/mimekit-unmunged.mbox.txt"
has  "a second import changes nothing" "0 new, 0 merged" k import "$M/mailutils-teaparty.mbox"
echo "1..$T_N"
