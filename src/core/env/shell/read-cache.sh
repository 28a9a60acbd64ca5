# shellcheck shell=sh disable=SC2154 # (the variables the includer sets)
# The env cache read by a reader that runs one command and is gone (bin/poly's `poly exec`,
# a shim): after locate.sh; the includer sets __poly_h (POLY_HOME) and __poly_protocol, and
# defines __poly_notice. The cache calls these; each only notes or exports.

__poly_begin() {
  { [ "$1" = "$__poly_protocol" ] && [ "$2" = "$__poly_h" ]; } || { __poly_stale=1; return 0; }
  shift 3
  __poly_watch_ok "$__poly_c" "$@" || __poly_stale=1
}
# A missing or broken venv: Node rebuilds it (never run with the toolchain's pip instead).
__poly_venv() { { [ -f "$1/pyvenv.cfg" ] && [ -x "$1/bin/python" ] && [ -x "$1/bin/pip" ]; } || __poly_stale=1; }
__poly_path() { __poly_prefix=$1; }
__poly_export() { [ -n "$__poly_stale" ] || export "$1=$2"; }
__poly_unset() { [ -n "$__poly_stale" ] || unset "$1"; }
__poly_end() { :; }

# Exports the fresh cache for $PWD, and leaves the folders it puts first on PATH in
# __poly_prefix. __poly_r is empty outside any project; __poly_stale is set when its cache
# is missing or stale (then Node must answer).
__poly_read() {
  __poly_stale= __poly_prefix=
  __poly_locate
  [ -n "$__poly_r" ] || return 0
  if __poly_fresh "$__poly_r" "$__poly_c"; then
    . "$__poly_c"
  else
    __poly_stale=1
  fi
}
