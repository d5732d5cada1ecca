# kith import links: a network's links from CSV (ends by id, email or an
# earlier import's source key) or from kith's own GraphML export; and the
# graph index beside the database (docs/graph.md) follows.
. "$(dirname "$0")/lib.sh"

k init --me "Alex Morgan" >/dev/null
k add person "Zoë Martin" --email zoe@example.com >/dev/null
k add person "Ana Silva" --email ana@example.com >/dev/null
k add person "Bo Lind" >/dev/null
printf 'BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:cy-1\nFN:Cy Okafor\nEND:VCARD\n' > cy.vcf
k import cy.vcf >/dev/null

cat > links.csv <<'CSV'
a,b,kind,since,trust
#1,zoe@example.com,friend,2019,0.9
zoe@example.com,ana@example.com
3,4,colleague,2021-03,
4,urn:uuid:cy-1,knows,,0.4
1,nobody@example.com
2,2
1,4,nokind
1,4,knows,03/2020
1,4,knows,,2
CSV

has "path before: not connected" "not connected" k path me cy
has "dry run reports" "4 new" k import links links.csv --dry-run
has "dry run saves nothing" "not connected" k path me cy
has "import: 4 links, 5 rejected" "4 new, 0 merged, 0 unchanged, 0 skipped, 5 rejected" k import links links.csv
has "unknown email rejected with its line" "line 6: rejected: no person 'nobody@example.com'" k import links links.csv
has "again: nothing new" "0 new, 0 merged, 4 unchanged" k import links links.csv
has "path through imported links" "Alex Morgan → Zoë Martin → Ana Silva → Bo Lind → Cy Okafor  (4 degrees)" k path me cy
same "kind, since and trust kept" "friend 2019" "$(k --json show zoe | "$JSONQ" links.0.kind) $(k --json show zoe | "$JSONQ" links.0.since)"
ok "the index file is beside the database" test -s "$KITH_DB.graph"

# GraphML from kith's export, into a database whose people match by email.
k export graphml --out net.graphml >/dev/null
ok "graphml export" test -s net.graphml
KITH_DB="$T_DIR/two.db" k init --me "Alex Morgan" >/dev/null
KITH_DB="$T_DIR/two.db" k add person "Zoë Martin" --email zoe@example.com >/dev/null
KITH_DB="$T_DIR/two.db" k add person "Ana Silva" --email ana@example.com >/dev/null
has "graphml import: by email (else id), others rejected" "2 new, 0 merged, 0 unchanged, 0 skipped, 2 rejected" env KITH_DB="$T_DIR/two.db" "$KITH" import net.graphml
has "graphml link there" "Zoë Martin → Ana Silva  (1 degree)" env KITH_DB="$T_DIR/two.db" "$KITH" path zoe ana
has "graphml into the same database: unchanged" "4 unchanged" k import graphml net.graphml

# A damaged index is rebuilt, never trusted.
k path me cy >/dev/null
printf 'garbage' | dd of="$KITH_DB.graph" bs=1 seek=300 conv=notrunc 2>/dev/null
has "damaged index: same answer" "(4 degrees)" k path me cy
# A large file goes in with the link triggers' work done in bulk
# (src/import/links.c): the same database as row by row, for the same
# file.  KITH_LINKS_BULK_MIN sets the size from which it does: 1 for
# bulk, a million for rows.  Sixty people, one private (owned by a
# member: links to them become private), 400 rows with both orientations
# of a pair, duplicates with another since (the first in the file wins),
# an unknown person and a link already there.
KITH_DB="$T_DIR/base.db" k init --me "Alex Morgan" >/dev/null
i=2
while [ $i -le 60 ]; do
	echo "BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:bulk-$i
FN:Person $i
EMAIL:p$i@example.org
END:VCARD"
	i=$((i + 1))
