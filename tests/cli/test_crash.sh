# Crash safety: kill -9 a writing kith at random moments.  Afterwards the
# database passes integrity_check, every acknowledged write is there, and
# a big transaction (the demo network) is all or nothing.
. "$(dirname "$0")/lib.sh"
trials=${KITH_CRASH_TRIALS:-100}

# Checks wait for locks: a process killed a moment ago may not be gone yet.
q() { sqlite3 -cmd ".timeout 5000" "$@"; }

rand_ms() { # a random number of milliseconds in [1, $1]
	od -An -N2 -tu2 /dev/urandom | awk -v m="$1" '{ print 1 + $1 % m }'
}

sleep_ms() { sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"; }

lost=0 damaged=0 partial=0
for t in $(seq 1 "$trials"); do
	rm -f c.db c.db-wal c.db-shm acked
	k --db c.db init --me "Me" >/dev/null
	: > acked
	(
		i=0
		while :; do
			i=$((i + 1))
			k --db c.db add person "Person $i" --email "p$i@example.org" --link knows >/dev/null 2>&1 &&
				echo "p$i@example.org" >> acked
		done
	) &
	loop=$!
	sleep_ms "$(rand_ms 400)"
	kill -STOP "$loop" 2>/dev/null
	kids=$(pgrep -P "$loop")  # kith, or a fork about to become kith
	[ -n "$kids" ] && kill -9 $kids 2>/dev/null
	kill -9 "$loop" 2>/dev/null
	wait "$loop" 2>/dev/null
	for pid in $kids; do  # signals are asynchronous: wait for the death
		while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
	done
	[ "$(q c.db 'PRAGMA integrity_check')" = ok ] || damaged=$((damaged + 1))
	while read -r email; do
		[ "$(q c.db "SELECT count(*) FROM person_email WHERE email = '$email'")" = 1 ] ||
			lost=$((lost + 1))
	done < acked
	# Every person added has the link that came in the same command.
	orphans=$(q c.db "SELECT count(*) FROM person p WHERE p.id > 1 AND NOT EXISTS
		(SELECT 1 FROM link l WHERE l.b = p.id)")
	[ "$orphans" = 0 ] || partial=$((partial + 1))
done
echo "# $trials trials of kill -9 during writes: $damaged damaged, $lost acknowledged writes lost, $partial half-written"
same "no damaged database after kill -9" 0 "$damaged"
same "no acknowledged write lost" 0 "$lost"
same "no half-written command" 0 "$partial"

# One big transaction killed part-way: all of it or none of it.
torn=0 complete=0 empty=0
for t in $(seq 1 $((trials / 4 + 1))); do
	rm -f d.db d.db-wal d.db-shm
	k --db d.db init --me "Me" >/dev/null
	k --db d.db demo --people 300 >/dev/null 2>&1 &
	demo=$!
	sleep_ms "$(rand_ms 600)"
	kill -9 "$demo" 2>/dev/null
	wait "$demo" 2>/dev/null
	people=$(q d.db 'SELECT count(*) FROM person')
	case "$people" in
	1) empty=$((empty + 1)) ;;
	301) complete=$((complete + 1)) ;;
	*) torn=$((torn + 1)) ;;
	esac
	[ "$(q d.db 'PRAGMA integrity_check')" = ok ] || torn=$((torn + 1))
done
echo "# demo generation killed: $empty rolled back, $complete complete, $torn torn"
same "a killed transaction is all or nothing" 0 "$torn"

# A file-size limit mid-transaction: a clean error, nothing half-written.
rm -f f.db f.db-wal f.db-shm
k --db f.db init --me "Me" >/dev/null
before=$(sqlite3 f.db 'SELECT count(*) FROM person')
(ulimit -f 200; k --db f.db demo --people 3000) >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 1 ] && grep -q "disk is full\|input/output\|I/O" "$ERR"
_report $? "file-size limit: clean error ($(head -c 120 "$ERR"))"
same "file-size limit: nothing written" "$before" "$(sqlite3 f.db 'SELECT count(*) FROM person')"
same "file-size limit: database intact" ok "$(sqlite3 f.db 'PRAGMA integrity_check')"
has  "after the limit, writes work" "Added" k --db f.db add person "After"
