#!/usr/bin/env bash
# Install evaluator for the current user (no root): run it from the unpacked tarball folder.
#
#     tar -xzf evaluator-VERSION-linux-x86_64.tar.gz && evaluator-VERSION/install.sh
#     evaluator-VERSION/install.sh --uninstall
#
# Copies the program to ~/.local/opt/evaluator, puts `evaluator` in ~/.local/bin, and adds the menu
# entry, the icon and the .cchc file type (XDG folders). Projects (~/Documents/evaluator), settings,
# logs and backups are elsewhere and are never touched, not by an upgrade nor by --uninstall.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
OPT="$HOME/.local/opt/evaluator"
BIN="$HOME/.local/bin"

refresh() {
    command -v update-mime-database >/dev/null && update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
    command -v update-desktop-database >/dev/null && update-desktop-database "$DATA/applications" >/dev/null 2>&1 || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$DATA/icons/hicolor" >/dev/null 2>&1 || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$OPT"
    rm -f "$BIN/evaluator" "$DATA/applications/evaluator.desktop" "$DATA/mime/packages/evaluator-cchc.xml"
    find "$DATA/icons/hicolor" -name evaluator.png -delete 2>/dev/null || true
    refresh
    echo "evaluator removed; your projects and settings are kept"
    exit 0
fi

mkdir -p "$OPT.new" "$BIN" "$DATA/applications" "$DATA/mime/packages"
cp -a "$HERE/evaluator" "$HERE/_internal" "$OPT.new/"
rm -rf "$OPT" && mv "$OPT.new" "$OPT"          # an upgrade replaces the program folder only
ln -sf "$OPT/evaluator" "$BIN/evaluator"
cp "$HERE/share/evaluator.desktop" "$DATA/applications/evaluator.desktop"
sed -i "s|^Exec=evaluator |Exec=$OPT/evaluator |" "$DATA/applications/evaluator.desktop"
cp "$HERE/share/evaluator-cchc.xml" "$DATA/mime/packages/evaluator-cchc.xml"
for size in 16 24 32 48 64 128 256; do
    src="$OPT/_internal/resources/icons/evaluator-$size.png"
    [ "$size" = 256 ] && src="$OPT/_internal/resources/icons/evaluator.png"
    [ -f "$src" ] || continue
    mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
    cp "$src" "$DATA/icons/hicolor/${size}x${size}/apps/evaluator.png"
done
refresh
echo "evaluator installed in $OPT; start it from the menu or with: evaluator"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "(add $BIN to PATH to type 'evaluator' in a terminal)";; esac
