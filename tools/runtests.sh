#!/bin/bash
# runtests.sh -- everything `make test` runs.  The managers' builds run
# first (what they share in obj/shared with the default's), then the boots,
# host tests and remaining builds, up to TEST_JOBS (`nproc`) steps at a time,
# each step's output in its own file; the steps are reported in the order
# they are listed here, PASS/FAIL per step with its wall and CPU seconds
# (and its output on failure), then the run's wall and CPU seconds, and
# last "N passed, N failed".  Exits non-zero when a step failed.  Steps
# that share something (a build directory, bin/ucore.img opened for
# writing) are put in one lane: LANE=name step ... runs after the lane's
# earlier steps.  Lanes start before the steps of no lane, so a long step
# that shares nothing gets a lane of its own (long-*): the short ones then
# fill the end of the run.  A lane named light-* holds steps that mostly wait (for
# the guest's timer, for keys to reach it): its steps run beside the
# TEST_JOBS others, not in one of their places; once every light lane is
# done, TEST_JOBS + 1 of the others run at a time (many of them wait a
# little too, and the cores would idle).  Each step gets its own
# GDBPORT and its own scratch prefix $log.  TEST_TIMELINE=FILE appends
# each step's start and end (seconds into the run) and name to FILE.
set -u
cd "$(dirname "$0")/.."
# The swap disk of every boot here: the default (bin/swap.img for make's
# targets, an empty 32M disk for the scripts), whatever the caller's
# environment says; the ide steps choose their own.
unset SWAP_DISK SWAPSIZE SWAPIMG
. tools/swapdisk.sh
passed=0 failed=0 cpu_total=0 started=$EPOCHREALTIME
dir=$(mktemp -d /tmp/runtests.XXXXXX)
trap 'rm -rf "$dir"' EXIT
njobs=${TEST_JOBS:-$(nproc)}
# QEMU's GDB ports lie below Linux's ephemeral range (32768-60999), from
# which every connecting socket, each GDB's included, takes its local port.
# With a port inside it, a QEMU was once seen listening (/proc/net/tcp)
# while GDB's connection to it timed out.
gdbport=$((10000 + RANDOM % 10000))

# step NAME COMMAND... -- add a step to the next run_steps (lane $LANE, or
# a lane of its own).
names=() cmds=() lanes=()
step() {
    names+=("$1")
    shift
    cmds+=("$(printf '%q ' "$@")")
    lanes+=("${LANE:-}")
}

# run_one I -- run step I with its output in $dir/I.out; $dir/I.rc gets
# its exit status, seconds and CPU seconds (of the processes it waited
# for: QEMU, GDB, compilers, test programs).
run_one() {
    local i=$1 t0=$EPOCHREALTIME rc
    (
        log=$dir/s$i
        export GDBPORT=$((gdbport + i))
        trap 'times > "$dir/$i.times"' EXIT # also when the step calls exit
        eval "${cmds[i]}"
    ) > "$dir/$i.out" 2>&1
    rc=$?
    echo "$rc $(elapsed "$t0") $(cpu_secs < "$dir/$i.times") $(elapsed "$started")" > "$dir/$i.tmp"
    mv "$dir/$i.tmp" "$dir/$i.rc"
}

# cpu_secs -- user + system seconds of the children line of `times`.
cpu_secs() {
    awk 'NR == 2 { for (f = 1; f <= 2; f++) { split($f, t, /[ms]/); s += t[1] * 60 + t[2] } }
         END { printf "%.1f", s }'
}

# heavy_slots -- how many lanes other than light-* may run at once:
# TEST_JOBS, one more once the light lanes are done.
heavy_slots() {
    if [ -e "$dir/light.done" ]; then echo $((njobs + 1)); else echo "$njobs"; fi
}

