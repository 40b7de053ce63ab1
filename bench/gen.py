"""Deterministic records generator for the throughput benchmark.

    python3 bench/gen.py ROWS OUT.csv [--shape utf8|gb18030|quoted|export|export-real|offices] [--start-every-row]

--shape gb18030 writes what a finance office exports from Excel on Chinese Windows:
GB18030, a Chinese header, CRLF line ends, one enterprise in 50 with a Chinese name;
--shape quoted puts one quoted name ("…, Ltd") on the last line; --shape export writes
the same records as the tax system's export (SPEC §12; read with bench/profile.toml):
GB18030, CRLF, a title and a query line above a Chinese header, "1,234.56" with thousands
separators (quoted), refunds in brackets, a 合计 row; --shape export-real writes them as
the 税收入库明细 export really is (read with bench/profile-real.toml, the shipped profile's
layout): a 序号 column, the enterprise's Chinese name quoted beside its id, tax names
(增值税…) and the collecting tax office's name (Chinese) mapped by values tables, the
period as the date 税款所属期起; --start-every-row
gives every record its enterprise's start date (投产日期), as offices' exports do.
--shape offices is the shape offices' files really have: 20,000 enterprises, each in one
zone and with its own start date (about 3,400 distinct dates over 2015–2024) on every
row, months interleaved (each line's month at random), VAT twice as frequent as each
other metric, amounts up to 100,000.00 with 2 % up to 1,000,000.00 and a few refunds.

Columns period,zone,entity,metric,amount,entity_start; 12 months of 2025; four zones
(bench/config.toml: fixed, entity-anchored schedule, base_increment, weighted); metrics
with central shares. A linear congruential generator keeps it identical everywhere and
fast enough for millions of rows.
"""
import sys

rows = int(sys.argv[1])
out = sys.argv[2]
shape = "utf8"
if "--shape" in sys.argv:
    shape = sys.argv[sys.argv.index("--shape") + 1]
every = "--start-every-row" in sys.argv
zones = ["fixed-z", "sched-z", "base-z", "weight-z"]
metrics = ["vat", "cit", "iit", "fcs"]
starts = ["2014-04-01", "2019-11-20", "2020-06-15", "2022-09-01", "2024-02-29"]
state = 20250101

enc = "gb18030" if shape in ("gb18030", "export", "export-real") else "utf-8"
eol = "\r\n" if shape in ("gb18030", "export", "export-real") else "\n"
tax_names = {"vat": "增值税", "cit": "企业所得税", "iit": "个人所得税", "fcs": "房产税"}
offices = {
    "fixed-z": "国家税务总局成都市新都区税务局第二税务所",
    "sched-z": "国家税务总局眉山市彭山区税务局第一税务所",
    "base-z": "国家税务总局广安市邻水县税务局高竹税务分局",
    "weight-z": "国家税务总局广元市利州区税务局园区税务所",
}


def export_amount(a):
    neg = a.startswith("-")
    i, _, frac = a.lstrip("-").partition(".")
    g = "{:,}".format(int(i)) + "." + frac
    g = "(%s)" % g if neg else g
    return '"%s"' % g if "," in g else g


if shape == "offices":
    import datetime
    day0 = datetime.date(2015, 1, 1)
    ent_zone = []
    ent_start = []
    st = 987654321
    for e in range(20000):
        st = (st * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        ent_zone.append(zones[(st >> 20) % 4])
        # 3,650 days of 2015–2024; 20,000 draws give about 3,400 distinct dates.
        ent_start.append((day0 + datetime.timedelta(days=(st >> 33) % 3650)).isoformat())
    offices_metrics = ["vat", "vat", "cit", "iit", "fcs"]
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("period,zone,entity,metric,amount,entity_start\n")
        buf = []
        for i in range(rows):
            state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
            r = state >> 11
            ent = r % 20000
            month = (r >> 16) % 12 + 1
            metric = offices_metrics[(r >> 20) % 5]
            big = (r >> 24) % 50 == 0
            cents = (r >> 30) % (100000000 if big else 10000000)
            if (r >> 27) % 200 == 0:
                cents = -(cents // 10)
            amount = f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"
            buf.append(f"2025-{month:02d},{ent_zone[ent]},91510100MA{ent:08d},{metric},{amount},{ent_start[ent]}\n")
            if len(buf) >= 100000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))
    sys.exit(0)

with open(out, "w", encoding=enc, newline="") as f:
    if shape == "gb18030":
        f.write("期间,园区,企业,指标,金额,投产日期" + eol)
    elif shape == "export":
        f.write("税收入库明细表,,,,," + eol + "查询条件：入库日期 2025-01-01 至 2025-12-31,,,,," + eol)
        f.write("纳税人识别号,征收项目,税款所属期,实缴（退）金额,园区,投产日期" + eol)
    elif shape == "export-real":
        f.write("税收入库明细表,,,,,,," + eol + "查询条件：入库日期 2025-01-01 至 2025-12-31,,,,,,," + eol)
        f.write("序号,纳税人识别号,纳税人名称,征收项目,税款所属期起,实缴（退）金额,主管税务所（科、分局）,投产日期" + eol)
    else:
        f.write("period,zone,entity,metric,amount,entity_start" + eol)
    buf = []
    for i in range(rows):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        r = state >> 11
        month = i * 12 // rows + 1
        zone = zones[r % 4]
        metric = metrics[(r >> 2) % 4]
        ent = (r >> 4) % 20000
        cents = (r >> 20) % 100000000
        if (r >> 50) % 50 == 0:
            cents = -cents // 10
        amount = f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"
        start = starts[ent % 5] if zone == "sched-z" or every else ""
        name = f"91510100MA{ent:08d}"
        if shape == "gb18030" and ent % 50 == 0:
            name = f"成都某某制造有限公司{ent:05d}"
        if shape == "export":
            buf.append(f"{name},{metric},2025-{month:02d},{export_amount(amount)},{zone},{start}{eol}")
        elif shape == "export-real":
            buf.append(
                f'{i + 1},{name},"成都某某制造有限公司{ent:05d}",{tax_names[metric]},2025-{month:02d}-01,'
                f"{export_amount(amount)},{offices[zone]},{start}{eol}"
            )
        else:
            buf.append(f"2025-{month:02d},{zone},{name},{metric},{amount},{start}{eol}")
        if len(buf) >= 100000:
            f.write("".join(buf))
            buf.clear()
    f.write("".join(buf))
    if shape == "export":
        f.write("合计,,,,," + eol)
    if shape == "export-real":
        f.write("合计,,,,,,," + eol)
    if shape == "quoted":
        f.write(f'2025-12,fixed-z,"91510100MA00000001, Ltd",vat,100.00,{starts[0] if every else ""}{eol}')
