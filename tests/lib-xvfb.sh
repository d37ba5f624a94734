# Sourced by the suites that need a display of their own (tests/win32,
# tests/windows). start_xvfb GEOMETRY starts an Xvfb, exports DISPLAY and
# XVFB_PID, and stops it when the suite exits.
#
# The display number is one nobody uses: no lock file in /tmp and no
# abstract socket in /proc/net/unix. Containers that share the network
# namespace but not /tmp see each other's abstract sockets only; an Xvfb
# started on a number taken that way still runs (binding the abstract socket
# fails without stopping it), while libxcb connects to the abstract socket
# first, that is to the other container's server, and the windows of the
# suite then live and die with someone else's X server.
start_xvfb () {
  local geometry=${1:-1280x1024x24} n tries
  for tries in $(seq 50); do
    n=$(( 200 + RANDOM % 3800 ))
    [ -e "/tmp/.X$n-lock" ] && continue
    grep -q "@/tmp/.X11-unix/X$n\$" /proc/net/unix 2>/dev/null && continue
    Xvfb ":$n" -screen 0 "$geometry" -nolisten tcp >/dev/null 2>&1 &
    XVFB_PID=$!
    # ready when its socket answers and the server is ours (still running)
    for _ in $(seq 100); do
      kill -0 "$XVFB_PID" 2>/dev/null || break
      if [ -S "/tmp/.X11-unix/X$n" ] && xdpyinfo -display ":$n" >/dev/null 2>&1; then
        export DISPLAY=":$n"
        trap 'kill $XVFB_PID 2>/dev/null' EXIT
        return 0
      fi
      sleep 0.1
    done
    kill "$XVFB_PID" 2>/dev/null; wait "$XVFB_PID" 2>/dev/null
  done
  echo "FAIL: no Xvfb could be started" >&2
  return 1
}
