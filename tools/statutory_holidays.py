#!/usr/bin/env python3
"""Writes data/statutory_holidays.txt: the public holidays fixed by law for the years 2025-2050,
used to estimate time limits for a year whose State Council notice is not loaded yet.

The law (全国年节及纪念日放假办法, 2024 revision, in force 2025-01-01) fixes: 元旦 1 January;
春节 4 days (除夕 and 正月初一 to 初三); 清明节 on the day of the solar term; 劳动节 1-2 May;
端午节 五月初五; 中秋节 八月十五; 国庆节 1-3 October; and (art. 6) a holiday falling on a
Saturday or Sunday is made up on a working day. The notice adds bridges and makeup working
days; those cannot be known in advance and are not estimated here.

The lunar dates and 清明 are computed astronomically, in Beijing time (UTC+8): new moons by
Meeus, Astronomical Algorithms (2nd ed.), ch. 49; the sun's apparent longitude by ch. 25 with
the ch. 22 nutation term; Delta-T by the Espenak-Meeus polynomial for 2005-2050. The Chinese
calendar rules (GB/T 33661-2017): a month begins on the day of a new moon; the month holding
the winter solstice is the 11th; in a year of 13 months between two 11th months the first
month without a principal term (中气) is the leap month.

Usage: tools/statutory_holidays.py [OUT] (default data/statutory_holidays.txt)
"""
import datetime
import math
import sys

FIRST_YEAR, LAST_YEAR = 2025, 2050
DEG = math.pi / 180


def delta_t_days(year):
    """Delta-T (TT - UT) in days, Espenak-Meeus polynomial for 2005-2050 (good to 2060)."""
    t = year - 2000
    return (62.92 + 0.32217 * t + 0.005589 * t * t) / 86400.0


def true_new_moon(k):
    """Julian ephemeris day of the new moon of lunation k (Meeus ch. 49)."""
    t = k / 1236.85
    jde = (2451550.09766 + 29.530588861 * k + 0.00015437 * t ** 2 - 0.000000150 * t ** 3
           + 0.00000000073 * t ** 4)
    e = 1 - 0.002516 * t - 0.0000074 * t ** 2
    m = (2.5534 + 29.10535670 * k - 0.0000014 * t ** 2 - 0.00000011 * t ** 3) * DEG
    mp = (201.5643 + 385.81693528 * k + 0.0107582 * t ** 2 + 0.00001238 * t ** 3
          - 0.000000058 * t ** 4) * DEG
    f = (160.7108 + 390.67050284 * k - 0.0016118 * t ** 2 - 0.00000227 * t ** 3
         + 0.000000011 * t ** 4) * DEG
    om = (124.7746 - 1.56375588 * k + 0.0020672 * t ** 2 + 0.00000215 * t ** 3) * DEG
    corr = (-0.40720 * math.sin(mp) + 0.17241 * e * math.sin(m) + 0.01608 * math.sin(2 * mp)
            + 0.01039 * math.sin(2 * f) + 0.00739 * e * math.sin(mp - m)
            - 0.00514 * e * math.sin(mp + m) + 0.00208 * e * e * math.sin(2 * m)
            - 0.00111 * math.sin(mp - 2 * f) - 0.00057 * math.sin(mp + 2 * f)
            + 0.00056 * e * math.sin(2 * mp + m) - 0.00042 * math.sin(3 * mp)
            + 0.00042 * e * math.sin(m + 2 * f) + 0.00038 * e * math.sin(m - 2 * f)
            - 0.00024 * e * math.sin(2 * mp - m) - 0.00017 * math.sin(om)
            - 0.00007 * math.sin(mp + 2 * m) + 0.00004 * math.sin(2 * mp - 2 * f)
            + 0.00004 * math.sin(3 * m) + 0.00003 * math.sin(mp + m - 2 * f)
            + 0.00003 * math.sin(2 * mp + 2 * f) - 0.00003 * math.sin(mp + m + 2 * f)
            + 0.00003 * math.sin(mp - m + 2 * f) - 0.00002 * math.sin(mp - m - 2 * f)
            - 0.00002 * math.sin(3 * mp + m) + 0.00002 * math.sin(4 * mp))
    planetary = [
        (299.77 + 0.107408 * k - 0.009173 * t * t, 0.000325),
        (251.88 + 0.016321 * k, 0.000165), (251.83 + 26.651886 * k, 0.000164),
        (349.42 + 36.412478 * k, 0.000126), (84.66 + 18.206239 * k, 0.000110),
        (141.74 + 53.303771 * k, 0.000062), (207.14 + 2.453732 * k, 0.000060),
        (154.84 + 7.306860 * k, 0.000056), (34.52 + 27.261239 * k, 0.000047),
        (207.19 + 0.121824 * k, 0.000042), (291.34 + 1.844379 * k, 0.000040),
        (161.72 + 24.198154 * k, 0.000037), (239.56 + 25.513099 * k, 0.000035),
        (331.55 + 3.592518 * k, 0.000023),
    ]
    add = sum(c * math.sin(a * DEG) for a, c in planetary)
    return jde + corr + add


