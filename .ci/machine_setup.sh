#!/usr/bin/env bash
# What `make test` needs from the machine besides the virtual environment, set up when missing:
# - Debian's Chromium at /usr/bin/chromium for the browser tests (installed with apt-get when running as root;
#   never `playwright install`, which downloads a browser at run time);
# - the local PostgreSQL server on 127.0.0.1:5432 for the registry tests (its Debian cluster is started);
# - the independent FHIR checks (FHIR.js, fhirpath.js, HL7's R4 definitions) from the npm registry, at the versions
#   tests/fhir/node/package-lock.json pins, with `npm ci` (again whenever the lock file changes).
# Where it cannot act (not root, no cluster), it stops with one line saying what to do.
set -euo pipefail
# The two paths are variables only so that tests/test_machine_setup.py can point them elsewhere.
chromium=${ALSDX_CHROMIUM:-/usr/bin/chromium}
pg_etc=${ALSDX_PG_ETC:-/etc/postgresql}
node_dir=${ALSDX_NODE_DIR:-$(dirname "$0")/../tests/fhir/node}

if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "make test: installing Debian's chromium (the browser tests need /usr/bin/chromium)"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "make test needs Debian's Chromium at $chromium: install it with 'sudo apt-get install chromium'" >&2
    exit 1
  fi
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 -t 2 2>/dev/null; then
  version=$(ls "$pg_etc" 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$version" ]; then
    echo "make test needs a PostgreSQL server on 127.0.0.1:5432 (user postgres, trust): install it with 'sudo apt-get install postgresql'" >&2
    exit 1
  fi
  if [ "$(id -u)" != 0 ] && [ "$(id -un)" != postgres ]; then
    echo "make test needs the PostgreSQL server running: start it with 'sudo pg_ctlcluster $version main start'" >&2
    exit 1
  fi
  echo "make test: starting PostgreSQL $version (cluster main)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  pg_isready -q -h 127.0.0.1 -p 5432 -t 30 || { echo "make test: PostgreSQL $version did not come up on 127.0.0.1:5432 (see /var/log/postgresql)" >&2; exit 1; }
fi

# npm ci leaves node_modules/.package-lock.json behind: older than the lock file means the pins changed.
installed="$node_dir/node_modules/.package-lock.json"
if [ ! -e "$installed" ] || [ "$node_dir/package-lock.json" -nt "$installed" ]; then
  if ! command -v npm >/dev/null; then
    echo "make test needs Node.js and npm for the FHIR checks: install them with 'sudo apt-get install nodejs npm'" >&2
    exit 1
  fi
  echo "make test: installing the FHIR checks (npm ci in tests/fhir/node)"
  npm ci --prefix "$node_dir" --no-audit --no-fund --loglevel=error >/dev/null
fi
