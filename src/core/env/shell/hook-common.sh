# shellcheck shell=bash
# What the bash and zsh hooks share (both read it as it is; hook.bash and hook.zsh hold
# what differs: saving and restoring a variable, and how the hook is installed). After
# locate.sh; the includer sets __poly_cmd, __poly_home and __poly_shell first. See
# renderActivation (src/core/env/hook-scripts.ts) for what the hook does.

# Sourcing the rc file again must not forget what an applied project saved.
if [[ -z ${__poly_state_ready-} ]]; then
  typeset -gA __poly_old __poly_kind
  typeset -ga __poly_watched
  __poly_saved= __poly_cache= __poly_reading= __poly_stale= __poly_prefix= __poly_path_set= __poly_old_path= __poly_venv_dir=
  __poly_state_ready=1
fi
export POLY_SHELL_HOOK=$__poly_shell

# The applied project's venv is still whole (rm -rf .venv needs no poly.toml change to be seen).
__poly_venv_ok() { [[ -z $__poly_venv_dir || ( -f $__poly_venv_dir/pyvenv.cfg && -x $__poly_venv_dir/bin/python && -x $__poly_venv_dir/bin/pip ) ]]; }

# What an env cache (.poly/env.sh) calls: __poly_begin, then these.
__poly_begin() {
  if [[ $1 != "$__poly_protocol" || $2 != "$__poly_home" ]]; then __poly_stale=1; return 0; fi
  shift 3
  if [[ -n $__poly_reading ]] && ! __poly_watch_ok "$__poly_reading" "$@"; then __poly_stale=1; return 0; fi
  __poly_stale=
  __poly_restore
  __poly_watched=("$@")
}
__poly_path() { [[ -n $__poly_stale ]] && return 0; __poly_old_path=$PATH __poly_prefix=$1; PATH=$1${PATH:+:$PATH}; }
__poly_export() { [[ -n $__poly_stale ]] && return 0; __poly_save "$1"; export "$1=$2"; }
__poly_unset() { [[ -n $__poly_stale ]] && return 0; __poly_save "$1"; unset "$1"; }
__poly_notice() { [[ -n $__poly_stale ]] && return 0; printf 'poly: %s\n' "$1" >&2; }
__poly_end() { [[ -n $__poly_stale ]] && return 0; __poly_path_set=$PATH; }
__poly_venv() { [[ -n $__poly_stale ]] && return 0; __poly_venv_dir=$1; __poly_venv_ok || __poly_stale=1; }

# PATH back to what it was before poly's block, or only that block taken out if PATH changed since.
__poly_restore_path() {
  [[ -n $__poly_prefix ]] || return 0
  if [[ $PATH == "$__poly_path_set" ]]; then PATH=$__poly_old_path
  elif [[ ":$PATH:" == *":$__poly_prefix:"* ]]; then
    # Changed since (another hook prepended, the user appended): take out only poly's block.
    local p=":$PATH:"
    p=${p/":$__poly_prefix:"/:}
    p=${p#:}
    PATH=${p%:}
  fi
}

# One prompt (and cd): the cache for $PWD (a service folder's, the project's, the global
# one's). Nothing to do when it is the applied one and still fresh; else it is applied when
# fresh (restoring what the previous one changed), or poly is asked, which rewrites it.
__poly_hook() {
  local rc=$? cache script
  [[ -n ${ZSH_VERSION-} ]] && emulate -L zsh
  __poly_locate
  cache=$__poly_c
  if [[ $cache == "$__poly_cache" ]]; then
    [[ -z $cache ]] && return $rc
    __poly_fresh "$__poly_r" "$cache" && { [[ -z ${__poly_watched[*]} ]] || __poly_watch_ok "$cache" "${__poly_watched[@]}"; } \
      && __poly_venv_ok && return $rc
  elif [[ -z $__poly_r ]]; then
    __poly_restore
    return $rc
  elif __poly_fresh "$__poly_r" "$cache"; then
    __poly_reading=$cache
    . "$cache"
    __poly_reading=
    if [[ -z $__poly_stale ]]; then __poly_cache=$cache; return $rc; fi
  fi
  script=$(POLY_HOME=$__poly_home "${__poly_cmd[@]}" hook-env "$__poly_shell") && eval "$script"
  __poly_cache=$cache
  return $rc
}
