#!/usr/bin/env bash
# Sets up this machine to run and test the add-on; safe to run again (it redoes only what changed):
#   1. Debian/Ubuntu packages: PostgreSQL, the headers psycopg2 builds against, a compiler;
#   2. an Odoo 18.0 source tree: $ODOO_SRC, else the cache folder, else the official download;
#   3. a Python virtual environment with Odoo's requirements and the project's tools;
#   4. a PostgreSQL server that answers, and a database role for the current user;
#   5. the Odoo configuration file of this checkout (.local/odoo.conf).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Odoo prints PDF reports (delivery slips, warranty certificates) with wkhtmltopdf. The tests need
# it too: without it the web client shows a report on screen instead of downloading it, and the
# certificate tour follows the download (under test Odoo renders the file as HTML).
SYSTEM_PACKAGES=(postgresql postgresql-client libpq-dev gcc python3-dev python3-venv curl
    ca-certificates wkhtmltopdf)
# The test command runs tours in a real browser: Debian's Chromium (SETUP_FOR_TESTS=1).
if [ "${SETUP_FOR_TESTS:-0}" = 1 ]; then
    SYSTEM_PACKAGES+=(chromium)
fi

install_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "Not a Debian/Ubuntu system: install PostgreSQL, libpq headers and a C compiler yourself."
        return
    fi
    local missing=() pkg
    for pkg in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    say "Installing system packages: ${missing[*]}"
    local log="$CACHE_DIR/apt.log"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 \
        || die "Cannot run apt-get as root ($log). Install these packages, then run again: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >>"$log" 2>&1 || die "apt-get could not install: ${missing[*]} (see $log)"
}

# Debian's wkhtmltopdf is built on an unpatched Qt: PDFs get no header nor footer (Odoo's own
# documents lose the company's logo, address and page numbers) and it cannot print several
# documents in one file (the add-on then prints them one at a time and merges them). Odoo
# recommends the 0.12.6.1 build with patched Qt: it is installed when it can be downloaded, from
# $WKHTMLTOX_DEB (a .deb file or address) or the wkhtmltopdf project's releases.
WKHTMLTOX_RELEASES="https://github.com/wkhtmltopdf/packaging/releases/download/0.12.6.1-3"

install_patched_wkhtmltopdf() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    if wkhtmltopdf --version 2>/dev/null | grep -qi "patched qt"; then
        return
    fi
    local codename arch deb="${WKHTMLTOX_DEB:-}"
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
    arch="$(dpkg --print-architecture)"
    [ -n "$deb" ] || deb="$WKHTMLTOX_RELEASES/wkhtmltox_0.12.6.1-3.${codename}_${arch}.deb"
    local file="$CACHE_DIR/wkhtmltox_${codename}_${arch}.deb"
    if [ -f "$deb" ]; then
        file="$deb"
    elif [ ! -s "$file" ] && ! curl -fsSL --max-time 120 -o "$file.part" "$deb" 2>/dev/null; then
        rm -f "$file.part"
        file=""
    else
        [ -f "$file.part" ] && mv "$file.part" "$file"
    fi
    if [ -n "$file" ] && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "$file" >>"$CACHE_DIR/apt.log" 2>&1 \
            && wkhtmltopdf --version 2>/dev/null | grep -qi "patched qt"; then
        say "Installed wkhtmltopdf 0.12.6.1 with patched Qt (the build Odoo recommends)"
        return
    fi
    say "WARNING: wkhtmltopdf is $(wkhtmltopdf --version 2>/dev/null | head -1 || echo missing), without patched Qt, and the recommended build could not be installed from $deb."
    say "  PDFs print without header and footer: Odoo's own documents lose the company's logo, address and page numbers (the add-on's warranty certificates carry them in their body)."
    say "  Several documents in one print are printed one at a time and merged by the add-on."
    say "  To fix: download wkhtmltox 0.12.6.1 for your system from the wkhtmltopdf project's releases, then run again with WKHTMLTOX_DEB=/path/to/that.deb."
}

is_odoo18_tree() {
    [ -f "$1/odoo-bin" ] && [ -d "$1/addons/sale_stock" ] \
        && grep -qE '^version_info = \(18, 0,' "$1/odoo/release.py" 2>/dev/null
}

