#!/usr/bin/env python3
"""Turn data/schema/NNN_*.sql files into a C table of migrations, in order."""
import os
import sys

out, inputs = sys.argv[1], sorted(sys.argv[2:], key=os.path.basename)
with open(out, 'w', encoding='utf-8') as f:
    f.write('/* Generated from the files in data/schema: the ordered migrations. */\n')
    f.write('#include <stddef.h>\n#include "xinfang/store.h"\n\n')
    f.write('const struct xf_migration xf_migrations[] = {\n')
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
    f.write('const size_t xf_migration_count = %d;\n' % len(inputs))
