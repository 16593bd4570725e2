#!/usr/bin/env bash
# Makes an unpacked (dpkg-deb -x) Debian kernel tree usable for out-of-tree module builds.
# Runs once per cache entry, before the entry is published; idempotent.
#   prepare-headers.sh <kernel-root> <release>
# - The flavour Makefile includes /usr/src/linux-headers-<ver>-common by absolute path: point
#   it at the unpacked tree (the sid build root bind-mounts the cache at the same path).
# - Module BTF needs <headers>/vmlinux with .BTF. 6.1's headers lack it: extract the ELF from
#   the vmlinuz (find a compressed payload's magic, decompress, keep it if it is an ELF).
set -euo pipefail
root=$1 rel=$2
hdr=$root/usr/src/linux-headers-$rel
[ -f "$hdr/Makefile" ] || { echo "prepare-headers: no $hdr/Makefile" >&2; exit 1; }

# Every absolute /usr/src or /usr/lib path in the flavour Makefile moves under the root.
sed -i -E "s#(^|[ =])/usr/(src|lib)/#\1$root/usr/\2/#g" "$hdr/Makefile"

if [ ! -f "$hdr/vmlinux" ]; then
  vmlinuz=
  for f in "$root/boot/vmlinuz-$rel" "$root/usr/lib/modules/$rel/vmlinuz"; do [ -f "$f" ] && vmlinuz=$f; done
  [ -n "$vmlinuz" ] || { echo "prepare-headers: no vmlinuz for $rel under $root" >&2; exit 1; }
  tmp=$(mktemp "$hdr/vmlinux.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  found=
  # magic (as printf escapes) and decompressor, in the order Debian kernels use them
  for m in '\002\041\114\030:lz4 -dc' '\050\265\057\375:zstd -dc' '\375\067\172\130\132\000:xz -dc' '\037\213\010:gzip -dc'; do
    magic=${m%%:*} tool=${m#*:}
    for off in $(LC_ALL=C grep -obUaP "$(printf "$magic" | od -An -tx1 | sed 's/ /\\x/g')" "$vmlinuz" | cut -d: -f1); do
      tail -c +$((off + 1)) "$vmlinuz" | $tool >"$tmp" 2>/dev/null || true
      if [ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then found=1; break 2; fi
    done
  done
  [ -n "$found" ] || { echo "prepare-headers: no ELF payload in $vmlinuz" >&2; exit 1; }
  mv "$tmp" "$hdr/vmlinux"
  trap - EXIT
fi