# launch FROM light|heavy -- run steps FROM.. in lanes: the light-* lanes
# all at once, the others at most $njobs at a time, named lanes (long
# chains) first.
launch() {
    local i key order=()
    declare -A lane=()
    for ((i = $1; i < ${#names[@]}; i++)); do
        key=${lanes[i]:-.$i}
        case $key in light-*) [ "$2" = light ] ;; *) [ "$2" = heavy ] ;; esac ||
            continue
        [ -n "${lane[$key]:-}" ] || order+=("$key")
        lane[$key]+=" $i"
    done
    for key in $(printf '%s\n' "${order[@]}" | grep -v '^\.') \
               $(printf '%s\n' "${order[@]}" | grep '^\.'); do
        while [ "$2" = heavy ] && (($(jobs -rp | wc -l) >= $(heavy_slots))); do
            wait -n
        done
        ( for i in ${lane[$key]}; do run_one "$i"; done ) &
    done
    wait
}

# run_steps -- run the steps added since the last run_steps and report
# them in order as they finish.
reported=0
run_steps() {
    local rc secs cpu
    rm -f "$dir/light.done"
    ( launch "$reported" light; touch "$dir/light.done" ) &
    local light=$!
    launch "$reported" heavy &
    local runner=$!
    for ((; reported < ${#names[@]}; reported++)); do
        while [ ! -e "$dir/$reported.rc" ]; do sleep 0.1; done
        read -r rc secs cpu end < "$dir/$reported.rc"
        [ -z "${TEST_TIMELINE:-}" ] ||
            printf '%6.1f %6.1f %s\n' "$(awk -v e="$end" -v s="$secs" 'BEGIN { print e - s }')" \
                "$end" "${names[reported]}" >> "$TEST_TIMELINE"
        cpu_total=$(awk -v a="$cpu_total" -v b="$cpu" 'BEGIN { print a + b }')
        if [ "$rc" -eq 0 ]; then
            passed=$((passed + 1))
            printf 'PASS  %-44s %6.1f s  (cpu %5.1f s)\n' "${names[reported]}" "$secs" "$cpu"
        else
            failed=$((failed + 1))
            printf 'FAIL  %-44s %6.1f s  (cpu %5.1f s)\n' "${names[reported]}" "$secs" "$cpu"
            tail -40 "$dir/$reported.out" | sed 's/^/      | /'
        fi
    done
    wait "$runner" "$light"
}

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }'; }

# build_clean PMM [VAR=VALUE...] -- build with no warnings at all (-Werror
# makes warnings fail anyway; this also catches linker and assembler notes).
build_clean() {
    make -s PMM="$1" "${@:2}" all > "$log.build" 2>&1 || { cat "$log.build"; return 1; }
    ! grep -i "warning" "$log.build"
}

# config_macros_confined -- only the Makefile's CONFIG_SRCS read a
# configuration macro (outside comments): every other object is shared by
# all configurations and would silently see none.
config_macros_confined() {
    local allowed stray
    allowed=" $(make -s print-config-srcs) "
    stray=$(grep -rnwE 'PMM_MANAGER|SWAP_MANAGER|PMM_BENCH|PROC_POOL_LOW_PERCENT|FORK_EAGER' \
        kern libs boot user --include='*.[chS]' |
        grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*|//)' |
        while IFS=: read -r file _; do
            [[ $allowed == *" $file "* ]] || echo "$file"
        done | sort -u)
    [ -z "$stray" ] || { echo "read a configuration macro but are not in CONFIG_SRCS:" $stray; false; }
}

# sign_rejects_oversize -- a boot block over 510 bytes is a build error.
sign_rejects_oversize() {
    head -c 511 /dev/zero > "$log.blk"
    ! obj/tools/sign "$log.blk" "$log.out" && head -c 510 /dev/zero > "$log.blk" &&
        obj/tools/sign "$log.blk" "$log.out" && [ "$(stat -c %s "$log.out")" = 512 ]
}

# too_little_ram -- at -m 2M the kernel stops with a clear panic.
too_little_ram() {
    swap_disk "$log.swap" || return 1
    BOOT_MEM=2M boot_to_prompt "$log.2m" "${swap_drive[@]}"
    cat "$log.2m"
    grep -Eq "pmm: only [0-9]+ KiB of RAM free after the kernel" "$log.2m"
}

# first_build_links -- the first `make` on a fresh machine links.  There
# the 32-bit libgcc appears only when tools/deps.sh has installed
# gcc-multilib; a gcc wrapper on PATH recreates that: until the build's
# dependency step has run (obj/.deps-build exists) it knows no 32-bit
# libgcc.  A build that looks the library up before then links without it
# and fails (__udivdi3).  Runs in a copy of the tree with no obj/.
first_build_links() {
    local tree=$log.tree fake=$log.bin
    copy_tree "$tree"
    rm -rf "$fake" && mkdir -p "$fake"
    cat > "$fake/gcc" <<'WRAP'
#!/bin/sh
case " $* " in *" -print-libgcc-file-name "*)
    [ -e obj/.deps-build ] || { echo libgcc.a; exit 0; } ;;
esac
exec /usr/bin/gcc "$@"
WRAP
    chmod +x "$fake/gcc"
    PATH="$fake:$PATH" make -s -C "$tree" all && [ -s "$tree/bin/kernel" ]
    local rc=$?
    rm -rf "$tree" "$fake"
    return $rc
}

# copy_tree DIR [built] -- the tracked and new files of this tree, without
# obj/; with "built", also what every configuration shares there (the
# objects of obj/shared, obj/tools, the deps stamps: made by the build
# steps, which are over), times kept, so a build in the copy compiles
# only what differs from this tree, as a student's next build would.
copy_tree() {
    rm -rf "$1" && mkdir -p "$1"
    { git ls-files -co --exclude-standard
      [ "${2:-}" != built ] || find obj/shared obj/tools obj/.deps-* 2>/dev/null
    } | tar -cf - --no-recursion -T - | tar -xf - -C "$1"
}

# handout_drops_in AS MEM -- a manager written the Lab 2 handout's way
# (tests/fixtures/handout_pmm.c: a global free_area, ucore's members, a
# check through alloc_page()) dropped into a copy of the tree as
# kern/mm/alloc/AS_pmm.c, unedited but for its names, builds with
# PMM=AS, grades at -m MEM, and the GDB helpers decode its free list.
handout_drops_in() {
    local tree=$log.tree as=$1 img
    copy_tree "$tree" built
    sed "s/handout_/${as}_/g" tests/fixtures/handout_pmm.c \
        > "$tree/kern/mm/alloc/${as}_pmm.c"
    make -s -C "$tree" grade PMM="$as" QEMUMEM="$2" &&
        img=$tree/$(make -s -C "$tree" print-image PMM="$as") &&
        "$tree/tools/gdbmm.sh" "$(dirname "$img")/kernel" "$img" "$2"
    local rc=$?
    rm -rf "$tree"
    return $rc
}

# grade_built PMM MEM [PROG] -- tools/grade.sh (what make grade runs) on
# the built image of PMM (images[], from make print-image) at -m MEM,
# running PROG, with the swap disk make's would be (32M, empty).
grade_built() {
    PMM=$1 PROG=${3:-} tools/grade.sh "${images[$1]}" "$2"
}

# gdb_mm PMM [VAR=VALUE...] -- the mm GDB helpers against the kernel's own output
# (tools/gdbmm.sh), at -m 128M and -m 3G (high memory).
gdb_mm() {
    local img
    img=$(make -s print-image PMM="$1" "${@:2}") || return 1
    tools/gdbmm.sh "$(dirname "$img")/kernel" "$img" 128M &&
        tools/gdbmm.sh "$(dirname "$img")/kernel" "$img" 3G
}

# qemu_bad_display -- `make qemu` with a DISPLAY no X server answers falls
# back to this terminal, says so, and boots.
qemu_bad_display() {
    DISPLAY=:99 WAYLAND_DISPLAY= setsid timeout 10 make -s qemu < /dev/null > "$log.disp" 2>&1 &
    local mpid=$!
    for _ in $(seq 100); do
        grep -qs "check_pgdir() succeeded!" "$log.disp" && break
        sleep 0.1
    done
    kill -- -"$mpid" 2>/dev/null; wait "$mpid" 2>/dev/null
    tr -d '\r' < "$log.disp" > "$log.disp.txt"
    grep -q "display ':99' unusable" "$log.disp.txt" &&
        ! grep -q "WARNING" "$log.disp.txt" &&
        grep -q "check_pgdir() succeeded!" "$log.disp.txt" || { cat "$log.disp.txt"; false; }
}

# grade_beside_qemu -- make grade scores in full while another QEMU holds
# the write locks of both disks (a student's make qemu in another terminal).
grade_beside_qemu() {
    make -s bin/swap.img || return 1
    qemu-system-i386 -m 32M -display none -serial null -monitor none \
        -drive file=bin/ucore.img,format=raw,index=0,media=disk \
        -drive file=bin/swap.img,format=raw,index=1,media=disk &
    local qpid=$!
    sleep 0.5
    make -s grade
    local rc=$?
    kill $qpid 2>/dev/null
    wait $qpid 2>/dev/null
    return $rc
}

# boot_to_prompt LOG [QEMU OPTION...] -- boot a copy of bin/ucore.img
# with BOOT_MEM of RAM (64M) until the monitor prompts (or the kernel
# panics: half a second more for its message; 30 s at most) with the
# options given (the swap disk); the serial log, without '\r', in LOG.
boot_to_prompt() {
    local out=$1 i
    shift
    cp bin/ucore.img "$out.img"
    rm -f "$out.raw" # a stale prompt must not end the wait
    qemu-system-i386 -m "${BOOT_MEM:-64M}" -no-reboot -display none \
        -monitor none -drive file="$out.img",format=raw,index=0,media=disk \
        "$@" -serial file:"$out.raw" 2>/dev/null &
    local qpid=$!
    for i in $(seq 300); do
        grep -qs "K> " "$out.raw" && break
        grep -qs "kernel panic" "$out.raw" && { sleep 0.5; break; }
        sleep 0.1
    done
    kill $qpid 2>/dev/null
    wait $qpid 2>/dev/null
    tr -d '\r' < "$out.raw" > "$out"
}

# ide_swap_disk -- with a swap disk of 32M and of 8M the kernel finds both
# disks, reports the swap disk's size, and its write/read check passes.
ide_swap_disk() {
    local size sectors
    for size in 32 8; do
        sectors=$((size * 2048))
        SWAPSIZE=${size}M swap_disk "$log.swap" &&
            boot_to_prompt "$log.$size" "${swap_drive[@]}" || return 1
        grep "^ide \|^check_ide" "$log.$size"
        grep -q "^ide 0: " "$log.$size" &&
            grep -qx "ide 1: $sectors sectors ($size MiB)" "$log.$size" &&
            grep -qx "check_ide() succeeded!" "$log.$size" &&
            grep -q "K> " "$log.$size" || { cat "$log.$size"; return 1; }
    done
}

# ide_no_swap_disk -- without a swap disk (SWAP_DISK=0) the kernel finds
# only the boot disk, skips check_ide, and grades in full.
ide_no_swap_disk() {
    make -s grade SWAP_DISK=0 || return 1
    boot_to_prompt "$log.none"
    grep "^ide \|^check_ide" "$log.none"
    grep -q "^ide 0: " "$log.none" && ! grep -q "^ide 1\|check_ide" "$log.none" &&
        grep -q "K> " "$log.none" || { cat "$log.none"; false; }
}

# in_order LOG REGEX... -- every REGEX (extended, a whole line) matches a
# line of LOG, each after the previous one's; prints what is missing.
in_order() {
    local out=$1
    shift
    printf '%s\n' "$@" | awk '
        NR == FNR { want[n++] = $0; next }
        got < n && $0 ~ ("^" want[got] "$") { got++ }
        END { for (i = got; i < n; i++) print "missing: " want[i]; exit got < n }
    ' - "$out"
}

# boot_progs LOG PROGS PROCMEM [QEMU OPTION...] -- boot_to_prompt running
# the programs PROGS (fw_cfg), the process pool capped at PROCMEM (none
# when empty), with the options given (the swap disk); then LOG must show
# no kernel panic and end at the monitor's prompt.
boot_progs() {
    local out=$1 progs=$2 procmem=$3
    shift 3
    local cap=()
    [ -n "$procmem" ] && cap=(-fw_cfg "name=opt/ucore/procmem,string=$procmem")
    boot_to_prompt "$out" -fw_cfg "name=opt/ucore/prog,string=$progs" \
        "${cap[@]}" "$@"
    ! grep -q "kernel panic" "$out" && grep -q "^K> " "$out" ||
        { cat "$out"; false; }
}

# swap_full -- a 1M swap disk (255 slots) and a 512K process pool cannot
# hold page-linear's 2 MiB: it alone is killed, every slot and frame comes
# back (the memory check), and hello runs after it.
swap_full() {
    SWAPSIZE=1M swap_disk "$log.swap" &&
        boot_progs "$log.full" "page-linear;hello" 512K "${swap_drive[@]}" &&
        in_order "$log.full" "swap: 255 slots of 4 KiB on ide 1 \(1 MiB\)" \
            "check_swap\(\) succeeded!" \
            "process pool capped at 512K: 128 frames free" \
            "out of memory: swap full \(page fault at 0x[0-9a-f]+\)" \
            "page-linear: exit\(-1\)" "all user-mode processes have quit." \
            "init check memory pass." "hello pass." "hello: exit\(0\)" \
            "init check memory pass." "K> .*" || { cat "$log.full"; false; }
}

# swap_off_cap -- without a swap disk swap is off: the 512K cap kills
# page-linear alone ("process pool empty"); uncapped it passes.
swap_off_cap() {
    boot_progs "$log.cap" page-linear 512K &&
        in_order "$log.cap" "swap is off: no swap disk \(ide 1\)" \
            "check_swap\(\) skipped: swap is off" \
            "process pool capped at 512K: 128 frames free" \
            "out of memory: process pool empty \(page fault at 0x[0-9a-f]+\)" \
            "page-linear: exit\(-1\)" "init check memory pass." "K> .*" &&
        boot_progs "$log.nocap" page-linear "" &&
        in_order "$log.nocap" "swap is off: no swap disk \(ide 1\)" \
            "\(page-linear\) end" "page-linear: exit\(0\)" \
            "init check memory pass." "K> .*" ||
        { cat "$log.cap" "$log.nocap" 2>/dev/null; false; }
}

# swap_disk_error IO -- QEMU's blkdebug driver fails every IO ("read" or
# "write") of the sectors of swap slots 200, 300 and 400 (EIO; check_ide
# and check_swap use other sectors, and the other direction still
# succeeds): page-linear under a 512K cap reads one of them back (or
# writes one), the kernel reports the disk error with the slot and its
# sectors and kills it alone (a failed write maps the page back first),
# the memory check passes, and hello runs after it.
swap_disk_error() {
    local io=$1 sector killed
    truncate -s 32M "$log.swap" && : > "$log.blkdebug" || return 1
    for sector in 1600 2400 3200; do
        printf '[inject-error]\nevent = "%s_aio"\niotype = "%s"\nerrno = "5"\nsector = "%s"\nonce = "off"\n\n' \
            "$io" "$io" "$sector" >> "$log.blkdebug"
    done
    killed="page fault at 0x[0-9a-f]+: the page could not be read back from swap"
    [ "$io" = write ] &&
        killed="out of memory: swap disk error \(page fault at 0x[0-9a-f]+\)"
    boot_progs "$log.eio" "page-linear;hello" 512K -drive \
        "file=blkdebug:$log.blkdebug:$log.swap,format=raw,index=1,media=disk" &&
        in_order "$log.eio" "check_swap\(\) succeeded!" \
            "swapfs_$io: swap disk error -[0-9]+ on slot [234]00 \(sectors [0-9]+-[0-9]+\)" \
            "$killed" "page-linear: exit\(-1\)" "init check memory pass." \
            "hello pass." "init check memory pass." "K> .*" ||
        { cat "$log.eio"; false; }
}

# monitor_ticks -- at the monitor prompt the "100 ticks" line stops after
# five lines; `ticks on` brings it back and `ticks off` stops it again.
monitor_ticks() {
    local out=$log.ticks in=$log.in n
    count() { grep -c '100 ticks' "$out"; }
    mkfifo "$in"
    cp bin/ucore.img "$log.img" # not bin/ucore.img: other steps lock it
    qemu-system-i386 -m 32M -no-reboot -display none -monitor none \
        -serial stdio -drive file="$log.img",format=raw,index=0,media=disk \
        < "$in" > "$out" 2>/dev/null &
    local qpid=$!
    exec 4> "$in"
    for _ in $(seq 300); do [ "$(count)" -ge 5 ] && break; sleep 0.1; done
    sleep 1.5 # over a guest second: no sixth line may come
    n=$(count)
    printf 'ticks on\r' >&4
    for _ in $(seq 300); do [ "$(count)" -ge $((n + 2)) ] && break; sleep 0.1; done
    local on=$(count)
    printf 'ticks off\r' >&4
    sleep 1.5
    local off=$(count)
    sleep 1.5
    exec 4>&-
    kill $qpid 2>/dev/null
    wait $qpid 2>/dev/null
    echo "tick lines: $n at boot, $on after ticks on, $off then $(count) after ticks off"
    [ "$n" -eq 5 ] && [ "$on" -ge 7 ] && [ "$(count)" -eq "$off" ]
}

managers=$(ls kern/mm/alloc/*_pmm.c | sed 's|kern/mm/alloc/\(.*\)_pmm.c|\1|')
declare -A images
for m in $managers; do
    images[$m]=$(make -s print-image PMM="$m")
done
policies=$(grep -l "const struct swap_manager swap_manager_" kern/mm/swap/*.c |
    sed 's|kern/mm/swap/swap_\(.*\)\.c|\1|')

# The default build alone, on every core.
step "build PMM=default" build_clean default -j"$njobs"
run_steps
# The default build made what every configuration shares (obj/tools,
# obj/.deps-build, the objects of obj/shared): the others build only
# their CONFIG_SRCS and link, side by side.
for m in $managers; do
    [ "$m" = default ] || step "build PMM=$m" build_clean "$m"
done
run_steps

# The longest lanes start first (the lanes in the order they first appear
# here, then the steps of no lane): the host tests, one lane per build/
# directory they build in (build/host, build/fuzz, build/vma, ...), the
# handout-style trees, bad input, the builds for VAPA (its own
# obj/shared-vapa, in no other build's way; its lane's grades follow) and
# in a copy of the tree.
LANE=fuzz step "host: libFuzzer, bounded" make -s fuzz-smoke
LANE=host step "host: cmocka unit tests" make -s host-unit
LANE=host step "host: model tests, pages + kmalloc, 10^6 ops" make -s host-model
LANE=host step "host: fast_ff == first-fit, 10^6 ops" make -s host-diff
LANE=handout step "handout-style as handout_pmm.c: grade, gdb" handout_drops_in handout 128M
LANE=handout step "handout-style over default_pmm.c: grade, gdb" handout_drops_in default 3G
LANE=badinput step "bad input panics (kernel)" tools/badinput.sh bin/ucore.img
LANE=mk-default-vapa step "build VAPA=1 (KERNBASE 0)" build_clean default VAPA=1
LANE=first-build step "first build links (libgcc after deps)" first_build_links
LANE=vma step "host: find_vma vs list + cache (bench)" make -s bench-vma
LANE=vma step "host: VMPool free ranges vs model" make -s host-vmpool
step "host: e820 maps -> Page array + pools" make -s host-e820
step "host: replacement policies vs OPT, LRU, pins" make -s host-replace
# Around KMEMSIZE (896 MiB; QEMU reserves the last 128 KiB below the top):
# 917512K has no high memory, 917640K two high frames, 917888K 64, 897M
# 224 (the process pool tops up from low memory to its 2 MiB minimum at
# all four); at 4095M QEMU puts 1023 MiB above 4 GiB (reported, ignored).
# These boots mostly wait for the timer line and need no make (the images
# are built): two light lanes beside the others.
edges="917512K 917640K 917888K 897M 4095M"
n=0
for m in $managers; do
    for mem in 16M 32M 128M 512M 1G 2G 3G $edges; do
        LANE=light-grade-$((n++ % 2)) step "grade PMM=$m -m $mem" grade_built "$m" "$mem"
    done
done
# Every make of one configuration runs in that configuration's lane: two
# makes in one obj/<config> at once can both decide to relink the kernel,
# and one reads the other's half-written file (seen once in CI-like runs:
# "objcopy: ...page-parallel.bin.o: file truncated").  What they share in
# obj/shared was built by the build steps above.  The default
# configuration's lane is img, whose steps make it too.  (mk_lane takes a
# configuration's name: PMM, or PMM-swapPOLICY.)
mk_lane() { if [ "$1" = default ]; then echo img; else echo "mk-$1"; fi; }
# make VAPA=1, virtual address == physical address (lab2.md §6(e)): the
# Lab 2 checks, print_pgdir's identity map [0, 896 MiB), the line saying
# what is off, the monitor; at 3G RAM above 896 MiB is high memory (the
# process pool), outside the identity map.
for mem in 128M 3G; do
    LANE=mk-default-vapa step "grade VAPA=1 -m $mem" make -s grade VAPA=1 QEMUMEM=$mem
done
# User programs (PROG=all: every program, the user group, the memory check
# after each): the default manager at three sizes, every manager at 3G
# (where the process pool is high memory only).
for mem in 16M 128M; do
    LANE=long-user-$mem step "grade user PMM=default -m $mem" grade_built default $mem all
done
for m in $managers; do
    LANE=$(mk_lane "$m") step "grade user PMM=$m -m 3G" make -s grade PMM="$m" QEMUMEM=3G PROG=all
done
step "sign: boot block > 510 bytes fails" sign_rejects_oversize
step "config macros only in CONFIG_SRCS (shared objects)" config_macros_confined
# make mutate is too long for make test; its patches must still apply.
step "mutants: every patch of tests/mutants applies" tools/mutate.sh --check
# On copies of bin/ucore.img:
step "-m 2M: clear panic" too_little_ram
# These open bin/ucore.img itself (grade_beside_qemu holds its write lock
# on purpose): one at a time.
LANE=img step "gdb: kern_init -> pmm_init, npage" tools/gdbtest.sh bin/kernel bin/ucore.img
LANE=img step "monitor: run, ps" tools/monrun.sh bin/ucore.img
# Guest seconds and keys, on copies of bin/ucore.img: beside the others.
LANE=light-keys step "monitor: 100 ticks stops after 5; ticks on/off" monitor_ticks
LANE=light-keys step "screen: Shift+PgUp/PgDn scrollback = serial log" tools/cgatest.py bin/ucore.img
LANE=img step "make qemu, DISPLAY unusable: terminal" qemu_bad_display
LANE=img step "make grade beside a running make qemu" grade_beside_qemu
step "ide: swap disk (32M, 8M): size, check_ide" ide_swap_disk
# Swap (issue 9): the memory tests under a 512K process pool at every
# replacement policy (a kern/mm/swap file defining a swap_manager_NAME;
# each policy but the default (clockpro) builds in its own
# obj/default-NAME), then the
# ways it fails: swap full, no swap disk, a disk error.
for p in $policies; do
    LANE=$(mk_lane "default$([ "$p" = clockpro ] || echo "-$p")") \
        step "grade swap SWAP=$p" make -s grade PROG=swap SWAP="$p"
done
step "swap full: only that process dies" swap_full
step "no swap disk: swap off, cap kills only the process" swap_off_cap
step "swap disk read error: reported, process killed" swap_disk_error read
step "swap disk write error: reported, process killed" swap_disk_error write
LANE=img step "ide: no swap disk (SWAP_DISK=0): grade" ide_no_swap_disk
# gdbmm.sh's snapshot=on still takes a shared lock on the image: the
# default manager's (bin/ucore.img) joins the lane.
for m in $managers; do
    LANE=$(mk_lane "$m") step "gdb: mm helpers PMM=$m, 128M + 3G" gdb_mm "$m"
done
LANE=mk-default-vapa step "gdb: mm helpers VAPA=1 (KERNBASE 0), 128M + 3G" \
    gdb_mm default VAPA=1
run_steps

printf '%.0f s in all, the steps used %.0f s of CPU; %d at a time (TEST_JOBS) beside the light-* lanes, on %d cores\n' \
    "$(elapsed "$started")" "$cpu_total" "$njobs" "$(nproc)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