def sun_longitude(jde):
    """Apparent geocentric longitude of the sun in degrees (Meeus ch. 25, with nutation)."""
    t = (jde - 2451545.0) / 36525.0
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    m = (357.52911 + 35999.05029 * t - 0.0001537 * t * t) * DEG
    c = ((1.914602 - 0.004817 * t - 0.000014 * t * t) * math.sin(m)
         + (0.019993 - 0.000101 * t) * math.sin(2 * m) + 0.000289 * math.sin(3 * m))
    true_long = l0 + c
    om = (125.04 - 1934.136 * t) * DEG
    lmoon = (218.3165 + 481267.8813 * t) * DEG
    lsun = (280.4665 + 36000.7698 * t) * DEG
    nutation = (-17.20 * math.sin(om) - 1.32 * math.sin(2 * lsun) - 0.23 * math.sin(2 * lmoon)
                + 0.21 * math.sin(2 * om)) / 3600.0
    aberration = -20.4898 / 3600.0 / 1.000001018
    return (true_long + nutation + aberration) % 360.0


def solar_term(year, longitude):
    """Julian ephemeris day when the sun reaches `longitude` degrees in `year`."""
    # Rough start: the sun is at 0 degrees near 20 March.
    guess = jd_of(datetime.date(year, 3, 20)) + (longitude % 360) / 360.0 * 365.2422
    for _ in range(50):
        diff = (longitude - sun_longitude(guess) + 180) % 360 - 180
        guess += diff / 360.0 * 365.2422
        if abs(diff) < 1e-7:
            break
    return guess


def jd_of(date):
    """Julian day at 0h UT of a Gregorian date."""
    return date.toordinal() + 1721424.5


def beijing_date(jde):
    """The civil date in Beijing (UTC+8) of a Julian ephemeris day."""
    year = 2000 + (jde - 2451545.0) / 365.25
    jd_ut = jde - delta_t_days(year) + 8 / 24.0
    return datetime.date.fromordinal(int(math.floor(jd_ut - 1721424.5)))


def new_moons_between(first, last):
    """Beijing dates of the new moons from `first` to `last` (dates)."""
    k = math.floor((first.year + (first.timetuple().tm_yday - 1) / 365.25 - 2000) * 12.3685) - 2
    out = []
    while True:
        d = beijing_date(true_new_moon(k))
        if d > last:
            return out
        if d >= first:
            out.append(d)
        k += 1


