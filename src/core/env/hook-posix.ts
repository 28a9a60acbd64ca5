import { RUNTIME_NAMES } from '../manifest/types.js';
import type { HookConfig } from './hook-scripts.js';
import { HOOK_PROTOCOL, quotePosix } from './render.js';

// The bash and zsh hooks: the same logic, each in its shell's dialect (how to
// read a variable by name, test whether it is exported, hook cd). See
// renderActivation for what they do.

function posixPreamble(shell: 'bash' | 'zsh', c: HookConfig): string {
  const q = quotePosix;
  const freshTests = [
    '-f $2',
    '! $1/poly.toml -nt $2',
    '! $1/poly.lock -nt $2',
    '! $__poly_installs -nt $2',
    ...RUNTIME_NAMES.map((r) => `! $__poly_installs/${r} -nt $2`),
  ].join(' && ');
  return `# poly shell hook (${shell}). Add to your rc file: eval "$(poly activate ${shell})"
__poly_cmd=(${c.command.map(q).join(' ')})
__poly_home=${q(c.home)}
__poly_installs=${q(c.installs)}
__poly_global_root=${q(c.globalRoot)}
__poly_global_cache=${q(c.globalCacheSh)}
# Sourcing the rc file again must not forget what an applied project saved.
if [[ -z \${__poly_state_ready-} ]]; then
  typeset -gA __poly_old __poly_kind
  __poly_saved= __poly_root= __poly_stale= __poly_prefix= __poly_path_set= __poly_old_path= __poly_venv_dir=
  __poly_state_ready=1
fi
export POLY_SHELL_HOOK=${shell}

__poly_fresh() { [[ ${freshTests} ]]; }
# The applied project's venv is still whole (rm -rf .venv needs no poly.toml change to be seen).
__poly_venv_ok() { [[ -z $__poly_venv_dir || ( -f $__poly_venv_dir/pyvenv.cfg && -x $__poly_venv_dir/bin/python && -x $__poly_venv_dir/bin/pip ) ]]; }
`;
}

/** PATH back to what it was before poly's block, or only that block taken out if PATH changed since. */
const RESTORE_PATH = `  if [[ -n $__poly_prefix ]]; then
    if [[ $PATH == "$__poly_path_set" ]]; then PATH=$__poly_old_path
    elif [[ ":$PATH:" == *":$__poly_prefix:"* ]]; then
      # Changed since (another hook prepended, the user appended): take out only poly's block.
      local p=":$PATH:"
      p=\${p/":$__poly_prefix:"/:}
      p=\${p#:}
      PATH=\${p%:}
    fi
  fi
`;

/** The functions an env cache (.poly/env.sh) calls; only how a notice is printed differs. */
function applyFunctions(printNotice: string): string {
  return `__poly_path() { [[ -n $__poly_stale ]] && return 0; __poly_old_path=$PATH __poly_prefix=$1; PATH=$1\${PATH:+:$PATH}; }
__poly_export() { [[ -n $__poly_stale ]] && return 0; __poly_save "$1"; export "$1=$2"; }
__poly_unset() { [[ -n $__poly_stale ]] && return 0; __poly_save "$1"; unset "$1"; }
__poly_notice() { [[ -n $__poly_stale ]] && return 0; ${printNotice}; }
__poly_end() { [[ -n $__poly_stale ]] && return 0; __poly_path_set=$PATH; }
__poly_venv() { [[ -n $__poly_stale ]] && return 0; __poly_venv_dir=$1; __poly_venv_ok || __poly_stale=1; }
`;
}

/** __poly_hook after its locals: find the project, apply its fresh cache, or ask poly. */
function hookBody(shell: 'bash' | 'zsh'): string {
  return `  while :; do
    if [[ -f $d/poly.toml ]]; then root=\${d:-/}; break; fi
    [[ -z $d || $d == / ]] && break
    d=\${d%/*}
  done
  if [[ -n $root ]]; then cache=$root/.poly/env.sh
  elif [[ -f $__poly_global_root/poly.toml ]]; then root=$__poly_global_root cache=$__poly_global_cache
  fi
  if [[ $root == "$__poly_root" ]]; then
    [[ -z $root ]] && return $rc
    __poly_fresh "$root" "$cache" && __poly_venv_ok && return $rc
  elif [[ -z $root ]]; then
    __poly_restore
    return $rc
  elif __poly_fresh "$root" "$cache"; then
    . "$cache"
    if [[ -z $__poly_stale ]]; then __poly_root=$root; return $rc; fi
  fi
  script=$(POLY_HOME=$__poly_home "\${__poly_cmd[@]}" hook-env ${shell}) && eval "$script"
  __poly_root=$root
  return $rc
}
`;
}

