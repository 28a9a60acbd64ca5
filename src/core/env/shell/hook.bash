# shellcheck shell=bash
# The bash hook's own part, after locate.sh and hook-common.sh: saving and restoring a
# variable in bash's terms, and running the hook at each prompt and cd.

__poly_save() {
  case " $__poly_saved " in *" $1 "*) return 0 ;; esac
  __poly_saved+=" $1"
  if [[ -v $1 ]]; then
    __poly_old[$1]=${!1}
    if [[ ${!1@a} == *x* ]]; then __poly_kind[$1]=x; else __poly_kind[$1]=s; fi
  else
    __poly_kind[$1]=u
  fi
}

__poly_restore() {
  local n
  __poly_restore_path
  for n in $__poly_saved; do
    case ${__poly_kind[$n]} in
      x) export "$n=${__poly_old[$n]}" ;;
      s) export -n "$n"; printf -v "$n" '%s' "${__poly_old[$n]}" ;;
      *) unset "$n" ;;
    esac
  done
  __poly_saved= __poly_prefix= __poly_path_set= __poly_old_path= __poly_cache= __poly_venv_dir=
  __poly_old=() __poly_kind=() __poly_watched=()
}

if [[ ";${PROMPT_COMMAND[0]:-};" != *";__poly_hook;"* ]]; then
  PROMPT_COMMAND[0]="__poly_hook${PROMPT_COMMAND[0]:+;${PROMPT_COMMAND[0]}}"
fi
# bash has no chpwd hook: so that `cd project && node -v` on one line already gets the
# project's node, cd, pushd and popd run the hook too (unless something else wraps them).
declare -F cd >/dev/null || cd() { builtin cd "$@" || return; __poly_hook; }
declare -F pushd >/dev/null || pushd() { builtin pushd "$@" || return; __poly_hook; }
declare -F popd >/dev/null || popd() { builtin popd "$@" || return; __poly_hook; }
__poly_hook
