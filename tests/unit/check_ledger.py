#!/usr/bin/env python3
"""Reads a ledger written by xinfang with readers that are not xinfang's own (Python's csv
module, openpyxl) and checks the cells a test names.

usage: check_ledger.py FILE FORMAT NUMBER [HEADER=EXPECTED ...]
  FORMAT is GB18030, UTF-8 (a CSV; UTF-8 must start with a BOM) or xlsx.
  EXPECTED is text, or date:YYYY-MM-DD / number:N for typed XLSX cells.
  The row is the one whose 编号 is NUMBER. Also checks: RFC 4180 line ends (CRLF), the header
  row, and for XLSX a frozen header row and no formula cell anywhere. Exits 1 naming the first
  mismatch.
"""
import csv
import datetime
import io
import sys


def fail(msg):
    print("check_ledger: " + msg, file=sys.stderr)
    sys.exit(1)


def rows_csv(path, encoding):
    data = open(path, "rb").read()
    if encoding == "UTF-8":
        if not data.startswith(b"\xef\xbb\xbf"):
            fail("UTF-8 ledger without a byte-order mark")
        text = data[3:].decode("utf-8")
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            fail("GB18030 ledger starts with a UTF-8 BOM")
        text = data.decode("gb18030")
    # Every record ends with CRLF: a bare LF may appear only inside a quoted field.
    if not text.endswith("\r\n"):
        fail("last record does not end with CRLF")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return rows[0], rows[1:]


def rows_xlsx(path):
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    if ws.freeze_panes != "A2":
        fail("header row not frozen (freeze_panes=%r)" % ws.freeze_panes)
    rows = []
    for r in ws.iter_rows():
        for c in r:
            # Text a petitioner typed (=HYPERLINK(...), @..., +86...) is a string cell, never a formula.
            if c.data_type == "f":
                fail("cell %s is a formula: %r" % (c.coordinate, c.value))
        rows.append([c.value for c in r])
    header = [h for h in rows[0]]
    return header, rows[1:]


def main():
    if len(sys.argv) < 4:
        fail(__doc__)
    path, fmt, number = sys.argv[1:4]
    header, rows = rows_xlsx(path) if fmt == "xlsx" else rows_csv(path, fmt)
    if not header or header[0] != "编号" or "收件日期" not in header:
        fail("header row wrong: %r" % header[:5])
    for r in rows:
        if len(r) != len(header):
            fail("row of %d cells under a header of %d" % (len(r), len(header)))
    found = [r for r in rows if r[0] == number]
    if len(found) != 1:
        fail("%d rows numbered %s" % (len(found), number))
    row = dict(zip(header, found[0]))
    for pair in sys.argv[4:]:
        key, _, want = pair.partition("=")
        if key not in row:
            fail("no column %s" % key)
        got = row[key]
        if want.startswith("date:"):
            day = datetime.datetime.strptime(want[5:], "%Y-%m-%d")
            if not isinstance(got, datetime.datetime) or got != day:
                fail("%s: want date %s, got %r" % (key, want[5:], got))
        elif want.startswith("number:"):
            if not isinstance(got, (int, float)) or abs(got - float(want[7:])) > 1e-9:
                fail("%s: want number %s, got %r" % (key, want[7:], got))
        else:
            if got is None:
                got = ""
            if got != want:
                fail("%s: want %r, got %r" % (key, want, got))
    print("ok %d rows" % len(rows))


main()
