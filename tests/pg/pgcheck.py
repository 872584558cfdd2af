"""What the tests that drive the real program beside a throwaway cluster share: the cluster's
psql, and failures noted as they come and reported at the end."""
import os
import subprocess
import sys

PSQL = os.path.join(os.environ.get('XINFANG_TEST_PG_BINDIR', ''), 'psql')
if not os.access(PSQL, os.X_OK):
    PSQL = 'psql'

failures = []


def check(ok, what):
    """Notes a failure (all are reported at the end)."""
    if not ok:
        failures.append(what)
    return ok


def psql(sql, db='postgres'):
    """Runs SQL on a database of the cluster as its superuser; returns the output."""
    r = subprocess.run([PSQL, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit('psql failed: %s\n%s' % (sql, r.stderr))
    return r.stdout.strip()
