# The everyday flow: init, add, link, log, show, find, edit, tag, rm.
. "$(dirname "$0")/lib.sh"

ok   "init with me" k init --me "Alex Morgan" --email alex@kith.example
has  "init again is harmless" "ready" k init
has  "me is set" "Alex Morgan (#1)" k me
has  "add a person" "Added #2 Zoë Dupont" k add person "Zoë Dupont" --email zoe@acme.example \
     --city Lyon --country France --tag rust --org Acme --title CTO --from 2019 --link friend --trust 0.9
has  "add with phone" "Added #3 Ana Silva" k add person "Ana Silva" --email ana@example.com \
     --phone "+351 912 345 678" --tag design --note "Met at a conference in Porto."
has  "add an org" "Added organisation" k add org "Helios Energy" --domain helios.example --city Berlin
has  "link" "Linked Zoë Dupont (#2) and Ana Silva (#3) as colleague" \
     k link zoe ana --kind colleague --since 2020-03
has  "parallel kind" "as friend" k link "zoe dupont" ana --kind friend --trust 0.5
has  "log a meeting" "Logged meeting" k log meeting zoe --note "Coffee about the pilot" --at 2026-11-01
has  "log a favour" "Logged favour" k log favour ana --received --value 3 --at yesterday
has  "log without me" "with 2 people" k log call zoe ana --without-me --at 3d
has  "show" "works    CTO at Acme (since 2019)" k show zoe
has  "show lists links" "colleague  Ana Silva (#3)  since 2020-03" k show zoe
has  "show by email" "Ana Silva  #3" k show ANA@EXAMPLE.COM
has  "show by id" "Zoë Dupont  #2" k show '#2'
has  "show org" "Zoë Dupont (#2), CTO" k show org acme
has  "find without accents" "Zoë Dupont" k find zoe
has  "find notes" "Ana Silva" k find porto
has  "find interaction notes" "interaction" k find pilot
has  "timeline" "Coffee about the pilot" k timeline zoe
has  "timeline kind filter" "favour" k timeline ana --kind favour
# The widest built-in kind (12 characters) keeps a space before the next word.
has  "log an introduction" "Logged introduction" k log introduction zoe --at 2d
has  "show: widest kind spaced" "introduction with Alex Morgan" k show zoe
has  "timeline: widest kind spaced" "introduction Alex Morgan" k timeline zoe
has  "timeline: narrower kinds align" "meeting      Alex Morgan" k timeline zoe
has  "list" "Zoë Dupont" k list
has  "list by tag" "Ana Silva" k list --tag DESIGN
has  "list by org" "Zoë Dupont" k list --org acme
has  "list orgs" "Helios Energy" k list orgs
has  "list links" "colleague" k list links
has  "tag" "Zoë Dupont: climbing, rust" k tag zoe climbing
has  "untag" "Zoë Dupont: rust" k tag zoe climbing --rm
has  "tags in use" "rust" k tag
has  "edit" "Updated #2" k edit zoe --city Paris --email zoe@perso.example
has  "edit shows" "Paris" k show zoe
has  "edit clears" "Updated" k edit zoe --country ""
has  "edit link" "Updated friend link" k edit link zoe ana --kind friend --trust 0.7
has  "edit org" "Updated organisation" k edit org helios --city Hamburg
has  "work" "Recorded job" k work ana helios --title Designer --from 2021
has  "stats" "people               3" k stats
has  "kinds" "mentor" k kind
has  "kind add" "Added link kind 'cofounder'" k kind add cofounder --description "founded a company together"
has  "new kind usable" "as cofounder" k link zoe ana --kind cofounder
has  "unlink one kind" "Removed 1 link" k unlink zoe ana --kind cofounder
has  "unlink all" "Removed 2 links" k unlink zoe ana
has  "rm" "Removed Ana Silva (#3)" k rm ana
same "rm cascades" "0" "$(sqlite3 "$KITH_DB" 'SELECT count(*) FROM person_email WHERE person_id = 3')"

# --db beats KITH_DB, which beats ./kith.db
ok   "--db creates elsewhere" k --db other.db init
has  "--db is used" "people               0" k --db other.db stats
(unset KITH_DB; k init >/dev/null 2>&1)
[ -f kith.db ]; _report $? "default is ./kith.db"
has  "global option after the command" "Zoë" k show zoe --db "$KITH_DB"
