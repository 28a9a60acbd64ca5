# shellcheck shell=sh disable=SC2154 # (the variables the includer sets)
# A shim's own part, after locate.sh and read-cache.sh: the includer sets __poly_n (the
# command's name), __poly_s (the shims folder) and __poly_cmd_exec (`poly exec --shim`).
# See renderShim (src/core/env/shims.ts) for what it does.

__poly_notice() { [ -n "$__poly_stale" ] || printf 'poly: %s\n' "$1" >&2; }
__poly_read
if [ -n "$__poly_r" ]; then
  if [ -n "$__poly_stale" ]; then
    __poly_cmd_exec "$__poly_n" "$@"
  fi
  if [ -n "$__poly_prefix" ]; then
    PATH=$__poly_prefix:$PATH
    p=$__poly_prefix
    while [ -n "$p" ]; do
      e=${p%%:*}
      case $p in *:*) p=${p#*:} ;; *) p= ;; esac
      if [ -x "$e/$__poly_n" ] && [ ! -d "$e/$__poly_n" ]; then exec "$e/$__poly_n" "$@"; fi
    done
  fi
fi
p=$PATH
while [ -n "$p" ]; do
  e=${p%%:*}
  case $p in *:*) p=${p#*:} ;; *) p= ;; esac
  if [ -n "$e" ] && [ "$e" != "$__poly_s" ] && [ -x "$e/$__poly_n" ] && [ ! -d "$e/$__poly_n" ]; then exec "$e/$__poly_n" "$@"; fi
done
printf 'poly: %s: command not found (no poly project provides it and it is not on PATH)\n' "$__poly_n" >&2
exit 127
