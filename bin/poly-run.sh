# shellcheck shell=sh
# SC2154: h and i come from bin/poly; the per-task variables (__poly_st_N ...) are set by eval.
# shellcheck disable=SC2154
# `poly run <task> [args...]` without starting Node, sourced by bin/poly with $h (the
# store) and $i (its installs) set. It serves a plan that src/services/run/plan.ts
# cached in .poly/run/ after a run that passed, when the plan is fresh (the same -nt
# tests as `poly exec`, plus the plan's own inputs) and nothing asks for what only
# Node does (a flag, a terminal's live view, POLY_DEBUG). It prints what the Node
# path prints (prefixed lines, the summary, the error) and exits as it does. Any
# doubt returns to bin/poly, which starts Node.
__poly_run_main() {
  shift
  [ -n "${POLY_DEBUG:-}" ] && return
  case ${CI-} in 0|false|'') [ -t 1 ] && return ;; esac
  case ${1:-} in -*|'') return ;; esac
  __poly_run_name=$1
  shift
  __poly_run_extra=
  while [ $# -gt 0 ]; do
    case $1 in
      --) shift; break ;;
      -*) return ;;
    esac
    __poly_run_extra="$__poly_run_extra $(__poly_run_q "$1")"
    shift
  done
  for __poly_a in "$@"; do __poly_run_extra="$__poly_run_extra $(__poly_run_q "$__poly_a")"; done
  d=$PWD r=
  while :; do
    if [ -f "$d/poly.toml" ]; then r=${d:-/}; break; fi
    case $d in ''|/) break ;; esac
    d=${d%/*}
  done
  [ -n "$r" ] || return
  case $__poly_run_name in *[!a-z0-9_:-]*) return ;; esac
  case $__poly_run_name in
    *:*) c=$r/.poly/run/${__poly_run_name%%:*}--${__poly_run_name#*:}.sh ;;
    *) c=$r/.poly/run/$__poly_run_name.sh ;;
  esac
  [ -f "$c" ] && ! [ "$r/poly.toml" -nt "$c" ] && ! [ "$r/poly.lock" -nt "$c" ] \
    && ! [ "$i" -nt "$c" ] && ! [ "$i/node" -nt "$c" ] && ! [ "$i/python" -nt "$c" ] \
    && ! [ "$i/go" -nt "$c" ] && ! [ "$i/java" -nt "$c" ] && ! [ "$i/rust" -nt "$c" ] || return
  command -v setsid >/dev/null 2>&1 || return
  # A signal ignored when sh started cannot be trapped: Node, which can, stops the tasks then.
  __poly_run_catchable || return
  # First pass: only the checks; nothing runs unless every one holds.
  __poly_run_mode=check __poly_run_stale=
  . "$c"
  [ -z "$__poly_run_stale" ] || return
  __poly_run_mode=run
  __poly_run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/poly-run.XXXXXX") || return
  trap '__poly_run_signal' INT TERM HUP
  . "$c"
}

# INT, TERM and HUP are not ignored (SigIgn in /proc: INT 0x2, HUP 0x1, TERM 0x4000).
__poly_run_catchable() {
  [ -r /proc/$$/status ] || return 1
  while IFS=': 	' read -r __poly_k __poly_v; do [ "$__poly_k" = SigIgn ] && break; done </proc/$$/status
  case ${__poly_v#"${__poly_v%?}"} in [048cC]) ;; *) return 1 ;; esac
  __poly_v=${__poly_v%???}
  case ${__poly_v#"${__poly_v%?}"} in [0-389abAB]) ;; *) return 1 ;; esac
}

# Single-quoted for eval and for display (`quoteForDisplay` in command-line.ts).
__poly_run_q() {
  case $1 in
    *[!A-Za-z0-9_./:=@%+-]*|'') printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")" ;;
    *) printf %s "$1" ;;
  esac
}

__poly_run_stale() { __poly_run_stale=1; }
__poly_run_begin() {
  [ "$__poly_run_mode" = check ] || { __poly_run_width=$3 __poly_run_n=0 __poly_run_cur=0 __poly_run_stopped=; return; }
  { [ "$1" = 1 ] && [ "$2" = "$h" ]; } || __poly_run_stale=1
}
__poly_run_newer() { [ "$__poly_run_mode" = check ] && [ "$1" -nt "$c" ] && __poly_run_stale=1; :; }
__poly_run_absent() { [ "$__poly_run_mode" = check ] && [ -e "$1" ] && __poly_run_stale=1; :; }
__poly_run_venv() {
  [ "$__poly_run_mode" = check ] || return 0
  { [ -f "$1/pyvenv.cfg" ] && [ -x "$1/bin/python" ] && [ -x "$1/bin/pip" ]; } || __poly_run_stale=1
}
__poly_run_host() {
  [ "$__poly_run_mode" = check ] || return 0
  eval "[ \"\${$1+set}\" = set ] && [ \"\$$1\" = \"\$2\" ]" || __poly_run_stale=1
}
__poly_run_host_unset() {
  [ "$__poly_run_mode" = check ] || return 0
  eval "[ -z \"\${$1+set}\" ]" || __poly_run_stale=1
}
__poly_run_watchdog() { __poly_run_wd_script=$1 __poly_run_wd_tenths=$2; }

__poly_run_now() {
  __poly_t=$(date +%s%N)
  case $__poly_t in *N) __poly_t=$(($(date +%s) * 1000)) ;; *) __poly_t=$((__poly_t / 1000000)) ;; esac
}

# A task: id, folder, quiet, its environment (sh), the plan positions of what it depends on.
__poly_run_task() {
  [ "$__poly_run_mode" = run ] || return 0
  __poly_run_close
  __poly_run_n=$((__poly_run_n + 1))
  __poly_run_cur=$__poly_run_n
  eval "__poly_id_$__poly_run_n=\$1 __poly_st_$__poly_run_n=running __poly_why_$__poly_run_n= __poly_ms_$__poly_run_n=0"
  __poly_run_dir=$2 __poly_run_quiet=$3 __poly_run_env=$4
  __poly_run_now
  __poly_run_t0=$__poly_t
  for __poly_dep in $5; do
    eval "__poly_s=\$__poly_st_$__poly_dep __poly_dep_id=\$__poly_id_$__poly_dep"
    case $__poly_s in passed) ;; *)
      if [ -n "$__poly_run_stopped" ]; then __poly_run_set cancelled ""; else __poly_run_set skipped "$__poly_dep_id did not pass"; fi
      return ;;
    esac
  done
  if [ -n "$__poly_run_stopped" ]; then __poly_run_set cancelled ""; return; fi
  [ -d "$2" ] || __poly_run_fail "folder $2 does not exist"
}

__poly_run_set() { eval "__poly_st_$__poly_run_cur=\$1 __poly_why_$__poly_run_cur=\$2"; }
__poly_run_fail() {
  __poly_run_now
  eval "__poly_ms_$__poly_run_cur=$((__poly_t - __poly_run_t0))"
  if [ -n "$__poly_run_stopped" ]; then __poly_run_set cancelled ""; else __poly_run_set failed "$1"; fi
}
# The task that was running passed: every command exited 0.
__poly_run_close() {
  [ "$__poly_run_cur" -gt 0 ] || return 0
  eval "__poly_s=\$__poly_st_$__poly_run_cur"
  [ "$__poly_s" = running ] || return 0
  __poly_run_now
  eval "__poly_ms_$__poly_run_cur=$((__poly_t - __poly_run_t0))"
  __poly_run_set passed ""
}

__poly_run_prefix() {
  eval "__poly_p=\$__poly_id_$__poly_run_cur"
  while [ ${#__poly_p} -lt "$__poly_run_width" ]; do __poly_p="$__poly_p "; done
  __poly_p="$__poly_p | "
}

# A command: takes the extra arguments, runs through sh -c, as shown, then its words.
__poly_run_cmd() {
  [ "$__poly_run_mode" = run ] || return 0
  eval "__poly_s=\$__poly_st_$__poly_run_cur"
  [ "$__poly_s" = running ] || return 0
  if [ -n "$__poly_run_stopped" ]; then __poly_run_fail stopped; return; fi
  __poly_last=$1 __poly_shell=$2 __poly_show=$3
  shift 3
  if [ "$__poly_last" = 1 ] && [ -n "$__poly_run_extra" ]; then
    __poly_show="$__poly_show$__poly_run_extra"
    if [ "$__poly_shell" = 1 ]; then eval "set -- \"\$1 \\\"\\\$@\\\"\" $__poly_run_extra"; else eval "set -- \"\$@\" $__poly_run_extra"; fi
  fi
  if [ "$__poly_shell" = 1 ]; then __poly_line=$1; shift; set -- /bin/sh -c "$__poly_line" poly-task "$@"; fi
  __poly_run_prefix
  [ "$__poly_run_quiet" = 1 ] || printf '%s$ %s\n' "$__poly_p" "$__poly_show"
  __poly_run_c=$((${__poly_run_c:-0} + 1))
  __poly_o=$__poly_run_tmp/o$__poly_run_c
  __poly_w=$__poly_run_tmp/w$__poly_run_c
  mkfifo "$__poly_o" "$__poly_w" || { __poly_run_fail "cannot start"; return; }
  # mawk (Debian's default awk) reads a pipe in whole buffers unless -W interactive: a task's
  # line would wait for the next few kilobytes or the task's end. gawk and BWK awk read lines.
  if [ -z "${__poly_mawk:-}" ]; then
    case $(awk -W version 2>&1 </dev/null) in *mawk*) __poly_mawk=yes ;; *) __poly_mawk=no ;; esac
  fi
  if [ "$__poly_mawk" = yes ]; then
    awk -W interactive -v p="$__poly_p" '{ sub(/\r$/, ""); print p $0; fflush() }' <"$__poly_o" &
  else
    awk -v p="$__poly_p" '{ sub(/\r$/, ""); print p $0; fflush() }' <"$__poly_o" &
  fi
  __poly_awk=$!
  (
    eval "$__poly_run_env"
    cd "$__poly_run_dir" || exit 1
    case $1 in
      */*) [ -e "$1" ] || { echo "$1: command not found"; exit 127; }
           { [ -f "$1" ] && [ -x "$1" ]; } || { echo "$1: not executable"; exit 126; } ;;
      *) __poly_run_in_path "$1" || { echo "$1: command not found"; exit 127; } ;;
    esac
    exec setsid env --default-signal=INT,QUIT "$@"
  ) >"$__poly_o" 2>&1 &
  __poly_run_pid=$!
  sh -c "$__poly_run_wd_script" poly-watchdog "$__poly_run_pid" "$__poly_run_wd_tenths" "task-group/$__poly_run_pid" <"$__poly_w" &
  __poly_wd=$!
  exec 9>"$__poly_w"
  while :; do
    # (dash reports a job killed by a signal on wait's stderr; the summary says it instead)
    wait "$__poly_run_pid" 2>/dev/null
    __poly_code=$?
    kill -0 "$__poly_run_pid" 2>/dev/null || break
  done
  [ -n "${__poly_killer:-}" ] && kill "$__poly_killer" 2>/dev/null
  __poly_killer=
  # What the command left in its group gets the same treatment as on the Node path.
  __poly_run_end_group "$__poly_run_pid" 20
  kill -KILL "$__poly_wd" 2>/dev/null
  exec 9>&-
  wait "$__poly_awk" 2>/dev/null
  rm -f "$__poly_o" "$__poly_w"
  __poly_run_pid=
  [ "$__poly_code" = 0 ] && return
  if [ "$__poly_code" -gt 128 ]; then
    __poly_run_fail "killed by SIG$(kill -l "$((__poly_code - 128))")"
  else
    __poly_run_fail "exited with code $__poly_code"
  fi
}

