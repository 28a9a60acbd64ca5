# shellcheck shell=bash
# The zsh hook's own part, after locate.sh and hook-common.sh: saving and restoring a
# variable in zsh's terms, and running the hook at each prompt and cd. (shellcheck reads
# zsh as bash; zsh's ${(P)…} flags are what SC2296 flags.)

__poly_save() {
  emulate -L zsh
  case " $__poly_saved " in *" $1 "*) return 0 ;; esac
  __poly_saved+=" $1"
  if [[ -v $1 ]]; then
    __poly_old[$1]=${(P)1}
    if [[ ${(tP)1} == *-export* ]]; then __poly_kind[$1]=x; else __poly_kind[$1]=s; fi
  else
    __poly_kind[$1]=u
  fi
}

__poly_restore() {
  emulate -L zsh
  local n
  __poly_restore_path
  for n in ${=__poly_saved}; do
    case ${__poly_kind[$n]} in
      x) export "$n=${__poly_old[$n]}" ;;
      s) unset "$n"; typeset -g -- "$n=${__poly_old[$n]}" ;;
      *) unset "$n" ;;
    esac
  done
  __poly_saved= __poly_prefix= __poly_path_set= __poly_old_path= __poly_cache= __poly_venv_dir=
  __poly_old=() __poly_kind=() __poly_watched=()
}

autoload -Uz add-zsh-hook
add-zsh-hook precmd __poly_hook
add-zsh-hook chpwd __poly_hook
__poly_hook
