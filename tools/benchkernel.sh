#!/bin/bash
# benchkernel.sh NAME=IMAGE... -- the in-kernel allocator benchmark
# (BENCH=1 images, kern/mm/check/pmm_bench.c) of several managers, made
# trustworthy on a noisy machine.  At each memory size of $SIZES (128M 1G):
# - once per image under QEMU's -icount shift=0 (one guest instruction per
#   virtual nanosecond, so rdtsc counts instructions): the same figure on
#   every run, whatever else the host is doing;
# - $RUNS rounds (5) at full speed, every image once a round, the first
#   image rotating from round to round so a slow spell of the host hits
#   every manager alike: the median of the cycles per op, min, max and
#   spread ((max - min) / median).
# Prints a table per size with each figure's ratio to the first image's,
# and the ranking by each, with a reminder when the two differ.
set -u
[ $# -ge 1 ] || { echo "usage: benchkernel.sh NAME=IMAGE..." >&2; exit 2; }
runs=${RUNS:-5}
sizes=${SIZES:-128M 1G}
names=() imgs=()
for arg; do names+=("${arg%%=*}"); imgs+=("${arg#*=}"); done
n=${#imgs[@]}
tmp=$(mktemp -d /tmp/benchkernel.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# one_run IMAGE MEM [QEMU-OPTION...] -- the cycles per op one boot of
# IMAGE reports.
one_run() {
    local img=$1 mem=$2
    shift 2
    cp "$img" "$tmp/disk.img" # a running make qemu may hold the image's lock
    timeout 60 qemu-system-i386 -m "$mem" "$@" -nographic -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -drive file="$tmp/disk.img",format=raw,index=0,media=disk </dev/null 2>&1 |
        tr -d '\r' | sed -n 's/^bench-kernel: [^ ]* \([0-9]*\) cycles\/op.*/\1/p'
}

# ranking COLUMN -- the managers of $tmp/table by COLUMN, fewest first.
ranking() {
    sort -k"$1,$1n" "$tmp/table" | awk '{ print $1 }' | paste -sd' ' |
        sed 's/ / < /g'
}

status=0
for mem in $sizes; do
    : > "$tmp/results"
    for ((i = 0; i < n; i++)); do
        icount[i]=$(one_run "${imgs[i]}" "$mem" -icount shift=0)
        [ -n "${icount[i]}" ] || { icount[i]=0; status=1; }
    done
    for ((r = 0; r < runs; r++)); do
        for ((k = 0; k < n; k++)); do
            i=$(((r + k) % n))
            c=$(one_run "${imgs[i]}" "$mem")
            if [ -z "$c" ]; then
                echo "benchkernel: no result from ${imgs[i]} at -m $mem" >&2
                status=1
                continue
            fi
            echo "$i $c" >> "$tmp/results"
        done
    done
    echo "-m $mem: instructions per op (-icount), and cycles per op (rdtsc, QEMU TCG) over $runs interleaved rounds"
    printf '%-10s %12s %6s   %8s %8s %8s %7s %6s\n' manager instr/op ratio \
        median min max spread ratio
    for ((i = 0; i < n; i++)); do
        awk -v i="$i" '$1 == i { print $2 }' "$tmp/results" | sort -n |
            awk -v name="${names[i]}" -v ic="${icount[i]}" '{ v[NR] = $1 }
                END { if (!NR) exit
                      med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                      printf "%s %d %d %d %d\n", name, ic, med, v[1], v[NR] }'
    done > "$tmp/table"
    awk 'NR == 1 { bi = $2; bm = $3 }
         { printf "%-10s %12d %6.2f   %8d %8d %8d %6.1f%% %6.2f\n", $1, $2,
                  $2 ? bi / $2 : 0, $3, $4, $5, 100 * ($5 - $4) / $3, bm / $3 }' "$tmp/table"
    echo "ranking by instructions: $(ranking 2)"
    echo "ranking by median time:  $(ranking 3)"
    [ "$(ranking 2)" = "$(ranking 3)" ] ||
        echo "(they differ: under QEMU's TCG the time also depends on where hot code falls" \
             "relative to 4 KiB pages -- lab2.md A.1; compare the instructions)"
    echo
done
exit $status
