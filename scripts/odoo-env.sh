# shellcheck shell=bash disable=SC2034,SC2012
# (SC2034: variables used by the scripts that source this file; SC2012: plain file names)
# Shared helpers of scripts/test and scripts/serve: sourced, never run.
#
# What it does for them:
#   find_odoo                  find a Python that imports Odoo 19 and how to start it
#   ensure_system_packages     install missing Debian packages (tesseract, chromium, ...)
#   ensure_postgres            start PostgreSQL and make sure our role exists
#   install_addon_python_deps  `pip install -e ./cadre_archive` (whool) into Odoo's Python
#   ensure_tooling_venv        the ruff/pylint/pytest venv, kept outside the repo
#
# Variables a user may set (documented in README.md):
#   ODOO_PYTHON            the Python of an Odoo 19 install; when set, it is the only one tried
#   CADRE_ARCHIVE_ODOO_SOURCE  where scripts/get-odoo clones Odoo 19 from (default: GitHub)
#   CADRE_ARCHIVE_CACHE    cache dir (default ~/.cache/cadre_archive): tooling venv, Odoo
#                          data dir (filestore), stamps
#   CADRE_ARCHIVE_NO_APT=1 never call apt-get (only report what is missing)
# Developer switches, to test the scripts themselves:
#   CADRE_ARCHIVE_NO_ODOO=1      every candidate is rejected: simulates a machine without Odoo
#   CADRE_ARCHIVE_PRIVATE_PG=1   ignore the Debian cluster, use the private initdb cluster
#   CADRE_ARCHIVE_EDITABLE=1     pip install -e the addon instead of only its dependencies

CA_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
CA_CACHE_DIR=${CADRE_ARCHIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cadre_archive}
CA_LOG_DIR=$CA_REPO_ROOT/.cache/logs
CA_DATA_DIR=$CA_CACHE_DIR/odoo-data
CA_ADDON=cadre_archive
# Where scripts/get-odoo puts Odoo 19 Community (source tree src/, its venv venv/)
CA_GET_ODOO_DIR=$CA_CACHE_DIR/odoo19
CA_GET_ODOO_BRANCH=19.0
CA_GET_ODOO_DEFAULT_SOURCE=https://github.com/odoo/odoo.git
CA_GET_ODOO_DONE=.cadre_archive-complete   # in the venv once everything is installed
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CA_CACHE_DIR" "$CA_LOG_DIR" "$CA_DATA_DIR"

if [[ -t 1 && -z ${NO_COLOR:-} && ${CI:-} != true ]]; then
    CA_BOLD=$'\e[1m' CA_RED=$'\e[31m' CA_YELLOW=$'\e[33m' CA_RESET=$'\e[0m'
else
    CA_BOLD='' CA_RED='' CA_YELLOW='' CA_RESET=''
fi

ca_info() { printf '%s[cadre_archive]%s %s\n' "$CA_BOLD" "$CA_RESET" "$*" >&2; }
ca_warn() { printf '%s[cadre_archive] WARNING:%s %s\n' "$CA_YELLOW" "$CA_RESET" "$*" >&2; }
ca_error() { printf '%s[cadre_archive] ERROR:%s %s\n' "$CA_RED" "$CA_RESET" "$*" >&2; }

# Run a command as root: directly when we are root, through `sudo -n` when allowed.
ca_as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 126
    fi
}

# Run a command as another OS user (used for the `postgres` superuser).
ca_as_user() {
    local user=$1
    shift
    if [[ $(id -un) == "$user" ]]; then
        "$@"
    elif [[ $EUID -eq 0 ]] && command -v runuser >/dev/null 2>&1; then
        runuser -u "$user" -- "$@"
    elif [[ $EUID -eq 0 ]]; then
        su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n -u "$user" "$@"
    else
        return 126
    fi
}

ca_sha() { sha256sum | cut -c1-12; }

# ---------------------------------------------------------------------------
# Finding Odoo 19
# ---------------------------------------------------------------------------

# Set by find_odoo:
ODOO_PY=''            # the Python that imports Odoo 19
ODOO_CMD=()           # how to start Odoo: (python -m odoo) or (python .../odoo-bin)
ODOO_ROOT=''          # the source tree root (holds odoo/, maybe addons/, requirements.txt)
ODOO_ADDONS_PATH=''   # comma-separated --addons-path: Odoo's own addons + this repo
ODOO_LOOKED_AT=''     # human-readable list of what was tried

