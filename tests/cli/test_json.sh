# --json: every command that prints also prints valid JSON with the data.
. "$(dirname "$0")/lib.sh"

k init --me "Alex Morgan" >/dev/null
k add person "Zoë Dupont" --email zoe@acme.example --tag rust --org Acme >/dev/null
k add person "Ana Silva" --email ana@example.com >/dev/null
k link zoe ana --kind friend --trust 0.8 >/dev/null
k log meeting zoe --at 2026-11-01 --note "Lunch" >/dev/null

same "show json name" "Zoë Dupont" "$(k --json show zoe | "$JSONQ" name)"
same "show json jobs" "Acme" "$(k --json show zoe | "$JSONQ" jobs.0.org_name)"
same "show json links" "friend" "$(k show zoe --json | "$JSONQ" links.0.kind)"
same "show json trust" "0.8" "$(k show zoe --json | "$JSONQ" links.0.trust)"
same "list json total" "3" "$(k --json list | "$JSONQ" total)"
same "list json people" "3" "$(k --json list | "$JSONQ" -l people)"
same "find json" "person" "$(k --json find zoe | "$JSONQ" hits.0.type)"
same "timeline json" "meeting" "$(k --json timeline zoe | "$JSONQ" interactions.0.kind)"
same "timeline json at" "2026-11-01T12:00:00Z" "$(k --json timeline zoe | "$JSONQ" interactions.0.at)"
same "stats json" "3" "$(k --json stats | "$JSONQ" counts.people)"
same "add json" "Bo" "$(k --json add person Bo | "$JSONQ" name)"
same "log json" "call" "$(k --json log call bo | "$JSONQ" kind)"
same "link json" "knows" "$(k --json link bo ana | "$JSONQ" kind)"
same "tag json" "x" "$(k --json tag bo x | "$JSONQ" tags.0)"
same "kind json" "meeting" "$(k --json kind --interaction | "$JSONQ" kinds.0.name)"
same "me json" "1" "$(k --json me | "$JSONQ" me)"
for cmd in "show zoe" "list" "list orgs" "list links" "list tags" "find a" "timeline zoe" "stats" "kind" "me"; do
	# shellcheck disable=SC2086
	k --json $cmd | "$JSONQ" >/dev/null 2>&1
	_report $? "valid json: $cmd"
done
same "list orgs json has only json" "Acme" "$(k --json list orgs | "$JSONQ" orgs.0.name)"
