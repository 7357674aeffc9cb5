# swapdisk.sh -- sourced by the scripts that boot QEMU.  `swap_disk FILE`
# sets the array swap_drive to QEMU's options for a swap disk (the primary
# slave, ide 1) at FILE, private to this run: a sparse copy of $SWAPIMG,
# or when that is unset an empty disk of $SWAPSIZE (32M by default).  With
# SWAP_DISK=0 the array is empty: no swap disk.  Private, because two
# QEMUs cannot share a writable image (each locks it).
swap_disk() {
    swap_drive=()
    [ "${SWAP_DISK:-1}" = 0 ] && return 0
    rm -f "$1"
    if [ -n "${SWAPIMG:-}" ]; then
        cp --sparse=always "$SWAPIMG" "$1" || return 1
    else
        truncate -s "${SWAPSIZE:-32M}" "$1" || return 1
    fi
    swap_drive=(-drive "file=$1,format=raw,index=1,media=disk")
}
