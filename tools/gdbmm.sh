#!/bin/bash
# gdbmm.sh KERNEL IMAGE [MEM] -- the mm GDB helpers (tools/gdb/mm) against
# the kernel's own output from the same boot.  A batch GDB stops in
# check_pgdir (a page just freed), at the boot's print_pgdir, at kmonitor (after every boot check) and at the
# monitor's `vma` (after `vmdemo` and a write that faults a page in); at
# each stop it runs the helpers, then lets the monitor print its own view
# of the same state (pgdir, free, vma, typed on the serial line).  Fails
# when `mm pgdir`, `mm free` or `mm vma` differ from the kernel's lines,
# when `mm walk` finds another frame than expected (KERNBASE -> 0, the VPT
# self-map -> the directory, a faulted-in page -> the PTE the CPU reads
# through VPT), when QEMU's physical-memory mode and the kernel's mappings
# disagree, or when a helper reports an ERROR or a Python error.
# A make VAPA=1 kernel (KERNBASE 0, no user space) gets the first stops
# only: check_pgdir, print_pgdir and kmonitor, with the monitor's free and
# pgdir.
# GDBMM_KEEP=1 keeps the logs (gdb.out, serial.log) in /tmp/gdbmm.*.
set -u
kernel=${1:?usage: gdbmm.sh KERNEL IMAGE [MEM]}
img=${2:?usage: gdbmm.sh KERNEL IMAGE [MEM]}
mem=${3:-128M}
port=${GDBPORT:-$((10000 + RANDOM % 10000))} # runtests.sh says why so low
tools=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/gdbmm.XXXXXX)
qpid=
trap '[ -n "$qpid" ] && kill $qpid 2>/dev/null; [ -n "${GDBMM_KEEP:-}" ] || rm -rf "$tmp"' EXIT

