#!/bin/bash
# gdbtest.sh KERNEL IMAGE -- a batch GDB attaches to a paused QEMU, stops at
# kern_init (hardware breakpoint, set before paging is on), steps into
# pmm_init, lets page_init run and reads npage.  Fails when symbols or
# source lines are missing or npage is not what the kernel computed.
set -u
kernel=${1:?usage: gdbtest.sh KERNEL IMAGE}
img=${2:?usage: gdbtest.sh KERNEL IMAGE}
port=${GDBPORT:-$((10000 + RANDOM % 10000))} # runtests.sh says why so low
tmp=$(mktemp -d /tmp/gdbtest.XXXXXX)
trap 'kill $qpid 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/swapdisk.sh"
. "$(dirname "$0")/gdbport.sh"
swap_disk "$tmp/swap.img" || exit 1

qemu-system-i386 -m 128M -no-reboot -display none -monitor none -S \
    -gdb tcp::"$port" -serial file:"$tmp/serial.log" \
    -drive file="$img",format=raw,index=0,media=disk "${swap_drive[@]}" \
    2>"$tmp/qemu.err" &
qpid=$!
wait_gdb_port "$port" $qpid ||
    { echo "gdbtest: QEMU does not listen on port $port"; cat "$tmp/qemu.err"; exit 1; }

cat > "$tmp/cmds" <<GDB
set confirm off
set pagination off
file $kernel
target remote localhost:$port
hbreak kern_init
continue
info line *\$pc
break pmm_init
continue
step
bt 3
finish
print npage
print/x pages
print pmm_manager->name
kill
GDB
timeout 60 gdb -q -batch -nx -x "$tmp/cmds" > "$tmp/gdb.out" 2>&1
status=0
expect() { # expect REGEX WHAT
    if ! grep -Eq "$1" "$tmp/gdb.out"; then
        echo "gdbtest: FAIL: $2 (no match for /$1/)"
        status=1
    fi
}
expect 'kern_init \(\) at kern/init/init\.c:[0-9]+' "stopped at kern_init with its source line"
expect 'Line [0-9]+ of "kern/init/init\.c"' "line table for kern_init"
expect 'pmm_init \(\) at kern/mm/pmm/pmm\.c:[0-9]+' "breakpoint in pmm_init with source line"
expect '#1 +0x[0-9a-f]+ in pmm_boot \(\)' "backtrace from pmm_init to pmm_boot"
expect '#2 +0x[0-9a-f]+ in kern_init \(\)' "backtrace from pmm_boot to kern_init"
expect '"default_pmm_manager"|"[a-z_]+_pmm_manager"' "pmm_manager name readable"
npage=$(grep -Eo '^\$[0-9]+ = [0-9]+$' "$tmp/gdb.out" | head -1 | awk '{print $3}')
want=$(( (128 * 1024 - 128) / 4 )) # -m 128M: usable RAM ends at 0x07fe0000
if [ "${npage:-0}" != "$want" ]; then
    echo "gdbtest: FAIL: npage read as '${npage:-none}', expected $want"
    status=1
fi
if [ $status -ne 0 ]; then
    sed 's/^/    gdb: /' "$tmp/gdb.out" | tail -40
else
    echo "gdbtest: OK: stopped at kern_init, stepped into pmm_init, npage = $npage"
fi
exit $status
