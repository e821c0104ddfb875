#!/usr/bin/env bash
# Build the Linux bundle: dist/evaluator/ (run dist/evaluator/evaluator) and
# dist/evaluator-VERSION-linux-x86_64.tar.gz holding that folder (plus install.sh for a per-user install).
# No AppImage: appimagetool is neither a Debian nor a PyPI package (see installer/README-sections.md).
#
#     installer/build.sh            # uses .venv (created by `python3 dev.py test`), installs the `build` extra
#     PYTHON=/path/to/python installer/build.sh
#
# Needs nothing outside the virtual environment but tar and gzip. Takes a few minutes (PySide6, pandas).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
if [ ! -x "$PYTHON" ]; then
    echo "no Python at $PYTHON: run 'python3 dev.py test' first or set PYTHON" >&2
    exit 2
fi
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
    "$PYTHON" -m pip install --quiet -e ".[build]"
fi
# Qt's xcb platform plugin needs xcb helper libraries that a desktop may lack: they must be on this machine
# to go into the bundle (installer/bundle.py, XCB_LIBS).
MISSING="$("$PYTHON" -c 'import sys; sys.path.insert(0, "installer"); import bundle; print(" ".join(bundle.missing_xcb_libs()))')"
if [ -n "$MISSING" ]; then
    PACKAGES="$("$PYTHON" -c 'import sys; sys.path.insert(0, "installer"); import bundle; print(" ".join(bundle.XCB_PACKAGES))')"
    echo "missing on this build machine: $MISSING; install them: apt-get install $PACKAGES" >&2
    exit 2
fi
VERSION="$("$PYTHON" -c 'import re,pathlib; print(re.search(r"__version__ = \"([^\"]+)\"", pathlib.Path("evaluator/__init__.py").read_text()).group(1))')"
ARCH="$(uname -m)"
NAME="evaluator-$VERSION-linux-$ARCH"

rm -rf dist/evaluator
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    installer/evaluator.spec

# The tarball unpacks to evaluator-VERSION/ with the executable evaluator-VERSION/evaluator inside, and
# install.sh + share/ for a per-user menu entry, icon and .cchc file type (installer/linux/).
rm -rf "build/$NAME" && mkdir -p "build/$NAME"
cp -a dist/evaluator "build/$NAME/evaluator-$VERSION"
cp installer/linux/install.sh "build/$NAME/evaluator-$VERSION/install.sh"
mkdir -p "build/$NAME/evaluator-$VERSION/share"
cp installer/linux/evaluator.desktop installer/linux/evaluator-cchc.xml "build/$NAME/evaluator-$VERSION/share/"
tar -C "build/$NAME" -czf "dist/$NAME.tar.gz" "evaluator-$VERSION"
rm -rf "build/$NAME"
echo "bundle:  dist/evaluator/evaluator ($(du -sh dist/evaluator | cut -f1))"
echo "archive: dist/$NAME.tar.gz ($(du -h "dist/$NAME.tar.gz" | cut -f1))"