touched=0x10001000 # the first region of vmdemo's pool (mon_vm.c)
# KERNBASE as the helpers find it (kern_entry's link address minus its
# load address): 0 for a make VAPA=1 kernel, which has no user space, so
# no vmdemo and no processes: the checks stop after the monitor's first
# free and pgdir.
sym() { nm "$kernel" | awk -v s="$1" '$3 == s {print $1}'; }
kb=$((16#$(sym kern_entry) - 16#$(sym _start)))
vapa=$([ "$kb" = 0 ] && echo 1)
# the page table check_pgdir builds (PMM_CHECK_VA: 0, or KERNTOP =
# KMEMSIZE under VAPA)
pde_check=$([ -n "$vapa" ] && echo $((0x38000000 >> 22)) || echo 0)
# check_pgdir, after freeing p1 while its page table (the next frame) is
# still allocated: the kernel pool has a one-page free block.
frag_line=$(grep -n 'struct Page \*pt = pde2page(boot_pgdir\[PDE_CHECK\])' \
    "$tools/../kern/mm/check/pmm_check.c" | head -1 | cut -d: -f1)
. "$tools/swapdisk.sh"
. "$tools/gdbport.sh"
swap_disk "$tmp/swap.img" || exit 1
mkfifo "$tmp/in"
qemu-system-i386 -m "$mem" -no-reboot -display none -monitor none -S \
    -gdb tcp::"$port" -serial stdio \
    -drive file="$img",format=raw,index=0,media=disk,snapshot=on \
    "${swap_drive[@]}" \
    < "$tmp/in" > "$tmp/serial.raw" 2> "$tmp/qemu.err" &
qpid=$!
exec 3> "$tmp/in" # keeps the serial line open while GDB types into it
wait_gdb_port "$port" $qpid ||
    { echo "gdbmm: QEMU does not listen on port $port"; cat "$tmp/qemu.err"; exit 1; }

cat > "$tmp/cmds" <<GDB
set confirm off
set pagination off
file $kernel
python import sys; sys.path.insert(0, "$tools/gdb"); import mm
target remote localhost:$port
hbreak pmm_check.c:$frag_line
continue
echo @@ free-frag\n
mm free kernel
printf "p1 %05x pt %05x\n", p1 - pages, boot_pgdir[$pde_check] >> 12
echo @@ page-p1\n
mm page p1
echo @@ page-pt\n
mm page boot_pgdir[$pde_check] >> 12
delete
hbreak print_pgdir
continue
echo @@ pgdir-boot\n
mm pgdir
delete
hbreak kmonitor
continue
echo @@ free-1\n
mm free
echo @@ pgdir-1\n
mm pgdir
echo @@ walk-kernbase\n
mm walk $kb
echo @@ walk-direct\n
mm walk $((kb + 0x123456)) boot_pgdir
echo @@ walk-vpd\n
mm walk 0xfafeb000
printf "cr3 %08x\n", boot_cr3
echo @@ vma-0\n
mm vma
delete
GDB
if [ -n "$vapa" ]; then
    cat >> "$tmp/cmds" <<GDB
shell printf 'free\rpgdir\r' > $tmp/in
detach
GDB
else
    cat >> "$tmp/cmds" <<GDB
hbreak mon_vma
shell printf 'free\rpgdir\rvmdemo\rtouch $touched w\rvma\rpgdir\rfree\r' > $tmp/in
continue
echo @@ vma-2\n
mm vma
echo @@ pgdir-2\n
mm pgdir
echo @@ free-2\n
mm free
echo @@ walk-touched\n
mm walk $touched
printf "pte %08x\n", *(unsigned *)(0xfac00000 + ($touched >> 12) * 4)
set mm-phys qemu
echo @@ vma-2q\n
mm vma
echo @@ pgdir-2q\n
mm pgdir
echo @@ walk-touched-q\n
mm walk $touched
echo @@ end\n
set mm-phys auto
delete
detach
GDB
fi
timeout 60 gdb -q -batch -nx -x "$tmp/cmds" > "$tmp/gdb.out" 2>&1

# wait_prompts N -- until the monitor has prompted N times (10 s at most).
wait_prompts() {
    for _ in $(seq 100); do
        [ "$(grep -c 'K> ' "$tmp/serial.raw")" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
wait_prompts $([ -n "$vapa" ] && echo 3 || echo 8)
exec 3>&-
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
qpid=
tr -d '\r' < "$tmp/serial.raw" > "$tmp/serial.log"

# gdb_part NAME -- the output of GDB after the marker "@@ NAME".
gdb_part() {
    awk -v m="@@ $1" '/^@@ /{on = ($0 == m); next} on' "$tmp/gdb.out"
}
# mon_part CMD N -- the monitor's output for the Nth `CMD` typed.
mon_part() {
    awk -v c="$1" -v n="$2" '
        /^K> / {cmd = substr($0, 4); seen[cmd]++; on = (cmd == c && seen[cmd] == n); next}
        on' "$tmp/serial.log"
}
# boot_part -- what the kernel printed before the first prompt.
boot_part() { sed '/^K> /,$d' "$tmp/serial.log"; }
pgdir_lines() { sed -n '/^-* BEGIN -*$/,/^-* END -*$/p'; }
free_lines() { grep -E '^(kernel|process) pool \(|^  \[ppn '; }
vma_lines() { grep -E '^mm 0x|^  \[|^  pool \['; }
walk_lines() { grep -Ev 'read through'; }
# gdb_free PART N -- mm free's lines after @@ PART, without the blocks of a
# pool whose manager the Nth `free` of the monitor could not list (one
# written the handout's way: the helper decodes its global free_area).
gdb_free() {
    local nolist
    nolist=$(mon_part free "$2" |
        awk '/^(kernel|process) pool \(/ {p = $1} /cannot list/ {print p}')
    gdb_part "$1" | free_lines | awk -v skip=" $nolist " '
        /^(kernel|process) pool \(/ {p = $1; print; next}
        index(skip, " " p " ") == 0'
}

status=0 failures=''
fail() {
    echo "gdbmm: FAIL: $1"
    failures+="gdbmm: FAIL: $1"$'\n'
    status=1
}
# compare WHAT CMD1 CMD2 -- the outputs of the shell commands CMD1 (the
# helper's) and CMD2 (the reference) are equal and not empty.
n=0
compare() {
    n=$((n + 1))
    eval "$2" > "$tmp/got$n"
    eval "$3" > "$tmp/want$n"
    if [ ! -s "$tmp/got$n" ] || ! cmp -s "$tmp/got$n" "$tmp/want$n"; then
        fail "$1"
        diff "$tmp/got$n" "$tmp/want$n" | head -20 | sed 's/^/    /'
    fi
}
compare "mm pgdir at boot vs the boot's print_pgdir" \
    'gdb_part pgdir-boot | pgdir_lines' 'boot_part | pgdir_lines'
compare "mm pgdir at kmonitor vs the monitor's pgdir" \
    'gdb_part pgdir-1 | pgdir_lines' 'mon_part pgdir 1 | pgdir_lines'
compare "mm free at kmonitor vs the monitor's free" \
    'gdb_free free-1 1' 'mon_part free 1 | free_lines'
if [ -z "$vapa" ]; then
    compare "mm vma after vmdemo vs the monitor's vma" \
        'gdb_part vma-2 | vma_lines' 'mon_part vma 1 | vma_lines'
    compare "mm pgdir after vmdemo vs the monitor's pgdir" \
        'gdb_part pgdir-2 | pgdir_lines' 'mon_part pgdir 2 | pgdir_lines'
    compare "mm free after vmdemo vs the monitor's free" \
        'gdb_free free-2 2' 'mon_part free 2 | free_lines'
    compare "mm pgdir: QEMU physical mode vs the kernel's mappings" \
        'gdb_part pgdir-2q | pgdir_lines' 'gdb_part pgdir-2 | pgdir_lines'
    compare "mm vma: QEMU physical mode vs the kernel's mappings" \
        'gdb_part vma-2q' 'gdb_part vma-2'
    compare "mm walk: QEMU physical mode vs the kernel's mappings" \
        'gdb_part walk-touched-q | walk_lines' \
        'gdb_part walk-touched | walk_lines | grep -v ^pte'
fi

# expect PART REGEX WHAT -- a line of GDB's output after @@ PART matches.
expect() {
    gdb_part "$1" | grep -Eq "$2" || fail "$3 (no match for /$2/ after @@ $1)"
}
cr3=$(gdb_part walk-vpd | sed -n 's/^cr3 //p')
read -r p1 pt < <(gdb_part free-frag | sed -n 's/^p1 \([0-9a-f]*\) pt /\1 /p')
expect free-frag "^  \[ppn ${p1:-none}, ${p1:-none}\] 1 pages$" \
    "check_pgdir: the freed p1 (ppn $p1) is a free block of its own"
expect free-frag "^  = [0-9]+ blocks, [0-9]+ pages: nr_free agrees" \
    "check_pgdir: the blocks add up to nr_free"
expect page-p1 ": free, head of the block \[ppn ${p1:-none}, ${p1:-none}\]" \
    "mm page p1: free, a block of its own"
expect page-pt "^struct Page [0-9a-f]+: ppn ${pt:-none}, " "mm page PPN"
expect page-pt ": not in a free block \(allocated\)" \
    "mm page of the page table: allocated"
expect page-pt "^  ref 1, flags 00000000 \(-\)" "mm page: ref and flags"
expect walk-kernbase '^  PTE\[000\] = 00000003 ' "KERNBASE: PTE of frame 0, W P"
expect walk-kernbase '^  frame pa 00000000,' "KERNBASE: frame 0"
expect walk-kernbase 'ppn 00000\): ref 0, flags reserved.*kernel pool$' \
    "KERNBASE: frame 0 is a reserved kernel-pool page"
expect walk-direct '^  frame pa 00123000, pa 00123456$' "KERNBASE + 0x123456"
expect walk-vpd "^  frame pa ${cr3:-none}, " "VPT self-map: the directory (boot_cr3 $cr3)"
expect walk-vpd "^  page table pa ${cr3:-none} \(the directory itself" \
    "VPT self-map: the PDE points at the directory"
expect vma-0 '^no address space is loaded' "mm vma with no address space"
if [ -z "$vapa" ]; then
    pte=$(gdb_part walk-touched | sed -n 's/^pte //p')
    expect walk-touched "^  PTE\[001\] = ${pte:-none} .*U=1 .*read through" \
        "$touched: the PTE the CPU sees through VPT ($pte)"
    expect walk-touched "^  PTE\[001\] = [0-9a-f]+  P=1 W=1 U=1 " "$touched: P W U"
    expect walk-touched "ppn [0-9a-f]+\): ref 1, flags -, .*; process pool$" \
        "$touched: a process-pool frame, mapped once"
    expect walk-touched-q "read through QEMU physical-memory mode" \
        "set mm-phys qemu reads through QEMU"
    expect vma-2 '^    region \[10001000, 10005000\) 4 pages, 1 present$' \
        "the pool's first region, with the touched page"
fi
for p in free-1 $([ -z "$vapa" ] && echo free-2); do
    for pool in kernel process; do
        expect $p "^  = [0-9]+ blocks, [0-9]+ pages: nr_free agrees" \
            "mm free ($p): the blocks add up to nr_free"
    done
done
if grep -Eq 'ERROR|Python Exception|Error occurred|^Traceback' "$tmp/gdb.out"; then
    fail "a helper reported an error"
    grep -E 'ERROR|Python Exception|Error occurred|^Traceback' "$tmp/gdb.out" |
        head -10 | sed 's/^/    /'
fi
# report -- the logs on a failure, else what was checked.
report() {
    if [ $status -ne 0 ]; then
        sed 's/^/    gdb: /' "$tmp/gdb.out" | tail -60
        sed -n '/^K> /,$p' "$tmp/serial.log" | sed 's/^/    serial: /' | tail -30
        printf '\n%s' "$failures" # again, last: a runner may show only the tail
    elif [ -n "$vapa" ]; then
        echo "gdbmm: OK at -m $mem, KERNBASE 0 (VAPA): mm pgdir (boot," \
            "monitor), mm free, mm page and mm walk agree with the kernel"
    else
        echo "gdbmm: OK at -m $mem: mm pgdir (boot, monitor, after vmdemo), mm free," \
            "mm vma and mm walk agree with the kernel; QEMU physical mode agrees;" \
            "mm ps, mm frames, mm swap and mm walk agree during swapping"
    fi
    exit $status
}
[ -z "$vapa" ] || report # no processes under VAPA

# ---- processes, the frame table and swap --------------------------------
# A second boot runs page-linear (a 2 MiB buffer) in a 512K process pool,
# and stops at its fourth write, the line "read/modify/write pass one",
# after two passes over the buffer (a write, then a read): most of its
# pages are out, nearly every resident one has a clean copy in swap.  The
# serial log's last line is read while the guest is stopped there: after
# GDB detaches, the guest runs on until it is killed.  (Every hit GDB ignores is
# a stop and a resume over the remote protocol, about 30 ms: stopping at
# the 51st swap_in cost a second, the 501st 15 s.)  The helpers' views are
# checked against each other and against what GDB reads directly: mm ps's
# swap entries per process vs mm swap's sharers, mm ps's present PTEs vs
# the mappings mm frames lists, mm frames' count vs the frame table dumped
# raw, mm swap's bitmap count vs swapfs's slots_taken, and `mm walk` of a
# swapped address vs the slot mm swap names for it.
swap_disk "$tmp/swap2.img" || exit 1
# Not port + 1: runtests.sh gives its steps consecutive GDBPORTs from one
# base below 20000, so port + 1 is likely the next step's port; port +
# 12000 is no step's, and still below the ephemeral range.
port2=$((port + 12000))
qemu-system-i386 -m "$mem" -no-reboot -display none -monitor none -S \
    -gdb tcp::"$port2" -serial file:"$tmp/serial2.log" \
    -drive file="$img",format=raw,index=0,media=disk,snapshot=on \
    "${swap_drive[@]}" \
    -fw_cfg name=opt/ucore/prog,string=page-linear \
    -fw_cfg name=opt/ucore/procmem,string=512K \
    < /dev/null 2> "$tmp/qemu2.err" &
qpid=$!
wait_gdb_port "$port2" $qpid ||
    { echo "gdbmm: QEMU does not listen on port $port2"; cat "$tmp/qemu2.err"; exit 1; }
cat > "$tmp/cmds2" <<GDB
set confirm off
set pagination off
file $kernel
python import sys; sys.path.insert(0, "$tools/gdb"); import mm
target remote localhost:$port2
break sys_write
ignore 1 3
continue
shell tr -d '\\r' < $tmp/serial2.log | grep '^(page-linear) ' | tail -1 > $tmp/serial2.last
echo @@ ps\n
mm ps
echo @@ frames\n
mm frames
echo @@ swap\n
mm swap
echo @@ kernel\n
printf "slots_taken %d\n", 'swapfs.c'::slots_taken
printf "frame_size %d\n", sizeof(struct frame)
dump binary memory $tmp/frames.bin 'frame.c'::frames 'frame.c'::frames + 'frame.c'::nframes
python
for l in gdb.execute("mm ps", to_string=True).splitlines()[1:]:
    f = l.split()
    if len(f) == 9 and f[-1] != "-":
        print("@@ walk-swapped")
        print("pid %s va %s" % (f[0], f[-1]))
        gdb.execute("mm walk 0x%s 0x%s" % (f[-1], f[4]))
        break
end
echo @@ help\n
help mm
echo @@ end\n
delete
detach
GDB
timeout 120 gdb -q -batch -nx -x "$tmp/cmds2" > "$tmp/gdb2.out" 2>&1
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
qpid=

gdb2_part() {
    awk -v m="@@ $1" '/^@@ /{on = ($0 == m); next} on' "$tmp/gdb2.out"
}
# check WHAT GOT WANT -- two numbers computed two ways are equal.
check() {
    [ -n "$2" ] && [ "$2" = "$3" ] || fail "$1: $2, expected $3"
}
last=$(cat "$tmp/serial2.last" 2>/dev/null)
[ "$last" = "(page-linear) read pass" ] ||
    fail "the swap boot stopped after page-linear's line '$last', not after the read pass"
# mm ps: "pid state name mm pgdir resident swapped tables first"
ps_rows=$(gdb2_part ps | awk 'NF == 9 && $1 ~ /^[0-9]+$/')
swapped=$(echo "$ps_rows" | awk '{s += $7} END {print s + 0}')
[ "${swapped:-0}" -gt 0 ] ||
    fail "page-linear in 512K: mm ps finds no swapped-out page (no swapping?)"
check "mm ps swapped pages vs mm swap's sharers" "$swapped" \
    "$(gdb2_part swap | sed -n 's/^= [0-9]* slots out (\([0-9]*\) sharers).*/\1/p')"
while read -r pid _ _ _ _ res swp _; do
    check "pid $pid: mm ps swapped vs the slots mm swap lists for it" "$swp" \
        "$(gdb2_part swap | grep -Eo "(pid |/)$pid[/ ][^,]* at " | wc -l)"
    check "pid $pid: mm ps resident vs the mappings mm frames lists for it" \
        "$res" "$(gdb2_part frames | grep -Eo "(pid |/)$pid[/ ][^,;]* at " |
            wc -l)"
done <<< "$ps_rows"
fsize=$(gdb2_part kernel | sed -n 's/^frame_size //p')
check "mm frames in use vs the frame table's non-NULL maps (raw dump)" \
    "$(gdb2_part frames | sed -n 's/^= \([0-9]*\) frames in use.*/\1/p')" \
    "$(python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(); n = int(sys.argv[2])
print(sum(1 for o in range(0, len(d), n) if struct.unpack_from("<I", d, o)[0]))' \
        "$tmp/frames.bin" "${fsize:-12}" 2>/dev/null)"
taken=$(gdb2_part kernel | sed -n 's/^slots_taken //p')
check "mm swap slots in use vs swapfs's slots_taken - 1 (slot 0)" \
    "$(gdb2_part swap | sed -n 's/^swap is on: [0-9]* slots of 4 KiB, \([0-9]*\) in use.*/\1/p')" \
    "$((${taken:-0} - 1))"
read -r _ wpid _ wva < <(gdb2_part walk-swapped | grep '^pid ')
wslot=$(gdb2_part walk-swapped |
    sed -n 's/^  swapped out: slot \([0-9]*\), W=[01] U=1$/\1/p')
[ -n "$wslot" ] ||
    fail "mm walk $wva (pid $wpid, swapped per mm ps): no 'swapped out: slot S, W=w U=1'"
gdb2_part swap | grep -Eq "^  slot ${wslot:-none}: out, .*pid $wpid .* at $wva(,|$)" ||
    fail "mm swap: slot $wslot (mm walk $wva) is not out for pid $wpid at $wva"
for c in ps frames swap; do
    gdb2_part help | grep -q "^mm $c -- " || fail "help mm does not list mm $c"
done
if grep -Eq 'ERROR|Python Exception|Error occurred|^Traceback' "$tmp/gdb2.out"; then
    fail "a helper reported an error (swap run)"
    grep -E 'ERROR|Python Exception|Error occurred|^Traceback' "$tmp/gdb2.out" |
        head -10 | sed 's/^/    /'
fi
if [ $status -ne 0 ]; then
    grep -v '^  \(slot\|ppn\) ' "$tmp/gdb2.out" | sed 's/^/    gdb2: /' | tail -40
fi
report
