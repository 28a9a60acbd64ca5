/**
 * The install.sh shipped at the top of the mirror's Rust archives: a small, faithful stand-in
 * for rust-installer's script. It reads the same files (`components`, `<component>/manifest.in`
 * with `file:` and `dir:` lines), copies each component into --prefix and records what it
 * installed under lib/rustlib as the real one does (`components`, `manifest-<component>`,
 * `rust-installer-version`). Unlike the real one, --prefix is required: its default
 * (/usr/local) is no place for a test to write into.
 */
export const RUST_INSTALL_SH = `#!/bin/sh
# install.sh for a Rust toolchain archive (poly test mirror; same inputs as rust-installer's).
set -eu
src_dir="$(cd "$(dirname "$0")" && pwd)"
prefix=""
only=""
usage() {
  echo "Usage: ./install.sh --prefix=DIR [--components=a,b] [--disable-ldconfig] [--verbose]"
}
for arg in "$@"; do
  case "$arg" in
    --prefix=*) prefix="\${arg#--prefix=}" ;;
    --components=*) only=",\${arg#--components=}," ;;
    --disable-ldconfig|--verbose|-y|--yes) ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option: $arg" >&2; usage >&2; exit 1 ;;
  esac
done
if [ -z "$prefix" ]; then
  echo "install.sh: --prefix=DIR is required" >&2
  exit 1
fi
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
rustlib="$prefix/lib/rustlib"
mkdir -p "$rustlib"
installed=0
while IFS= read -r component || [ -n "$component" ]; do
  [ -n "$component" ] || continue
  case "$only" in
    "") ;;
    *",$component,"*) ;;
    *) continue ;;
  esac
  : > "$rustlib/manifest-$component"
  while IFS= read -r line || [ -n "$line" ]; do
    kind="\${line%%:*}"
    path="\${line#*:}"
    case "$path" in
      /*|..|../*|*/../*|*/..) echo "install.sh: unsafe path in $component: $path" >&2; exit 1 ;;
    esac
    case "$kind" in
      file)
        mkdir -p "$prefix/$(dirname "$path")"
        cp -p "$src_dir/$component/$path" "$prefix/$path"
        ;;
      dir)
        mkdir -p "$prefix/$path"
        cp -pR "$src_dir/$component/$path/." "$prefix/$path/"
        ;;
      *) echo "install.sh: bad line in $component/manifest.in: $line" >&2; exit 1 ;;
    esac
    echo "$kind:$path" >> "$rustlib/manifest-$component"
  done < "$src_dir/$component/manifest.in"
  if ! grep -qx "$component" "$rustlib/components" 2>/dev/null; then
    echo "$component" >> "$rustlib/components"
  fi
  installed=$((installed + 1))
done < "$src_dir/components"
cp "$src_dir/rust-installer-version" "$rustlib/rust-installer-version"
echo "install: installed $installed components to $prefix"
`;