# An executable file named $1 in a PATH folder, as execvp finds it (builtins do not count).
__poly_run_in_path() {
  __poly_rest=$PATH:
  while [ -n "$__poly_rest" ]; do
    __poly_dir=${__poly_rest%%:*}
    __poly_rest=${__poly_rest#*:}
    [ -f "${__poly_dir:-.}/$1" ] && [ -x "${__poly_dir:-.}/$1" ] && return 0
  done
  return 1
}

# SIGTERM to the group, SIGKILL after $2 tenths of a second.
__poly_run_end_group() {
  kill -TERM "-$1" 2>/dev/null || return 0
  __poly_k=0
  while kill -0 "-$1" 2>/dev/null && [ "$__poly_k" -lt "$2" ]; do sleep 0.1; __poly_k=$((__poly_k + 1)); done
  kill -KILL "-$1" 2>/dev/null
  :
}

# Ctrl-C or SIGTERM: SIGTERM to the running command's group, SIGKILL after 5 s; cancel the rest.
__poly_run_signal() {
  __poly_run_stopped=1
  [ -n "${__poly_run_pid:-}" ] || return 0
  kill -TERM "-$__poly_run_pid" 2>/dev/null
  [ -n "${__poly_killer:-}" ] && return
  # Ended with TERM once the group is gone; it exits 0 then, so sh reports nothing.
  (trap 'exit 0' TERM; sleep 5 & wait $!; kill -KILL "-$__poly_run_pid") 2>/dev/null &
  __poly_killer=$!
}

__poly_run_duration() {
  if [ "$1" -lt 1000 ]; then __poly_d="${1}ms"
  elif [ "$1" -lt 60000 ]; then __poly_x=$((($1 + 50) / 100)); __poly_d="$((__poly_x / 10)).$((__poly_x % 10))s"
  else
    # Rounded to whole seconds before the split: 119.7 s is 2m00s, not 1m60s (src/ui/task-plain.ts).
    __poly_x=$((($1 + 500) / 1000)); __poly_m=$((__poly_x / 60)); __poly_x=$((__poly_x % 60))
    [ "$__poly_x" -lt 10 ] && __poly_x=0$__poly_x; __poly_d="${__poly_m}m${__poly_x}s"
  fi
}

__poly_run_end() {
  [ "$__poly_run_mode" = run ] || return 0
  __poly_run_close
  trap - INT TERM HUP
  rm -rf "$__poly_run_tmp"
  printf '\n'
  __poly_failed= __poly_nfailed=0 __poly_k=1
  while [ "$__poly_k" -le "$__poly_run_n" ]; do
    eval "__poly_id=\$__poly_id_$__poly_k __poly_s=\$__poly_st_$__poly_k __poly_why=\$__poly_why_$__poly_k __poly_ms=\$__poly_ms_$__poly_k"
    while [ ${#__poly_id} -lt "$__poly_run_width" ]; do __poly_id="$__poly_id "; done
    __poly_d=
    case $__poly_s in
      passed) __poly_mark='✓' __poly_text=passed; __poly_run_duration "$__poly_ms" ;;
      failed) __poly_mark='✗' __poly_text="failed: $__poly_why"; __poly_run_duration "$__poly_ms"
        eval "__poly_name=\$__poly_id_$__poly_k"
        __poly_failed="${__poly_failed:+$__poly_failed, }$__poly_name" __poly_nfailed=$((__poly_nfailed + 1))
        [ -n "${__poly_first:-}" ] || __poly_first=$__poly_name ;;
      skipped) __poly_mark='-' __poly_text="skipped ($__poly_why)" ;;
      *) __poly_mark='-' __poly_text=cancelled ;;
    esac
    while [ ${#__poly_d} -lt 6 ]; do __poly_d=" $__poly_d"; done
    printf '%s %s  %s  %s\n' "$__poly_mark" "$__poly_id" "$__poly_d" "$__poly_text"
    __poly_k=$((__poly_k + 1))
  done
  if [ -n "$__poly_run_stopped" ]; then
    echo 'poly: stopped; every task was ended' >&2
    exit 130
  fi
  [ "$__poly_nfailed" = 0 ] && exit 0
  # shellcheck disable=SC2016 # the backquotes are text, as in the Node path's hint
  printf 'error: %s of %s tasks failed: %s\nhint: The output above shows why; `poly run %s` runs one again.\n' \
    "$__poly_nfailed" "$__poly_run_n" "$__poly_failed" "$__poly_first" >&2
  exit 1
}

__poly_run_main "$@"
