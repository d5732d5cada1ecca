# The network subcommands: path, intro, near, mutual, degree, reach.
. "$(dirname "$0")/lib.sh"

# Alex - Zoë - Ana - Bo, Alex - Di - Ana (no trust: 0.5), a weak shortcut
# Alex - Cy - Bo, and Lone.
k init --me "Alex Morgan" >/dev/null
k add person "Zoë Martin" --email zoe@example.com --tag rust --city Lyon --org Acme >/dev/null
k add person "Ana Silva" --email ana@example.com --city Porto >/dev/null
k add person "Bo Lind" --email bo@example.com >/dev/null
k add person "Cy Okafor" --email cy@example.com --tag rust >/dev/null
k add person "Lone Wolf" >/dev/null
k add person "Di Rossi" >/dev/null
k link me zoe --trust 0.9 >/dev/null
k link zoe ana --kind friend --trust 0.9 >/dev/null
k link zoe ana --kind colleague --trust 0.2 >/dev/null
k link ana bo --trust 0.9 >/dev/null
k link me cy --trust 0.1 >/dev/null
k link cy bo --trust 0.1 >/dev/null
k link me di >/dev/null
k link di ana >/dev/null

has "path" "Alex Morgan → Zoë Martin → Ana Silva  (2 degrees)" k path me ana
has "path self" "(0 degrees)" k path ana ana
has "path unconnected" "not connected" k path me lone
has "path --all" "2 shortest paths of 2 degrees" k path me ana --all
has "path --all --max" "showing 1" k path me ana --all --max 1
same "path json degrees" "2" "$(k --json path me ana | "$JSONQ" degrees)"
same "path json person" "Zoë Martin" "$(k --json path me ana | "$JSONQ" people.1.name)"
same "path json unconnected" "null" "$(k --json path me lone | "$JSONQ" degrees)"
same "path --all json total" "2" "$(k --json path me ana --all | "$JSONQ" total)"

# The strongest chain is the longer one through Zoë and Ana (0.729), then
# through Di (0.225), then the short one through Cy (0.01).
# Scored strengths with no interactions: 1 - (1 - trust/2) * 0.9, so trust
# 0.9 gives 0.505, trust 0.1 gives 0.145, no trust 0.1 (docs/score.md).
has "intro best" "Alex Morgan → Zoë Martin → Ana Silva → Bo Lind  (strength 0.129" k intro bo
has "intro alternative 1" "1. Alex Morgan → Cy Okafor → Bo Lind" k intro bo
has "intro alternative 2" "2. Alex Morgan → Di Rossi → Ana Silva → Bo Lind  (strength 0.005" k intro bo
has "intro hops" "Alex Morgan → Cy Okafor → Bo Lind  (strength 0.021" k intro bo --hops 2
has "intro from" "Zoë Martin → Ana Silva → Bo Lind" k intro bo --from zoe --alts 0
has "intro none" "No chain of at most 4 links" k intro lone
same "intro json" "Zoë Martin" "$(k --json intro bo | "$JSONQ" paths.0.people.1.name)"
same "intro json alts" "3" "$(k --json intro bo | "$JSONQ" -l paths)"

has "near" "Zoë Martin (#2), Lyon" k near me --within 1
has "near tag" "Cy Okafor" k near me --within 3 --tag rust
same "near tag json" "2" "$(k --json near me --within 3 --tag rust | "$JSONQ" -l people)"
same "near works-at" "Zoë Martin" "$(k --json near bo --within 3 --works-at Acme | "$JSONQ" people.0.name)"
same "near city" "Ana Silva" "$(k --json near me --city porto | "$JSONQ" people.0.name)"
same "near limit" "1" "$(k --json near me --within 3 --limit 1 | "$JSONQ" -l people)"
has "near nobody" "Nobody within 2 links" k near lone

has "mutual" "Zoë Martin (#2)" k mutual me ana
has "mutual none" "no contact in common" k mutual me lone
fails "mutual with oneself is refused, as strength is" 1 "are the same person: give two different people" \
      k mutual ana ana
same "mutual json" "Zoë Martin" "$(k --json mutual me ana | "$JSONQ" mutual.0.name)"

has "degree" "reachable 5, not connected 1" k degree me
same "degree json" "3" "$(k --json degree me | "$JSONQ" by_distance.0.people)"
has "reach" "5 people within 2 links of Alex Morgan" k reach me
has "reach count" "3 people within 1 link of Ana Silva" k reach ana --within 1 --count
has "reach alone" "0 people within 2 links of Lone Wolf" k reach lone
same "reach json" "Ana Silva" "$(k --json reach me | "$JSONQ" people.3.name)"

# A change is seen by the next command.
# Vouches strengthen links: with two, the chain through Di (0.325 * 0.325
# * 0.505 = 0.053) overtakes the one through Cy (0.021).
k vouch me for di >/dev/null
k vouch di for ana >/dev/null
has "intro vouched chain ranks higher" "1. Alex Morgan → Di Rossi → Ana Silva → Bo Lind  (strength 0.053" k intro bo
k vouch --rm me for di >/dev/null
k vouch --rm di for ana >/dev/null
k unlink zoe ana >/dev/null
k unlink di ana >/dev/null
has "fresh after unlink" "Alex Morgan → Cy Okafor → Bo Lind → Ana Silva  (3 degrees)" k path me ana

fails "path one arg" 2 "give the two people" k path me
fails "intro bad hops" 2 "--hops" k intro bo --hops 13
fails "near bad within" 2 "--within" k near me --within 0
fails "near unknown org" 1 "" k near me --works-at "No Such Org"
fails "path unknown person" 1 "" k path me nobody-here
for cmd in path intro near mutual degree reach; do
	has "$cmd --help" "usage: kith $cmd" k "$cmd" --help
done
