#!/bin/sh
# Installs what rvos needs on Debian 12 (run as root, or with sudo).
set -eu
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO=sudo
fi
$SUDO apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  cmake ninja-build gcc gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev \
  qemu-system-misc opensbi cpio device-tree-compiler gdb-multiarch gnuplot-nox clang-format \
  python3 patch git
