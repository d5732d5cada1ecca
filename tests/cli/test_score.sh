# Relationship intelligence from the command line, at a fixed now.
. "$(dirname "$0")/lib.sh"
export KITH_NOW=2026-11-23T12:00:00Z

k init --me "Alex Morgan" >/dev/null
for p in "Ana Silva" "Bo Chen" "Cy Diaz" "Di Evans"; do k add person "$p" >/dev/null; done
k link me ana --kind friend --trust 0.8 >/dev/null
k link me bo >/dev/null
k log meeting ana --at 2026-11-20 >/dev/null
k log call ana --at 2026-10-01 >/dev/null
k log email bo --at 2026-11-22 --received >/dev/null
k log favour ana --given --value 3 --at 2026-11-01 >/dev/null
k log favour bo --received --value 1 --at 2026-11-02 >/dev/null
k tag ana rust climate >/dev/null
k tag cy rust climate chess >/dev/null
k tag di music >/dev/null

has  "strength of a pair" "Alex Morgan (#1) and Ana Silva (#2): strength 0.57" k strength ana
has  "strength shows trust" "trust         0.80" k strength ana
same "strength json" "true" "$(k --json strength me bo | "$JSONQ" linked)"
same "strength json interactions" "3" "$(k --json strength ana | "$JSONQ" interactions)"
same "email counted" "2" "$(k --json strength bo | "$JSONQ" interactions)"
k log meeting cy --at 2026-11-21 >/dev/null
has  "orbits" "inner      3:" k orbits
same "orbits json" "Ana Silva is first" "$( [ "$(k --json orbits | "$JSONQ" members.0.person)" = 2 ] && echo "Ana Silva is first")"
has  "orbits since" "Cy Diaz (#4) *new" k orbits --since 2026-10-15
has  "due: nobody yet" "nobody is due" k due
k log call "di evans" --at 2026-06-01 >/dev/null
has  "due lists overdue" "Di Evans (#5) .*175 days (every 14)" k due --limit 0
has  "balance" "Ana Silva (#2)" k balance
has  "balance net" "+3.0  Ana Silva" k balance
has  "balance totals" "given 3.0, received 1.0, net +2.0; 1 owe me, I owe 1" k balance
has  "balance ledger" "net +3.0: they owe me" k balance ana
has  "vouch" "Ana Silva (#2) vouches for Cy Diaz (#4)" k vouch ana for cy --note "great engineer"
fails "vouch twice" 1 "already vouched" k vouch ana for cy
fails "vouch oneself" 1 "nobody can vouch for themselves" k vouch ana for ana
fails "vouch grammar" 2 "kith vouch A for B" k vouch ana cy
has  "vouch list" "great engineer" k vouch --list
has  "vouch rm" "Removed" k vouch --rm ana for cy
has  "cadence show" "inner   every 14 days" k cadence
has  "cadence person" "every 7 days" k cadence bo 7
has  "cadence orbit" "every 21 days" k cadence --orbit 1 21
fails "cadence bad orbit" 2 "--orbit" k cadence --orbit 9 10
has  "like" "Cy Diaz (#4)" k like ana
has  "like shared tags" "climate, rust" k like ana
has  "like within reach" "nobody shares a tag with them within reach" k like ana --within 1
has  "recompute" "Recomputed 4 pair strengths from 7 interactions" k strength --recompute
has  "half-life" "half-life 30 days" k strength --half-life 30
has  "stats network" "Connectors (betweenness)" k stats
same "stats json orbits" "4" "$(k --json stats | "$JSONQ" network.orbits.inner)"
same "stats json reciprocity" "3.0" "$(k --json stats | "$JSONQ" network.reciprocity.given)"
