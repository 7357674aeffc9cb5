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

# report -- for each group "name<TAB>points<TAB>OK-or-FAIL" and the lines
# a failed group misses (tools/grade.awk).
report() { awk -v mode=report -f "$here/grade.awk" "$tmp/groups" "$log"; }

# usecs -- the wall clock in microseconds (EPOCHREALTIME without its
# decimal point, which the locale may make a comma).
usecs() { local t=$EPOCHREALTIME; echo $((10#${t/[.,]/})); }

# since START -- seconds elapsed since usecs said START, one decimal.
since() {
    local t=$EPOCHREALTIME
    local d=$(( (10#${t/[.,]/} - $1 + 50000) / 100000 ))
    echo "$((d / 10)).$((d % 10))"
}

# watch_log -- the events of tools/grade.awk's watch mode while the log
# grows, until one decides the run (or QEMU exits, or the timeout passes).
# mawk (Debian's awk) reads a pipe in blocks unless told -W interactive.
watch_log() {
    local live=()
    case $(awk -W version 2>&1) in mawk*) live=(-W interactive) ;; esac
    timeout "$timeout_s" tail -n +1 -s 0.2 --pid=$qpid -F "$log" 2>/dev/null |
        awk "${live[@]}" -v mode=watch -f "$here/grade.awk" "$tmp/groups" -
}

# A copy of the image: a `make qemu` that is running holds the write lock
# on the original, and grading must work beside it.
cp "$img" "$tmp/disk.img"
swap_disk "$tmp/swap.img" || exit 1
start=$(usecs)
qemu-system-i386 -m "$mem" -no-reboot -display none -monitor none \
    -drive file="$tmp/disk.img",format=raw,index=0,media=disk \
    "${swap_drive[@]}" "${fw_cfg[@]}" \
    -serial file:"$log" 2> "$tmp/qemu.err" &
qpid=$!
declare -A done_at
decided=
while read -r event name; do
    case $event in
    done) done_at[$name]=$(since "$start") ;;
    panic) sleep 0.5; decided=1 ;;
    *) decided=1 ;;
    esac
done < <(watch_log)
timed_out=
if [ -z "$decided" ] && kill -0 $qpid 2>/dev/null; then
    echo "grade: timed out after $timeout_s s"
    timed_out=1
fi
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
