#!/bin/bash
# grade.sh IMAGE [MEM] -- boot IMAGE headless in QEMU with MEM of RAM (128M),
# capture the serial log, and score the groups of expected lines in
# tools/grade.groups.  With PROG=NAME in the environment the kernel runs
# that user program (QEMU's fw_cfg); PROG=all runs every program and adds
# the user group of tools/grade.user (and tools/grade.highmem from 1G);
# PROG=swap runs the memory tests named in tools/grade.swap under a capped
# process pool (PROCMEM, 512K unless set) and adds that file's groups.
# PROCMEM=SIZE caps the process pool (fw_cfg) for any PROG.  VAPA=1 grades
# a make VAPA=1 image (virtual address == physical address): the "[VAPA]"
# lines of the groups instead of the "[!VAPA]" ones, and no PROG.
# The swap disk is a copy of $SWAPIMG (tools/swapdisk.sh: unset, an empty
# one; SWAP_DISK=0, none).  QEMU is stopped as soon as every group is complete
# (or on a kernel panic, or after GRADE_TIMEOUT seconds).  Prints one line
# per group with OK/FAIL, the missing lines under a failure, and
# "Total Score: X/Y"; exits non-zero below full score.
set -u
img=${1:?usage: grade.sh IMAGE [MEM]}
mem=${2:-128M}
# PROG=all runs every user program (about 10 s alone); on a loaded machine
# that can take three times as long, and only a failing run waits it out.
# PROG=swap takes about 8 s alone.
case ${PROG:-} in
all) timeout_s=${GRADE_TIMEOUT:-120} ;;
swap) timeout_s=${GRADE_TIMEOUT:-240} ;;
*) timeout_s=${GRADE_TIMEOUT:-30} ;;
esac
manager=${PMM:-default}_pmm_manager
here=$(dirname "$0")
. "$here/swapdisk.sh"
tmp=$(mktemp -d /tmp/grade.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/serial.log
prog=${PROG:-}
procmem=${PROCMEM:-}
vapa=${VAPA:-}
if [ -n "$vapa" ] && [ -n "$prog$procmem" ]; then
    echo "grade: VAPA=1 runs no user programs (PROG=$prog, PROCMEM=$procmem)" >&2
    exit 2
fi
# by_config -- the lines of the group file on stdin for this build: "[VAPA]
# x" becomes "x" under VAPA=1 and goes otherwise, "[!VAPA] x" the other
# way; a tagged "@" line keeps or drops its whole group.
by_config() {
    awk -v vapa="$vapa" '
        /^@ / { skip = 0 }
        match($0, /^\[!?VAPA\] /) {
            keep = (substr($0, 2, 1) == "!") != (vapa == 1)
            $0 = substr($0, RLENGTH + 1)
            if ($0 ~ /^@ /) skip = !keep
            else if (!keep) next
        }
        !skip { print }'
}
sed "s/@MANAGER@/$manager/" "$here/grade.groups" | by_config > "$tmp/groups"
if [ "$prog" = swap ]; then
    procmem=${procmem:-512K}
    sed "s/@PROCMEM@/$procmem/" "$here/grade.swap" >> "$tmp/groups"
    # the programs: the names of grade.swap's kernel_execve lines, in order
    prog=$(sed -n 's/^~ kernel_execve: .*name = "\(.*\)".*/\1/p' \
        "$here/grade.swap" | awk '!seen[$0]++' | paste -sd ';')
fi
fw_cfg=()
if [ -n "$prog" ]; then
    fw_cfg=(-fw_cfg "name=opt/ucore/prog,string=$prog")
fi
if [ -n "$procmem" ]; then
    fw_cfg+=(-fw_cfg "name=opt/ucore/procmem,string=$procmem")
fi
# by_size -- the lines of the group file on stdin for -m $mem: "[MEM] x"
# becomes "x" at -m MEM and goes elsewhere, "[!MEM] x" the other way.
by_size() {
    awk -v mem="$mem" '
        match($0, /^\[!?[0-9]+[KMG]\] /) {
            tag = substr($0, 2, RLENGTH - 3); line = substr($0, RLENGTH + 1)
            neg = sub(/^!/, "", tag)
            if ((tag == mem) != neg) print line
            next
        }
        { print }'
}
if [ "$prog" = all ]; then
    by_size < "$here/grade.user" >> "$tmp/groups"
    case $mem in
    *G) cat "$here/grade.highmem" >> "$tmp/groups" ;;
    esac
fi

