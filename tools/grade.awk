# grade.awk -- the group matching of tools/grade.sh.
#   awk -v mode=report -f grade.awk GROUPS LOG
#   awk -v mode=watch  -f grade.awk GROUPS -     (the log as it grows)
# GROUPS holds "@ name points" lines, each followed by the lines the serial
# log must show in that order; "~ REGEX" matches a whole log line by
# extended regex (for what varies, such as pids); "#" lines are comments.
# Carriage returns in the log are ignored.
#
# report: at the end, for each group "name<TAB>points<TAB>OK-or-FAIL" and,
# under a failed group, each wanted line not matched in order: "-<TAB>line"
# when the log does not have it at all, "~<TAB>line" when it is there but
# only before the lines already matched.
#
# watch: one line per event as soon as the log shows it, then exit at the
# first of the last three: "done NAME" when a group is complete,
# "complete" when every group is, "panic" on a kernel panic, "idle" when
# the kernel sits at the monitor prompt with a timer line after it (ending
# the prompt's line, as a tick prints when nothing was typed, or a line of
# its own): nothing more is coming, every group is decided.

NR == FNR {
    if ($0 ~ /^#/) next
    if ($1 == "@") {
        g++; pts[g] = $NF; got[g] = n[g] = 0
        name[g] = $0; sub(/^@ /, "", name[g]); sub(/ [0-9]+$/, "", name[g])
        next
    }
    want[g, n[g]++] = $0
    next
}

# watch_done(i) -- in watch mode, group i is complete: say so, and exit
# when it was the last one.
function watch_done(i) {
    if (mode != "watch") return
    print "done", name[i]; fflush()
    if (++complete == g) { print "complete"; exit }
}

function matches(line, w) {
    return substr(w, 1, 2) == "~ " ? line ~ ("^" substr(w, 3) "$") : line == w
}

!started {
    started = 1
    for (i = 1; i <= g; i++) if (n[i] == 0) watch_done(i)
}

{
    gsub(/\r/, "")
    if (mode == "report") logl[++nl] = $0 # for explain()
    for (i = 1; i <= g; i++) {
        if (got[i] < n[i] && matches($0, want[i, got[i]])) {
            if (++got[i] == n[i]) watch_done(i)
        }
    }
    if (mode != "watch") next
    if (/kernel panic/) { print "panic"; exit }
    if (/K> /) { prompt = 1; if (/K> 100 ticks$/) { print "idle"; exit } }
    else if (prompt && /^100 ticks$/) { print "idle"; exit }
}

# find(w, from) -- the first log line at or after from matching w, or 0
function find(w, from,   k) {
    for (k = from; k <= nl; k++) if (matches(logl[k], w)) return k
    return 0
}

# explain(i) -- the wanted lines of failed group i that are not in the log
# (-) or only before the lines already matched (~); the others are matched
# in order, skipping those.
function explain(i,   j, at, k) {
    at = 1
    for (j = 0; j < n[i]; j++) {
        k = find(want[i, j], at)
        if (k) at = k + 1
        else print (find(want[i, j], 1) ? "~" : "-") "\t" want[i, j]
    }
}

END {
    if (mode != "report") exit
    for (i = 1; i <= g; i++) {
        print name[i] "\t" pts[i] "\t" (got[i] == n[i] ? "OK" : "FAIL")
        if (got[i] < n[i]) explain(i)
    }
}