def lunar_months(year):
    """(start date, month number, leap) of the lunar months from the 11th month before `year`'s
    Spring Festival to the 11th month of `year`."""
    ws_prev = beijing_date(solar_term(year - 1, 270))
    ws_this = beijing_date(solar_term(year, 270))
    moons = new_moons_between(ws_prev - datetime.timedelta(days=31), ws_this + datetime.timedelta(days=31))
    # The 11th month is the one holding the winter solstice.
    start = max(i for i, d in enumerate(moons) if d <= ws_prev)
    end = max(i for i, d in enumerate(moons) if d <= ws_this)
    principal = []
    for y in (year - 1, year):
        for lon in range(0, 360, 30):
            principal.append(beijing_date(solar_term(y, lon)))
    leap_index = None
    if end - start == 13:
        for i in range(start + 1, end):
            if not any(moons[i] <= p < moons[i + 1] for p in principal):
                leap_index = i
                break
    months = []
    number = 11
    for i in range(start, end + 1):
        if i == leap_index:
            months.append((moons[i], number, True))
            continue
        if i > start:
            number = number % 12 + 1
        months.append((moons[i], number, False))
    return months


def lunar_day(year, month, day):
    """Gregorian date of lunar `month`/`day` (not leap) of the lunar year starting in `year`."""
    seen_first = False
    for start, number, leap in lunar_months(year):
        if number == 1 and not leap:
            seen_first = True
        if seen_first and number == month and not leap:
            return start + datetime.timedelta(days=day - 1)
    raise ValueError('no lunar month %d in %d' % (month, year))


def holidays(year):
    """The statutory holidays of a year as [(name, [dates])]."""
    d = datetime.date
    spring = lunar_day(year, 1, 1)
    qingming = beijing_date(solar_term(year, 15))
    groups = [
        ('元旦', [d(year, 1, 1)]),
        ('春节', [spring + datetime.timedelta(days=i) for i in range(-1, 3)]),
        ('清明节', [qingming]),
        ('劳动节', [d(year, 5, 1), d(year, 5, 2)]),
        ('端午节', [lunar_day(year, 5, 5)]),
        ('中秋节', [lunar_day(year, 8, 15)]),
        ('国庆节', [d(year, 10, 1), d(year, 10, 2), d(year, 10, 3)]),
    ]
    return groups


def year_lines(year):
    """The data lines of one year: each holiday, then the weekdays owed for it (art. 6: a holiday
    on a Saturday or Sunday, or on a day already another holiday, is made up on a working day)."""
    rest = {}
    owed_after = []
    for name, dates in holidays(year):
        owed = 0
        for day in dates:
            if day in rest:
                rest[day] = rest[day] + '、' + name
                owed += 1
            else:
                rest[day] = name
                owed += day.weekday() >= 5
        owed_after.append((name, max(dates), owed))
    for name, last, owed in owed_after:
        day = last
        while owed > 0:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5 and day not in rest:
                rest[day] = name + '补休'
                owed -= 1
    return ['%s  %s' % (day.isoformat(), rest[day]) for day in sorted(rest)]


def main():
    """Writes the file."""
    out = sys.argv[1] if len(sys.argv) > 1 else 'data/statutory_holidays.txt'
    lines = [
        '# 法定节假日（按法定放假日推算，用于尚未导入国务院年度放假通知的年份）',
        '# 依据：《全国年节及纪念日放假办法》（2024 年 11 月修订，2025-01-01 施行）：元旦 1 月 1 日；',
        '#   春节 4 天（农历除夕、正月初一至初三）；清明节（清明节气当日）；劳动节 5 月 1、2 日；',
        '#   端午节（农历五月初五）；中秋节（农历八月十五）；国庆节 10 月 1 日至 3 日；',
        '#   第六条：假日适逢星期六、星期日，在工作日补假（本文件记为“补休”，排在该节之后的第一个空闲工作日）。',
        '# 农历与清明节气：tools/statutory_holidays.py 按天文算法推算（北京时间；朔日按 Meeus《Astronomical',
        '#   Algorithms》第 49 章，太阳视黄经按第 25 章；农历规则按 GB/T 33661-2017《农历的编算和颁行》）。',
        '# 调休上班日和连休安排只有年度通知才能确定，这里不推算：导入通知（xinfang calendar load）后按通知重算。',
        '# 每行：日期  名称',
        'years %d %d' % (FIRST_YEAR, LAST_YEAR),
    ]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        lines.append('')
        lines.extend(year_lines(year))
    with open(out, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