export function bashHook(c: HookConfig): string {
  return `${posixPreamble('bash', c)}
__poly_save() {
  case " $__poly_saved " in *" $1 "*) return 0 ;; esac
  __poly_saved+=" $1"
  if [[ -v $1 ]]; then
    __poly_old[$1]=\${!1}
    if [[ \${!1@a} == *x* ]]; then __poly_kind[$1]=x; else __poly_kind[$1]=s; fi
  else
    __poly_kind[$1]=u
  fi
}

__poly_restore() {
  local n
${RESTORE_PATH}  for n in $__poly_saved; do
    case \${__poly_kind[$n]} in
      x) export "$n=\${__poly_old[$n]}" ;;
      s) export -n "$n"; printf -v "$n" '%s' "\${__poly_old[$n]}" ;;
      *) unset "$n" ;;
    esac
  done
  __poly_saved= __poly_prefix= __poly_path_set= __poly_old_path= __poly_root= __poly_venv_dir=
  __poly_old=() __poly_kind=()
}

__poly_begin() {
  if [[ $1 != ${HOOK_PROTOCOL} || $2 != "$__poly_home" ]]; then __poly_stale=1; return 0; fi
  __poly_stale=
  __poly_restore
}
${applyFunctions('printf \'poly: %s\\n\' "$1" >&2')}
__poly_hook() {
  local rc=$? d=$PWD root= cache= script
${hookBody('bash')}
if [[ ";\${PROMPT_COMMAND[0]:-};" != *";__poly_hook;"* ]]; then
  PROMPT_COMMAND[0]="__poly_hook\${PROMPT_COMMAND[0]:+;\${PROMPT_COMMAND[0]}}"
fi
# bash has no chpwd hook: so that \`cd project && node -v\` on one line already gets the
# project's node, cd, pushd and popd run the hook too (unless something else wraps them).
declare -F cd >/dev/null || cd() { builtin cd "$@" || return; __poly_hook; }
declare -F pushd >/dev/null || pushd() { builtin pushd "$@" || return; __poly_hook; }
declare -F popd >/dev/null || popd() { builtin popd "$@" || return; __poly_hook; }
__poly_hook
`;
}

export function zshHook(c: HookConfig): string {
  return `${posixPreamble('zsh', c)}
__poly_save() {
  emulate -L zsh
  case " $__poly_saved " in *" $1 "*) return 0 ;; esac
  __poly_saved+=" $1"
  if [[ -v $1 ]]; then
    __poly_old[$1]=\${(P)1}
    if [[ \${(tP)1} == *-export* ]]; then __poly_kind[$1]=x; else __poly_kind[$1]=s; fi
  else
    __poly_kind[$1]=u
  fi
}

__poly_restore() {
  emulate -L zsh
  local n
${RESTORE_PATH}  for n in \${=__poly_saved}; do
    case \${__poly_kind[$n]} in
      x) export "$n=\${__poly_old[$n]}" ;;
      s) unset "$n"; typeset -g -- "$n=\${__poly_old[$n]}" ;;
      *) unset "$n" ;;
    esac
  done
  __poly_saved= __poly_prefix= __poly_path_set= __poly_old_path= __poly_root= __poly_venv_dir=
  __poly_old=() __poly_kind=()
}

__poly_begin() {
  emulate -L zsh
  if [[ $1 != ${HOOK_PROTOCOL} || $2 != "$__poly_home" ]]; then __poly_stale=1; return 0; fi
  __poly_stale=
  __poly_restore
}
${applyFunctions('print -ru2 -- "poly: $1"')}
__poly_hook() {
  local rc=$?
  emulate -L zsh
  local d=$PWD root= cache= script
${hookBody('zsh')}
autoload -Uz add-zsh-hook
add-zsh-hook precmd __poly_hook
add-zsh-hook chpwd __poly_hook
__poly_hook
`;
}