get_odoo_source() {
    if is_odoo18_tree "$ODOO_SRC"; then
        return
    fi
    if [ "$ODOO_SRC" != "$DEFAULT_ODOO_SRC" ]; then
        die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree (it needs odoo-bin, addons/ and odoo/release.py of 18.0). Point ODOO_SRC at one, or unset it to use $DEFAULT_ODOO_SRC."
    fi
    if [ -e "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
        die "$ODOO_SRC exists but is not an Odoo 18.0 source tree. Remove it to download the official one, or set ODOO_SRC to a tree you have."
    fi
    say "Downloading the official Odoo 18.0 source into $ODOO_SRC (about 300 MB)"
    local tmp
    tmp="$(mktemp -d "$CACHE_DIR/odoo-download.XXXXXX")"
    if ! curl -fL --retry 3 -o "$tmp/odoo.tar.gz" "$ODOO_DOWNLOAD_URL" \
        || ! tar -xzf "$tmp/odoo.tar.gz" --strip-components=1 -C "$tmp"; then
        rm -rf "$tmp"
        die "Could not download Odoo 18.0 from $ODOO_DOWNLOAD_URL. Put an Odoo 18.0 source tree at $DEFAULT_ODOO_SRC, or run with ODOO_SRC=/path/to/odoo-18.0."
    fi
    # A source archive made by git names its commit in its first header: kept, so that test
    # baselines can say which Odoo they were made on (scripts/native_tests.sh).
    python3 -c 'import sys, tarfile; print(tarfile.open(sys.argv[1]).pax_headers.get("comment", ""))' \
        "$tmp/odoo.tar.gz" >"$tmp/.source_commit" 2>/dev/null || true
    rm -f "$tmp/odoo.tar.gz"
    rm -rf "$ODOO_SRC"
    mv "$tmp" "$ODOO_SRC"
    is_odoo18_tree "$ODOO_SRC" || die "The download at $ODOO_SRC is not an Odoo 18.0 tree."
}

# Odoo's requirements.txt, adjusted where its pins do not install on current systems.
write_odoo_requirements() {
    # cbor2 5.4.2 has no wheel and its sdist fails with current setuptools: 5.4.6 has wheels.
    # python-ldap is only used by auth_ldap and needs LDAP/SASL headers: left out.
    sed -E \
        -e 's/^cbor2==5\.4\.2 /cbor2==5.4.6 /' \
        -e '/^python-ldap/d' \
        "$ODOO_SRC/requirements.txt" >"$1"
}

make_venv() {
    local pyver
    pyver="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" \
        || die "No Python interpreter '$PYTHON'. Install python3 (3.10 to 3.12) or set PYTHON."
    case "$pyver" in
        3.10 | 3.11 | 3.12) ;;
        *) die "Odoo 18.0 runs on Python 3.10 to 3.12, '$PYTHON' is $pyver. Set PYTHON to another interpreter." ;;
    esac
    local reqs="$CACHE_DIR/odoo-requirements.txt" stamp
    write_odoo_requirements "$reqs"
    stamp="$(cat "$reqs" "$REPO_DIR/requirements-dev.txt" <(echo "$pyver") | sha256sum | cut -c1-16)"
    if [ -f "$ODOO_VENV/.stamp" ] && [ "$(cat "$ODOO_VENV/.stamp")" = "$stamp" ]; then
        return
    fi
    say "Creating the Python $pyver virtual environment in $ODOO_VENV (a few minutes, once)"
    rm -rf "$ODOO_VENV"
    "$PYTHON" -m venv "$ODOO_VENV" || die "Cannot create a venv with $PYTHON: install python3-venv."
    local log="$CACHE_DIR/pip.log"
    "$ODOO_VENV/bin/pip" install --upgrade pip wheel "setuptools<81" >"$log" 2>&1 \
        || die "pip could not upgrade itself (see $log)."
    "$ODOO_VENV/bin/pip" install -r "$reqs" -r "$REPO_DIR/requirements-dev.txt" >>"$log" 2>&1 \
        || die "pip could not install Odoo's requirements (see $log). psycopg2 needs libpq-dev and a C compiler."
    echo "$stamp" >"$ODOO_VENV/.stamp"
}

link_odoo_into_venv() {
    # Makes `import odoo` work in the venv (pytest-odoo needs it) without copying the source.
    local site
    site="$("$ODOO_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "$ODOO_SRC" >"$site/odoo-src.pth"
}

start_postgresql() {
    if ! pg_isready -q 2>/dev/null; then
        command -v pg_lsclusters >/dev/null 2>&1 \
            || die "No PostgreSQL answers and Debian's postgresql-common is missing. Start a PostgreSQL server (PGHOST/PGPORT are honoured)."
        local cluster
        cluster="$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')"
        if [ -z "$cluster" ]; then
            local ver
            ver="$(ls /usr/lib/postgresql | sort -n | tail -1)"
            say "Creating PostgreSQL $ver cluster 'main'"
            as_root pg_createcluster "$ver" main >/dev/null || die "Cannot create a PostgreSQL cluster (needs root)."
            cluster="$ver main"
        fi
        say "Starting PostgreSQL $cluster"
        # shellcheck disable=SC2086
        as_root pg_ctlcluster $cluster start \
            || die "Cannot start PostgreSQL $cluster: run 'sudo pg_ctlcluster $cluster start' and try again."
        local i
        for i in $(seq 30); do
            pg_isready -q && break
            sleep 1
        done
        pg_isready -q || die "PostgreSQL did not come up; see /var/log/postgresql/."
    fi
    if ! psql -d postgres -XtAc 'SELECT 1' >/dev/null 2>&1; then
        local me
        me="$(id -un)"
        [ "$me" = postgres ] && die "Odoo refuses to run as the 'postgres' user: run as another user."
        say "Creating the PostgreSQL role '$me' (may create databases)"
        as_postgres createuser --createdb "$me" \
            || die "Cannot create the PostgreSQL role '$me': run 'sudo -u postgres createuser --createdb $me'."
    fi
}

write_odoo_conf() {
    mkdir -p "$STATE_DIR" "$CACHE_DIR/data"
    cat >"$ODOO_CONF" <<EOF
; Generated by scripts/setup.sh for this checkout; edits are overwritten.
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$REPO_DIR
data_dir = $CACHE_DIR/data
http_port = $HTTP_PORT
; Local development only: the database manager's master password.
admin_passwd = admin
EOF
}

mkdir -p "$CACHE_DIR"
install_system_packages
install_patched_wkhtmltopdf
get_odoo_source
make_venv
link_odoo_into_venv
start_postgresql
write_odoo_conf
say "Ready: Odoo 18.0 at $ODOO_SRC, venv at $ODOO_VENV, config at $ODOO_CONF"