# report -- for each group "name<TAB>points<TAB>OK-or-FAIL" and, under a
# failed group, each line from the first one not matched in order: "-<TAB>
# line" when the log does not have it at all, "~<TAB>line" when it is
# there but out of order.  Lines of a group must appear in order; a line
# written "~ REGEX" matches a whole log line by extended regex (for what
# varies, such as pids).
report() {
    tr -d '\r' < "$log" | awk '
        NR == FNR {
            if ($0 ~ /^#/) next
            if ($1 == "@") { g++; pts[g] = $NF; name[g] = $0; got[g] = n[g] = 0
                sub(/^@ /, "", name[g]); sub(/ [0-9]+$/, "", name[g]); next }
            want[g, n[g]++] = $0; next
        }
        function matches(line, w) {
            return substr(w, 1, 2) == "~ " ? line ~ ("^" substr(w, 3) "$") \
                                           : line == w
        }
        { logl[++nl] = $0
          for (i = 1; i <= g; i++)
              if (got[i] < n[i] && matches($0, want[i, got[i]])) got[i]++ }
        # find(w, from) -- the first log line at or after from matching w, or 0
        function find(w, from,   k) {
            for (k = from; k <= nl; k++) if (matches(logl[k], w)) return k
            return 0
        }
        # explain(i) -- the wanted lines of failed group i that are not in
        # the log (-) or only before the lines already matched (~); the
        # others are matched in order, skipping those.
        function explain(i,   j, at, k) {
            at = 1
            for (j = 0; j < n[i]; j++) {
                k = find(want[i, j], at)
                if (k) at = k + 1
                else print (find(want[i, j], 1) ? "~" : "-") "\t" want[i, j]
            }
        }
        END {
            for (i = 1; i <= g; i++) {
                print name[i] "\t" pts[i] "\t" (got[i] == n[i] ? "OK" : "FAIL")
                if (got[i] < n[i]) explain(i)
            }
        }' "$tmp/groups" -
}

# since START -- seconds elapsed, one decimal.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# stamp_groups -- remember when each group first became complete.
declare -A done_at
stamp_groups() {
    local name pts status pending=0
    while IFS=$'\t' read -r name pts status; do
        [ "$name" = "-" ] || [ "$name" = "~" ] && continue
        if [ "$status" = OK ]; then
            [ -n "${done_at[$name]:-}" ] || done_at[$name]=$(since "$start")
        else
            pending=1
        fi
    done < <(report)
    return $pending
}

# idle_at_monitor -- whether the kernel sits at the monitor prompt with a
# timer line after it (ending the prompt's line, as a tick prints when
# nothing was typed, or a line of its own): nothing more is coming, every
# group is decided.
idle_at_monitor() {
    tr -d '\r' < "$log" | awk '/K> / { p = 1; ok = /K> 100 ticks$/; next }
                              p && /^100 ticks$/ { ok = 1 } END { exit !ok }'
}

# A copy of the image: a `make qemu` that is running holds the write lock
# on the original, and grading must work beside it.
cp "$img" "$tmp/disk.img"
swap_disk "$tmp/swap.img" || exit 1
start=$EPOCHREALTIME
qemu-system-i386 -m "$mem" -no-reboot -display none -monitor none \
    -drive file="$tmp/disk.img",format=raw,index=0,media=disk \
    "${swap_drive[@]}" "${fw_cfg[@]}" \
    -serial file:"$log" 2> "$tmp/qemu.err" &
qpid=$!
timed_out=
while kill -0 $qpid 2>/dev/null; do
    [ -f "$log" ] && { stamp_groups || idle_at_monitor; } && break
    grep -qs "kernel panic" "$log" && { sleep 0.5; break; }
    if (( ${EPOCHREALTIME%.*} - ${start%.*} >= timeout_s )); then
        echo "grade: timed out after $timeout_s s"
        timed_out=1
        break
    fi
    sleep 0.1
done
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
elapsed=$(since "$start")

touch "$log"
score=0 total=0
while IFS=$'\t' read -r name pts status; do
    if [ "$name" = "-" ]; then
        echo "    missing: $pts"
        continue
    fi
    if [ "$name" = "~" ]; then
        echo "    out of order: $pts"
        continue
    fi
    total=$((total + pts))
    [ "$status" = OK ] && score=$((score + pts))
    printf '%-18s %-4s (%s s)\n' "$name:" "$status" "${done_at[$name]:-$elapsed}"
done < <(report)
if grep -q "kernel panic" "$log"; then
    echo "kernel panic:"
    tr -d '\r' < "$log" | sed -n '/kernel panic/,$p' | head -20 | sed 's/^/    /'
fi
[ -s "$tmp/qemu.err" ] && grep -v "terminating on signal" "$tmp/qemu.err"
if [ -n "$timed_out" ]; then
    echo "the last lines of the serial log:"
    tr -d '\r' < "$log" | grep -v "^100 ticks$" | tail -15 | sed 's/^/    /'
fi
echo "grade: -m $mem${procmem:+, PROCMEM=$procmem}, $manager${vapa:+, VAPA}, boot log complete after $elapsed s"
echo "Total Score: $score/$total"
if [ "$score" -ne "$total" ]; then
    kept=$(mktemp /tmp/grade-log.XXXXXX)
    tr -d '\r' < "$log" > "$kept"
    echo "the whole serial log: $kept"
    exit 1
fi
