#!/bin/bash
# record-trace.sh PROG [OUT] -- a reference string of user program PROG for
# make bench-replace: boot bin/ucore.img running PROG with the process
# pool capped at $CAP (default 64K: 16 frames; page-merge-par, eight
# processes with their page tables, needs 256K) and the fault trace on (fw_cfg
# opt/ucore/swaptrace), and write every not-present fault on a user page
# as "NAME r|w" to OUT (tests/replace/traces/PROG.trace), NAME being
# 0x<address space><virtual page>.  With so few frames nearly every
# touch of a page not touched just before faults: the trace is the
# program's page reference string with runs of one page, and re-uses
# within the last dozen pages, folded (a read fault later written counts
# as a read).
set -eu
prog=${1:?usage: record-trace.sh PROG [OUT]}
out=${2:-tests/replace/traces/$prog.trace}
cap=${CAP:-64K}
here=$(dirname "$0")
. "$here/swapdisk.sh"
tmp=$(mktemp -d /tmp/trace.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp bin/ucore.img "$tmp/disk.img"
swap_disk "$tmp/swap.img"
qemu-system-i386 -m 128M -no-reboot -display none -monitor none \
    -drive file="$tmp/disk.img",format=raw,index=0,media=disk "${swap_drive[@]}" \
    -fw_cfg "name=opt/ucore/prog,string=$prog" \
    -fw_cfg "name=opt/ucore/procmem,string=$cap" \
    -fw_cfg "name=opt/ucore/swaptrace,string=1" \
    -serial file:"$tmp/log" 2>/dev/null &
qpid=$!
for _ in $(seq 1200); do
    grep -qs "init check memory\|kernel panic" "$tmp/log" && break
    sleep 0.1
done
kill $qpid 2>/dev/null || true
wait $qpid 2>/dev/null || true
grep -q "init check memory pass" "$tmp/log" || {
    echo "record-trace: $prog did not finish cleanly:" >&2
    tail -5 "$tmp/log" >&2
    exit 1
}
mkdir -p "$(dirname "$out")"
{
    echo "# $prog: user page faults at PROCMEM=$cap (tools/record-trace.sh)"
    tr -d '\r' < "$tmp/log" |
        awk '$1 == "swaptrace" { printf "0x%s%s %s\n", $2, $3, $4 }'
} > "$out"
echo "record-trace: $(grep -vc '^#' "$out") references of $prog -> $out"
