#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Keeps the man page socktap(8) and the bash completion in step with the
# CLI and the module.
#
#   tests/man-check.sh [MODULE.ko]
#
# Compares userspace/socktap.8 with what the built CLI prints (socktap -h,
# socktap COMMAND -h), with the debugfs files module/debugfs.c creates and
# with the module parameters: modinfo of MODULE.ko when given, else the
# module_param()s of module/*.c.  Checks that the page formats without
# warnings, and that the bash completion offers every command, option,
# watch type and histogram name -h lists.  One "PASS name" / "FAIL name: why" line per check, like
# tests/run.sh; exit status 1 when anything failed.
#
# Environment: SOCKTAP (the CLI, default userspace/socktap), MAN_PAGE
# (default userspace/socktap.8).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLI=${SOCKTAP:-$ROOT/userspace/socktap}
PAGE=${MAN_PAGE:-$ROOT/userspace/socktap.8}
KO=${1:-}
failed=0

pass() { echo "PASS host/man/$1"; }
fail() { echo "FAIL host/man/$1: $2"; failed=1; }

if [ ! -x "$CLI" ]; then
	fail cli "$CLI not built (make cli)"
	exit 1
fi
if [ ! -r "$PAGE" ]; then
	fail page "$PAGE missing"
	exit 1
fi

