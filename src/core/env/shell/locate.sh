# shellcheck shell=sh disable=SC2154 # (the variables the includer sets)
# The one walk-up and freshness test of poly's POSIX readers: bin/poly, the shims and the
# bash and zsh hooks include this file as it is (src/core/env/shell-sources.ts, and
# scripts/build-shell.mjs for bin/poly). The includer sets first:
#   __poly_i         the installs folder
#   __poly_g         the folder of the global poly.toml
#   __poly_gc        that file's env.sh cache

# __poly_r: the nearest folder with a poly.toml from $PWD up, else the global one, else empty.
# __poly_c: the env.sh cache for $PWD in it: the innermost service folder's that poly marked
# in .poly/service-env/ (when it wrote the project's cache), else the project's.
__poly_locate() {
  __poly_d=$PWD __poly_r= __poly_c=
  while :; do
    if [ -f "$__poly_d/poly.toml" ]; then __poly_r=${__poly_d:-/}; break; fi
    case $__poly_d in '' | /) break ;; esac
    __poly_d=${__poly_d%/*}
  done
  if [ -n "$__poly_r" ]; then
    __poly_c=$__poly_r/.poly/env.sh __poly_p=${__poly_r%/} __poly_d=$PWD
    while :; do
      case $__poly_d in "$__poly_r" | '') break ;; esac
      if [ -f "$__poly_p/.poly/service-env${__poly_d#"$__poly_p"}/service" ]; then
        __poly_c=$__poly_p/.poly/service-env${__poly_d#"$__poly_p"}/env.sh
        break
      fi
      __poly_d=${__poly_d%/*}
    done
  elif [ -f "$__poly_g/poly.toml" ]; then
    __poly_r=$__poly_g __poly_c=$__poly_gc
  fi
}

# Cache $2 of root $1 exists and nothing it was made from is newer: poly.toml, poly.lock, the
# installs folder and each runtime's folder in it (an install or uninstall renames one in
# there). One chain of builtin tests: this runs at every prompt. src/core/env/cache.ts's
# watchedInputs names the same files for Node; a unit test holds the runtimes' names here
# to RUNTIME_NAMES.
__poly_fresh() {
  [ -f "$2" ] && ! [ "$1/poly.toml" -nt "$2" ] && ! [ "$1/poly.lock" -nt "$2" ] \
    && ! [ "$__poly_i" -nt "$2" ] && ! [ "$__poly_i/node" -nt "$2" ] && ! [ "$__poly_i/python" -nt "$2" ] \
    && ! [ "$__poly_i/go" -nt "$2" ] && ! [ "$__poly_i/java" -nt "$2" ] && ! [ "$__poly_i/rust" -nt "$2" ]
}

# The files cache $1 watches besides (its env_files, the supervisor's state), given as pairs
# after it, "1 path" (existed then) or "0 path" (did not), are as they were.
__poly_watch_ok() {
  __poly_x=$1
  shift
  while [ $# -gt 1 ]; do
    if [ "$1" = 1 ]; then
      { [ -f "$2" ] && ! [ "$2" -nt "$__poly_x" ]; } || return 1
    elif [ -e "$2" ]; then
      return 1
    fi
    shift 2
  done
  return 0
}
