# The one walk-up and freshness test of the fish hook: locate.sh's, in fish. The includer
# sets __poly_i (the installs folder), __poly_g (the folder of the global poly.toml) and
# __poly_gc (its env.fish cache).

# __poly_r: the nearest folder with a poly.toml from $PWD up, else the global one, else empty.
# __poly_c: the env.fish cache for $PWD in it: the innermost service folder's that poly
# marked in .poly/service-env/ (when it wrote the project's cache), else the project's.
function __poly_locate
    set -l d $PWD
    set -g __poly_r ''
    set -g __poly_c ''
    while true
        if test -f "$d/poly.toml"
            set -g __poly_r $d
            test -z "$d"; and set -g __poly_r /
            break
        end
        if test -z "$d" -o "$d" = /
            break
        end
        set d (string replace -r '/[^/]*$' '' -- $d)
    end
    if test -n "$__poly_r"
        set -g __poly_c $__poly_r/.poly/env.fish
        set d $PWD
        # Below the project (rarely more than a few levels): each folder up to it.
        set -l p
        set -l skip
        while test -n "$d" -a "$d" != "$__poly_r"
            if not set -q skip[1]
                set p (string replace -r '/$' '' -- $__poly_r)
                set skip (math (string length -- "$p") + 1)
            end
            set -l at $p/.poly/service-env(string sub -s $skip -- $d)
            if test -f $at/service
                set -g __poly_c $at/env.fish
                break
            end
            set d (string replace -r '/[^/]*$' '' -- $d)
        end
    else if test -f $__poly_g/poly.toml
        set -g __poly_r $__poly_g
        set -g __poly_c $__poly_gc
    end
end

# Cache $argv[2] of root $argv[1] exists and nothing it was made from is newer: poly.toml,
# poly.lock, the installs folder and each runtime's folder in it (as in locate.sh).
function __poly_fresh
    test -f $argv[2]
    and not test $argv[1]/poly.toml -nt $argv[2]
    and not test $argv[1]/poly.lock -nt $argv[2]
    and not test $__poly_i -nt $argv[2]
    and not test $__poly_i/node -nt $argv[2]
    and not test $__poly_i/python -nt $argv[2]
    and not test $__poly_i/go -nt $argv[2]
    and not test $__poly_i/java -nt $argv[2]
    and not test $__poly_i/rust -nt $argv[2]
end

# The files cache $argv[1] watches besides, given as pairs after it, "1 path" (existed then)
# or "0 path" (did not), are as they were.
function __poly_watch_ok
    set -l c $argv[1]
    set -l w $argv[2..-1]
    while set -q w[2]
        if test "$w[1]" = 1
            test -f "$w[2]"; and not test "$w[2]" -nt "$c"; or return 1
        else if test -e "$w[2]"
            return 1
        end
        set -e w[1..2]
    end
    return 0
end
