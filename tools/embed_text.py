#!/usr/bin/env python3
"""Turn a data file into a C string constant: embed_text.py OUT SYMBOL INPUT."""
import sys

out, symbol, path = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, 'rb') as src:
    data = src.read()
with open(out, 'w', encoding='utf-8') as f:
    f.write('/* Generated from %s. */\n' % path.replace('\\', '/').split('/data/')[-1])
    f.write('const char %s[] =\n  "' % symbol)
    for b in data:
        if b == 0x0a:
            f.write('\\n"\n  "')
        elif b in (0x22, 0x5c):
            f.write('\\' + chr(b))
        elif 0x20 <= b < 0x7f and b != 0x3f:
            f.write(chr(b))
        else:
            f.write('\\%03o' % b)
    f.write('";\n')
