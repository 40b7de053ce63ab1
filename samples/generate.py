"""Deterministic generator of samples/records-2025.csv (run: python3 samples/generate.py).

Twelve months of 2025 for the zones of config/: amounts are whole cents made from a
fixed seed, so the file (and every figure computed from it) is the same everywhere.
"""
import random

rng = random.Random(20250101)

def cents(lo, hi):
    return f"{rng.randint(int(lo * 100), int(hi * 100)) / 100:.2f}"

entities = {
    "cheng-a": [
        ("91510121MA61A0001A", "2014-04-01"),   # year 11+: phase 3 (4:6)
        ("91510121MA61B0002B", "2020-06-15"),   # enters phase 2 (5:5) in July 2025
        ("91510121MA61C0003C", "2022-09-01"),   # phase 1 (6:4)
        ("91513200MA6DKQ1X3C", "2019-11-20"),   # phase 2 all year
    ],
    "zhe-gan-cheng": ["91510100MA6ZG10001", "91513300MA6ZG20002"],
    "gaozhu": ["91511623MA6AG4H21Q", "91500112MA5UXT3R8L", "91511623MA6AG7K55W"],
    "qingchuan-park": ["91510822MA62Q7CH1K", "91510800MA6BQ1GY5T"],
    "gan-mei": ["91511400MA6GM10011", "91513300MA6GM20022"],
}

rows = []
for m in range(1, 13):
    p = f"2025-{m:02d}"
    for e, start in entities["cheng-a"]:
        rows.append((p, "cheng-a", e, "vat", cents(80000, 260000), start))
        if m % 3 == 0:
            rows.append((p, "cheng-a", e, "cit", cents(50000, 400000), start))
        rows.append((p, "cheng-a", e, "iit", cents(3000, 12000), start))
        rows.append((p, "cheng-a", e, "output", cents(800, 3500), start))
    if m in (3, 9):
        rows.append((p, "cheng-a", "91510121MA61A0001A", "fcs", cents(20000, 60000), "2014-04-01"))
        rows.append((p, "cheng-a", "91510121MA61A0001A", "tdsys", cents(8000, 20000), "2014-04-01"))
    if m == 8:  # 留抵退税: a refund
        rows.append((p, "cheng-a", "91510121MA61C0003C", "vat", "-" + cents(150000, 200000), "2022-09-01"))
    for e in entities["zhe-gan-cheng"]:
        rows.append((p, "zhe-gan-cheng", e, "vat", cents(30000, 90000), ""))
        if m % 3 == 0:
            rows.append((p, "zhe-gan-cheng", e, "cit", cents(20000, 80000), ""))
        rows.append((p, "zhe-gan-cheng", e, "energy", f"{rng.randint(50000, 300000) / 1000:.3f}", ""))
    if m == 6:
        rows.append((p, "zhe-gan-cheng", entities["zhe-gan-cheng"][0], "fcs", cents(10000, 30000), ""))
    for e in entities["gaozhu"]:
        rows.append((p, "gaozhu", e, "vat", cents(150000, 450000), ""))
        if m % 3 == 0:
            rows.append((p, "gaozhu", e, "cit", cents(200000, 600000), ""))
        rows.append((p, "gaozhu", e, "output", cents(2000, 6000), ""))
    if m in (4, 10):
        rows.append((p, "gaozhu", entities["gaozhu"][2], "land", cents(5, 40), ""))
    for e in entities["qingchuan-park"]:
        rows.append((p, "qingchuan-park", e, "vat", cents(400000, 1100000), ""))
        if m % 3 == 0:
            rows.append((p, "qingchuan-park", e, "cit", cents(100000, 300000), ""))
    for e in entities["gan-mei"]:
        rows.append((p, "gan-mei", e, "vat", cents(60000, 180000), ""))
        if m % 3 == 0:
            rows.append((p, "gan-mei", e, "cit", cents(40000, 120000), ""))
        rows.append((p, "gan-mei", e, "output", cents(1000, 4000), ""))

with open("samples/records-2025.csv", "w", encoding="utf-8", newline="\n") as f:
    f.write("period,zone,entity,metric,amount,entity_start\n")
    for r in rows:
        f.write(",".join(r) + "\n")
print(f"{len(rows)} records")

# The same year as a finance office receives it: one file per month (samples/monthly/),
# a file of late corrections that arrives with April's export (所属期 January: a refund
# and a late declaration), and the transfers paid so far (payments.csv), for the
# "Month by month" walk-through of README.
import os

