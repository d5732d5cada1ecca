# The man pages (docs/man/*.scd) and the shell completion cover every
# command of `kith --help` and every option and literal word of each
# `kith CMD --help`, so that neither can drift from the binary: a command
# added to the table without its page kith-CMD.1.scd fails here, as does
# an option missing from its page.  The completion is the one
# dist/completion.sh writes from this binary (as `make install` does);
# bash's is run for every command, zsh's is parsed.
. "$(dirname "$0")/lib.sh"

MAN=$T_TOP/docs/man
GEN=$T_TOP/dist/completion.sh

# commands KITH: the commands `KITH --help` lists
commands() { "$1" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}'; }

# options KITH [CMD]: every --option its help names (but --help itself)
options() {
	k1=$1; shift
	"$k1" "$@" --help | grep -o -- '--[a-z][a-z0-9-]*' | grep -vx -- --help | sort -u
}

# words KITH CMD: the literal lower-case words of its usage lines
# (`member add`, `list tags`) and of lines "  word   description" (formats)
words() {
	"$1" "$2" --help | awk -v cmd="$2" '
		/^usage: kith / { u = 1 } !/^usage: kith / && !/^ +kith / { u = 0 }
		u { s = $0; sub(/^(usage:)? *kith +[a-z]+/, "", s); n = split(s, t, /[][ \t|(){}]+/)
		    for (i = 1; i <= n; i++) if (t[i] ~ /^[a-z][a-z-]*$/ && t[i] != "options" && t[i] != "filters") print t[i] }
		!u && /^  [a-z][a-z0-9-]*  +[^ ]/ { print $1 }' | sort -u
}

# page_missing KITH CMD: what page kith-CMD.1.scd lacks, one per line
# (options and words are set in bold there: *--listen*, *add*)
page_missing() {
	f=$MAN/kith-$2.1.scd
	[ -f "$f" ] || { echo "no page docs/man/kith-$2.1.scd"; return; }
	grep -q "^kith-$2(1)\$" "$f" || echo "first line is not kith-$2(1)"
	for o in $(options "$1" "$2"); do grep -qF -- "*$o*" "$f" || echo "$o"; done
	for w in $(words "$1" "$2"); do grep -qF -- "*$w*" "$f" || echo "$w"; done
}

# main_missing KITH: what kith.1.scd lacks (commands, global options)
main_missing() {
	f=$MAN/kith.1.scd
	for c in $(commands "$1"); do
		grep -qF -- "*$c*" "$f" || echo "command $c"
		grep -qF -- "*kith-$c*(1)" "$f" || echo "reference kith-$c(1)"
	done
	for o in $(options "$1"); do grep -qF -- "*$o*" "$f" || echo "$o"; done
}

# complete WORDS...: what the bash completion offers for the last word
complete_bash() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_kith; printf "%s\n" "${COMPREPLY[@]}"' sh "$T_DIR/kith.bash" "$@"
}

# report NAME MISSING: ok when MISSING is empty, else names what is missing
report() {
	T_N=$((T_N + 1))
	if [ -z "$2" ]; then echo "ok $T_N - $1"; else
		echo "not ok $T_N - $1"; echo "#   missing:" $2; fi
}

cmds=$(commands "$KITH")
[ -n "$cmds" ]; _report $? "kith --help lists commands"

report "kith(1) names every command and global option" "$(main_missing "$KITH")"
for c in $cmds; do
	report "kith-$c(1) has every option and word of 'kith $c --help'" "$(page_missing "$KITH" "$c")"
done

# no page for a command that is not there (a renamed or removed one)
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
sh "$GEN" "$KITH" bash >"$T_DIR/kith.bash" 2>"$ERR" && [ -s "$T_DIR/kith.bash" ]
_report $? "dist/completion.sh writes the bash completion"
sh "$GEN" "$KITH" zsh >"$T_DIR/_kith" 2>"$ERR" && [ -s "$T_DIR/_kith" ]
_report $? "dist/completion.sh writes the zsh completion"