ca_is_odoo19() {
    [[ -n ${CADRE_ARCHIVE_NO_ODOO:-} ]] && return 1
    ca_imports_odoo19 "$1"
}

# The check itself, which the developer switch CADRE_ARCHIVE_NO_ODOO does not touch.
ca_imports_odoo19() {
    [[ -x $1 ]] || return 1
    timeout 30 "$1" -c 'import odoo.release as r; assert r.version_info[0] == 19' \
        >/dev/null 2>&1
}

_ca_looked() { ODOO_LOOKED_AT+="${ODOO_LOOKED_AT:+, }$*"; }

# Candidates found by a bounded `find /` (venvs and prefixes up to 5 levels deep).
_ca_find_pythons() {
    timeout "${CADRE_ARCHIVE_FIND_TIMEOUT:-60}" find / -xdev -maxdepth 5 \
        \( -path /proc -o -path /sys -o -path /dev -o -path /run \) -prune -o \
        \( -path '*/bin/python' -o -path '*/bin/python3' \) -print 2>/dev/null |
        grep -v -e '/\.cache/' -e '/pip-build-env-' | sort -u
}

find_odoo() {
    ODOO_PY='' ODOO_LOOKED_AT=''
    local py cached_file=$CA_CACHE_DIR/odoo-python
    [[ -n ${CADRE_ARCHIVE_NO_ODOO:-} ]] &&
        _ca_looked "every candidate rejected because CADRE_ARCHIVE_NO_ODOO is set"
    if [[ -n ${ODOO_PYTHON:-} ]]; then
        # an explicit choice is the only one tried
        _ca_looked "ODOO_PYTHON=$ODOO_PYTHON"
        ca_is_odoo19 "$ODOO_PYTHON" && ODOO_PY=$ODOO_PYTHON
    else
        _ca_looked "ODOO_PYTHON (unset)"
        # what scripts/get-odoo made: the user asked for that one explicitly
        py=$CA_GET_ODOO_DIR/venv/bin/python
        if [[ -f $CA_GET_ODOO_DIR/venv/$CA_GET_ODOO_DONE ]]; then
            _ca_looked "scripts/get-odoo's $py"
            ca_is_odoo19 "$py" && ODOO_PY=$py
        else
            _ca_looked "scripts/get-odoo's $CA_GET_ODOO_DIR (none)"
        fi
        if [[ -z $ODOO_PY ]]; then
            py=$(command -v python3 || true)
            _ca_looked "python3 on PATH (${py:-none})"
            [[ -n $py ]] && ca_is_odoo19 "$py" && ODOO_PY=$py
        fi
        if [[ -z $ODOO_PY ]]; then
            local candidates=() c
            for c in /opt/*/venv/bin/python /opt/*/bin/python3 /usr/bin/python3; do
                [[ -x $c ]] && candidates+=("$c")
            done
            _ca_looked "/opt/*/venv/bin/python, /opt/*/bin/python3, /usr/bin/python3 (${#candidates[@]} found)"
            for c in "${candidates[@]}"; do
                if ca_is_odoo19 "$c"; then ODOO_PY=$c && break; fi
            done
        fi
        if [[ -z $ODOO_PY && -s $cached_file ]]; then
            py=$(<"$cached_file")
            _ca_looked "last found ($py)"
            ca_is_odoo19 "$py" && ODOO_PY=$py
        fi
        if [[ -z $ODOO_PY ]]; then
            local found=() n=0
            mapfile -t found < <(_ca_find_pythons)
            for c in "${found[@]}"; do
                n=$((n + 1))
                if ca_is_odoo19 "$c"; then ODOO_PY=$c && break; fi
            done
            _ca_looked "find / -xdev -maxdepth 5 '*/bin/python*' ($n of ${#found[@]} tried)"
        fi
    fi
    [[ -n $ODOO_PY ]] || return 1
    printf '%s\n' "$ODOO_PY" >"$cached_file"

    local info pkg has_main
    info=$("$ODOO_PY" - <<'EOF'
import importlib.util, os
import odoo.release
pkg = os.path.dirname(os.path.abspath(odoo.release.__file__))
print(pkg)
print(os.path.dirname(pkg))
print(1 if importlib.util.find_spec("odoo.__main__") else 0)
EOF
    ) || return 1
    { read -r pkg; read -r ODOO_ROOT; read -r has_main; } <<<"$info"
    if [[ $has_main == 1 ]]; then
        ODOO_CMD=("$ODOO_PY" -m odoo)        # Odoo 19 ships odoo/__main__.py
    elif [[ -f $ODOO_ROOT/odoo-bin ]]; then
        ODOO_CMD=("$ODOO_PY" "$ODOO_ROOT/odoo-bin")
    elif [[ -x $(dirname "$ODOO_PY")/odoo ]]; then
        ODOO_CMD=("$(dirname "$ODOO_PY")/odoo")
    else
        ca_error "found Odoo 19 in $ODOO_PY but no way to start it (python -m odoo, odoo-bin)"
        return 1
    fi
    local paths=("$pkg/addons")
    if [[ -d $ODOO_ROOT/addons && $ODOO_ROOT/addons != "$pkg/addons" ]]; then
        paths+=("$ODOO_ROOT/addons")
    fi
    paths+=("$CA_REPO_ROOT")
    ODOO_ADDONS_PATH=$(IFS=,; echo "${paths[*]}")
    return 0
}

