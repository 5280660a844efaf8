#!/usr/bin/env bash
# Installs the MoE Scope .deb in a fresh Debian 12 (bookworm) root made with debootstrap and
# runs it there: the closest this machine allows to a clean Debian 12 (a chroot, not a VM: the
# host's kernel, /proc, /sys and /dev are shared; no display, Qt runs offscreen).
#
#   packaging/test_deb.sh [path/to/moescope_<version>_amd64.deb]
#
# Needs root, debootstrap (apt install debootstrap) and the Debian mirror of
# /etc/apt/sources.list.d/debian.sources (or MOESCOPE_DEBIAN_MIRROR). The bootstrapped root is
# cached as a tarball in ${MOESCOPE_DEBOOTSTRAP_CACHE:-/var/cache/moescope-debootstrap}, so a
# rerun unpacks it in seconds; every run starts from a fresh copy of it and removes it after
# (MOESCOPE_KEEP_ROOT=1, or a failure, keeps it). apt resolves the package's dependencies from the mirror.
# Checks: apt installs it; ldd finds every library; no CUDA LibTorch library is loaded;
# moescope-cli --help lists its commands; moescope-cli train --preset lm-fortunes --steps 20
# and --preset vision-fmnist --steps 5 succeed; QT_QPA_PLATFORM=offscreen moescope --help; the
# window starts offscreen, trains 5 steps and closes on SIGTERM with exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
say() { printf '[test-deb] %s\n' "$*"; }
die() { printf '[test-deb] FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap and chroot)"
DEB=${1:-}
if [ -z "$DEB" ]; then
  DEB=$(ls "${MOESCOPE_DEB_BUILD_DIR:-$(dirname "$SRC")/build-deb}"/moescope_*.deb 2>/dev/null | head -1) || true
fi
[ -n "$DEB" ] && [ -f "$DEB" ] || die "no .deb given or found (build it with packaging/build_deb.sh)"
DEB=$(realpath "$DEB")

SOURCES=/etc/apt/sources.list.d/debian.sources
MIRROR=${MOESCOPE_DEBIAN_MIRROR:-$(awk '$1 == "URIs:" { print $2; exit }' "$SOURCES" 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
CACHE=${MOESCOPE_DEBOOTSTRAP_CACHE:-/var/cache/moescope-debootstrap}
TARBALL=$CACHE/bookworm-minbase.tar.zst

command -v debootstrap >/dev/null || die "debootstrap is missing: apt install debootstrap"

# The cached root: debootstrap --variant=minbase bookworm, made once.
if [ ! -s "$TARBALL" ]; then
  mkdir -p "$CACHE"
  fresh=$(mktemp -d /var/tmp/moescope-debootstrap.XXXXXX)
  say "debootstrap --variant=minbase bookworm $fresh $MIRROR (once; cached in $TARBALL)"
  debootstrap --variant=minbase bookworm "$fresh" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log" >&2; rm -rf --one-file-system "$fresh"; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
  rm -rf "$fresh"/var/cache/apt/archives/*.deb
  tar -C "$fresh" --numeric-owner -cf - . | zstd -q -T0 -o "$TARBALL.part"
  mv "$TARBALL.part" "$TARBALL"
  rm -rf --one-file-system "$fresh"
fi

ROOT=$(mktemp -d /var/tmp/moescope-deb-root.XXXXXX)
MOUNTS=()
cleanup() {
  local rc=$? i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" || true; done
  if grep -q " $ROOT/" /proc/mounts; then
    say "something is still mounted under $ROOT; not removing it"
  elif [ "${MOESCOPE_KEEP_ROOT:-0}" = 1 ] || [ $rc -ne 0 ]; then
    say "kept the root for a look: $ROOT (rm -rf --one-file-system it after)"
  else
    rm -rf --one-file-system "$ROOT"
  fi
}
trap cleanup EXIT
say "fresh root $ROOT from $TARBALL"
zstd -q -d -c "$TARBALL" | tar -C "$ROOT" --numeric-owner -xf -
for m in proc sys dev; do
  case $m in
    proc) mount -t proc proc "$ROOT/proc" ;;
    sys) mount -t sysfs -o ro sysfs "$ROOT/sys" ;;
    dev) mount --bind /dev "$ROOT/dev" ;;
  esac
  MOUNTS+=("$ROOT/$m")
done
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# The suites a Debian 12 install has (bookworm, -updates, -security), from this machine's mirror.
if [ -f "$SOURCES" ]; then
  rm -f "$ROOT/etc/apt/sources.list"
  cp "$SOURCES" "$ROOT/etc/apt/sources.list.d/debian.sources"
fi
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"; chmod +x "$ROOT/usr/sbin/policy-rc.d"
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 HOME=/home/tester DEBIAN_FRONTEND=noninteractive "$@"; }
say "in the root: $(in_root cat /etc/debian_version), $(in_root dpkg-query -W -f='${db:Status-Abbrev}\n' | grep -c '^ii') packages"

name=$(basename "$DEB")
cp "$DEB" "$ROOT/tmp/$name"
say "chroot apt-get update && apt-get install -y ./$name"
in_root apt-get update -q >"$ROOT/tmp/apt-update.log" 2>&1 || { tail "$ROOT/tmp/apt-update.log" >&2; die "apt-get update failed"; }
set +e
in_root sh -c "cd /tmp && apt-get install -y ./$name" >"$ROOT/tmp/apt-install.log" 2>&1
rc=$?
set -e
grep -E '^(Need to get|After this operation)|newly installed' "$ROOT/tmp/apt-install.log" | sed 's/^/[test-deb]   /'
[ $rc -eq 0 ] || { tail -30 "$ROOT/tmp/apt-install.log" >&2; die "apt-get install exited $rc"; }
say "apt-get install: exit 0; moescope $(in_root dpkg-query -W -f='${Version}, Installed-Size ${Installed-Size} KiB' moescope)"

check() {  # check NAME EXPECTED-REGEX COMMAND...: exit 0 and the output matches
  local what=$1 want=$2; shift 2
  local out rc
  set +e
  out=$(in_root "$@" 2>&1)
  rc=$?
  set -e
  printf '%s\n' "$out" >"$ROOT/tmp/check-${what// /_}.log"
  if [ $rc -eq 0 ] && grep -Eq -- "$want" <<<"$out"; then
    say "ok   $what (exit $rc)"
    printf '%s\n' "$out" | tail -"${TAIL:-3}" | sed 's/^/[test-deb]      | /'
  else
    say "FAIL $what (exit $rc; expected /$want/); output:"
    printf '%s\n' "$out" | tail -20 | sed 's/^/[test-deb]      | /' >&2
    status=1
  fi
}

status=0
ldd_rc=0
libs=$(in_root sh -c 'ldd /usr/bin/moescope /usr/bin/moescope-cli /usr/lib/moescope/*.so*' 2>&1) || ldd_rc=$?
if [ $ldd_rc -ne 0 ]; then
  say "FAIL ldd exited $ldd_rc:"; printf '%s\n' "$libs" | grep -v '=>' | head -10 >&2; status=1
elif grep -q 'not found' <<<"$libs"; then
  say "FAIL ldd: $(grep 'not found' <<<"$libs" | sort -u | tr -s ' \t' ' ' | paste -sd, -)"; status=1
else
  say "ok   ldd: every library found ($(grep -c '=>' <<<"$libs") lines)"
fi
if grep -Eq 'lib(torch|torch_cuda|c10_cuda|cublas[^ ]*|cudnn[^ ]*|nccl)\.so' <<<"$libs"; then
  say "FAIL ldd: a CUDA LibTorch library is loaded"; status=1
fi
say "bundled: $(in_root sh -c 'cd /usr/lib/moescope && ls' 2>&1 | paste -sd' ' -)"

in_root mkdir -p /home/tester /tmp/work
check "moescope-cli --help" 'train' moescope-cli --help
TAIL=6 check "moescope-cli train --preset lm-fortunes --steps 20" '.' \
  sh -c 'cd /tmp/work && moescope-cli train --preset lm-fortunes --steps 20'
TAIL=4 check "moescope-cli train --preset vision-fmnist --steps 5" '.' \
  sh -c 'cd /tmp/work && moescope-cli train --preset vision-fmnist --steps 5'
check "QT_QPA_PLATFORM=offscreen moescope --help" 'preset' \
  env QT_QPA_PLATFORM=offscreen moescope --help
# The window itself, offscreen: it trains 5 steps into a run log, then SIGTERM closes it as the
# close button would (gui_main.cpp), and it exits 0.
TAIL=3 check "moescope window, offscreen, 5 steps, closed by SIGTERM after 20 s" '.|^$' \
  sh -c 'cd /tmp/work && QT_QPA_PLATFORM=offscreen timeout --preserve-status -s TERM 20 moescope --preset lm-fortunes --steps 5 --start --log window.h5; rc=$?; echo "moescope exited $rc"; [ -s window.h5 ] && echo "window.h5: $(wc -c <window.h5) bytes" || { echo "no run log window.h5"; rc=1; }; exit $rc'

[ $status -eq 0 ] || die "some checks failed (logs: $ROOT/tmp/check-*.log)"
say "all checks passed in a fresh Debian $(in_root cat /etc/debian_version) root"
