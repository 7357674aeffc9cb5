#!/bin/bash
# benchcow.sh COW-IMAGE EAGER-IMAGE -- boot each image (-m 512M) running
# PROG=cowbench, print its "cowbench:" lines, then one table: cycles per
# fork of a process with 4 MiB touched, copy-on-write against the eager
# copy (a FORK=eager kernel), pages copied, and the cost of a write fault.
# Figures, not a test: exits non-zero only when a run gives no result.
set -u
tmp=$(mktemp -d /tmp/benchcow.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/swapdisk.sh"
swap_disk "$tmp/swap.img" || exit 1

# run IMAGE LOG -- boot IMAGE until cowbench is done (60 s at most).
run() {
    qemu-system-i386 -m 512M -no-reboot -display none -monitor none \
        -drive file="$1",format=raw,index=0,media=disk "${swap_drive[@]}" \
        -fw_cfg name=opt/ucore/prog,string=cowbench -serial file:"$2" \
        2>/dev/null &
    local qpid=$! i
    for i in $(seq 600); do
        grep -qs "cowbench: done\|kernel panic" "$2" && break
        sleep 0.1
    done
    kill $qpid 2>/dev/null
    wait $qpid 2>/dev/null
    tr -d '\r' < "$2" | grep "^cowbench: " > "$2.lines"
    grep -q "cowbench: done" "$2.lines"
}

for mode in cow eager; do
    img=$1
    [ $mode = eager ] && img=$2
    if ! run "$img" "$tmp/$mode"; then
        echo "bench-cow: no result from $img ($mode)" >&2
        exit 1
    fi
    sed "s/^cowbench:/cowbench ($mode):/" "$tmp/$mode.lines"
done

# field FILE PATTERN N -- the N-th word of the line matching PATTERN.
field() { grep "$2" "$1.lines" | awk -v n="$3" '{ print $n }'; }
cow=$(field "$tmp/cow" "fork:" 3) eager=$(field "$tmp/eager" "fork:" 3)
echo
printf '%-28s %14s %14s\n' "fork, 4 MiB touched" "copy-on-write" "eager copy"
printf '%-28s %14s %14s\n' "cycles/fork" "$cow" "$eager"
printf '%-28s %14s %14s\n' "pages copied by fork" \
    "$(field "$tmp/cow" "fork:" 5)" "$(field "$tmp/eager" "fork:" 5)"
printf '%-28s %14s %14s\n' "write fault, shared frame" \
    "$(field "$tmp/cow" "shared frame" 6)" "-"
printf '%-28s %14s %14s\n' "write fault, last user" \
    "$(field "$tmp/cow" "last user" 6)" "-"
printf '%-28s %14s %14s\n' "write without fault" \
    "$(field "$tmp/cow" "shared frame" 12 | tr -d ';')" \
    "$(field "$tmp/eager" "shared frame" 12 | tr -d ';')"
awk -v c="$cow" -v e="$eager" 'BEGIN { printf "eager / copy-on-write: %.1fx (target: at least 10x; QEMU TCG cycles)\n", e / c }'
