# gdbport.sh -- sourced by the scripts that attach a batch GDB to QEMU.
# wait_gdb_port PORT PID -- wait until QEMU (process PID) listens on TCP
# PORT for GDB, instead of sleeping a guessed while (5 s at most); fails
# when QEMU has exited or never listens.
wait_gdb_port() {
    local hex
    hex=$(printf ':%04X' "$1")
    for _ in $(seq 100); do
        awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 }
            END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
