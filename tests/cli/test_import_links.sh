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
echo "1..$T_N"
