#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The man page trace_tcp.8: the template's hand-written sections, with
# what the binary itself prints put in its @...@ lines, so the page says
# what the command line (loader/app/cli.c's table) holds at build time:
#
#   @VERSION@      (in any line) the version of --version
#   @SUMMARY@      the sentence after --help's Usage line
#   @OPTIONS@      the rest of --help: each option, then any further
#                  section of it ("Fields:" ...) as a subsection
#   @ENVIRONMENT@  each option's "env VAR"
#   @FILES@        each option's "default /absolute/path"
#
# --help's layout, as cli.c's print_help lays it out: "Usage: ..." line,
# the summary, a blank line; an item is a line indented by two spaces,
# "-s, --name VALUE" or a name, its description on the same line at the
# description column or after two spaces, continued on lines indented
# deeper; a line at column 0 ending in ':' heads a section; any other
# line is running text. What breaks that layout fails here, loudly.
#
# Usage: scripts/man-page.sh TRACE_TCP TEMPLATE >trace_tcp.8
# (TRACE_TCP: a binary this machine runs; the text is the same on every
# CPU but for --version's CPU, which the page does not show.)
set -eu
if [ $# -ne 2 ]; then
	echo "usage: $0 TRACE_TCP TEMPLATE" >&2
	exit 2
fi
help=$(mktemp "${TMPDIR:-/tmp}/trace_tcp-help.XXXXXX")
trap 'rm -f "$help"' EXIT
"$1" --help >"$help"
version=$("$1" --version | awk '{ print $2; exit }')
if [ -z "$version" ]; then
	echo "$0: $1 --version printed no version" >&2
	exit 1
fi

# awk: POSIX only (Debian's awk is mawk).
awk -v version="$version" '
function fail(why) {
	printf "man-page.sh: --help line %d: %s\n", line_no, why > "/dev/stderr"
	failed = 1
	exit 1
}

function indent_of(s) {
	match(s, /^ */)
	return RLENGTH
}

function trim(s) {
	sub(/^ +/, "", s)
	sub(/ +$/, "", s)
	return s
}

# Running text: backslashes kept, option names with real minus signs.
function text(s,    words, n, i, w, out) {
	gsub(/\\/, "\\e", s)
	n = split(s, words, " ")
	out = ""
	for (i = 1; i <= n; i++) {
		w = words[i]
		if (w ~ /^[^A-Za-z0-9]*-/)
			gsub(/-/, "\\-", w)
		out = out (i > 1 ? " " : "") w
	}
	if (out ~ /^[.\047]/)
		out = "\\&" out
	return out
}

# An item tag: names bold, an option value ("VALUE", "=VALUE") italic.
function tag(s, is_option,    words, n, i, w, comma, eq, value, out) {
	gsub(/\\/, "\\e", s)
	n = split(s, words, " ")
	out = ""
	for (i = 1; i <= n; i++) {
		w = words[i]
		comma = ""
		if (w ~ /,$/) {
			comma = ","
			w = substr(w, 1, length(w) - 1)
		}
		if (is_option && w !~ /^-/) {
			w = "\\fI" w "\\fR"
		} else {
			value = ""
			eq = index(w, "=")
			if (eq) {
				value = "=\\fI" substr(w, eq + 1) "\\fR"
				w = substr(w, 1, eq - 1)
			}
			gsub(/-/, "\\-", w)
			w = "\\fB" w "\\fR" value
		}
		out = out (i > 1 ? " " : "") w comma
	}
	return out
}

function emit(s) {
	body = body s "\n"
}

# The item or paragraph being gathered, out; its option notes noted.
function flush() {
	if (item_tag != "") {
		emit(".TP")
		emit(tag(item_tag, item_is_option))
		if (item_desc != "")
			emit(text(item_desc))
		if (item_is_option)
			note_option(item_tag, item_desc)
	} else if (para != "") {
		emit(".PP")
		emit(text(para))
	}
	item_tag = item_desc = para = ""
}

# "(default /path...)" goes to FILES, "env VAR" to ENVIRONMENT.
function note_option(t, d,    name, what, path, var, n, words, i) {
	n = split(t, words, " ")
	name = ""
	for (i = 1; i <= n && name == ""; i++)
		if (words[i] ~ /^--/)
			name = words[i]
	what = d
	sub(/ *\((default|env) [^)]*\)$/, "", what)
	if (match(d, /\(default \/[^;) ]*/)) {
		path = substr(d, RSTART + 9, RLENGTH - 9)
		files = files ".TP\n.I " text(path) "\n" \
			"the default of " tag(name, 1) ": " text(what ".") "\n"
	}
	if (match(d, /env [A-Za-z_][A-Za-z0-9_]*\)/)) {
		var = substr(d, RSTART + 4, RLENGTH - 5)
		environment = environment ".TP\n.B " var "\n" \
			text(what ":") " the default of " tag(name, 1) \
			", which the option overrides.\n"
	}
}

