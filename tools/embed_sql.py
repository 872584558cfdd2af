#!/usr/bin/env python3
"""Turn data/schema/NNN_*.sql files into a C table of migrations, in order:
embed_sql.py OUT [--name BASE] INPUT... makes BASEs[] and BASE_count (BASE: xf_migration;
xf_pg_migration for data/schema/pg)."""
import os
import sys

out, args = sys.argv[1], sys.argv[2:]
base = 'xf_migration'
if args[:1] == ['--name']:
    base, args = args[1], args[2:]
inputs = sorted(args, key=os.path.basename)
with open(out, 'w', encoding='utf-8') as f:
    f.write('/* Generated from the files in data/schema%s: the ordered migrations. */\n'
            % ('/pg' if 'pg' in base else ''))
    f.write('#include <stddef.h>\n#include "xinfang/store.h"\n\n')
    f.write('const struct xf_migration %ss[] = {\n' % base)
    for path in inputs:
        name = os.path.basename(path)
        version = int(name.split('_', 1)[0])
        with open(path, 'rb') as src:
            data = src.read()
        f.write('  { %d, "%s",\n    "' % (version, name))
        for b in data:
            if b == 0x0a:
                f.write('\\n"\n    "')
            elif b in (0x22, 0x5c):
                f.write('\\' + chr(b))
            elif 0x20 <= b < 0x7f:
                f.write(chr(b))
            else:
                f.write('\\%03o' % b)
        f.write('" },\n')
    f.write('};\n')
    f.write('const size_t %s_count = %d;\n' % (base, len(inputs)))
