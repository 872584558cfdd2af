#!/bin/sh
# The Debian package as an admin gets it: built with dpkg-buildpackage from a clean clone of the
# tree's HEAD, lintian-clean, no build path in the installed binary; then installed into a
# throwaway root (an overlay of this machine's / in a private mount namespace, so the host is
# never touched) where a member of the xinfang group runs init, a registration, print --to and
# verify from /, a non-member is refused, the nightly backup keeps N copies, the units pass
# systemd-analyze verify and stay disabled, an upgrade keeps edited conffiles and the store, and
# purge asks nothing and leaves the store. Needs root (CI runs the suite as root).
# Argument: the source directory (a git checkout).
set -eu
source=$(realpath "$1")
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "the package test installs into an overlay root and needs root (CI runs the suite as root)"
for tool in git dpkg-buildpackage dh lintian unshare chroot systemd-analyze strings; do
    command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install debhelper lintian dpkg-dev git systemd binutils"
done
work=$(mktemp -d /tmp/xinfang-package-XXXXXX)
cleanup() {
    umount -R "$work/root" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# 1. The package from a clean clone (only what is committed), without the build's unit tests.
git clone -q "$source" "$work/src" || fail "git clone of $source"
(cd "$work/src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) ||
    { tail -40 "$work/build.log" >&2; fail "dpkg-buildpackage"; }
deb=$(ls "$work"/xinfang_*.deb)
ls "$work"/xinfang-dbgsym_*.deb >/dev/null 2>&1 || fail "no -dbgsym package"
changes=$(ls "$work"/xinfang_*.changes)

# 2. lintian: no error, no warning.
lintian --fail-on error,warning --tag-display-limit 0 "$changes" >"$work/lintian.log" 2>&1 ||
    { cat "$work/lintian.log" >&2; fail "lintian"; }

# 3. What is in it: the binary holds no build or source path; only files the program reads.
dpkg-deb -x "$deb" "$work/x"
if strings -a "$work/x/usr/bin/xinfang" | grep -F -e "$work/src" -e "$source" -e obj-x86_64 >"$work/paths"; then
    cat "$work/paths" >&2
    fail "the installed binary holds a build or source path"
fi
for f in etc/xinfang/xinfang.conf etc/xinfang/departments.txt etc/xinfang/limits.txt etc/xinfang/warnings.txt \
         usr/share/xinfang/forms/registration.form usr/share/xinfang/holidays/2026.txt \
         "usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/xinfang/xinfang-phone.so" \
         lib/systemd/system/xinfang-backup.service lib/systemd/system/xinfang-backup.timer; do
    [ -s "$work/x/$f" ] || fail "$f is not in the package"
done
for f in usr/share/xinfang/schema usr/share/xinfang/divisions.txt usr/share/xinfang/statutory_holidays.txt \
         usr/share/xinfang/departments.txt usr/share/doc/xinfang/LICENSE; do
    [ ! -e "$work/x/$f" ] || fail "$f is installed but never read"
done
dpkg-deb -I "$deb" conffiles | grep -qx /etc/xinfang/xinfang.conf || fail "xinfang.conf is not a conffile"
if find "$work/x" -type f -name 'test_*' | grep -q .; then fail "a test program is in the package"; fi

# 4. A throwaway root: this machine's / under an overlay, in its own mount namespace.
mkdir -p "$work/upper" "$work/wd" "$work/root"
cat >"$work/inside.sh" <<'EOF'
set -eu
fail() { echo "FAIL (installed): $*" >&2; exit 1; }
export LC_ALL=C.UTF-8
unset XINFANG_DATA XINFANG_FORMS XINFANG_DB XINFANG_GROUP XINFANG_SYSCONFDIR XINFANG_PRINTER XINFANG_TODAY XDG_CONFIG_HOME XINFANG_PHONE_MODULE
dpkg -i /tmp/xinfang.deb </dev/null >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log >&2; fail "dpkg -i"; }
getent group xinfang >/dev/null || fail "no xinfang group"
[ "$(stat -c '%U:%G %a' /var/lib/xinfang)" = "root:xinfang 2770" ] || fail "/var/lib/xinfang is $(stat -c '%U:%G %a' /var/lib/xinfang)"
[ ! -e /etc/systemd/system/timers.target.wants/xinfang-backup.timer ] || fail "the timer was enabled by the install"
systemd-analyze verify /lib/systemd/system/xinfang-backup.service /lib/systemd/system/xinfang-backup.timer >/tmp/sa.log 2>&1 ||
    { cat /tmp/sa.log >&2; fail "systemd-analyze verify"; }
if grep -i xinfang /tmp/sa.log; then fail "systemd-analyze verify has something to say about the units"; fi
useradd -m -G xinfang clerk1
useradd -m -G xinfang clerk2
useradd -m outsider
as() { user=$1; shift; runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="/home/$user" LC_ALL=C.UTF-8 XINFANG_PASSWORD=secret9 XINFANG_USER=admin "$@"; }
cd /
[ "$(as clerk1 xinfang config db)" = /var/lib/xinfang/xinfang.db ] || fail "the installed default store is $(as clerk1 xinfang config db)"
as clerk1 xinfang config | grep -q '^group	xinfang	本办配置 /etc/xinfang/xinfang.conf:' || { as clerk1 xinfang config >&2; fail "config does not say where group came from"; }
as clerk1 xinfang init >/tmp/out 2>&1 || { cat /tmp/out >&2; fail "init as a member"; }
[ "$(stat -c '%G %a' /var/lib/xinfang/xinfang.db)" = "xinfang 660" ] || fail "the store is $(stat -c '%G %a' /var/lib/xinfang/xinfang.db)"
as clerk1 xinfang new channel=来访 category=服务态度 name=李𠮷䶮 phone="138 1234 5678" summary=柜员态度冷淡 >/tmp/out 2>&1 || { cat /tmp/out >&2; fail "new as a member"; }
number=$(tail -1 /tmp/out)
as clerk2 xinfang show "$number" | grep -q "^phone	13812345678$" || fail "the phone was not checked and stored as 13812345678"
as clerk2 xinfang print "$number" registration --to /tmp/r.txt >/tmp/out 2>&1 || { cat /tmp/out >&2; fail "print --to by another member"; }
iconv -f GB18030 -t UTF-8 /tmp/r.txt | grep -q '李𠮷䶮' || fail "the printed slip lacks the name"
as clerk2 xinfang verify >/tmp/out 2>&1 || { cat /tmp/out >&2; fail "verify by another member"; }
if as outsider xinfang list >/tmp/out 2>&1; then fail "a non-member was let in"; fi
grep -q '不在本办的用户组 xinfang 里' /tmp/out || { cat /tmp/out >&2; fail "the non-member's refusal is not said"; }
# The nightly service's command: three nights, two kept; operators still verify after it.
sed -i 's/^#backup_keep = .*/backup_keep = 2/' /etc/xinfang/xinfang.conf
for night in 1 2 3; do
    xinfang nightly >/tmp/out 2>&1 || { cat /tmp/out >&2; fail "nightly $night"; }
done
[ "$(ls /var/backups/xinfang/xinfang-*.db | wc -l)" = 2 ] || { ls -l /var/backups/xinfang >&2; fail "nightly kept $(ls /var/backups/xinfang/xinfang-*.db | wc -l) backups, not 2"; }
as clerk1 xinfang verify >/tmp/out 2>&1 || { cat /tmp/out >&2; fail "verify by a member after the nightly run"; }
if as clerk1 xinfang nightly >/tmp/out 2>&1; then fail "nightly ran for an operator"; fi
# Upgrade: the edited conffiles and the store stay, and nothing is asked.
echo '信访测试部	升级后仍在' >>/etc/xinfang/departments.txt
dpkg -i /tmp/xinfang.deb </dev/null >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log >&2; fail "reinstall over edited conffiles"; }
grep -q '^backup_keep = 2' /etc/xinfang/xinfang.conf || fail "the upgrade lost the edited xinfang.conf"
grep -q '信访测试部' /etc/xinfang/departments.txt || fail "the upgrade lost the edited departments.txt"
as clerk1 xinfang show "$number" | grep -q '李𠮷䶮' || fail "the store did not survive the upgrade"
# Purge asks nothing and leaves the store.
dpkg --purge xinfang </dev/null >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log >&2; fail "purge"; }
[ -s /var/lib/xinfang/xinfang.db ] || fail "purge removed the store"
[ ! -e /usr/bin/xinfang ] || fail "purge left the program"
[ ! -e /etc/xinfang/xinfang.conf ] || fail "purge left the configuration"
echo ok
EOF
cp "$deb" "$work/xinfang.deb"
unshare -m sh -c '
    set -e
    w=$1
    mount --make-rprivate /
    mount -t overlay overlay -o "lowerdir=/,upperdir=$w/upper,workdir=$w/wd" "$w/root"
    for d in proc dev sys; do mount --rbind "/$d" "$w/root/$d"; done
    mount -t tmpfs tmpfs "$w/root/tmp"
    cp "$w/xinfang.deb" "$w/inside.sh" "$w/root/tmp/"
    chmod 1777 "$w/root/tmp"
    chroot "$w/root" sh /tmp/inside.sh
' sh "$work" >"$work/inside.log" 2>&1 || { cat "$work/inside.log" >&2; fail "in the throwaway root"; }
grep -qx ok "$work/inside.log" || { cat "$work/inside.log" >&2; fail "the throwaway root did not finish"; }
echo "package built, lintian-clean, installed and purged in a throwaway root"