# What scripts/serve and scripts/test say when find_odoo found nothing: the one step
# that gets Odoo 19, never taken without the user's word.
ca_no_odoo_offer() {
    local source=${CADRE_ARCHIVE_ODOO_SOURCE:-$CA_GET_ODOO_DEFAULT_SOURCE}
    ca_info "to get Odoo 19 Community from source (git clone --depth 1 --branch $CA_GET_ODOO_BRANCH"
    ca_info "$source into $CA_GET_ODOO_DIR, a venv with its requirements.txt), run"
    ca_info "    scripts/get-odoo          (or: scripts/$1 --get-odoo)"
    ca_info "CADRE_ARCHIVE_ODOO_SOURCE or --source picks another URL (a local mirror);"
    ca_info "or set ODOO_PYTHON to the Python of an Odoo 19 you have. See README.md."
}

# ---------------------------------------------------------------------------
# Debian packages
# ---------------------------------------------------------------------------

# What the addon and its tests need besides Python packages.
CA_APT_RUNTIME=(tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng fonts-noto-cjk
    poppler-utils wkhtmltopdf)
CA_APT_POSTGRES=(postgresql postgresql-contrib)
CA_APT_TEST=(chromium gettext)

_ca_apt_updated=''

# ensure_system_packages PKG...: install the missing ones with apt-get (once updated).
ensure_system_packages() {
    local missing=() p
    if ! command -v dpkg-query >/dev/null 2>&1; then
        ca_warn "not a Debian system: cannot check packages ($*); install their equivalents by hand"
        return 0
    fi
    for p in "$@"; do
        [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]] ||
            missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    if [[ -n ${CADRE_ARCHIVE_NO_APT:-} ]]; then
        ca_warn "missing Debian packages (CADRE_ARCHIVE_NO_APT set, not installing): ${missing[*]}"
        return 0
    fi
    if ! ca_as_root true; then
        ca_warn "missing Debian packages and no root/sudo to install them: ${missing[*]}"
        return 0
    fi
    local log=$CA_LOG_DIR/apt.log
    ca_info "installing Debian packages: ${missing[*]} (log: $log)"
    if [[ -z $_ca_apt_updated ]]; then
        ca_as_root apt-get update >>"$log" 2>&1 || ca_warn "apt-get update failed (see $log)"
        _ca_apt_updated=1
    fi
    if ! ca_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
        ca_error "apt-get install failed: ${missing[*]}"
        tail -n 20 "$log" >&2
        return 1
    fi
}

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------

# Set by ensure_postgres; also exported as PGHOST/PGPORT for psql, createdb, dropdb.
CA_PGHOST=''
CA_PGPORT=''

_ca_pg_wait() {
    local i
    for i in $(seq 1 30); do
        pg_isready -q -h "$CA_PGHOST" -p "$CA_PGPORT" 2>/dev/null && return 0
        sleep 1
    done
    return 1
}