# Every line of --help. Items are indented as the options are; the
# description column is the indent of the lines continuing an option.
function parse(    i, s, ind, cont) {
	line_no = 1
	if (help[1] !~ /^Usage: /)
		fail("no \"Usage: \" line first")
	for (i = 2; i <= lines && help[i] != ""; i++)
		summary = summary (summary == "" ? "" : " ") trim(help[i])
	if (summary == "")
		fail("no summary after the Usage line")
	first_body = i + 1
	for (i = first_body; i <= lines && !item_indent; i++)
		if (help[i] ~ /^ +-/)
			item_indent = indent_of(help[i])
	if (!item_indent)
		fail("no option found")
	column = cont = 0
	for (i = first_body; i <= lines; i++) {
		ind = indent_of(help[i])
		if (ind == item_indent && help[i] ~ /^ *-/)
			cont = 1
		else if (cont && ind > item_indent && ind < length(help[i]))
			column = column && column < ind ? column : ind
		else
			cont = 0
	}
	for (i = first_body; i <= lines; i++) {
		line_no = i
		s = help[i]
		ind = indent_of(s)
		if (s ~ /^ *$/) {
			flush()
		} else if (ind == 0 && s ~ /:$/) {
			flush()
			s = substr(s, 1, length(s) - 1)
			s = text(s)
			gsub(/"/, "\\(dq", s)
			emit(".SS \"" s "\"")
		} else if (ind > 0 && ind <= item_indent && is_item(s, i)) {
			flush()
			item(s)
		} else if (ind > item_indent && item_tag != "") {
			item_desc = trim(item_desc " " trim(s))
		} else {
			if (item_tag != "")
				flush()
			para = trim(para " " trim(s))
		}
	}
	flush()
}

# A line at the item indent is an item if it is an option, a name and
# its description (after two spaces), or a name whose description is
# on the lines below; else it is running text.
function is_item(s, i,    t) {
	t = trim(s)
	return t ~ /^-/ || t ~ /^[^ ]+( [^ ]+)*  +[^ ]/ ||
	       (i < lines && indent_of(help[i + 1]) > item_indent)
}

# The tag of an item, and its description on this line: after the
# description column, after two spaces, or none.
function item(s,    t, d) {
	t = trim(s)
	item_is_option = t ~ /^-/
	if (item_is_option && column > 0 && length(s) > column &&
	    substr(s, column, 1) == " " && substr(s, column + 1, 1) != " ") {
		item_tag = trim(substr(s, 1, column))
		item_desc = trim(substr(s, column + 1))
		return
	}
	d = t
	sub(/^[^ ]+( [^ ]+)*  +/, "", d)
	item_tag = trim(substr(t, 1, length(t) - length(d)))
	item_desc = d
	if (d == t) {
		item_tag = t
		item_desc = ""
	}
}

NR == FNR {
	help[++lines] = $0
	next
}
FNR == 1 {
	parse()
}
$0 == "@SUMMARY@" {
	print text(summary)
	next
}
$0 == "@OPTIONS@" {
	printf "%s", body
	next
}
$0 == "@ENVIRONMENT@" {
	printf "%s", environment
	next
}
$0 == "@FILES@" {
	printf "%s", files
	next
}
/^@[A-Z]+@$/ {
	printf "man-page.sh: template line %d: unknown %s\n", FNR, $0 \
		> "/dev/stderr"
	exit 1
}
{
	gsub(/@VERSION@/, version)
	print
}
END {
	if (failed || FNR == 0)
		exit 1
}
' "$help" "$2"
