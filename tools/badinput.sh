#!/bin/bash
# badinput.sh IMAGE -- boot IMAGE once per bad-input case, type
# "badinput <case>" at the monitor over the serial line, and check that the
# kernel names the problem: a panic with the expected message and a
# symbolic backtrace (or, for oom, a NULL result with nothing changed).
set -u
img=${1:?usage: badinput.sh IMAGE}
tmp=$(mktemp -d /tmp/badinput.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/swapdisk.sh"
# The boots run BADINPUT_JOBS (2) at a time (much of a case is QEMU
# starting up and the waits for the prompts); each has a private copy of
# the boot disk and a swap disk of its own, as QEMU locks both.
jobs=${BADINPUT_JOBS:-2}

# case|regex the output must match
cases=(
"free-reserved|free_pages: page 0x[0-9a-f]+ \(pa 00000000\) is reserved, not managed"
"double-free|_pmm.*double free"
"double-free-inside|_pmm.*double free"
"free-zero|free_pages: n == 0"
"free-past-end|free_pages: range of 2 pages at ppn [0-9a-f]+ runs past the end of memory"
"free-foreign|free_pages: 0xc0000000 is not a page of the Page array"
"alloc-zero|alloc_pages: n == 0"
"insert-unaligned|page_insert: linear address 00001234 is not page aligned"
"remove-unaligned|page_remove: linear address 00001234 is not page aligned"
"kaddr-range|KADDR: pa [0-9a-f]+ is outside managed memory"
"paddr-range|PADDR: 0x00001000 is outside the direct map"
"pa2page-range|pa2page: pa fffff000 is past the last managed frame"
"free-mapped|free_pages: page 0x[0-9a-f]+ \(pa [0-9a-f]+\) is still mapped \(ref 1\)"
"kfree-double|kfree: 0x[0-9a-f]+: double free"
"kfree-foreign|kfree: 0x[0-9a-f]+ is not allocated by kmalloc"
"kfree-interior|kfree: 0x[0-9a-f]+ is not allocated by kmalloc: it is not the start of"
"oom|alloc_pages\(([0-9]+)\) = 0x00000000, nr_free ([0-9]+) -> \2"
"kaddr-proc|KADDR: pa [0-9a-f]+ is a process-pool frame, not direct-mapped"
"free-straddle|free_pages: range of 2 pages at ppn [0-9a-f]+ straddles the kernel and process pools"
"kunmap-bad|kunmap: 0xfb000000 is not a live kmap slot"
"kmap-twice|kmap: frame [0-9a-f]+ is already mapped at fb000000"
"kmap-exhaust|kmap: all 16 slots are in use"
"kernel-pt-late|get_pte: no page table for kernel address fc000000 in boot_pgdir: after kmap_init"
"vmpool-foreign|vmpool_alloc: 0x12345000 is not a VMPool handle"
"vmpool-other-mm|vmpool_alloc: pool 10000000 \(handle 0x[0-9a-f]+\) belongs to mm 0x[0-9a-f]+, but mm 0x[0-9a-f]+ is loaded"
"vmpool-release-bad|vmpool_release\(10002000\) = -3, pool unchanged: 1 regions, 1 free ranges"
)
# cases that report an error instead of panicking
no_panic=" oom vmpool-release-bad "

# wait_for FILE REGEX COUNT -- wait (5 s at most) until REGEX matches COUNT
# lines of FILE.
wait_for() {
    for _ in $(seq 50); do
        [ "$(grep -Ecs "$2" "$1")" -ge "$3" ] && return 0
        sleep 0.1
    done
    return 1
}

# run_case NAME -- boot, wait for the prompt, type the command, and stop
# QEMU once the monitor prompts again (after the panic report).
run_case() {
    local out=$tmp/$1.log in=$tmp/$1.in swap_drive
    mkfifo "$in"
    cp "$img" "$tmp/$1.img" && swap_disk "$tmp/$1.swap" || return 1
    qemu-system-i386 -m 64M -no-reboot -display none -monitor none \
        -serial stdio -drive file="$tmp/$1.img",format=raw,index=0,media=disk \
        "${swap_drive[@]}" < "$in" > "$out" 2>/dev/null &
    local qpid=$!
    exec 3> "$in"
    wait_for "$out" "K> " 1
    printf 'badinput %s\r' "$1" >&3
    wait_for "$out" "K> " 2
    exec 3>&-
    kill $qpid 2>/dev/null
    wait $qpid 2>/dev/null
    tr -d '\r' < "$out" > "$out.txt" && mv "$out.txt" "$out"
}

for c in "${cases[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_case "${c%%|*}" &
done
wait

status=0
for c in "${cases[@]}"; do
    name=${c%%|*} want=${c#*|}
    out=$tmp/$name.log
    if ! grep -Eq "$want" "$out"; then
        echo "FAIL $name: no line matches /$want/"
        sed -n '/K> badinput/,$p' "$out" | head -8 | sed 's/^/    /'
        status=1
    elif [[ "$no_panic" != *" $name "* ]] && ! grep -q "^    mon_badinput+0x" "$out"; then
        echo "FAIL $name: the panic has no symbolic backtrace"
        status=1
    else
        echo "ok   $name: $(grep -Eo "$want" "$out" | head -1)"
    fi
done
exit $status
