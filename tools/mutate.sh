#!/bin/bash
# mutate.sh [--check] [NAME...] -- mutation testing: do the tests catch
# small deliberate bugs?  tests/mutants/LIST names each mutant (a patch
# tests/mutants/NAME.patch), what it breaks, and the commands that should
# catch it, cheapest first.  Each mutant is applied in a scratch copy of
# this tree (the tracked and new files, never the tree itself), its
# commands run there one after another (each under MUTATE_TIMEOUT
# seconds) until one fails, and the patch is reverted.  A mutant is
# CAUGHT by the first command that fails, SURVIVED when all pass, STALE
# when its patch no longer applies, BUILD ERROR when the mutant does not
# compile; only CAUGHT counts.  A command credited with a catch must pass
# on the unmutated copy (checked once per command, when first needed).
# Prints one line per mutant and "mutation score: K/N"; exits non-zero
# unless every mutant is caught.  NAMEs run only those mutants.
# --check only checks that every patch applies to this tree (git apply
# --check) and that LIST and the patches match: a second, for make test.
set -u
cd "$(dirname "$0")/.."
mdir=tests/mutants
list=$mdir/LIST
timeout_s=${MUTATE_TIMEOUT:-300}

# entries -- LIST without comments and blank lines: "NAME|WHAT|COMMANDS".
entries() { grep -v '^[[:space:]]*\(#\|$\)' "$list"; }

# field LINE N -- the Nth |-separated field of LINE, trimmed.
field() { cut -d'|' -f"$2" <<< "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'; }

# check_list -- every LIST entry has a patch that applies here and
# commands to run; every patch has an entry.  Prints what is wrong.
check_list() {
    local line name bad=0 names=()
    while IFS= read -r line; do
        name=$(field "$line" 1)
        names+=("$name")
        if [ ! -f "$mdir/$name.patch" ]; then
            echo "$name: no $mdir/$name.patch"; bad=1
        elif ! git apply --check "$mdir/$name.patch" 2>/dev/null; then
            echo "$name: STALE (the patch no longer applies)"; bad=1
        fi
        [ -n "$(field "$line" 3)" ] || { echo "$name: no commands"; bad=1; }
    done < <(entries)
    for p in "$mdir"/*.patch; do
        name=$(basename "$p" .patch)
        printf '%s\n' "${names[@]}" | grep -qx -- "$name" ||
            { echo "$name.patch: not in $list"; bad=1; }
    done
    [ "$(printf '%s\n' "${names[@]}" | sort | uniq -d)" = "" ] ||
        { echo "$list: a name listed twice"; bad=1; }
    [ $bad -eq 0 ] && echo "$list: ${#names[@]} mutants, every patch applies"
    return $bad
}

if [ "${1:-}" = --check ]; then
    check_list
    exit
fi

tree=$(mktemp -d /tmp/mutate.XXXXXX)
logs=$(mktemp -d /tmp/mutate-logs.XXXXXX)
keep_logs=${MUTATE_KEEP_LOGS:-0}
cleanup() {
    rm -rf "$tree"
    [ $keep_logs -eq 1 ] && echo "logs kept in $logs" || rm -rf "$logs"
}
trap cleanup EXIT
git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$tree"

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# run CMD LOG -- CMD in the scratch tree under the timeout, output to LOG;
# its exit status (124 on timeout).
run() {
    (cd "$tree" && timeout "$timeout_s" bash -c "$1") > "$2" 2>&1 < /dev/null
}

# build_error LOG -- whether LOG holds a compiler or assembler error.
build_error() { grep -Eq '^[^ :]+\.[chS]:[0-9]+:([0-9]+:)? (fatal )?error:' "$1"; }

# baseline CMD -- CMD passes on the unmutated scratch tree (cached).
declare -A base_ok=()
baseline() {
    [ -n "${base_ok[$1]:-}" ] && return "${base_ok[$1]}"
    run "$1" "$logs/baseline.$((${#base_ok[@]} + 1)).log"
    base_ok[$1]=$?
    [ "${base_ok[$1]}" -eq 0 ] || echo "baseline: '$1' fails without a mutant"
    return "${base_ok[$1]}"
}

# try NAME COMMANDS -- run the mutant NAME (applied) against COMMANDS
# (';'-separated); prints its verdict and returns 0 when caught.
try() {
    local name=$1 cmd rc t0 log=$logs/$name.log i=0
    local -a cmds
    IFS=';' read -ra cmds <<< "$2"
    for cmd in "${cmds[@]}"; do
        cmd=$(sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<< "$cmd")
        [ -n "$cmd" ] || continue
        i=$((i + 1))
        t0=$EPOCHREALTIME
        run "$cmd" "$log.$i"
        rc=$?
        if [ $rc -ne 0 ] && build_error "$log.$i"; then
            verdict="BUILD ERROR  $name ('$cmd', $log.$i)"
            return 1
        elif [ $rc -ne 0 ]; then
            verdict="CAUGHT       $name by '$cmd'$([ $rc -eq 124 ] && echo " (timeout)") ($(elapsed "$t0") s)"
            return 0
        fi
    done
    verdict="SURVIVED     $name (passed: $2)"
    return 1
}

names=("$@")
total=0 caught=0 t_all=$EPOCHREALTIME
while IFS= read -r line; do
    name=$(field "$line" 1)
    if [ ${#names[@]} -gt 0 ] && ! printf '%s\n' "${names[@]}" | grep -qx -- "$name"; then
        continue
    fi
    total=$((total + 1))
    patch=$PWD/$mdir/$name.patch
    if [ ! -f "$patch" ] || ! (cd "$tree" && git apply --check "$patch" 2>/dev/null); then
        echo "STALE        $name (the patch does not apply)"
        keep_logs=1
        continue
    fi
    (cd "$tree" && git apply "$patch")
    try "$name" "$(field "$line" 3)"
    ok=$?
    (cd "$tree" && git apply -R "$patch") || { echo "$name: revert failed"; exit 2; }
    if [ $ok -eq 0 ]; then
        by=$(sed -n "s/^CAUGHT  *$name by '\(.*\)'.*/\1/p" <<< "$verdict")
        if ! baseline "$by"; then
            verdict="INVALID      $name: '$by' fails on the real code too"
            ok=1
        fi
    fi
    echo "$verdict"
    [ $ok -eq 0 ] && caught=$((caught + 1)) || keep_logs=1
done < <(entries)
[ $total -gt 0 ] || { echo "no mutant named ${names[*]}"; exit 2; }
echo "mutation score: $caught/$total ($(elapsed "$t_all") s)"
[ $caught -eq $total ]