done > bulk.vcf
KITH_DB="$T_DIR/base.db" k import bulk.vcf >/dev/null
KITH_DB="$T_DIR/base.db" k member add bea --person "#7" >/dev/null
sqlite3 "$T_DIR/base.db" "UPDATE person SET private = 1, owner = 1 WHERE id = 9"
KITH_DB="$T_DIR/base.db" k link "#2" "#3" --kind friend >/dev/null
awk 'BEGIN { srand(21); print "a,b,kind,since,trust"
	for (n = 0; n < 400; n++) {
		a = 2 + int(rand() * 59); b = 2 + int(rand() * 59)
		k = (n % 3 == 0) ? "colleague" : "knows"
		if (n % 5 == 0) printf "p%d@example.org,#%d,%s,20%02d,0.%d\n", a, b, k, n % 30, n % 9
		else if (n % 7 == 0) printf "urn:uuid:bulk-%d,%d,%s,,\n", a, b, k
		else printf "%d,%d,%s,20%02d-0%d,\n", a, b, k, n % 30, 1 + n % 9
	}
	print "2,3,friend,2001,"; print "2,nobody@example.org"; print "9,2,knows,1999,0.5" }' > bulk.csv
cp "$T_DIR/base.db" "$T_DIR/rows.db"
cp "$T_DIR/base.db" "$T_DIR/bulk.db"
KITH_NOW=2026-11-23T12:00:00Z KITH_LINKS_BULK_MIN=1000000 KITH_DB="$T_DIR/rows.db" \
	k import links bulk.csv > rows.out 2>&1
KITH_NOW=2026-11-23T12:00:00Z KITH_LINKS_BULK_MIN=1 KITH_DB="$T_DIR/bulk.db" \
	k import links bulk.csv > bulk.out 2>&1
# Row by row, a pair with the private person that the file names twice
# is kept twice: the privacy trigger moves the first out of the team's
# unique scope before the second comes (a team link to a private person,
# which nobody else sees).  In bulk it is one private link.
links_of() {
	sqlite3 "$1" "SELECT a, b, kind, since, trust, created, coalesce(owner, '-'), private
		FROM link WHERE a <> 9 AND b <> 9 ORDER BY min(a, b), max(a, b), kind"
}
same "the same links (kind, since, trust, owner, privacy)" "$(links_of "$T_DIR/rows.db")" "$(links_of "$T_DIR/bulk.db")"
same "in bulk: one link per pair and kind with the private person, private, its owner's" \
	"$(sqlite3 "$T_DIR/rows.db" "SELECT DISTINCT min(a, b), max(a, b), kind FROM link
		WHERE a = 9 OR b = 9 ORDER BY 1, 2, 3")" \
	"$(sqlite3 "$T_DIR/bulk.db" "SELECT min(a, b), max(a, b), kind FROM link
		WHERE (a = 9 OR b = 9) AND private AND owner = 1 ORDER BY 1, 2, 3")"
same "and no team link with them" 0 \
	"$(sqlite3 "$T_DIR/bulk.db" "SELECT count(*) FROM link WHERE (a = 9 OR b = 9) AND NOT private")"
same "bulk and row by row: the same count of rejected rows" \
	"$(sed -n 's/.* \([0-9]*\) rejected$/\1/p' rows.out)" "$(sed -n 's/.* \([0-9]*\) rejected$/\1/p' bulk.out)"
cards_of() {
	sqlite3 "$1" "SELECT DISTINCT person_id, coalesce(owner, '-'), private FROM card_change
		ORDER BY 1"
}
same "the same people in the CardDAV change log" "$(cards_of "$T_DIR/rows.db")" "$(cards_of "$T_DIR/bulk.db")"
paths=""
for pair in "2 60" "5 41" "9 33" "17 58" "30 31"; do
	set -- $pair
	paths="$paths|$(KITH_DB="$T_DIR/rows.db" k path "#$1" "#$2")/$(KITH_DB="$T_DIR/bulk.db" k path "#$1" "#$2")"
done
ok "the same paths, through the index as it follows" sh -c '
	echo "$1" | tr "|" "\n" | awk -F/ "NF == 2 && \$1 != \$2 { bad = 1 } END { exit bad }"' - "$paths"
