#!/usr/bin/env bash
# Creates the Debian sid build root that builds modules for kernels whose kbuild needs a
# newer toolchain than bookworm's (7.2: glibc >= 2.38, gcc-16, pahole >= 1.32).
#   buildroot-sid.sh <dest> <mirror-uri>
# <mirror-uri> comes from the machine's own apt configuration (the caller derives it).
# The caller publishes <dest> atomically; this script only fills it.
set -euo pipefail
dest=$1 mirror=$2
debootstrap --variant=minbase \
  --include=make,gcc-16,pahole,kmod,libelf1t64,libssl3t64,zlib1g,libc6-dev \
  sid "$dest" "$mirror"
# Record what was installed: the cache key is the lock line, this is the evidence.
chroot "$dest" dpkg-query -W gcc-16 pahole libc6 >"$dest/.bpftests-toolchain"
cat "$dest/.bpftests-toolchain"
