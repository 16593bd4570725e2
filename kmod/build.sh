#!/usr/bin/env bash
# Builds bpf_testmod.ko for one kernel from an unpacked, prepared tree (prepare-headers.sh).
#   build.sh <kernel-root> <release> <out-dir> [<build-root>]
# <build-root>: a chroot (the cached debootstrap sid root) for kernels whose kbuild needs a
# newer toolchain than the host's (7.2: glibc >= 2.38, gcc-16, pahole >= 1.32). Inside it
# the kernel tree and the build dir are bind-mounted at their host paths, so the absolute
# paths in the headers' Makefile hold on both sides.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$1 rel=$2 out=$3 chroot_dir=${4:-}
hdr=$root/usr/src/linux-headers-$rel
mkdir -p "$out"
work=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$here/bpf_testmod.c" "$here/bpf_testmod.h" "$here/Kbuild" "$work/"

args=(-C "$hdr" M="$work" -j"$(nproc)")
# 6.1's kbuild ships no resolve_btfids; its module has no BTF_ID sets (struct_ops is
# compiled out before 6.9), so there is nothing to resolve and `true` stands in for it.
[ -e "$hdr/tools/bpf/resolve_btfids/resolve_btfids" ] || args+=(RESOLVE_BTFIDS=true)

if [ -z "$chroot_dir" ]; then
  make "${args[@]}" modules
else
  # A private mount namespace: the bind mounts vanish with the process, whatever happens.
  unshare -m --propagation private bash -euc '
    c=$1 root=$2 work=$3; shift 3
    for d in "$root" "$work"; do mkdir -p "$c$d"; mount --bind "$d" "$c$d"; done
    mount -t proc proc "$c/proc"
    chroot "$c" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 make "$@" modules
  ' _ "$chroot_dir" "$root" "$work" "${args[@]}"
fi

ko=$work/bpf_testmod.ko
if grep -q '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$hdr/.config" && ! readelf -S "$ko" | grep -q ' \.BTF '; then
  echo "kmod/build.sh: $ko has no .BTF section" >&2; exit 1
fi
mv "$ko" "$out/bpf_testmod.ko"
echo "kmod/build.sh: built $out/bpf_testmod.ko for $rel"
