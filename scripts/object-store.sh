# shellcheck shell=bash
# The S3 object store that scripts/test (object-store suite) and scripts/cluster run on
# 127.0.0.1, and OCA fs_attachment_s3 in Odoo's Python. Sourced after odoo-env.sh.
#
# The one place that chooses the server (CADRE_ARCHIVE_OBJECT_STORE):
#   moto      (default) moto's S3 server (`moto_server`, PyPI `moto[s3]`, Apache-2.0): a
#             real HTTP S3 endpoint in its own process, in its own venv in the cache. It
#             keeps the objects in memory: a stand-in for tests and loopback runs, never
#             a place to keep scans.
#   seaweedfs a `weed` binary already on PATH (Debian trixie and later package it as
#             seaweedfs; bookworm has none): `weed server -s3`, objects on disk under
#             the run's directory. Not exercised on the machine this was written on.
# Production uses a real object store (SeaweedFS, Ceph RGW, Garage, a cloud's S3):
# README.md, "Several machines".

CA_S3_KEY=${CADRE_ARCHIVE_S3_KEY:-cadre}
CA_S3_SECRET=${CADRE_ARCHIVE_S3_SECRET:-cadre-secret}
CA_OBJECT_STORE=${CADRE_ARCHIVE_OBJECT_STORE:-moto}
CA_OBJECT_STORE_PID='' CA_OBJECT_STORE_URL='' CA_OBJECT_STORE_WHY=''
CA_MOTO_VERSION=5.2.5
# the OCA addons that keep attachments in an S3 store (deployments choose them)
CA_FS_ATTACHMENT_REQS=odoo-addon-fs_attachment_s3

_ca_moto_venv() { printf '%s\n' "$CA_CACHE_DIR/object-store-venv"; }

# Make the chosen server runnable; on failure say why in CA_OBJECT_STORE_WHY.
ensure_object_store_server() {
    local venv log=$CA_LOG_DIR/pip-object-store.log
    case $CA_OBJECT_STORE in
        seaweedfs)
            command -v weed >/dev/null 2>&1 && return 0
            CA_OBJECT_STORE_WHY="CADRE_ARCHIVE_OBJECT_STORE=seaweedfs but no weed binary on PATH"
            return 1 ;;
        moto) ;;
        *) CA_OBJECT_STORE_WHY="unknown CADRE_ARCHIVE_OBJECT_STORE=$CA_OBJECT_STORE"; return 1 ;;
    esac
    venv=$(_ca_moto_venv)
    [[ -x $venv/bin/moto_server && -f $venv/.moto-$CA_MOTO_VERSION ]] && return 0
    ca_info "installing moto $CA_MOTO_VERSION (S3 server) into $venv (log: $log)"
    if ! { python3 -m venv "$venv" &&
        "$venv/bin/pip" install --disable-pip-version-check "moto[s3]==$CA_MOTO_VERSION" \
            flask flask-cors; } >>"$log" 2>&1; then
        CA_OBJECT_STORE_WHY="moto's S3 server could not be installed (see ${log#"$CA_REPO_ROOT"/})"
        return 1
    fi
    touch "$venv/.moto-$CA_MOTO_VERSION"
}

# Install fs_attachment_s3 (and fs_attachment, fs_storage, s3fs) into Odoo's Python,
# keeping Odoo's pins (scripts/odoo_deps.py, as for the addon's own dependencies).
ensure_fs_attachment_s3() {
    local log=$CA_LOG_DIR/pip-odoo.log req=() stamp
    stamp=$CA_CACHE_DIR/stamps/fs-attachment-$(echo "$ODOO_PY $CA_FS_ATTACHMENT_REQS" | ca_sha)
    if [[ -f $stamp ]] && "$ODOO_PY" -c 'import odoo.addons.fs_attachment_s3, s3fs' \
        >/dev/null 2>&1; then
        return 0
    fi
    [[ -f $ODOO_ROOT/requirements.txt ]] && req=(--constraint "$ODOO_ROOT/requirements.txt")
    ca_info "installing $CA_FS_ATTACHMENT_REQS into $ODOO_PY (log: $log)"
    if ! "$ODOO_PY" "$CA_REPO_ROOT/scripts/odoo_deps.py" --requirements \
        "$CA_FS_ATTACHMENT_REQS" "${req[@]}" -- >>"$log" 2>&1; then
        CA_OBJECT_STORE_WHY="$CA_FS_ATTACHMENT_REQS could not be installed into Odoo's Python (see ${log#"$CA_REPO_ROOT"/})"
        return 1
    fi
    mkdir -p "$(dirname "$stamp")"
    touch "$stamp"
}

# Start the server on 127.0.0.1:PORT (data under DIR, log LOG); wait until it answers.
# Sets CA_OBJECT_STORE_PID and CA_OBJECT_STORE_URL.
start_object_store() {
    local port=$1 dir=$2 log=$3 _
    mkdir -p "$dir"
    case $CA_OBJECT_STORE in
        moto)
            "$(_ca_moto_venv)/bin/moto_server" -H 127.0.0.1 -p "$port" >>"$log" 2>&1 &
            ;;
        seaweedfs)
            # one process: master, volume, filer and the S3 gateway, each on its own port
            printf '{"identities":[{"name":"cadre","credentials":[{"accessKey":"%s","secretKey":"%s"}],"actions":["Admin","Read","Write","List","Tagging"]}]}\n' \
                "$CA_S3_KEY" "$CA_S3_SECRET" >"$dir/s3.json"
            weed server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$dir" \
                -master.port="$((port + 1))" -volume.port="$((port + 2))" \
                -filer -filer.port="$((port + 3))" -s3 -s3.port="$port" \
                -s3.config="$dir/s3.json" >>"$log" 2>&1 &
            ;;
    esac
    CA_OBJECT_STORE_PID=$!
    CA_OBJECT_STORE_URL=http://127.0.0.1:$port
    for _ in $(seq 1 120); do
        if ! kill -0 "$CA_OBJECT_STORE_PID" 2>/dev/null; then
            CA_OBJECT_STORE_WHY="the S3 server stopped at once (see $log)"
            return 1
        fi
        python3 -c 'import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass  # it answers (an anonymous list may be refused)
' "$CA_OBJECT_STORE_URL/" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    CA_OBJECT_STORE_WHY="the S3 server did not answer on $CA_OBJECT_STORE_URL within 60 s (see $log)"
    return 1
}

stop_object_store() {
    local _
    [[ -n $CA_OBJECT_STORE_PID ]] || return 0
    kill -TERM "$CA_OBJECT_STORE_PID" 2>/dev/null
    for _ in $(seq 1 50); do
        kill -0 "$CA_OBJECT_STORE_PID" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL "$CA_OBJECT_STORE_PID" 2>/dev/null
    wait "$CA_OBJECT_STORE_PID" 2>/dev/null
    CA_OBJECT_STORE_PID=''
}
