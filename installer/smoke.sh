#!/usr/bin/env bash
# Smoke test of the real Linux bundle: build it (installer/build.sh), unpack the tarball into a temporary
# folder and run the frozen app there with no Python on PATH (env -i PATH=/usr/bin:/bin):
#   --version; demo; results; a signed appraisal report checked by verify; export of a signed team
#   package (.cchc), its verify and re-import; gui --screenshot offscreen; that the Qt platform plugins
#   need nothing outside the bundle but the desktop's X11/GL base; gui --screenshot on a real X server
#   (Xvfb, the xcb platform) and on a Wayland compositor (Weston, headless).
# Prints the bundle size, the compressed size and the start times, and ends with one JSON line.
#
#     installer/smoke.sh                    # build, then test
#     SMOKE_SKIP_BUILD=1 installer/smoke.sh # test the tarball already in dist/
#     SMOKE_DROP_CACHES=1 installer/smoke.sh  # (root) empty the page cache before the cold starts
#
# The screenshots and the signed PDF are left in dist/smoke/ to look at.
#
# Needs: tar, openssl, xvfb-run (Debian xvfb, xauth), weston, python-free /usr/bin:/bin (the library check runs
# with the build's Python). Exit status 0 only if every step passed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"  # the build's Python (installer/build.sh): only for checks
if [ -z "${SMOKE_SKIP_BUILD:-}" ]; then
    installer/build.sh
fi
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' evaluator/__init__.py)"
TARBALL="dist/evaluator-$VERSION-linux-$(uname -m).tar.gz"
[ -f "$TARBALL" ] || { echo "no $TARBALL: build first" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
tar -C "$WORK" -xzf "$TARBALL"
APP="$WORK/evaluator-$VERSION/evaluator"
[ -x "$APP" ] || { echo "no executable $APP in the tarball" >&2; exit 1; }
mkdir -p "$WORK/run" "$WORK/home"
cd "$WORK/run"

BUNDLE_MB="$(du -sm "$WORK/evaluator-$VERSION" | cut -f1)"
COMPRESSED_MB="$(awk -v b="$(stat -c %s "$ROOT/$TARBALL")" 'BEGIN { printf "%.1f", b / 1048576 }')"

# A clean environment: no Python, no virtualenv, a throwaway home (settings, logs, cache go there).
E=(env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen
   XDG_RUNTIME_DIR="$WORK/home" P12_PASSWORD=smoke-secret)
if "${E[@]}" sh -c 'command -v python3 || command -v python' >/dev/null 2>&1; then
    echo "note: /usr/bin has a system Python; the bundle must not (and does not need to) use it"
fi
step() { echo "== $*"; }
seconds() {  # seconds a command takes, to the millisecond (its output goes to $WORK/last.out)
    local start end
    start="$(date +%s.%N)"
    "$@" >"$WORK/last.out" 2>&1 || { cat "$WORK/last.out"; return 1; }
    end="$(date +%s.%N)"
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }'
}
drop_caches() {
    if [ -n "${SMOKE_DROP_CACHES:-}" ] && [ -w /proc/sys/vm/drop_caches ]; then
        sync && echo 3 >/proc/sys/vm/drop_caches
    fi
}

step "--version (cold: first run from the fresh unpack)"
drop_caches
VERSION_COLD="$(seconds "${E[@]}" "$APP" --version)"
grep -q "evaluator $VERSION" "$WORK/last.out"
VERSION_WARM="$(seconds "${E[@]}" "$APP" --version)"
echo "   $(cat "$WORK/last.out") — cold ${VERSION_COLD}s, warm ${VERSION_WARM}s"

