#!/usr/bin/env bash
# Runs an in-guest test with a scratch disk, over one or more boots:
#   run-guest-disk.sh SIZE BUS CMDLINES EXIT REGEX SECONDS LOG qemu-command...
# SIZE      the scratch image's size (truncate syntax: 32M); it starts as
#           zeros, is private to this run (two runs of one test at once
#           never share it) and is deleted at the end. Never build/disk.img.
#           "none" boots without a disk. "fs:32M" makes it an empty rvfs
#           file system (rvfs mkfs; $RVFS names the tool) and, after the
#           last boot, checks it with rvfs fsck: the test fails unless the
#           file system is clean. "fs-corrupt:KIND:32M" makes it a
#           file system as fs: does, then damages it with rvfs corrupt
#           IMAGE KIND (tools/rvfs.c lists the kinds); no fsck afterwards,
#           which would only report the damage; "fs-corrupt:KIND+fsck:32M"
#           checks it after all (a kind the kernel repairs, as mount does
#           the orphan table). "fs-ro:32M" attaches the file system
#           read-only (virtio F_RO); "fs-err:NAME:32M" attaches it through
#           QEMU's blkdebug driver with the rules of
#           tests/guest/blkdebug/NAME.conf (injected I/O errors), fsck
#           after; "fs-frag:32M" fragments its free space first (rvfs
#           fragment: a few free blocks in every bitmap block's range),
#           fsck after; "fs-tree:64M" makes it from the initramfs's tree
#           ($RVFS_TREE), as build/fs.img is made, for root=disk; fsck
#           after.
# BUS       the virtio-mmio slot for the disk (virtio-mmio-bus.BUS), or
#           empty to let QEMU choose.
# CMDLINES  kernel command lines separated by '|': one boot each, in
#           order, all on the same image (so a later boot sees what an
#           earlier one wrote). Every boot must pass on its own terms.
# EXIT REGEX SECONDS LOG as for run-guest.sh, which runs each boot; with
# several boots the logs are LOG.boot1, LOG.boot2, ... REGEX may be several
# patterns separated by ';' (a CMake list): each boot's log must match every
# one (grep matches within a line, so one pattern cannot span two lines).
set -u
size=$1 bus=$2 cmdlines=$3 expect_exit=$4 regex=$5 seconds=$6 keep=$7
shift 7
here=$(dirname "$0")

mkdir -p "$(dirname "$keep")"
drive=() first=()
fsck= mkfs= corrupt= readonly= blkdebug= fragment= tree=
if [ "${size#fs:}" != "$size" ]; then
    size=${size#fs:}
    mkfs=1 fsck=1
elif [ "${size#fs-corrupt:}" != "$size" ]; then
    size=${size#fs-corrupt:}
    corrupt=${size%%:*}
    size=${size#*:}
    mkfs=1
    if [ "${corrupt%+fsck}" != "$corrupt" ]; then
        corrupt=${corrupt%+fsck}
        fsck=1
    fi
elif [ "${size#fs-ro:}" != "$size" ]; then
    size=${size#fs-ro:}
    mkfs=1 fsck=1 readonly=1
elif [ "${size#fs-err:}" != "$size" ]; then
    size=${size#fs-err:}
    blkdebug=$here/../tests/guest/blkdebug/${size%%:*}.conf
    size=${size#*:}
    mkfs=1 fsck=1
elif [ "${size#fs-tree:}" != "$size" ]; then
    size=${size#fs-tree:}
    mkfs=1 fsck=1 tree=${RVFS_TREE:?RVFS_TREE names the tree to copy}
elif [ "${size#fs-frag:}" != "$size" ]; then
    size=${size#fs-frag:}
    mkfs=1 fsck=1 fragment=1
fi
if [ "$size" != none ]; then
    img=$(mktemp "$keep.XXXXXX.img")
    trap 'rm -f "$img"' EXIT
    if [ -n "$mkfs" ]; then
        "${RVFS:?RVFS names the rvfs tool}" mkfs "$img" "$size" $tree || exit 1
        if [ -n "$corrupt" ]; then
            "$RVFS" corrupt "$img" "$corrupt" || exit 1
        fi
        if [ -n "$fragment" ]; then
            "$RVFS" fragment "$img" || exit 1
        fi
    else
        truncate -s "$size" "$img" || exit 1
    fi
    device=virtio-blk-device,drive=disk0
    [ -n "$bus" ] && device=$device,bus=virtio-mmio-bus.$bus
    if [ -n "$readonly" ]; then
        drive=(-drive "file=$img,if=none,format=raw,id=disk0,readonly=on")
    else
        drive=(-drive "file=$img,if=none,format=raw,id=disk0")
    fi
    drive+=(-device "$device")
    # Errors are injected in the first boot only: the later ones see the
    # disk as the first left it, through a healthy device.
    first=("${drive[@]}")
    [ -n "$blkdebug" ] && first=(-drive "if=none,id=disk0,driver=raw,file.driver=blkdebug,file.config=$blkdebug,file.image.driver=file,file.image.filename=$img" -device "$device")
fi
IFS=';' read -ra regexes <<<"$regex"
IFS='|' read -ra boots <<<"$cmdlines"
for i in "${!boots[@]}"; do
    log=$keep
    [ "${#boots[@]}" -gt 1 ] && log=$keep.boot$((i + 1))
    echo "==== boot $((i + 1)) of ${#boots[@]}: ${boots[$i]}"
    this=("${drive[@]}")
    [ "$i" = 0 ] && this=("${first[@]}")
    # run-guest.sh checks every regex (a verdict one against its token)
    "$here/run-guest.sh" "$expect_exit" "$regex" "$seconds" "" "$log" "$@" "${this[@]}" \
        -append "${boots[$i]}" || {
        echo "run-guest-disk: FAIL: boot $((i + 1)) failed"
        exit 1
    }
done
if [ -n "$fsck" ]; then
    "$RVFS" fsck "$img" || {
        echo "run-guest-disk: FAIL: the file system is not clean after the last boot"
        exit 1
    }
fi
echo "run-guest-disk: ok (${#boots[@]} boot(s) on one scratch image)"