# Start (or create) the Debian cluster: the newest one, preferring one already online.
_ca_pg_debian() {
    local line ver name port status chosen=''
    while read -r ver name port status _; do
        [[ -z $ver ]] && continue
        if [[ $status == online* ]]; then chosen="$ver $name $port" && break; fi
        [[ -z $chosen ]] && chosen="$ver $name $port"
    done < <(pg_lsclusters --no-header 2>/dev/null | sort -k1,1Vr)
    if [[ -z $chosen ]]; then
        ver=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null |
            sort -V | tail -n 1)
        [[ -n $ver ]] || return 1
        ca_info "creating PostgreSQL cluster $ver main"
        ca_as_root pg_createcluster "$ver" main >>"$CA_LOG_DIR/postgres.log" 2>&1 || return 1
        line=$(pg_lsclusters --no-header | awk -v v="$ver" '$1 == v && $2 == "main"')
        read -r ver name port status _ <<<"$line"
        chosen="$ver $name $port"
    fi
    read -r ver name port <<<"$chosen"
    if ! pg_lsclusters --no-header | awk -v v="$ver" -v n="$name" \
        '$1 == v && $2 == n && $4 ~ /^online/ {ok=1} END {exit !ok}'; then
        ca_info "starting PostgreSQL cluster $ver $name"
        ca_as_root pg_ctlcluster "$ver" "$name" start >>"$CA_LOG_DIR/postgres.log" 2>&1 ||
            { ca_error "pg_ctlcluster $ver $name start failed (see $CA_LOG_DIR/postgres.log)"; return 1; }
    fi
    CA_PGHOST=/var/run/postgresql
    CA_PGPORT=$port
    CA_PG_SUPERUSER=postgres
}

# Fallback without Debian's postgresql-common: a private cluster on a unix socket.
_ca_pg_private() {
    local initdb bindir owner base
    initdb=$(command -v initdb || true)
    [[ -z $initdb ]] && initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    [[ -n $initdb ]] || { ca_error "no initdb found: install PostgreSQL"; return 1; }
    bindir=$(dirname "$(readlink -f "$initdb")")
    if [[ $EUID -eq 0 ]]; then
        owner=postgres
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        base=/var/cache/cadre_archive/pg      # the postgres user cannot enter /root
    else
        owner=$(id -un)
        base=$CA_CACHE_DIR/pg
    fi
    CA_PGHOST=$base/socket
    CA_PGPORT=${CADRE_ARCHIVE_PGPORT:-54329}
    CA_PG_SUPERUSER=$owner
    mkdir -p "$base/socket"
    [[ $EUID -eq 0 ]] && chown -R "$owner" "$base"
    if [[ ! -s $base/data/PG_VERSION ]]; then
        ca_info "creating a private PostgreSQL cluster in $base/data"
        ca_as_user "$owner" "$bindir/initdb" -D "$base/data" -U "$owner" --auth-local=peer \
            --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >>"$CA_LOG_DIR/postgres.log" 2>&1 ||
            { ca_error "initdb failed (see $CA_LOG_DIR/postgres.log)"; return 1; }
    fi
    if ! pg_isready -q -h "$CA_PGHOST" -p "$CA_PGPORT" 2>/dev/null; then
        ca_info "starting the private PostgreSQL cluster (socket $CA_PGHOST, port $CA_PGPORT)"
        ca_as_user "$owner" "$bindir/pg_ctl" -D "$base/data" -l "$base/server.log" -w \
            -o "-k $CA_PGHOST -p $CA_PGPORT -c listen_addresses=''" start \
            >>"$CA_LOG_DIR/postgres.log" 2>&1 ||
            { ca_error "pg_ctl start failed (see $base/server.log)"; return 1; }
    fi
}

ensure_postgres() {
    if [[ -z ${CADRE_ARCHIVE_PRIVATE_PG:-} ]] && command -v pg_lsclusters >/dev/null 2>&1 &&
        _ca_pg_debian; then
        :
    else
        _ca_pg_private || return 1
    fi
    export PGHOST=$CA_PGHOST PGPORT=$CA_PGPORT
    unset PGUSER PGDATABASE PGPASSWORD
    _ca_pg_wait || { ca_error "PostgreSQL does not answer on $CA_PGHOST:$CA_PGPORT"; return 1; }
    # Odoo connects over the unix socket as the current OS user (peer authentication).
    local me
    me=$(id -un)
    if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        ca_info "creating PostgreSQL role $me"
        ca_as_user "$CA_PG_SUPERUSER" psql -h "$CA_PGHOST" -p "$CA_PGPORT" -d postgres -qc \
            "CREATE ROLE \"$me\" LOGIN CREATEDB SUPERUSER" >>"$CA_LOG_DIR/postgres.log" 2>&1 ||
            { ca_error "cannot create the PostgreSQL role $me: create it by hand (CREATE ROLE \"$me\" LOGIN CREATEDB)"; return 1; }
    fi
    psql -d postgres -tAc 'select 1' >/dev/null 2>&1 ||
        { ca_error "cannot connect to PostgreSQL as $me on $CA_PGHOST:$CA_PGPORT"; return 1; }
}

