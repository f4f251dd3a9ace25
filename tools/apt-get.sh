# Sourced by the setup scripts (tools/fetch-data.sh, tools/training/setup.sh): apt_get ARGS...
# runs apt-get as root (sudo when not root), non-interactive, output only on failure, and waits
# for another apt or dpkg (up to 10 minutes) instead of failing on its lock.
apt_get() {
  local sudo="" i err
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  for i in $(seq 1 60); do
    if err="$($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1 >/dev/null)"; then
      return 0
    fi
    case "$err" in
      *"Could not get lock"*|*"Unable to acquire"*|*"is held by process"*)
        [ "$i" -eq 1 ] && echo "apt-get $*: waiting for another apt/dpkg to finish" >&2
        sleep 10 ;;
      *) echo "$err" >&2; return 1 ;;
    esac
  done
  echo "$err" >&2
  return 1
}
