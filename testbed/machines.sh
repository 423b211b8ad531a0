# Sourced by testbed/testbed: hosts as systemd-nspawn machines (`up --machines`).
#
# Each HOST is a container booted with systemd as PID 1 from the image testbed/machine-image builds, on its own
# disk (an overlayfs over the image in DIR/HOST/, thrown away at `down`), with its own host key (written before
# boot, so known_hosts is pinned), machine-id, hostname and a static address on host0 (systemd-networkd), in the
# prefix's bridge. Its only apt source is the local repository, mounted read-only. Nothing is routed out.
#
# Learned on this machine (no systemd as PID 1, cgroup v1 hybrid): nspawn runs with --register=no --keep-unit (no
# machined, no system bus); /run/systemd/nspawn must be a tmpfs or nspawn's clean-up at exit is refused; each
# nspawn starts in a cgroup of its own (else two machines share one and the second comes up degraded);
# `systemctl reboot` inside makes nspawn exit 133, so a loop starts it again unless `down` asked it to stop; a
# killed nspawn leaves the machine's systemd running, so `down` kills what is left in the machine's cgroup.

cgroup_root=hoist-testbed

check_machine_tools() {
  local missing=()
  command -v systemd-nspawn >/dev/null || missing+=("systemd-nspawn (systemd-container)")
  command -v debootstrap >/dev/null || missing+=("debootstrap (debootstrap)")
  command -v ssh-keygen >/dev/null || missing+=("ssh-keygen (openssh-client)")
  command -v ip >/dev/null || missing+=("ip (iproute2)")
  [ ${#missing[@]} -eq 0 ] ||
    die "missing: ${missing[*]}; run scripts/install-test-deps (or apt-get install systemd-container debootstrap openssh-client iproute2)"
  [ "$(id -u)" -eq 0 ] || die "must run as root (machines, mounts and bridges need it)"
  [ -d /sys/fs/cgroup/systemd ] && [ -d /sys/fs/cgroup/unified ] ||
    die "machines need the cgroup hierarchies /sys/fs/cgroup/systemd and /sys/fs/cgroup/unified"
}

# The machine's cgroup in hierarchy $1 (systemd or unified).
machine_cgroup() { echo "/sys/fs/cgroup/$1/$cgroup_root/$2/$3"; }

# DIR/HOST/root: an overlay over the image, made into this host (key, identity, address, root's key).
add_machine_disk() {
  local host=$1 address=$2 home="$dir/$1" root="$dir/$1/root"
  mkdir -p "$home/upper" "$home/work" "$root"
  mount -t overlay overlay -o "lowerdir=$machine_image/root,upperdir=$home/upper,workdir=$home/work" "$root"
  ssh-keygen -q -t ed25519 -N '' -C "testbed-$prefix-$host" -f "$root/etc/ssh/ssh_host_ed25519_key"
  echo "$address $(cut -d' ' -f1,2 "$root/etc/ssh/ssh_host_ed25519_key.pub")" >>"$dir/known_hosts"
  install -m 600 "$dir/client_key.pub" "$root/root/.ssh/authorized_keys"
  echo "$host" >"$root/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$host" >"$root/etc/hosts"
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"
  echo >>"$root/etc/machine-id"
  # Same name as systemd's own 80-container-host0.network (DHCP), which it replaces.
  cat >"$root/etc/systemd/network/80-container-host0.network" <<EOF
# testbed machine $host, written by testbed/testbed
[Match]
Name=host0

[Network]
Address=$address/24
LinkLocalAddressing=no
IPv6AcceptRA=no
EOF
}

# Boots the machine in the background: a loop that starts nspawn again after a reboot (exit 133) until `down`
# leaves DIR/HOST/stopping. Its console goes to DIR/HOST/console.log.
start_machine() {
  local host=$1 home="$dir/$1" name="$prefix-$1" hierarchy
  rm -f "$home/stopping"
  (
    for hierarchy in systemd unified; do
      mkdir -p "$(machine_cgroup "$hierarchy" "$prefix" "$host")"
      echo "$BASHPID" >"$(machine_cgroup "$hierarchy" "$prefix" "$host")/cgroup.procs"
    done
    trap - EXIT ERR INT TERM
    set +e
    while :; do
      systemd-nspawn --quiet --boot --register=no --keep-unit --directory="$home/root" --machine="$name" \
        --hostname="$host" --network-bridge="$bridge" --bind-ro="$machine_apt:/srv/hoist-apt" --console=pipe \
        --link-journal=no --resolv-conf=off --timezone=off
      status=$?
      echo "testbed: nspawn exited $status" >&2
      if [ "$status" -ne 133 ] || [ -e "$home/stopping" ]; then break; fi
    done
  ) </dev/null >>"$home/console.log" 2>&1 9>&- &
  echo $! >"$home/loop.pid"
}

# Waits until the machine at $1 answers ssh and its systemd has finished booting with every unit running.
wait_for_machine() {
  local address=$1 host=$2 i state
  wait_for_sshd "$address" "$host" 60
  state=$(machine_ssh "$address" "timeout 30 systemctl is-system-running --wait" || true)
  if [ "$state" != running ]; then
    die "machine $host booted $state: $(machine_ssh "$address" 'systemctl --failed --no-legend --plain' | tr '\n' ';'); console: $dir/$host/console.log"
  fi
}

machine_ssh() {
  ssh -n -F /dev/null -o BatchMode=yes -o ConnectTimeout=5 -o "UserKnownHostsFile=$dir/known_hosts" \
    -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -i "$dir/client_key" \
    "root@$1" "$2"
}

# Every pid in the machine's cgroups (systemd hierarchy, all levels).
machine_pids() {
  local base
  base=$(machine_cgroup systemd "$1" "$2")
  [ -d "$base" ] || return 0
  find "$base" -name cgroup.procs -exec cat {} + 2>/dev/null || true
}

# Stops machine $2 of prefix $1 (DIR $3 if known): nspawn gets SIGTERM (the machine powers off), up to 15 s;
# then whatever is left in its cgroup is killed; then its cgroups and its disk go.
stop_machine() {
  local prefix=$1 host=$2 dir=${3:-} home="" pids i loop="" hierarchy
  if [ -n "$dir" ]; then
    home="$dir/$host"
    [ ! -d "$home" ] || touch "$home/stopping"
    loop=$(cat "$home/loop.pid" 2>/dev/null || true)
  fi
  pids=$(machine_pids "$prefix" "$host")
  if [ -n "$pids" ]; then
    say "stopping machine $prefix-$host"
    local nspawn
    nspawn=$(pgrep -x systemd-nspawn | grep -Fxf <(echo "$pids") || true)
    # With its nspawn, the machine powers off; without (nspawn was killed), nothing would ask it to.
    if [ -n "$nspawn" ]; then
      # shellcheck disable=SC2086 # one pid per word
      kill -TERM $nspawn 2>/dev/null || true
      for ((i = 0; i < 150; i++)); do
        [ -n "$(machine_pids "$prefix" "$host")" ] || break
        sleep 0.1
      done
    fi
    pids=$(machine_pids "$prefix" "$host")
    if [ -n "$pids" ]; then
      say "killing what is left of machine $prefix-$host ($(echo "$pids" | wc -w) processes)"
      for ((i = 0; i < 30; i++)); do
        pids=$(machine_pids "$prefix" "$host")
        [ -n "$pids" ] || break
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
        sleep 0.1
      done
    fi
  fi
  if [ -n "$loop" ]; then kill -KILL "$loop" 2>/dev/null || true; fi
  for hierarchy in systemd unified; do
    local base
    base=$(machine_cgroup "$hierarchy" "$prefix" "$host")
    [ -d "$base" ] || continue
    find "$base" -depth -type d -exec rmdir {} \; 2>/dev/null || say "warning: could not remove cgroup $base"
  done
  if [ -n "$home" ]; then
    if mountpoint -q "$home/root"; then
      umount "$home/root" 2>/dev/null || umount -l "$home/root" || say "warning: could not unmount $home/root"
    fi
  fi
}

# The folders in $1, by name (none if it does not exist).
subfolders() {
  local d
  [ -d "$1" ] || return 0
  for d in "$1"/*/; do
    if [ -d "$d" ]; then basename "$d"; fi
  done
}

# Machines of prefix $1 that have a cgroup (running, or left by a killed run).
machines_of() { subfolders "/sys/fs/cgroup/systemd/$cgroup_root/$1"; }

# Prefixes with machine cgroups on this machine.
machine_prefixes() { subfolders "/sys/fs/cgroup/systemd/$cgroup_root"; }

remove_prefix_cgroups() {
  local hierarchy
  for hierarchy in systemd unified; do
    rmdir "/sys/fs/cgroup/$hierarchy/$cgroup_root/$1" 2>/dev/null || true
    rmdir "/sys/fs/cgroup/$hierarchy/$cgroup_root" 2>/dev/null || true
  done
}

# The tmpfs nspawn keeps its per-machine files in (on this machine /run is on disk); under a lock, so that two
# first `up`s at once do not stack two.
ensure_nspawn_run() {
  mkdir -p /run/systemd/nspawn
  (
    flock 8
    mountpoint -q /run/systemd/nspawn || mount -t tmpfs -o mode=755 tmpfs /run/systemd/nspawn
  ) 8>/run/hoist-testbed-nspawn.lock
}

# Machine disks (overlays over a testbed image) mounted at */HOST/root below folder $1: unmounted.
unmount_disks_under() {
  local target
  for target in $(machine_disks | awk -v d="$1/" 'index($0, d) == 1'); do
    umount "$target" 2>/dev/null || umount -l "$target" || say "warning: could not unmount $target"
  done
}

# Machine disks that no running nspawn boots (left by a run killed before its down): unmounted. Not one whose
# machine is between two boots (its loop still runs), nor one of a testbed still registered (an up under way).
unmount_orphan_disks() {
  local target booted home owner loop
  booted=$(pgrep -a -x systemd-nspawn | grep -o -- '--directory=[^ ]*' | sed 's/^--directory=//' || true)
  for target in $(machine_disks); do
    home=$(dirname "$target")
    owner=$(cat "$(dirname "$home")/.testbed-prefix" 2>/dev/null || true)
    loop=$(cat "$home/loop.pid" 2>/dev/null || true)
    if [ -n "$owner" ] && [ -e "$registry/$owner" ]; then continue; fi
    if [ -n "$loop" ] && kill -0 "$loop" 2>/dev/null; then continue; fi
    if ! grep -qxF -- "$target" <<<"$booted"; then
      say "unmounting $target (a machine disk no machine uses)"
      umount "$target" 2>/dev/null || umount -l "$target" || say "warning: could not unmount $target"
    fi
  done
}

# Mount points of overlays whose lower layer is a testbed image (testbed/machine-image's cache).
machine_disks() {
  awk '$3 == "overlay" && $4 ~ /lowerdir=[^,]*\/image-[0-9a-f]+\/root/ && $2 ~ /\/root$/ { print $2 }' /proc/mounts
}
