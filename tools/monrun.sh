#!/bin/bash
# monrun.sh IMAGE -- the monitor's process commands: boot IMAGE, type
# "run yield", "run hello a b" and "ps" at the prompt, and check that each
# program ran as initproc's child with ucore's two lines after it, and that
# only idle and init are left.
set -u
img=${1:?usage: monrun.sh IMAGE}
tmp=$(mktemp -d /tmp/monrun.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/swapdisk.sh"
swap_disk "$tmp/swap.img" || exit 1
out=$tmp/out in=$tmp/in

# wait_for REGEX COUNT -- wait (10 s at most) until REGEX matches COUNT lines.
wait_for() {
    for _ in $(seq 100); do
        [ "$(grep -Ecs "$1" "$out")" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

mkfifo "$in"
qemu-system-i386 -m 64M -no-reboot -display none -monitor none \
    -serial stdio -drive file="$img",format=raw,index=0,media=disk \
    "${swap_drive[@]}" < "$in" > "$out" 2>/dev/null &
qpid=$!
exec 3> "$in"
n=1
for cmd in "run yield" "run hello a b" "run nosuch" "ps"; do
    wait_for "K> " $n
    printf '%s\r' "$cmd" >&3
    n=$((n + 1))
done
wait_for "K> " $n
exec 3>&-
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
tr -d '\r' < "$out" > "$out.txt"

status=0
for want in 'kernel_execve: pid = 2, name = "yield".' 'yield pass.' \
    'kernel_execve: pid = 3, name = "hello".' 'hello pass.' \
    'init check memory pass.' 'run: no program nosuch; there are: hello' \
    '    0    -1 runnable      [0-9]+ idle' '    1     0 runnable      [0-9]+ init \(current\)'; do
    if grep -Eq "^$want" "$out.txt"; then
        echo "ok   $want"
    else
        echo "FAIL no line matches /^$want/"
        status=1
    fi
done
[ "$(grep -c '^init check memory pass.$' "$out.txt")" = 2 ] ||
    { echo "FAIL: not two memory checks"; status=1; }
[ $status = 0 ] || sed -n '/K> /,$p' "$out.txt" | head -60 | sed 's/^/    /'
exit $status
