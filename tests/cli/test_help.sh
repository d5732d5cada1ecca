# Every command answers --help with its usage, on stdout, exit 0.
. "$(dirname "$0")/lib.sh"

has "kith --help" "Commands:" k --help
has "kith help" "Commands:" k help
has "kith --version" "kith " k --version
fails "no command" 2 "usage: kith" k
for cmd in $(k --help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
	has "$cmd --help" "usage: kith $cmd" k "$cmd" --help
	has "help $cmd" "usage: kith $cmd" k help "$cmd"
done