step "install.sh: per-user install into the throwaway home, run, uninstall"
"${E[@]}" bash "$WORK/evaluator-$VERSION/install.sh"
"${E[@]}" "$WORK/home/.local/bin/evaluator" --version
grep -q "MimeType=application/x-evaluator-cchc" "$WORK/home/.local/share/applications/evaluator.desktop"
[ -f "$WORK/home/.local/share/mime/packages/evaluator-cchc.xml" ]
[ -f "$WORK/home/.local/share/icons/hicolor/48x48/apps/evaluator.png" ]
mkdir -p "$WORK/home/Documents/evaluator" && echo keep >"$WORK/home/Documents/evaluator/keep.db"
"${E[@]}" bash "$WORK/evaluator-$VERSION/install.sh" --uninstall
[ ! -e "$WORK/home/.local/bin/evaluator" ] && [ ! -d "$WORK/home/.local/opt/evaluator" ]
[ -f "$WORK/home/Documents/evaluator/keep.db" ] || { echo "uninstall removed user data" >&2; exit 1; }

step "demo"
"${E[@]}" "$APP" demo demo.db
step "results"
# never `… | head` under pipefail: head closes the pipe early, and output longer than the pipe's buffer (the
# results now carry each unit's year-over-year changes) ends the run with SIGPIPE (exit 141)
"${E[@]}" "$APP" results --db demo.db --year 2024 >results.txt
head -8 results.txt
"${E[@]}" "$APP" results --db demo.db --year 2024 --format json >results.json
UNIT="$(sed -n '/"code": "/{s/.*"code": "\([^"]*\)".*/\1/p;q;}' results.json)"  # the first, then quit
[ -n "$UNIT" ] || { echo "no unit code in the results" >&2; exit 1; }

step "throwaway PKI (openssl): a CA and a signer in a PKCS#12 file"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Smoke Test CA/O=evaluator" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=Nguyễn Văn Thư Ký/O=Hội đồng thẩm định" -utf8 \
    -keyout signer.key -out signer.csr 2>/dev/null
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,nonRepudiation" \
    >signer.ext
openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile signer.ext -out signer.pem 2>/dev/null
openssl pkcs12 -export -inkey signer.key -in signer.pem -certfile ca.pem -name signer \
    -passout pass:smoke-secret -out signer.p12

step "signed appraisal report of unit $UNIT, then verify"
"${E[@]}" "$APP" report appraisal --db demo.db --year 2024 --unit "$UNIT" --out appraisal.pdf \
    --sign --p12 signer.p12 --password-env P12_PASSWORD --reason "Smoke test" --location "Hà Nội"
"${E[@]}" "$APP" verify appraisal.pdf --trust ca.pem --db demo.db

step "export a signed team package, verify it, import it into the committee's copy (dry run, for real, again)"
cp demo.db committee.db && cp -r demo.evidence committee.evidence  # the committee's copy of the project
"${E[@]}" "$APP" export --db demo.db --year 2024 --unit "$UNIT" --out team.cchc --author "Tổ 1" \
    --p12 signer.p12 --password-env P12_PASSWORD
"${E[@]}" "$APP" verify team.cchc --trust ca.pem
"${E[@]}" "$APP" import --db committee.db team.cchc --trust ca.pem --dry-run
"${E[@]}" "$APP" import --db committee.db team.cchc --trust ca.pem --author "Thư ký"
"${E[@]}" "$APP" import --db committee.db team.cchc --trust ca.pem  # again: nothing new, no error

step "gui --screenshot (offscreen): start page cold (first GUI start), then views with data"
# The start page lists the demo project from EVALUATOR_DEMO_DIR: the one built above, so nothing is built.
drop_caches
GUI_FIRST="$(seconds "${E[@]}" EVALUATOR_DEMO_DIR="$WORK/run" "$APP" gui --view start --screenshot start.png)"
[ -s start.png ] || { echo "no screenshot written" >&2; exit 1; }
GUI_WORKSPACE="$(seconds "${E[@]}" "$APP" gui --db demo.db --view workspace --screenshot shot.png)"
[ -s shot.png ] || { echo "no screenshot written" >&2; exit 1; }
GUI_RESULTS="$(seconds "${E[@]}" "$APP" gui --db demo.db --view results --screenshot results.png)"
[ -s results.png ] || { echo "no screenshot written" >&2; exit 1; }
echo "   start page ${GUI_FIRST}s (cold), workspace with data ${GUI_WORKSPACE}s, results ${GUI_RESULTS}s"

