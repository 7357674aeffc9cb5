#!/bin/sh
# deps.sh [build|run|debug|test|plot] -- make sure the tools a target needs are here;
# install the missing Debian packages with apt-get (through sudo when not
# root), or print the exact command to run and fail.
set -e
level=${1:-build}

missing=""
need() { # need PACKAGE TEST-COMMAND...
    pkg=$1
    shift
    if ! "$@" >/dev/null 2>&1; then
        missing="$missing $pkg"
    fi
}

# clang_major -- the major version of the installed (or default) clang,
# which names the package of its libFuzzer runtime (libclang-rt-N-dev).
clang_major() {
    v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
    echo "${v:-14}"
}

m32_ok() {
    printf '#include <stdint.h>\nint main(void){return 0;}\n' |
        gcc -m32 -x c -o /dev/null - 2>/dev/null
}

need make command -v make
need gcc-multilib m32_ok
need binutils command -v objdump
if [ "$level" != build ]; then
    need qemu-system-x86 command -v qemu-system-i386
fi
if [ "$level" = test ] || [ "$level" = debug ]; then
    need gdb command -v gdb
fi
if [ "$level" = test ]; then
    need libcmocka-dev test -f /usr/include/cmocka.h
    need clang command -v clang
    need "libclang-rt-$(clang_major)-dev" sh -c 'ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a'
    need gnuplot-nox command -v gnuplot
    need python3 command -v python3
fi
if [ "$level" = plot ]; then
    need gnuplot-nox command -v gnuplot
fi
[ -z "$missing" ] && exit 0

pkgs=$missing
echo "deps: missing packages:$pkgs" >&2
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "deps: cannot install as $(id -un) without sudo; run:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y$pkgs" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >&2 && $sudo apt-get install -y -q $pkgs >&2 || {
    echo "deps: apt-get failed; run by hand:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y$pkgs" >&2
    exit 1
}