bash -n "$T_DIR/kith.bash" 2>"$ERR"; _report $? "bash parses the bash completion"
got=$(complete_bash kith '')
miss=""; for c in $cmds; do echo "$got" | grep -qx -- "$c" || miss="$miss $c"; done
report "bash: 'kith <TAB>' offers every command" "$miss"
got=$(complete_bash kith --)
miss=""; for o in $(options "$KITH"); do echo "$got" | grep -qx -- "$o" || miss="$miss $o"; done
report "bash: 'kith --<TAB>' offers every global option" "$miss"
for c in $cmds; do
	got=$(complete_bash kith "$c" --)
	miss=""; for o in $(options "$KITH" "$c"); do echo "$got" | grep -qx -- "$o" || miss="$miss $o"; done
	w=$(words "$KITH" "$c")
	if [ -n "$w" ]; then
		got=$(complete_bash kith --db x.db "$c" '')
		for o in $w; do echo "$got" | grep -qx -- "$o" || miss="$miss $o"; done
	fi
	report "bash: 'kith $c' completes every option and word" "$miss"
done
got=$(complete_bash kith serve --web '')
[ -z "$got" ] || [ -d "$(echo "$got" | head -1)" ]
_report $? "bash: 'kith serve --web <TAB>' offers directories"

if command -v zsh >/dev/null; then
	zsh -n "$T_DIR/_kith" 2>"$ERR"; _report $? "zsh parses the zsh completion"
	head -1 "$T_DIR/_kith" | grep -qx '#compdef kith'; _report $? "zsh: the file is a #compdef kith function"
	# each command is described, and its case (or the globals) has its options
	globals=$(awk '/^\tglobals=\(/,/^\t\)/' "$T_DIR/_kith")
	miss=""
	for c in $cmds; do
		grep -q "^[[:space:]]*'$c:" "$T_DIR/_kith" || miss="$miss $c"
		block=$(awk -v c="$c" '$0 == "\t\t" c ")" { on = 1; next } on { print } on && /;;/ { exit }' "$T_DIR/_kith")
		for o in $(options "$KITH" "$c"); do
			printf '%s\n%s\n' "$block" "$globals" | grep -qF -- "'$o[" || miss="$miss $c:$o"
		done
	done
	report "zsh: every command and its options" "$miss"
else
	echo "ok $((T_N += 1)) - # SKIP zsh parses the zsh completion: zsh is not installed (sh scripts/deps.sh)"
fi

# --- the check itself fails on drift --------------------------------------
# A kith that has one more command (without a page) and one more option
# of serve (in no page): the checks above must name both.
cat >"$T_DIR/kith-more" <<EOF
#!/bin/sh
case "\$*" in
--help) "$KITH" --help | sed 's/^  member .*/&\n  frobnicate make things up/' ;;
"serve --help") "$KITH" serve --help; echo "  --frobnicate   make things up" ;;
"frobnicate --help") echo "usage: kith frobnicate [--hard]" ;;
*) exec "$KITH" "\$@" ;;
esac
EOF
chmod +x "$T_DIR/kith-more"
m=$(main_missing "$T_DIR/kith-more"; page_missing "$T_DIR/kith-more" frobnicate; page_missing "$T_DIR/kith-more" serve)
echo "$m" | grep -q "command frobnicate" && echo "$m" | grep -q "no page docs/man/kith-frobnicate.1.scd" &&
	echo "$m" | grep -qx -- "--frobnicate"
_report $? "a command without a page and an option missing from a page are caught"
sh "$GEN" "$T_DIR/kith-more" bash >"$T_DIR/more.bash" 2>"$ERR" &&
	grep -q 'frobnicate)' "$T_DIR/more.bash" && grep -q -- '--hard' "$T_DIR/more.bash"
_report $? "the completion follows a new command and its options"