ok "the bulk database is sound" test "$(sqlite3 "$T_DIR/bulk.db" 'PRAGMA integrity_check')" = ok
# The file outnumbers the links there: link_a and link_b were dropped while
# its rows went in and made again after, as they were.
link_indexes() { sqlite3 "$1" "SELECT name, sql FROM sqlite_schema WHERE type = 'index'
	AND tbl_name = 'link' ORDER BY name"; }
same "the link indexes made again as they were" "$(link_indexes "$T_DIR/rows.db")" \
	"$(link_indexes "$T_DIR/bulk.db")"
has "and a person's links are read through them" "INDEX link_a (a=?)" \
	sqlite3 "$T_DIR/bulk.db" "EXPLAIN QUERY PLAN SELECT id FROM link WHERE a = 5"
# A second, smaller file on top: fewer rows than the links there (the
# indexes stay) and than the people (the CardDAV log is found from the new
# links' ends, not by asking every person), with links to the private one.
awk 'BEGIN { for (n = 0; n < 30; n++) printf "%d,%d,friend,2010,\n", 9 + (n % 2) * 30, 10 + n }' \
	> more.csv
cards_before=$(sqlite3 "$T_DIR/rows.db" "SELECT count(*) FROM card_change")
cards_before_bulk=$(sqlite3 "$T_DIR/bulk.db" "SELECT count(*) FROM card_change")
KITH_NOW=2026-11-23T12:00:00Z KITH_LINKS_BULK_MIN=1000000 KITH_DB="$T_DIR/rows.db" \
	k import links more.csv > rows.out 2>&1
KITH_NOW=2026-11-23T12:00:00Z KITH_LINKS_BULK_MIN=1 KITH_DB="$T_DIR/bulk.db" \
	k import links more.csv > bulk.out 2>&1
same "a second file: the same links" "$(links_of "$T_DIR/rows.db")" "$(links_of "$T_DIR/bulk.db")"
same "and its links with the private person private, its owner's" \
	"$(sqlite3 "$T_DIR/rows.db" "SELECT a, b, private, owner FROM link WHERE kind = 'friend'
		AND since = '2010' AND (a = 9 OR b = 9) ORDER BY 1, 2")" \
	"$(sqlite3 "$T_DIR/bulk.db" "SELECT a, b, private, owner FROM link WHERE kind = 'friend'
		AND since = '2010' AND (a = 9 OR b = 9) ORDER BY 1, 2")"
new_cards() { sqlite3 "$1" "SELECT DISTINCT person_id, coalesce(owner, '-'), private
	FROM card_change WHERE id > $2 ORDER BY 1"; }
same "and the same people in the CardDAV log for it" "$(new_cards "$T_DIR/rows.db" "$cards_before")" \
	"$(new_cards "$T_DIR/bulk.db" "$cards_before_bulk")"

# More new links than the index patches pair by pair: one "rebuild" row in
# the graph log instead of 5,310, and the same paths as row by row.
awk 'BEGIN { for (a = 2; a <= 60; a++) for (b = a + 1; b <= 60; b++) {
	print a "," b ",knows"; print a "," b ",colleague"; print a "," b ",friend" } }' > all.csv
cp "$T_DIR/base.db" "$T_DIR/rows2.db"
cp "$T_DIR/base.db" "$T_DIR/bulk2.db"
KITH_LINKS_BULK_MIN=1000000 KITH_DB="$T_DIR/rows2.db" k import links all.csv >/dev/null 2>&1
KITH_LINKS_BULK_MIN=1 KITH_DB="$T_DIR/bulk2.db" k import links all.csv >/dev/null 2>&1
log_rows() { sqlite3 "$1" "SELECT count(*) FROM graph_change"; }
same "past the index's rewrite point: one rebuild row in the graph log, and no other" \
	"1 $(($(log_rows "$T_DIR/base.db") + 1))" \
	"$(sqlite3 "$T_DIR/bulk2.db" "SELECT count(*) FROM graph_change WHERE a = 0 AND b = -2") $(log_rows "$T_DIR/bulk2.db")"
same "and the same paths as row by row" \
	"$(KITH_DB="$T_DIR/rows2.db" k path "#9" "#41"; KITH_DB="$T_DIR/rows2.db" k intro "#41" --from "#2")" \
	"$(KITH_DB="$T_DIR/bulk2.db" k path "#9" "#41"; KITH_DB="$T_DIR/bulk2.db" k intro "#41" --from "#2")"
echo "1..$T_N"