step "Qt platform plugins: every library they need is in the bundle or the desktop's X11/GL base"
"$PYTHON" "$ROOT/installer/bundle.py" check-libs "$WORK/evaluator-$VERSION"

step "gui on a real X server (Xvfb, the xcb platform plugin, as on a Linux desktop)"
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing: python3 dev.py test installs it (xvfb)" >&2; exit 1; }
X11_SECONDS="$(seconds xvfb-run -a -s "-screen 0 1600x1000x24" sh -c \
    'exec env -i PATH=/usr/bin:/bin HOME="$0" LANG=C.UTF-8 QT_QPA_PLATFORM=xcb XDG_RUNTIME_DIR="$0" \
     DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" "$1" gui --db demo.db --view workspace --screenshot x11.png' \
    "$WORK/home" "$APP")"
[ -s x11.png ] || { echo "no screenshot written on X11" >&2; exit 1; }
echo "   workspace on X11 ${X11_SECONDS}s"

step "gui on a Wayland compositor (Weston, headless; the wayland platform plugin)"
command -v weston >/dev/null || { echo "weston is missing: python3 dev.py test installs it" >&2; exit 1; }
mkdir -p -m 700 "$WORK/wayland"
env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$WORK/wayland" weston --backend=headless-backend.so \
    --socket=smoke --idle-time=0 >"$WORK/weston.log" 2>&1 &
WESTON=$!
for _ in $(seq 300); do [ -S "$WORK/wayland/smoke" ] && break; sleep 0.1; done
[ -S "$WORK/wayland/smoke" ] || { cat "$WORK/weston.log"; echo "weston did not start" >&2; exit 1; }
WAYLAND_SECONDS="$(seconds env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 QT_QPA_PLATFORM=wayland \
    XDG_RUNTIME_DIR="$WORK/wayland" WAYLAND_DISPLAY=smoke "$APP" gui --db demo.db --view workspace \
    --screenshot wayland.png)"
kill "$WESTON" && wait "$WESTON" || true
[ -s wayland.png ] || { echo "no screenshot written on Wayland" >&2; exit 1; }
echo "   workspace on Wayland ${WAYLAND_SECONDS}s"
LOG="$(find "$WORK/home" -name evaluator.log | head -1)"
mkdir -p "$ROOT/dist/smoke" && cp start.png shot.png results.png x11.png wayland.png appraisal.pdf "$ROOT/dist/smoke/"  # to look at

echo
echo "bundle size:        ${BUNDLE_MB} MB (dist/evaluator)"
echo "compressed size:    ${COMPRESSED_MB} MB ($TARBALL; target <= 150)"
echo "--version:          cold ${VERSION_COLD} s, warm ${VERSION_WARM} s (target <= 1)"
echo "gui --screenshot:   start page ${GUI_FIRST} s cold (first frame + 0.3 s settling + saving the PNG;"
echo "                    target first frame <= 3); with the project open: workspace ${GUI_WORKSPACE} s,"
echo "                    results ${GUI_RESULTS} s"
echo "log file:           ${LOG:-none (logging not switched on in main)}"
echo "gui on X11 (Xvfb):  workspace ${X11_SECONDS} s; on Wayland (Weston): ${WAYLAND_SECONDS} s"
printf '{"version": "%s", "bundle_mb": %s, "compressed_mb": %s, "version_cold_s": %s, "version_warm_s": %s, "gui_first_frame_cold_s": %s, "gui_workspace_s": %s, "gui_results_s": %s, "gui_x11_workspace_s": %s, "gui_wayland_workspace_s": %s, "ok": true}\n' \
    "$VERSION" "$BUNDLE_MB" "$COMPRESSED_MB" "$VERSION_COLD" "$VERSION_WARM" "$GUI_FIRST" "$GUI_WORKSPACE" "$GUI_RESULTS" "$X11_SECONDS" "$WAYLAND_SECONDS"
