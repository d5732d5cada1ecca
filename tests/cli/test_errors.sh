# Bad input: one line naming the problem, a non-zero exit, nothing changed.
. "$(dirname "$0")/lib.sh"

fails "no database yet" 1 "no kith database at .*kith init" k list
k init --me "Alex Morgan" >/dev/null
k add person "Ana Silva" --email ana@one.example >/dev/null
k add person "Ana Sousa" --email ana@two.example >/dev/null
k add person "Bob Li" >/dev/null
k link ana@one.example bob --kind friend >/dev/null
before=$(db_digest)

fails "unknown person" 1 "no person matches 'Nobody'" k show Nobody
fails "unknown id" 1 "no person #999" k show 999
fails "unknown email" 1 "nobody has the email" k show x@nowhere.example
fails "malformed email" 1 "'ana@' is not a valid email" k add person X --email ana@
fails "malformed phone" 1 "is not a phone number" k add person X --phone "call me"
fails "taken email" 1 "already belongs to Ana Silva" k add person X --email ANA@one.example
fails "not a date" 1 "'2023-02-29' is not a date" k log meeting bob --at 2023-02-29
fails "not a link date" 1 "'2020-13' is not a date" k link bob "ana sousa" --since 2020-13
fails "link to oneself" 1 "cannot be linked to themselves" k link bob bob
fails "duplicate link" 1 "already linked as friend" k link bob ana@one.example --kind friend
fails "unknown link kind" 1 "unknown link kind 'frenemy' (known: " k link bob ana@two.example --kind frenemy
fails "trust out of range" 2 "--trust: '1.5' is not a number from 0 to 1" k link bob ana@two.example --trust 1.5
fails "favour without direction" 1 "a favour needs a direction" k log favour bob
fails "unknown interaction kind" 1 "unknown interaction kind" k log party bob
fails "job ends before it starts" 1 "cannot end" k work bob Acme --from 2020 --to 2019
fails "unknown command" 2 "not a kith command" k frobnicate
fails "unknown option" 2 "Try 'kith add --help'" k add person X --colour red
fails "missing operand" 2 "give the two people" k link bob
fails "add what" 2 "kith add person NAME" k add
fails "nothing to edit" 2 "nothing to change" k edit bob
fails "unlink not linked" 1 "are not linked" k unlink bob "ana sousa"
fails "empty find" 1 "nothing to search for" k find '"'

# An ambiguous name lists every candidate and changes nothing.
k link Ana bob >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 1 ] && grep -q "'Ana' matches 2 people; name one by id or email:" "$ERR" \
  && grep -q "ana@one.example" "$ERR" && grep -q "ana@two.example" "$ERR"
_report $? "ambiguous name lists candidates"
same "refusals changed nothing" "$before" "$(db_digest)"

# A multi-person rm is all or nothing.
fails "rm with one unknown" 1 "no person matches" k rm bob Nobody
same "rm changed nothing" "$before" "$(db_digest)"

# A database from a newer kith is refused untouched.
cp "$KITH_DB" newer.db
sqlite3 newer.db "PRAGMA user_version = 99"
fails "newer schema" 1 "newer than this kith supports" k --db newer.db list
same "newer db untouched" "99" "$(sqlite3 newer.db 'PRAGMA user_version')"

# A corrupt database and a foreign SQLite file are refused.
head -c 8192 /dev/urandom > corrupt.db
fails "garbage file" 1 "damaged or not a kith database" k --db corrupt.db list
sqlite3 foreign.db "CREATE TABLE songs(title)"
fails "foreign sqlite file" 1 "not a kith database" k --db foreign.db init
fails "a bad file is named, with what to do" 1 "^kith: corrupt.db: .*give the right file with --db" \
      k --db corrupt.db list
mkdir adir
fails "a directory as --db: named, with what to do" 1 \
      "^kith: adir is a directory, not a database file: give a file with --db or KITH_DB (e.g. --db adir/kith.db)" \
      k --db adir list
fails "init in a directory: the same" 1 "adir/ is a directory, not a database file" \
      k --db adir/ init --me X
cp "$KITH_DB" damaged.db
dd if=/dev/urandom of=damaged.db bs=1024 seek=4 count=8 conv=notrunc 2>/dev/null
k --db damaged.db list >/dev/null 2>"$ERR"
rc=$?
[ $rc -ne 0 ] && [ $rc -lt 128 ] && [ "$(wc -l < "$ERR")" -le 2 ]
_report $? "damaged pages: clean failure, no crash"

# A database locked by another writer: the write fails cleanly, later succeeds.
sync
( echo "BEGIN IMMEDIATE; INSERT INTO org(name, created, updated) VALUES ('Lock', 0, 0);"; sleep 3; echo "ROLLBACK;" ) \
	| sqlite3 "$KITH_DB" &
lockpid=$!
sleep 1
KITH_BUSY_TIMEOUT_MS=200 k add person "Late Comer" >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 1 ] && grep -q "database is locked" "$ERR"
_report $? "locked database"
wait $lockpid
same "lock changed nothing" "$before" "$(db_digest)"
has  "after the lock, writes work" "Added" k add person "Late Comer"

# A read-only database.  Tests run as root, which ignores permission bits,
# so the file is made immutable instead (skipped where chattr cannot).
k --db ro.db init --me "Ro Owner" >/dev/null
if chattr +i ro.db 2>/dev/null; then
	has "read-only database: reads work" "Ro Owner" k --db ro.db list
	fails "read-only database: a write is refused" 1 "read-only" k --db ro.db add person "Ro Two"
	chattr -i ro.db
	same "read-only database: nothing changed" "1" "$(sqlite3 ro.db 'SELECT count(*) FROM person')"
else
	echo "ok - # SKIP chattr +i not supported here"
fi
