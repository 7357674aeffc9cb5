#!/bin/bash
# benchswap.sh POLICY=IMAGE... -- the kernel side of make bench-replace:
# boot each image (one per replacement policy) RUNS times (3) running
# page-linear and page-merge-par with the process pool capped at $PROCMEM
# (512K), and print, per policy and program, the page faults, swap-ins,
# swap-outs and write-backs (the same in every run: one process or
# children that finish in a fixed order) and the median cycles per fault
# (TSC cycles inside do_pgfault, the disk waits included; QEMU TCG).
# Figures, not a test: exits non-zero only when a run gives no result.
set -u
runs=${RUNS:-3}
cap=${PROCMEM:-512K}
progs="page-linear;page-merge-par"
tmp=$(mktemp -d /tmp/benchswap.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/swapdisk.sh"

# run IMAGE LOG -- boot IMAGE until both programs are done (120 s at most).
run() {
    swap_disk "$tmp/swap.img" || return 1
    qemu-system-i386 -m 128M -no-reboot -display none -monitor none \
        -drive file="$1",format=raw,index=0,media=disk,snapshot=on \
        "${swap_drive[@]}" -fw_cfg "name=opt/ucore/prog,string=$progs" \
        -fw_cfg "name=opt/ucore/procmem,string=$cap" \
        -serial file:"$2" 2>/dev/null &
    local qpid=$! i
    for i in $(seq 1200); do
        local done
        done=$(grep -cs "init check memory pass" "$2")
        [ "${done:-0}" -ge 2 ] && break
        grep -qs "kernel panic" "$2" && break
        sleep 0.1
    done
    kill $qpid 2>/dev/null
    wait $qpid 2>/dev/null
    [ "$(grep -c "swap faults:" "$2")" -eq 2 ]
}

printf '%-9s %-15s %7s %9s %9s %10s %12s\n' policy program faults \
    swap-ins swap-outs "written" "cycles/fault"
for arg in "$@"; do
    policy=${arg%%=*} img=${arg#*=}
    for r in $(seq "$runs"); do
        if ! run "$img" "$tmp/$policy.$r"; then
            echo "bench-swap: no result from $img ($policy)" >&2
            exit 1
        fi
    done
    cat "$tmp/$policy".* | tr -d '\r' | awk -v policy="$policy" -v runs="$runs" '
        /^kernel_execve:/ { split($0, q, "\""); prog = q[2] }
        /^swap: [0-9]+ swap-ins/ { ins[prog] = $2; outs[prog] = $4
            w = $6; sub(/\(/, "", w); wb[prog] = w }
        /^swap faults:/ { faults[prog] = $3; cyc[prog, ++n[prog]] = $6
            if (n[prog] == 1) order[++np] = prog }
        END {
            for (i = 1; i <= np; i++) {
                p = order[i]
                for (a = 1; a <= n[p]; a++) c[a] = cyc[p, a]
                for (a = 1; a <= n[p]; a++) for (b = a + 1; b <= n[p]; b++)
                    if (c[b] < c[a]) { t = c[a]; c[a] = c[b]; c[b] = t }
                printf "%-9s %-15s %7d %9d %9d %10d %12d\n", policy, p,
                    faults[p], ins[p], outs[p], wb[p], c[int((n[p] + 1) / 2)]
            }
        }'
done
echo "($runs runs each, PROCMEM=$cap, -m 128M; median cycles per fault)"
