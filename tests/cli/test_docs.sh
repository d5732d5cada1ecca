# The man pages (docs/man/*.scd) and the shell completion cover every
# command of `kith --help` and every option and literal word of each
# `kith CMD --help`, so that neither can drift from the binary: a command
# added to the table without its page kith-CMD.1.scd fails here, as does
# an option missing from its page.  The completion is the one
# dist/completion.sh writes from the binary (as `make install` does);
# bash's is run for every command, zsh's is parsed and read.
. "$(dirname "$0")/lib.sh"

MAN=$T_TOP/docs/man
GEN=$T_TOP/dist/completion.sh

# helps KITH DIR: DIR/top is `KITH --help`, DIR/commands its commands and
# DIR/CMD each `KITH CMD --help`
helps() {
	mkdir -p "$2"
	"$1" --help >"$2/top"
	sed -n '/^Commands:/,/^$/p' "$2/top" | awk 'NR > 1 && NF {print $1}' >"$2/commands"
	while read -r c; do "$1" "$c" --help >"$2/$c"; done <"$2/commands"
}

# items HELP: what a help names, one per line: every --option (but --help)
# and, for a command's help, the literal lower-case words of its usage
# lines (`member add`, `list tags`) and of lines "  word   description"
# (the formats of import and export)
items() {
	awk -v top="${2-}" '
		/^usage: kith / { u = 1 } !/^usage: kith / && !/^ +kith / { u = 0 }
		{ s = $0; while (match(s, /--[a-z][a-z0-9-]*/)) {
			o = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
			if (o != "--help" && !seen[o]++) print o } }
		top != "" { next }
		u { s = $0; sub(/^(usage:)? *kith +[a-z]+/, "", s); n = split(s, t, /[][ \t|(){}]+/)
		    for (i = 1; i <= n; i++)
			if (t[i] ~ /^[a-z][a-z-]*$/ && t[i] != "options" && t[i] != "filters" && !seen[t[i]]++) print t[i] }
		!u && /^  [a-z][a-z0-9-]*  +[^ ]/ && !seen[$1]++ { print $1 }' "$1"
}

# absent FORM FILE: the lines of stdin that FILE lacks, each in FORM
# ("*%s*" for a page, where options and words are bold; "%s" for lines)
absent() {
	awk -v form="$1" -v file="$2" '
		BEGIN { while ((getline l <file) > 0) text = text "\n" l "\n" }
		{ x = sprintf(form, $0); if (index(text, x) == 0) printf " %s", $0 }'
}

# pages_missing DIR: for each command (then kith.1), "name: what it lacks"
pages_missing() {
	while read -r c; do
		f=$MAN/kith-$c.1.scd
		if [ ! -f "$f" ]; then echo "kith-$c: no page docs/man/kith-$c.1.scd"; continue; fi
		m=$(items "$1/$c" | absent '*%s*' "$f")
		head -1 "$f" | grep -qx "kith-$c(1)" || m="$m (first line is not kith-$c(1))"
		[ -z "$m" ] || echo "kith-$c:$m"
	done <"$1/commands"
	m=$({ items "$1/top" top; cat "$1/commands"; sed 's/.*/kith-&*(1)/' "$1/commands"; } |
		sed 's/^\([^*]*\)$/&*/' | absent '*%s' "$MAN/kith.1.scd")
	[ -z "$m" ] || echo "kith:$m"
}

# report NAME MISSING: ok when MISSING is empty, else names what is missing
report() {
	T_N=$((T_N + 1))
	if [ -z "$2" ]; then echo "ok $T_N - $1"; else
		echo "not ok $T_N - $1"; echo "#   missing: $2" | head -c 2000; echo; fi
}
# line_of NAME LINES: the line of LINES starting "NAME:", without it
line_of() { printf '%s\n' "$2" | sed -n "s/^$1://p"; }

helps "$KITH" "$T_DIR/help"
cmds=$(cat "$T_DIR/help/commands")
[ -n "$cmds" ]; _report $? "kith --help lists commands"

missing=$(pages_missing "$T_DIR/help")
report "kith(1) names every command and global option" "$(line_of kith "$missing")"
for c in $cmds; do
	report "kith-$c(1) has every option and word of 'kith $c --help'" "$(line_of "kith-$c" "$missing")"
done

stale=""
for f in "$MAN"/kith-*.1.scd; do
	c=${f##*/kith-}; c=${c%.1.scd}
	echo "$cmds" | grep -qx -- "$c" || stale="$stale $c"
done
report "every page is of a command kith has" "$stale"

if command -v scdoc >/dev/null; then
	bad=""
	for f in "$MAN"/*.scd; do
		scdoc <"$f" >"$T_DIR/page" 2>"$T_DIR/scdoc.err" && grep -q '^\.SH NAME' "$T_DIR/page" ||
			bad="$bad ${f##*/}: $(head -1 "$T_DIR/scdoc.err")"
	done
	report "scdoc renders every page" "$bad"
else
	echo "ok $((T_N += 1)) - # SKIP scdoc renders every page: scdoc is not installed (sh scripts/deps.sh)"
fi