# The page as text to search: comments dropped, escapes of the man(7)
# source undone (\- is -, font changes go), macro names and quotes gone.
plain() {
	sed -e '/^\.\\"/d' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\-/-/g' \
		-e 's/\\(aq/'"'"'/g' -e 's/\\(dq/"/g' -e 's/\\e/\\/g' -e 's/\\&//g' \
		-e 's/\\c$//' -e 's/\\~/ /g' -e 's/^\.[A-Za-z]*[[:space:]]*//' -e 's/"//g'
}

# section_sh NAME: the .SH NAME section, plain.
section_sh() {
	awk -v want="$1" '
		/^\.SH/ { t = $0; sub(/^\.SH[ \t]+/, "", t); gsub(/"/, "", t); on = (t == want); next }
		on' "$PAGE" | plain
}

# section_cmd CMD: the .SS of command CMD (".SS CMD" or ".SS socktap CMD")
# in COMMANDS, raw roff.
section_cmd_raw() {
	awk -v want="$1" '
		/^\.SH/ { t = $0; sub(/^\.SH[ \t]+/, "", t); gsub(/"/, "", t); incmds = (t == "COMMANDS"); on = 0; next }
		/^\.SS/ {
			t = $0; sub(/^\.SS[ \t]+/, "", t); gsub(/"|\\f[BIRP]/, "", t)
			sub(/^socktap[ \t]+/, "", t); split(t, w, /[ \t]+/)
			on = incmds && w[1] == want; next
		}
		on' "$PAGE"
}

# The .SS names in COMMANDS.
man_commands() {
	awk '
		/^\.SH/ { t = $0; sub(/^\.SH[ \t]+/, "", t); gsub(/"/, "", t); incmds = (t == "COMMANDS"); next }
		incmds && /^\.SS/ {
			t = $0; sub(/^\.SS[ \t]+/, "", t); gsub(/"|\\f[BIRP]/, "", t)
			sub(/^socktap[ \t]+/, "", t); split(t, w, /[ \t]+/); print w[1]
		}' "$PAGE"
}

# has_opt TEXT OPT: OPT appears in TEXT as a word of its own.
has_opt() {
	grep -qE -- "(^|[^A-Za-z0-9_-])$(printf '%s' "$2" | sed 's/[][\.*^$|+?(){}]/\\&/g')([^A-Za-z0-9_-]|\$)" <<<"$1"
}

# help_opts: the options a -h text (stdin) names: -X and --long in its
# usage lines, the option column of its option list, and --long anywhere.
help_opts() {
	awk '
		function grab(s,   r) {
			while (match(s, /(^|[^A-Za-z0-9_-])--?[A-Za-z0-9][A-Za-z0-9-]*/)) {
				r = substr(s, RSTART, RLENGTH); sub(/^[^-]/, "", r)
				# short options are one character; longer -x words
				# (like -EINPROGRESS) are text, not options
				if (r ~ /^--/ || length(r) == 2) print r
				s = substr(s, RSTART + RLENGTH)
			}
		}
		/^usage:/ { inusage = 1 }
		inusage && /^[ \t]*$/ { inusage = 0 }
		inusage { line = $0; sub(/^usage:[ \t]*/, "", line); grab(line); next }
		# option list: "  -n COUNT   text", "  -4, -6   text", "  -k, --kernel  text"
		/^[ \t]+-/ {
			line = $0; sub(/^[ \t]+/, "", line)
			if (match(line, /^--?[A-Za-z0-9][A-Za-z0-9-]*(, *--?[A-Za-z0-9][A-Za-z0-9-]*)*/))
				grab(substr(line, 1, RLENGTH))
		}
		{ s = $0; while (match(s, /--[a-z][a-z0-9-]+/)) { print substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH) } }
	' | sort -u
}

# 1. The page formats without warnings (groff, and man-db as lintian runs it).
out=$(LC_ALL=C.UTF-8 groff -man -ww -z -K utf8 "$PAGE" 2>&1)
if [ -z "$out" ]; then pass groff_warnings; else fail groff_warnings "$(head -3 <<<"$out" | tr '\n' ' ')"; fi
if command -v man > /dev/null; then
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$PAGE" 2>&1 > /dev/null)
	if [ -z "$out" ]; then pass man_warnings; else fail man_warnings "$(head -3 <<<"$out" | tr '\n' ' ')"; fi
fi

# 2. The version in .TH, and wherever the page names one (socktap X.Y.Z,
# /usr/src/socktap-X.Y.Z), is the one in VERSION.
v=$(cat "$ROOT/VERSION")
others=$(plain < "$PAGE" | grep -oE 'socktap[- ][0-9]+\.[0-9]+[.0-9A-Za-z~+]*' | grep -vxE "socktap[- ]${v//./\\.}" | sort -u | tr '\n' ' ')
if ! grep -qE "^\.TH .*\"socktap ${v//./\\.}\"" "$PAGE"; then
	fail version ".TH does not name \"socktap $v\""
elif [ -n "$others" ]; then
	fail version "VERSION is $v, the page says: $others"
else
	pass version
fi

# 3. Every command of socktap -h has a section, and every section is a command.
help=$("$CLI" -h 2>&1)
cmds=$(awk '/^commands:/ { on = 1; next } on && /^[ \t]*$/ { exit } on { print $1 }' <<<"$help")
[ -n "$cmds" ] || fail commands "no commands in socktap -h"
mancmds=$(man_commands)
for c in $cmds; do
	if grep -qxF "$c" <<<"$mancmds"; then pass "command_$c"; else fail "command_$c" "no '.SS $c' in COMMANDS"; fi
done
stale=$(grep -vxF -f <(echo "$cmds") <<<"$mancmds" | tr '\n' ' ')
if [ -z "$stale" ]; then pass no_stale_commands; else fail no_stale_commands "sections for commands socktap -h lacks: $stale"; fi

# The global options of socktap -h in OPTIONS.
sect=$(section_sh OPTIONS)
missing=''
for o in $(help_opts <<<"$help"); do has_opt "$sect" "$o" || missing+=" $o"; done
if [ -z "$missing" ]; then pass global_options; else fail global_options "not in OPTIONS:$missing"; fi

# 4. Every option of socktap CMD -h in that command's section, and every
# option the section tags (.TP items) in CMD -h.
for c in $cmds; do
	chelp=$("$CLI" "$c" -h 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "options_$c" "socktap $c -h exited $rc"
		continue
	fi
	raw=$(section_cmd_raw "$c")
	sect=$(plain <<<"$raw")
	opts=$(help_opts <<<"$chelp")
	missing=''
	for o in $opts; do has_opt "$sect" "$o" || missing+=" $o"; done
	tagged=$(awk 'tp { print; tp = 0; next } /^\.TP/ { tp = 1 }' <<<"$raw" | plain |
		grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed 's/^[ ,]*//' | sort -u)
	extra=''
	for o in $tagged; do grep -qxF -- "$o" <<<"$opts" || extra+=" $o"; done
	if [ -z "$missing$extra" ]; then
		pass "options_$c"
	else
		fail "options_$c" "${missing:+not in the man section:$missing}${missing:+${extra:+; }}${extra:+in the man page, not in socktap $c -h:$extra}"
	fi
done

# 5. The exit statuses of socktap -h in EXIT STATUS.
sect=$(section_sh 'EXIT STATUS')
codes=$(sed -n '/^exit status:/,/^[ \t]*$/p' <<<"$help" | grep -oE '(^|[ :,])[0-9]+ ' | grep -oE '[0-9]+')
missing=''
for n in $codes; do grep -qx "$n" <<<"$sect" || missing+=" $n"; done
if [ -n "$codes" ] && [ -z "$missing" ]; then pass exit_status; else fail exit_status "not in EXIT STATUS:${missing:- (none in socktap -h)}"; fi

# 6. Every debugfs file of module/debugfs.c in DEBUGFS FILES.
sect=$(section_sh 'DEBUGFS FILES')
files=$(grep -oE 'debugfs_create_file\("[^"]+"' "$ROOT/module/debugfs.c" | sed 's/.*("//; s/"$//')
[ -n "$files" ] || fail debugfs "no debugfs_create_file() in module/debugfs.c"
for f in $files; do
	if grep -qF "/sys/kernel/debug/socktap/$f" <<<"$sect"; then pass "debugfs_$f"; else fail "debugfs_$f" "/sys/kernel/debug/socktap/$f not in DEBUGFS FILES"; fi
done

# 7. Every module parameter in MODULE PARAMETERS.
if [ -n "$KO" ]; then
	if [ ! -f "$KO" ]; then
		fail params "$KO: no such module"
		params=''
	else
		params=$(modinfo -F parm "$KO" | sed -n 's/^\([A-Za-z0-9_]*\):.*/\1/p')
		[ -n "$params" ] || fail params "modinfo $KO lists no parameters"
	fi
else
	params=$(grep -ohE '^[[:space:]]*module_param(_named)?\([A-Za-z0-9_]+' "$ROOT"/module/*.c | sed 's/.*(//')
	[ -n "$params" ] || fail params "no module_param() in module/*.c"
fi
sect=$(section_sh 'MODULE PARAMETERS')
for p in $params; do
	if grep -qE "(^|[^A-Za-z0-9_])$p(=|[^A-Za-z0-9_]|\$)" <<<"$sect"; then pass "param_$p"; else fail "param_$p" "not in MODULE PARAMETERS"; fi
done

# 8. The bash completion offers what -h lists: the commands, each one's
# options, the watch types and the histogram names.
COMPLETION=${COMPLETION:-$ROOT/userspace/socktap.bash-completion}
# comp WORD...: what completing the last WORD offers, one per line.
comp() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	bash -c 'source "$0" && COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) && _socktap &&
		printf "%s\n" "${COMPREPLY[@]}"' "$COMPLETION" "$@" 2>&1
}
# lacking WANT HAVE: the words of WANT that HAVE lacks.
lacking() { grep -vxF -f <(echo "$2") <<<"$1" | tr '\n' ' '; }
cpass() { echo "PASS host/completion/$1"; }
cfail() { echo "FAIL host/completion/$1: $2"; failed=1; }
if [ ! -r "$COMPLETION" ]; then
	cfail file "$COMPLETION missing"
else
	miss=$(lacking "$cmds" "$(comp socktap '')")
	if [ -z "$miss" ]; then cpass commands; else cfail commands "not offered: $miss"; fi
	miss=$(lacking "$(help_opts <<<"$help")" "$(comp socktap -)")
	if [ -z "$miss" ]; then cpass global_options; else cfail global_options "not offered: $miss"; fi
	for c in $cmds; do
		miss=$(lacking "$(help_opts < <("$CLI" "$c" -h 2>&1))" "$(comp socktap "$c" -)")
		if [ -z "$miss" ]; then cpass "options_$c"; else cfail "options_$c" "not offered: $miss"; fi
	done
	# "  NAME   text" lines of the lists before the options.
	names=$("$CLI" hist -h | sed -n '/^Without -d/q; s/^  \([a-z][a-z0-9-]*\)  .*/\1/p')
	miss=$(lacking "$names" "$(comp socktap hist '')")
	if [ -n "$names" ] && [ -z "$miss" ]; then cpass hist_names; else cfail hist_names "not offered: ${miss:-(none in hist -h)}"; fi
	names=$("$CLI" watch -h | sed -n '/^TIME is/q; s/^  \([a-z][a-z0-9-]*\)  .*/\1/p')
	miss=$(lacking "$names" "$(comp socktap watch '')")
	if [ -n "$names" ] && [ -z "$miss" ]; then cpass watch_types; else cfail watch_types "not offered: ${miss:-(none in watch -h)}"; fi
fi

exit $failed