ca_db_exists() {
    [[ $(psql -d postgres -tAc "select 1 from pg_database where datname = '$1'") == 1 ]]
}

# State of a module in a database ('installed', 'to install', ... or empty).
ca_module_state() {
    psql -d "$1" -tAc "select state from ir_module_module where name = '$2'" 2>/dev/null
}

ca_drop_db() {
    local db=$1
    dropdb --if-exists "$db" >/dev/null 2>&1 || ca_warn "could not drop database $db"
    rm -rf "${CA_DATA_DIR:?}/filestore/$db"
}

# Odoo options shared by test and serve.
ca_odoo_common_args() {
    printf '%s\n' "--addons-path=$ODOO_ADDONS_PATH" "--data-dir=$CA_DATA_DIR" \
        "--db_host=$CA_PGHOST" "--db_port=$CA_PGPORT"
}

ca_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---------------------------------------------------------------------------
# Python packages inside Odoo's Python
# ---------------------------------------------------------------------------

# Does Odoo's Python have the editable install of this very checkout?
_ca_editable_ok() {
    "$ODOO_PY" - "$CA_REPO_ROOT" "$CA_ADDON" <<'EOF'
import importlib.metadata as md
import os
import sys

repo, addon = os.path.realpath(sys.argv[1]), sys.argv[2]
try:
    dist = md.distribution("odoo-addon-" + addon)
except md.PackageNotFoundError:
    sys.exit(1)
editable = os.path.join(repo, addon, "build", "__editable__")
pth_ok = any(
    str(f).endswith(".pth")
    and os.path.realpath(dist.locate_file(f).read_text().strip())
    == os.path.realpath(editable)
    for f in dist.files or []
)
link = os.path.join(editable, "odoo", "addons", addon)
sys.exit(0 if pth_ok and os.path.realpath(link) == os.path.join(repo, addon) else 1)
EOF
}

# Install what `pip install ./cadre_archive` would bring into Odoo's Python: the
# dependencies whool computes from the manifest (odoo-addon-queue_job,
# odoo-addon-report_xlsx, pytesseract), constrained by Odoo's requirements.txt so
# that Odoo's pins stay (scripts/odoo_deps.py). The addon itself is not installed:
# Odoo finds it through the repo root on --addons-path, so it always runs this
# checkout. An editable install (a .pth in Odoo's site-packages) would point at
# whichever checkout ran last and win over --addons-path, so a stale one is removed.
# CADRE_ARCHIVE_EDITABLE=1 asks for `pip install -e ./cadre_archive` instead.
install_addon_python_deps() {
    local extra=(websocket-client "$@") log=$CA_LOG_DIR/pip-odoo.log req=() key stamp mode
    [[ -f $ODOO_ROOT/requirements.txt ]] && req=(--constraint "$ODOO_ROOT/requirements.txt")
    if [[ -n ${CADRE_ARCHIVE_EDITABLE:-} ]] &&
        "$ODOO_PY" -c 'import importlib.metadata as m; m.version("odoo")' >/dev/null 2>&1 &&
        "$ODOO_PY" -m pip --version >/dev/null 2>&1; then
        mode=editable
    else
        mode=deps-only
    fi
    key=$({
        echo "$mode $ODOO_PY $CA_REPO_ROOT ${extra[*]}"
        cat "$CA_REPO_ROOT/$CA_ADDON/__manifest__.py" "$CA_REPO_ROOT/$CA_ADDON/pyproject.toml"
        [[ -f $ODOO_ROOT/requirements.txt ]] && cat "$ODOO_ROOT/requirements.txt"
    } 2>/dev/null | ca_sha)
    stamp=$CA_CACHE_DIR/stamps/odoo-deps-$(echo "$ODOO_PY" | ca_sha)
    mkdir -p "$(dirname "$stamp")"
    if [[ -f $stamp && $(<"$stamp") == "$key" ]] &&
        { [[ $mode == deps-only ]] || _ca_editable_ok; }; then
        return 0
    fi
    # whool's version is manifest version + a git-derived suffix; a checkout without
    # commits (or a shallow clone) has no usable history: use the manifest's version.
    export WHOOL_POST_VERSION_STRATEGY_OVERRIDE=none
    if [[ $mode == editable ]]; then
        ca_info "pip install -e ./$CA_ADDON into $ODOO_PY (log: $log)"
        if ! "$ODOO_PY" -m pip install --disable-pip-version-check "${req[@]}" \
            -e "$CA_REPO_ROOT/$CA_ADDON" "${extra[@]}" >>"$log" 2>&1; then
            ca_error "pip install -e ./$CA_ADDON failed:"
            grep -v 'is ignored: it is neither' "$log" | tail -n 25 >&2
            return 1
        fi
        _ca_editable_ok || { ca_error "the editable install does not point at $CA_REPO_ROOT"; return 1; }
    else
        if "$ODOO_PY" -c 'import importlib.metadata as m; m.version("odoo-addon-'"$CA_ADDON"'")' \
            >/dev/null 2>&1; then
            ca_info "removing the pip install of $CA_ADDON from $ODOO_PY (Odoo must load this checkout)"
            "$ODOO_PY" -m pip uninstall -y --disable-pip-version-check "odoo-addon-$CA_ADDON" \
                >>"$log" 2>&1 || true
        fi
        ca_info "installing the dependencies of $CA_ADDON into $ODOO_PY (log: $log)"
        if ! "$ODOO_PY" "$CA_REPO_ROOT/scripts/odoo_deps.py" "$CA_REPO_ROOT/$CA_ADDON" \
            "${req[@]}" -- "${extra[@]}" >>"$log" 2>&1; then
            ca_error "installing the dependencies of $CA_ADDON failed:"
            tail -n 25 "$log" >&2
            return 1
        fi
    fi
    echo "$key" >"$stamp"
}

