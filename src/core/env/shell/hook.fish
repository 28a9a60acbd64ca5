# The fish hook, after locate.fish: the bash/zsh logic in fish, where PATH is a list and a
# variable is read by name with $$name. The includer sets __poly_cmd, __poly_home and
# __poly_protocol first. See renderActivation (src/core/env/hook-scripts.ts) for what it does.

# Sourcing config.fish again must not forget what an applied project saved.
if not set -q __poly_state_ready
    set -g __poly_saved
    set -g __poly_cache ''
    set -g __poly_reading ''
    set -g __poly_watched
    set -g __poly_stale ''
    set -g __poly_prefix_PATH
    set -g __poly_set_PATH
    set -g __poly_old_PATH
    set -g __poly_venv_dir ''
    set -g __poly_state_ready 1
end
set -gx POLY_SHELL_HOOK fish

# The applied project's venv is still whole (rm -rf .venv needs no poly.toml change to be seen).
function __poly_venv_ok
    test -z "$__poly_venv_dir"; and return 0
    test -f $__poly_venv_dir/pyvenv.cfg -a -x $__poly_venv_dir/bin/python -a -x $__poly_venv_dir/bin/pip
end

function __poly_save
    set -l name $argv[1]
    contains -- $name $__poly_saved; and return 0
    set -g -a __poly_saved $name
    if set -q $name
        set -g __poly_old_$name $$name
        if set -qx $name
            set -g __poly_kind_$name x
        else
            set -g __poly_kind_$name s
        end
    else
        set -g __poly_kind_$name u
    end
end

function __poly_restore
    if set -q __poly_prefix_PATH[1]
        set -l n (count $__poly_prefix_PATH)
        if test "$PATH" = "$__poly_set_PATH"
            set -gx PATH $__poly_old_PATH
        else
            # Changed since (another hook prepended, the user appended): take out only poly's block.
            set -l i 1
            set -l last (math (count $PATH) - $n + 1)
            while test $i -le $last
                set -l j (math $i + $n - 1)
                if test "$PATH[$i..$j]" = "$__poly_prefix_PATH"
                    set -e PATH[$i..$j]
                    break
                end
                set i (math $i + 1)
            end
        end
    end
    for n in $__poly_saved
        set -l old __poly_old_$n
        set -l kind __poly_kind_$n
        switch $$kind
            case x
                set -gx $n $$old
            case s
                set -e -g $n
                set -g $n $$old
            case '*'
                set -e -g $n
        end
        set -e -g $old
        set -e -g $kind
    end
    set -g __poly_saved
    set -g __poly_prefix_PATH
    set -g __poly_set_PATH
    set -g __poly_old_PATH
    set -g __poly_cache ''
    set -g __poly_watched
    set -g __poly_venv_dir ''
end

function __poly_begin
    if test "$argv[1]" != "$__poly_protocol" -o "$argv[2]" != "$__poly_home"
        set -g __poly_stale 1
        return 0
    end
    if test -n "$__poly_reading"; and not __poly_watch_ok $__poly_reading $argv[4..-1]
        set -g __poly_stale 1
        return 0
    end
    set -g __poly_stale ''
    __poly_restore
    set -g __poly_watched $argv[4..-1]
end
function __poly_path
    test -n "$__poly_stale"; and return 0
    set -g __poly_old_PATH $PATH
    set -g __poly_prefix_PATH $argv
    set -gx PATH $argv $PATH
end
function __poly_export
    test -n "$__poly_stale"; and return 0
    __poly_save $argv[1]
    set -gx $argv[1] $argv[2]
end
function __poly_unset
    test -n "$__poly_stale"; and return 0
    __poly_save $argv[1]
    set -e -g $argv[1]
end
function __poly_notice
    test -n "$__poly_stale"; and return 0
    printf 'poly: %s\n' $argv[1] >&2
end
function __poly_venv
    test -n "$__poly_stale"; and return 0
    set -g __poly_venv_dir $argv[1]
    __poly_venv_ok; or set -g __poly_stale 1
end
function __poly_end
    test -n "$__poly_stale"; and return 0
    set -g __poly_set_PATH $PATH
end

function __poly_hook --on-event fish_prompt --on-variable PWD
    __poly_locate
    set -l cache $__poly_c
    if test "$cache" = "$__poly_cache"
        test -z "$cache"; and return
        __poly_fresh $__poly_r $cache; and __poly_watch_ok $cache $__poly_watched; and __poly_venv_ok; and return
    else if test -z "$__poly_r"
        __poly_restore
        return
    else if __poly_fresh $__poly_r $cache
        set -g __poly_reading $cache
        source $cache
        set -g __poly_reading ''
        if test -z "$__poly_stale"
            set -g __poly_cache $cache
            return
        end
    end
    POLY_HOME=$__poly_home $__poly_cmd hook-env fish | source
    set -g __poly_cache $cache
end

__poly_hook
