#!/bin/sh
# Capture on files written by others: the contact, mail and calendar files
# that three npm packages ship as their own test data (tests/corpus/package.json:
# vcard-json's exports from Mac OS X Contacts, Gmail and Outlook; ical's
# calendars; node-mbox's mailboxes).  Every file imports or is refused with
# a reason, never a crash; specific fields of specific files are checked.
# Skips (as an ok line) where Node.js is not installed.
here=$(cd "$(dirname "$0")/../.." && pwd)
CORPUS=$here/tests/corpus/node_modules
if ! command -v npm >/dev/null 2>&1; then
	echo "ok 1 - # SKIP npm not installed"
	exit 0
fi
if [ ! -d "$CORPUS/vcard-json" ] || [ ! -d "$CORPUS/ical" ] || [ ! -d "$CORPUS/node-mbox" ]; then
	if ! (cd "$here/tests/corpus" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null 2>&1); then
		echo "not ok 1 - npm ci in tests/corpus"
		exit 1
	fi
fi
. "$(dirname "$0")/lib.sh"
export KITH_NOW=2026-11-23T12:00:00Z
V=$CORPUS/vcard-json/test
I=$CORPUS/ical/test
M=$CORPUS/node-mbox/test

# every file, each into a database of its own
find "$V" "$I" "$M" -type f ! -name '*.js' | sort >"$T_DIR/files"
while read -r f; do
	rm -f c.db c.db-wal c.db-shm
	k --db c.db init --me "Corpus Owner" --email owner@corpus.example >/dev/null 2>&1
	k --db c.db import --quiet "$f" >"$OUT" 2>"$ERR"
	rc=$?
	# read (exit 0, a summary) or refused with a message (exit 1)
	{ [ $rc -eq 0 ] && grep -q " records: " "$OUT"; } || { [ $rc -eq 1 ] && [ -s "$ERR" ]; }
	_report $? "$(basename "$f") (exit $rc)"
done <"$T_DIR/files"
same "all 28 files were read" 28 "$(wc -l <"$T_DIR/files" | tr -d ' ')"

ok   "init" k init --me "Corpus Owner" --email owner@corpus.example
# Mac OS X Contacts: a company card with a photo, a vanity number, a
# grouped address (item1.ADR)
has  "apple: the vanity number is dropped, with its line" \
     "line 1: warning: '1-800-MY-APPLE' is not a phone number; dropped" \
     k import --dry-run "$V/Apple Inc..vcf"
has  "apple: one card" "1 records: 1 new" k import "$V/Apple Inc..vcf"
has  "apple: email" "email    a@b.c" k show "Apple Inc."
has  "apple: city from the grouped address" "lives    Cupertino, United States" k show "Apple Inc."
has  "apple: the org" "works    at Apple Inc." k show "Apple Inc."
# a Mac export with two emails, two phones, notes, a birthday
has  "some-contact" "1 new" k import "$V/some-contact.vcf"
has  "john smith: work email" "john.work@smith.com" k show "John Smith"
has  "john smith: home email" "john.home@smith.com" k show "John Smith"
has  "john smith: city of the preferred address" "Los Angeles" k show "John Smith"
has  "john smith: notes" "these are some notes listed here" k show "John Smith"
# Outlook, with a byte order mark; the same person again in a file whose
# cards are parted by lines of '#'
has  "outlook export with a BOM" "1 new" k import "$V/vCardExport-outlook.vcf"
has  "outlook: phone" "069123456" k show "Mustermann Hubert"
has  "outlook: the '#' lines are refused by line, the card merges" \
     "3 records: 0 new, 1 merged, 0 unchanged, 0 skipped, 2 rejected" k import "$V/outlook.vcf"
has  "outlook: line of the first '#'" "line 1: rejected: not a vCard (no BEGIN:VCARD)" \
     k import --dry-run "$V/outlook.vcf"
# 14 cards, Apple Inc. among them again (by email)
has  "lots: 14 cards, Apple Inc. merged" "14 records: 13 new, 1 merged" k import "$V/lots.vcf"
has  "lots: a name" "Jeremy Aaronson" k list
has  "gmail: two addresses, no name parts" "1 new" k import "$V/gmail-vcard3.vcf"
# calendars without attendees are not meetings; events without a start
# are refused by line
has  "ical: 128 events without attendees" "128 records: 0 new, 0 merged, 0 unchanged, 128 skipped" \
     k import "$I/test6.ics"
has  "ical: no DTSTART, by line" "line 2: rejected: no DTSTART" k import --dry-run "$I/test10.ics"
# node-mbox: a recipient without an @ is left out with a warning, so each
# message has one person and is skipped; a text that is no mbox is refused
has  "mbox: four messages" "4 records: 0 new, 0 merged, 0 unchanged, 4 skipped" \
     k import "$M/test-4-message.mbox"
has  "mbox: the bad address, by line" "line 1: warning: 'ydefmail.com' is not a valid email address; left out" \
     k import --dry-run "$M/test-1-message.mbox"
has  "mbox: the sender is known" "abc@gmail.com" k list
# told it is an mbox, and no record of it is one: the report, then exit 1
k import --dry-run mbox "$M/test-not-an.mbox" >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 1 ] && grep -q "line 1: rejected: not an mbox" "$OUT" &&
	grep -q "every record was rejected as mbox" "$ERR"
_report $? "not an mbox, named as one: each record refused, exit 1"
fails "not an mbox, told from its content" 1 "nothing was imported" k import "$M/test-attached.mbox"
fails "an empty file says so" 1 "nothing to import: it is empty" k import "$M/test-0-message.mbox"
echo "1..$T_N"