os.makedirs("samples/monthly", exist_ok=True)
for m in range(1, 13):
    p = f"2025-{m:02d}"
    with open(f"samples/monthly/records-{p}.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("period,zone,entity,metric,amount,entity_start\n")
        for r in rows:
            if r[0] == p:
                f.write(",".join(r) + "\n")
with open("samples/monthly/late-2025-04.csv", "w", encoding="utf-8", newline="\n") as f:
    f.write("period,zone,entity,metric,amount,entity_start\n")
    f.write("2025-01,cheng-a,91510121MA61C0003C,vat,-36000.00,2022-09-01\n")   # 退税: January refund
    f.write("2025-01,gaozhu,91511623MA6AG7K55W,vat,52000.00,\n")               # 补申报: late declaration
with open("samples/payments-2025.csv", "w", encoding="utf-8", newline="\n") as f:
    f.write("date,payer,payee,amount,reference\n")
    f.write("2025-02-20,chengdu,aba,150000.00,成阿-2025-01\n")
    f.write("2025/3/18,guangan,cq-yubei,100000,高竹-2025-02\n")

# March's taxes as the tax system's 税收入库明细 export (SPEC §12), for the profile
# config/profiles/税收入库明细.toml: GB18030 with CRLF, a title and a query line above the
# header, tax names, the collecting tax office, "1,234.56" with thousands separators,
# refunds in brackets, 印花税 rows (not shared), a 小计 row per office, an office outside
# the parks, and a 合计 row. Read through the profile, it gives exactly the month's tax
# lines of samples/monthly/records-2025-03.csv.
import csv
import io

TAX = {"vat": "增值税", "cit": "企业所得税", "iit": "个人所得税", "fcs": "房产税", "tdsys": "城镇土地使用税"}
ITEM = {"vat": "制造业", "cit": "应纳税所得额", "iit": "工资薪金所得", "fcs": "从价计征", "tdsys": "城镇土地使用税"}
OFFICE = {
    "cheng-a": "国家税务总局成都市新都区税务局第二税务所",
    "gan-mei": "国家税务总局眉山市彭山区税务局第一税务所",
    "gaozhu": "国家税务总局广安市邻水县税务局高竹税务分局",
    "qingchuan-park": "国家税务总局广元市利州区税务局园区税务所",
    "zhe-gan-cheng": "国家税务总局成都市青白江区税务局第三税务所",
}


def export_money(a):
    neg = a.startswith("-")
    i, _, f = a.lstrip("-").partition(".")
    g = "{:,}".format(int(i)) + ("." + f if f else "")
    return "(%s)" % g if neg else g


def export_march():
    march = [r for r in rows if r[0] == "2025-03" and r[3] in TAX]
    names = {}
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["税收入库明细表"] + [""] * 9)
    w.writerow(["查询条件：入库日期 2025-04-01 至 2025-04-30；征收机关：示例"] + [""] * 9)
    w.writerow(["序号", "纳税人识别号", "纳税人名称", "征收项目", "征收品目", "税款所属期起",
                "税款所属期止", "入库日期", "实缴（退）金额", "主管税务所（科、分局）"])
    n, total = 0, 0
    for zone in OFFICE:
        sub = 0
        for r in (x for x in march if x[1] == zone):
            n += 1
            name = names.setdefault(r[2], "示例企业%02d有限公司" % (len(names) + 1))
            w.writerow([n, r[2], name, TAX[r[3]], ITEM[r[3]], "2025-03-01", "2025-03-31",
                        "2025-04-%02d" % (10 + n % 15), export_money(r[4]), OFFICE[zone]])
            sub += round(float(r[4]) * 100)
            if n % 5 == 1:
                n += 1
                w.writerow([n, r[2], name, "印花税", "购销合同", "2025-03-01", "2025-03-31",
                            "2025-04-%02d" % (10 + n % 15), "1,234.50" if n % 2 else "88.00",
                            OFFICE[zone]])
        if sub or any(x[1] == zone for x in march):
            w.writerow(["小计", "", "", "", "", "", "", "", export_money("%d.%02d" % divmod(sub, 100)),
                        OFFICE[zone]])
        total += sub
    n += 1
    w.writerow([n, "91510104MA6C0OUT9X", "园区外示例企业有限公司", "增值税", "批发业", "2025-03-01",
                "2025-03-31", "2025-04-18", "35,000.00", "国家税务总局成都市锦江区税务局第一税务所"])
    w.writerow(["合计", "", "", "", "", "", "", "", export_money("%d.%02d" % divmod(total, 100)), ""])
    with open("samples/export-2025-03.csv", "wb") as f:
        f.write(out.getvalue().encode("gb18030"))


export_march()