# Print where Odoo, with our addons path, imports the addon from (resolved).
ca_addon_origin() {
    "$ODOO_PY" - "$ODOO_ADDONS_PATH" "$CA_ADDON" 2>/dev/null <<'EOF'
import os
import sys

from odoo.modules import module
from odoo.tools import config

config._parse_config(["--addons-path=" + sys.argv[1]])
module.initialize_sys_path()
path = module.get_module_path(sys.argv[2], display_warning=False)
print(os.path.realpath(path) if path else "")
EOF
}

# Fail unless Odoo would load this checkout's addon (not a stale copy elsewhere).
ensure_addon_origin() {
    local origin
    origin=$(ca_addon_origin)
    if [[ $origin != "$CA_REPO_ROOT/$CA_ADDON" ]]; then
        ca_error "Odoo would load $CA_ADDON from '${origin:-nowhere}', not from $CA_REPO_ROOT/$CA_ADDON"
        return 1
    fi
    ca_info "Odoo loads $CA_ADDON from $origin"
}

# ---------------------------------------------------------------------------
# Tooling venv (ruff, pylint-odoo, pytest, ...) outside the repo
# ---------------------------------------------------------------------------

CA_VENV=''

ensure_tooling_venv() {
    local base_py key log=$CA_LOG_DIR/pip-tooling.log
    base_py=$(command -v python3) || { ca_error "python3 not found on PATH"; return 1; }
    key=$({ "$base_py" -c 'import sys; print(sys.version)'; cat "$CA_REPO_ROOT/requirements-dev.txt"; } | ca_sha)
    CA_VENV=$CA_CACHE_DIR/venv-$key
    [[ -f $CA_VENV/.complete ]] && return 0
    ca_info "creating the tooling venv $CA_VENV from requirements-dev.txt (log: $log)"
    rm -rf "$CA_VENV"
    if ! { "$base_py" -m venv "$CA_VENV" &&
        "$CA_VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip &&
        "$CA_VENV/bin/python" -m pip install --disable-pip-version-check \
            -r "$CA_REPO_ROOT/requirements-dev.txt"; } >>"$log" 2>&1; then
        ca_error "could not build the tooling venv:"
        grep -v 'is ignored: it is neither' "$log" | tail -n 25 >&2
        rm -rf "$CA_VENV"
        return 1
    fi
    touch "$CA_VENV/.complete"
    # keep only the newest few venvs
    ls -1dt "$CA_CACHE_DIR"/venv-* 2>/dev/null | tail -n +4 | xargs -r rm -rf
}
