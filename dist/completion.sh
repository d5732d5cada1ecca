#!/bin/sh
# Shell completion for kith, written from the binary's own help so that it
# cannot drift from the commands and options:
#   dist/completion.sh KITH bash >kith.bash
#   dist/completion.sh KITH zsh  >_kith
# The commands are the table of `kith --help`; each command's options,
# their values and its literal words (`member add`, `export json`) come
# from `kith CMD --help`: every --option, with a value when an upper-case
# word follows it once ("--out FILE"); the lower-case words of the usage
# lines, and of lines "  word   description" (formats).  An option whose
# value is FILE or PATH completes files, DIR directories; a command whose
# usage takes FILE completes files as arguments.
set -eu
kith=$1
shell=$2
case $shell in bash|zsh) ;; *) echo "usage: $0 KITH bash|zsh" >&2; exit 2 ;; esac

# scan CMD: one help text on stdin to table lines on stdout:
#   CMD opt NAME ARG DESC | CMD word W | CMD files 1   (tab-separated)
scan() {
	awk -v cmd="$1" '
	function seen(k) { if (k in had) return 1; had[k] = 1; return 0 }
	BEGIN { FS = "\n"; OFS = "\t" }
	/^usage: kith/ { inusage = 1 }
	!/^usage: kith/ && !/^ +kith / { inusage = 0 }
	{
		line = $0; s = line
		# the description of the options a line starts with
		desc = ""
		if (line ~ /^ +--/ && match(line, /[^ ]  +[^ ]/))
			desc = substr(line, RSTART + 1); sub(/^ +/, "", desc)
		while (match(s, /--[a-z][a-z0-9-]*/)) {
			o = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
			if (!(o in arg)) { arg[o] = ""; order[++n] = o }
			if (s ~ /^[ =]\[?[A-Z]/) {
				match(s, /[A-Z][A-Z:_]*/)
				if (arg[o] == "") arg[o] = substr(s, RSTART, RLENGTH)
			}
			if (desc != "" && !(o in help)) help[o] = desc
		}
		if (cmd == "") next
		if (inusage) {
			u = line; sub(/^(usage:)? *kith +[a-z]+/, "", u)
			nt = split(u, t, /[][ \t|(){}]+/)
			for (i = 1; i <= nt; i++) {
				if (t[i] ~ /^[a-z][a-z-]*$/ && t[i] != "options" && t[i] != "filters" && !seen("w" t[i]))
					print cmd, "word", t[i]
				if (t[i] ~ /^FILE/ && (i == 1 || t[i - 1] !~ /^--/))
					files = 1
			}
		} else if (line ~ /^  [a-z][a-z0-9-]*  +[^ ]/) {
			w = line; sub(/^  /, "", w); sub(/ .*/, "", w)
			if (!seen("w" w)) print cmd, "word", w
		}
	}
	END {
		for (i = 1; i <= n; i++) {
			o = order[i]
			if (o == "--help") continue
			print cmd, "opt", o, arg[o], help[o]
		}
		print cmd, "opt", "--help", "", "show this help"
		if (files) print cmd, "files", 1
	}'
}

table=$(mktemp "${TMPDIR:-/tmp}/kith-comp-XXXXXX")
trap 'rm -f "$table"' EXIT
help=$("$kith" --help)
printf '%s\n' "$help" | scan "" >"$table"
printf '%s\n' "$help" | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF' |
while read -r name summary; do
	printf '\t%s\t%s\t%s\n' cmd "$name" "$summary" >>"$table"
	"$kith" "$name" --help | scan "$name" >>"$table"
done

awk -v shell="$shell" '
BEGIN { FS = "\t" }
$2 == "cmd" { cmds[++nc] = $3; summary[$3] = $4; next }
$2 == "opt" {
	c = $1
	if (c == "") gopt[$3] = 1
	else if ($3 in gopt) next
	opts[c] = opts[c] " " $3
	if ($4 != "") { valued[c] = valued[c] " " $3 }
	if ($4 ~ /^(FILE|PATH)/) fileopt[$3] = 1
	if ($4 ~ /^DIR/) diropt[$3] = 1
	spec[c, $3] = $4; desc[c, $3] = $5; nopt[c]++; optname[c, nopt[c]] = $3
	next
}
$2 == "word" { words[$1] = words[$1] " " $3; next }
$2 == "files" { files[$1] = 1; next }
function trim(s) { sub(/^ /, "", s); return s }
function zq(s) { gsub(/[][\\]/, "", s); gsub(/'\''/, "", s); gsub(/:/, "\\:", s); return s }
function sq(s) { gsub(/'\''/, "'\''\\'\'''\''", s); return s }
function zopts(c, ind,    i, o, line, out) {
	out = ""
	for (i = 1; i <= nopt[c]; i++) {
		o = optname[c, i]
		line = "'\''" o "[" zq(desc[c, o]) "]"
		if (spec[c, o] != "")
			line = line ":" tolower(zq(spec[c, o])) ":" (fileopt[o] ? "_files" : diropt[o] ? "_files -/" : " ")
		out = out ind line "'\'' \\\n"
	}
	return out
}
END {
	if (shell == "bash") bash(); else zsh()
}
function bash(    i, c, fo, dop, o) {
	for (o in fileopt) fo = fo " " o
	for (o in diropt) dop = dop " " o
	print "# bash completion for kith, generated from kith --help by dist/completion.sh."
	print "_kith()"
	print "{"
	print "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= nargs=0 i w"
	print "\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}"
	print "\tlocal gvalued=\"" trim(valued[""]) "\""
	print "\t# the command is the first word that is not an option or its value"
	print "\tfor ((i = 1; i < COMP_CWORD; i++)); do"
	print "\t\tw=${COMP_WORDS[i]}"
	print "\t\tcase \" $gvalued \" in *\" $w \"*) ((i++)); continue ;; esac"
	print "\t\tcase $w in -*) ;; *) if [ -z \"$cmd\" ]; then cmd=$w; else ((nargs++)); fi ;; esac"
	print "\tdone"
	print "\tlocal opts=\"" trim(opts[""]) "\" valued=$gvalued words= files=0"
	print "\tcase $cmd in"
	printf "\t\"\") words=\""
	for (i = 1; i <= nc; i++) printf "%s%s", (i > 1 ? " " : ""), cmds[i]
	print "\" ;;"
	for (i = 1; i <= nc; i++) {
		c = cmds[i]
		print "\t" c ")"
		print "\t\topts=\"$opts" opts[c] "\""
		if (valued[c] != "") print "\t\tvalued=\"$valued" valued[c] "\""
		if (words[c] != "") print "\t\twords=\"" trim(words[c]) "\""
		if (files[c]) print "\t\tfiles=1"
		print "\t\t;;"
	}
	print "\t*) return 0 ;;"
	print "\tesac"
	print "\tCOMPREPLY=()"
	print "\tcase \" $valued \" in"
	print "\t*\" $prev \"*)"
	print "\t\tcase \" " trim(fo) " \" in *\" $prev \"*) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")) ;; esac"
	print "\t\tcase \" " trim(dop) " \" in *\" $prev \"*) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")) ;; esac"
	print "\t\treturn 0 ;;"
	print "\tesac"
	print "\tif [[ $cur == -* ]]; then"
	print "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))"
	print "\t\treturn 0"
	print "\tfi"
	print "\t[ -z \"$cmd\" ] || [ \"$nargs\" -eq 0 ] && COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))"
	print "\tif [ \"$files\" = 1 ]; then"
	print "\t\tcompopt -o filenames 2>/dev/null"
	print "\t\tCOMPREPLY+=($(compgen -f -- \"$cur\"))"
	print "\tfi"
	print "\treturn 0"
	print "}"
	print "complete -F _kith kith"
}
function zsh(    i, c) {
	print "#compdef kith"
	print "# zsh completion for kith, generated from kith --help by dist/completion.sh."
	print "_kith() {"
	print "\tlocal curcontext=$curcontext state line ret=1"
	print "\tlocal -a globals commands"
	print "\tglobals=("
	printf "%s", zopts("", "\t\t")
	print "\t)"
	print "\t_arguments -C $globals '\''1:command:->command'\'' '\''*::argument:->argument'\'' && ret=0"
	print "\tcase $state in"
	print "\tcommand)"
	print "\t\tcommands=("
	for (i = 1; i <= nc; i++)
		print "\t\t\t'\''" cmds[i] ":" sq(summary[cmds[i]]) "'\''"
	print "\t\t)"
	print "\t\t_describe -t commands '\''kith command'\'' commands && ret=0 ;;"
	print "\targument)"
	print "\t\tcurcontext=${curcontext%:*:*}:kith-$words[1]:"
	print "\t\tcase $words[1] in"
	for (i = 1; i <= nc; i++) {
		c = cmds[i]
		print "\t\t" c ")"
		print "\t\t\t_arguments $globals \\"
		printf "%s", zopts(c, "\t\t\t\t")
		if (words[c] != "")
			print "\t\t\t\t'\''1:argument:(" trim(words[c]) ")'\'' \\"
		print "\t\t\t\t'\''*:argument:" (files[c] ? "_files" : " ") "'\'' && ret=0 ;;"
	}
	print "\t\tesac ;;"
	print "\tesac"
	print "\treturn ret"
	print "}"
	print "_kith \"$@\""
}' "$table"