# --- completion -------------------------------------------------------------
# The writer reads the same helps, through a stand-in that prints them.
H=$T_DIR/kith-help
cat >"$H" <<EOF
#!/bin/sh
case "\$#:\$1:\${2-}" in
"1:--help:") exec cat "$T_DIR/help/top" ;;
2:*:--help) [ -f "$T_DIR/help/\$1" ] && exec cat "$T_DIR/help/\$1" ;;
esac
exec "$KITH" "\$@"
EOF
chmod +x "$H"
sh "$GEN" "$H" bash >"$T_DIR/kith.bash" 2>"$ERR" && [ -s "$T_DIR/kith.bash" ]
_report $? "dist/completion.sh writes the bash completion"
sh "$GEN" "$H" zsh >"$T_DIR/_kith" 2>"$ERR" && [ -s "$T_DIR/_kith" ]
_report $? "dist/completion.sh writes the zsh completion"
bash -n "$T_DIR/kith.bash" 2>"$ERR"; _report $? "bash parses the bash completion"

# One bash answers every question: "@@ KEY", then what it offers for
# `kith WORDS...` (the last word being the one completed).
ask() { k1=$1; shift; printf 'echo "@@ %s"; q' "$k1"; printf " '%s'" "$@"; echo; }
{
	ask top kith ''
	ask globals kith --
	for c in $cmds; do
		ask "opt-$c" kith "$c" --
		ask "word-$c" kith --db x.db "$c" ''
	done
	ask web kith serve --web ''
} >"$T_DIR/asks"
mkdir "$T_DIR/d1"
bash -c '. "$1"; q() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _kith
	[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"; }; . "$2"' \
	sh "$T_DIR/kith.bash" "$T_DIR/asks" >"$T_DIR/answers" 2>"$ERR"
_report $? "bash runs the completion"
answer() { awk -v k="@@ $1" '$0 == k { on = 1; next } /^@@ / { on = 0 } on' "$T_DIR/answers" >"$T_DIR/answer"; }

answer top
report "bash: 'kith <TAB>' offers every command" "$(absent '\n%s\n' "$T_DIR/answer" <"$T_DIR/help/commands")"
answer globals
report "bash: 'kith --<TAB>' offers every global option" "$(items "$T_DIR/help/top" top | absent '\n%s\n' "$T_DIR/answer")"
for c in $cmds; do
	answer "opt-$c"; cp "$T_DIR/answer" "$T_DIR/answer1"
	answer "word-$c"; cat "$T_DIR/answer1" >>"$T_DIR/answer"
	report "bash: 'kith $c' completes every option and word" "$(items "$T_DIR/help/$c" | absent '\n%s\n' "$T_DIR/answer")"
done
answer web
grep -qx 'd1' "$T_DIR/answer"; _report $? "bash: 'kith serve --web <TAB>' offers directories"

if command -v zsh >/dev/null; then
	zsh -n "$T_DIR/_kith" 2>"$ERR"; _report $? "zsh parses the zsh completion"
	head -1 "$T_DIR/_kith" | grep -qx '#compdef kith'; _report $? "zsh: the file is a #compdef kith function"
	# each command is described, and its case (or the globals) holds its
	# options as specs '--opt[...]' and its words as '1:argument:(...)'
	zglobals=$(awk '/^\tglobals=\(/, /^\t\)/' "$T_DIR/_kith")
	miss=""
	for c in $cmds; do
		grep -q "^[[:space:]]*'$c:" "$T_DIR/_kith" || miss="$miss $c"
		block=$(awk -v c="$c" '$0 == "\t\t" c ")" { on = 1; next } on { print } on && /;;/ { exit }' "$T_DIR/_kith")
		printf '%s\n%s\n' "$block" "$zglobals" | grep -o "'--[a-z0-9-]*\[" | tr -d "'[" >"$T_DIR/ztokens"
		printf '%s\n' "$block" | sed -n "s/.*'1:argument:(\(.*\))'.*/\1/p" | tr ' ' '\n' >>"$T_DIR/ztokens"
		m=$(items "$T_DIR/help/$c" | absent '\n%s\n' "$T_DIR/ztokens")
		[ -z "$m" ] || miss="$miss $c:$m"
	done
	report "zsh: every command, its options and words" "$miss"
else
	echo "ok $((T_N += 1)) - # SKIP zsh parses the zsh completion: zsh is not installed (sh scripts/deps.sh)"
fi

# --- the checks themselves fail on drift ---------------------------------
# A kith with one more command (without a page) and one more option of
# serve (in no page): the checks above must name both, and the
# completion must follow them.
cat >"$T_DIR/kith-more" <<EOF
#!/bin/sh
case "\$*" in
--help) "$H" --help | sed 's/^  member .*/&\n  frobnicate make things up/' ;;
"serve --help") "$H" serve --help; echo "  --frobnicate   make things up" ;;
"frobnicate --help") echo "usage: kith frobnicate [--hard]" ;;
*) exec "$H" "\$@" ;;
esac
EOF
chmod +x "$T_DIR/kith-more"
helps "$T_DIR/kith-more" "$T_DIR/more"
m=$(pages_missing "$T_DIR/more")
line_of kith-frobnicate "$m" | grep -q "no page" && line_of kith-serve "$m" | grep -qx ' --frobnicate' &&
	line_of kith "$m" | grep -q "frobnicate"
_report $? "a command without a page and an option missing from a page are caught"
sh "$GEN" "$T_DIR/kith-more" bash >"$T_DIR/more.bash" 2>"$ERR" &&
	grep -q 'frobnicate)' "$T_DIR/more.bash" && grep -q -- '--hard' "$T_DIR/more.bash" &&
	grep -q -- '--frobnicate' "$T_DIR/more.bash"
_report $? "the completion follows a new command and its options"
