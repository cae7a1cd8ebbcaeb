#!/usr/bin/env python3
"""Writes a synthetic, deterministic book for benchmarking kamwatch.

  python3 bench/generate.py --accounts N --out DIR [--seed S]

The same arguments always give the same bytes. At 1 000 000 accounts (everything
scales linearly) the book holds about 2.3 M contacts, 4.8 M orders over the two
years before 2026-11-20 in monthly files, 0.8 M cost-to-serve rows and 17 k
events: roughly 600 MB of CSV with Cyrillic and Latin text, quoted names, parent
chains (no cycles), events on groups that are not accounts, and a few rows dated
after 2026-11-20. Costs are written the way 1C exports them (Windows-1251, ';').
"""

import argparse
import datetime as dt
import os
import random
import sys
import time

AT = dt.date(2026, 11, 20)
FIRST = AT - dt.timedelta(days=729)       # two years of orders, up to AT
DAYS = [(FIRST + dt.timedelta(days=i)) for i in range(740)]  # 10 days past AT
ISO = [d.isoformat() for d in DAYS]
RU = [d.strftime("%d.%m.%Y") for d in DAYS]
N_IN = 730                                 # index of the first day after AT

CHUNK = 1 << 22                            # flush a file's buffer past 4 MB

# ------------------------------------------------------------ text pools

RU_FORMS = ["ООО", "ООО", "ООО", "АО", "ПАО", "ЗАО", "ИП"]
RU_ADJ = ["Северный", "Южный", "Уральский", "Сибирский", "Волжский", "Балтийский", "Невский", "Донской",
          "Камский", "Байкальский", "Алтайский", "Приморский", "Центральный", "Московский", "Тверской",
          "Новый", "Первый", "Единый", "Западный", "Восточный", "Русский", "Интер", "Глобал", "Техно",
          "Агро", "Евро", "Спец", "Гранд", "Мега", "Промышленный"]
RU_NOUN = ["Металл", "Трейд", "Снаб", "Логистик", "Строй", "Пром", "Ресурс", "Инвест", "Холдинг", "Альянс",
           "Групп", "Сервис", "Транс", "Энерго", "Хим", "Пласт", "Текстиль", "Продукт", "Фарм", "Маркет",
           "Лес", "Агрегат", "Системы", "Технологии", "Дистрибуция", "Капитал", "Комплект", "Импорт"]
EN_A = ["Northern", "Atlas", "Blue", "Silver", "Pacific", "Baltic", "Summit", "Pioneer", "Crescent", "Harbor",
        "Granite", "Evergreen", "Redwood", "Orion", "Helios", "Vertex", "Nordic", "Meridian", "Apex", "Delta"]
EN_B = ["Logistics", "Components", "Foods", "Trading", "Chemicals", "Engineering", "Retail", "Pharma",
        "Packaging", "Metals", "Systems", "Textiles", "Energy", "Media", "Partners", "Supply"]
EN_SUF = ["Ltd", "LLC", "Inc.", "GmbH", "plc", "S.A.", "AB", "Co."]
SURNAMES = ["Smith", "Jones", "Brown", "Miller", "Wilson", "Taylor", "Clark", "Walker", "Young", "King"]
INDUSTRY = ["Металлургия", "Логистика", "Розничная торговля", "Строительство", "Химическая промышленность",
            "Фармацевтика", "Пищевая промышленность", "Машиностроение", "Энергетика", "Сельское хозяйство",
            "Информационные технологии", "Упаковка", "Текстиль", "Деревообработка", "Телеком",
            "Retail", "Logistics", "Manufacturing", "Chemicals", "Food", "Software", "Media", "Energy"]

RU_MALE = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван", "Михаил",
           "Николай", "Владимир", "Павел", "Олег", "Игорь", "Юрий", "Виктор"]
RU_FEMALE = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Анна", "Мария", "Светлана", "Екатерина",
             "Юлия", "Марина", "Ксения", "Дарья", "Анастасия", "Вера", "Людмила"]
RU_PATR = ["Александров", "Сергеев", "Дмитриев", "Андреев", "Петров", "Иванов", "Николаев", "Викторов"]
RU_SUR = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
          "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
          "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров"]
EN_FIRST = ["James", "Emma", "Oliver", "Sophia", "William", "Mia", "Lucas", "Ava", "Henry", "Chloe",
            "Daniel", "Grace", "Thomas", "Laura", "Kevin", "Rachel"]
EN_LAST = ["Smith", "Johnson", "Williams", "Brown", "Davies", "Evans", "Wright", "Walker", "O'Brien",
           "Clarke", "Hughes", "Green", "Baker", "Foster", "Bennett", "Turner"]
SENIOR_ROLES = ["Генеральный директор", "Финансовый директор", "Коммерческий директор",
                "Руководитель отдела закупок", "Владелец", "CEO", "CFO", "Head of Procurement",
                "Chief Operating Officer", "Managing Director", "Owner"]
OTHER_ROLES = ["Менеджер по закупкам", "Специалист по снабжению", "Инженер", "Главный бухгалтер",
               "Категорийный менеджер", "Логист", "Buyer", "Procurement Manager", "Category Manager",
               "Supply Chain Analyst", "Office Manager", "Операционный менеджер"]
DOMAINS = ["example.ru", "example.com", "mail.example", "corp.example", "client.example"]
COST_CATS = ["логистика", "сервисная поддержка", "командировки", "маркетинг", "обучение персонала",
             "спонсорство", "гарантийный ремонт"]
EVENT_TYPES = ["merger", "acquisition", "acquired", "divestiture", "ownership_change",
               "rebranding", "relocation", "ipo", "bankruptcy", "Merger", "ACQUISITION"]


def csv_cell(s):
    if "," in s or '"' in s or "\n" in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def company_pool(rng, n):
    out = []
    for i in range(n):
        k = rng.random()
        if k < 0.55:
            form = rng.choice(RU_FORMS)
            if form == "ИП":
                sur = rng.choice(RU_SUR)
                name = f"ИП {sur} {rng.choice(RU_MALE)} {rng.choice(RU_PATR)}ич"
            else:
                name = f"{form} «{rng.choice(RU_ADJ)} {rng.choice(RU_NOUN)}»"
        elif k < 0.62:
            name = f'{rng.choice(RU_FORMS[:6])} "{rng.choice(RU_ADJ)}-{rng.choice(RU_NOUN)}"'
        elif k < 0.67:
            name = f"{rng.choice(RU_ADJ)} {rng.choice(RU_NOUN)}, {rng.choice(RU_FORMS[:6])}"
        elif k < 0.72:
            name = f"{rng.choice(SURNAMES)}, {rng.choice(SURNAMES)} & Partners"
        else:
            name = f"{rng.choice(EN_A)} {rng.choice(EN_B)} {rng.choice(EN_SUF)}"
        out.append(csv_cell(name))
    return out


def person_pool(rng, n):
    out = []
    for _ in range(n):
        if rng.random() < 0.7:
            male = rng.random() < 0.5
            sur = rng.choice(RU_SUR) + ("" if male else "а")
            first = rng.choice(RU_MALE if male else RU_FEMALE)
            patr = rng.choice(RU_PATR)
            if rng.random() < 0.5:
                name = f"{sur} {first[0]}. {patr[0]}."     # as 1C writes them
            else:
                name = f"{sur} {first} {patr}{'ич' if male else 'на'}"
        else:
            name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
        out.append(csv_cell(name))
    return out


def money(x):
    return f"{x:.2f}"


def amount_pools(rng):
    """Per size class and regime, 4096 ready-made 'list,net,cogs' strings."""
    pools = []
    for cls in range(16):
        base = 8_000 * (1.6 ** cls)
        regimes = []
        for disc in (0.06, 0.18):          # usual discount, and a creeping one
            pool = []
            for _ in range(4096):
                lst = round(base * rng.uniform(0.4, 1.8), -1)
                d = max(0.0, disc + rng.uniform(-0.04, 0.04))
                net = lst * (1 - d)
                cogs = net * rng.uniform(0.55, 0.85)
                pool.append(f"{money(lst)},{money(net)},{money(cogs)}")
            regimes.append(pool)
        pools.append(regimes)
    return pools


# ------------------------------------------------------------ writers

class Sink:
    """Buffered writer for one file; counts bytes and rows."""

    def __init__(self, path, header, encoding="utf-8", eol="\n"):
        self.f = open(path, "wb")
        self.encoding = encoding
        self.buf = [header + eol]
        self.size = 0
        self.rows = 0
        self.pending = 0
        self.path = path

    def add(self, line):
        self.buf.append(line)
        self.pending += 1
        if self.pending >= 50_000:
            self.flush()

    def flush(self):
        data = "".join(self.buf).encode(self.encoding)
        self.f.write(data)
        self.size += len(data)
        self.rows += self.pending
        self.buf = []
        self.pending = 0

    def close(self):
        self.flush()
        self.f.close()
        return self.size


def generate(n_accounts, out, seed, log):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith(".csv") or name.endswith(".csv.gz"):
            os.remove(os.path.join(out, name))
    companies = company_pool(rng, 8192)
    people = person_pool(rng, 8192)
    emails = [f"{rng.choice(['info', 'sales', 'zakupki', 'office', 'buyer', 'a.petrov', 'j.smith'])}"
              f"{i % 97 or ''}@{rng.choice(DOMAINS)}" for i in range(4096)]
    owners = [f"{rng.choice(['a', 'm', 'd', 's', 'e', 'o'])}.{rng.choice(RU_SUR).lower()}{i}" for i in range(300)]
    owners = [o.translate(str.maketrans("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                                        "abvgdeejziiklmnoprstufhccss_y_eua")) for o in owners]
    leads = [f"lead{i:02d}@example.com" for i in range(40)] + [""] * 2
    industries = [csv_cell(x) for x in INDUSTRY]
    amounts = amount_pools(rng)
    rand = rng.random
    bits = rng.getrandbits

    # ---- accounts
    acc = Sink(os.path.join(out, "accounts.csv"), "account_id,name,tier,owner,lead,parent_id,industry")
    tiers = []             # 0 standard, 1 key, 2 strategic, 3 unknown
    holdings = []          # indexes of accounts that own others
    n_groups = max(1, n_accounts // 2000)
    for i in range(n_accounts):
        r = rand()
        if r < 0.02:
            t, tname = 2, "strategic"
        elif r < 0.12:
            t, tname = 1, "key"
        elif r < 0.121:
            t, tname = 3, "vip"
        else:
            t, tname = 0, ("standard" if r < 0.8 else "")
        tiers.append(t)
        parent = ""
        p = rand()
        if p < 0.05 and holdings:
            parent = f"A{holdings[bits(20) % len(holdings)]:07d}"   # always an earlier account: no cycles
        elif p < 0.052:
            parent = f"G{bits(20) % n_groups:05d}"                  # a group that is not an account
        if t and rand() < 0.2:
            holdings.append(i)
        acc.add(f"A{i:07d},{companies[bits(13)]},{tname},{owners[bits(16) % 300]},"
                f"{leads[bits(16) % 42]},{parent},{industries[bits(16) % len(industries)]}\n")
    sizes = {"accounts.csv": acc.close()}
    rows = {"accounts.csv": n_accounts}
    log(f"accounts {n_accounts}")

    # ---- contacts: key and strategic accounts know more people
    con = Sink(os.path.join(out, "contacts.csv"), "contact_id,account_id,name,role,email,since,until")
    since_days = [d.isoformat() for d in (dt.date(2014, 1, 1) + dt.timedelta(days=k) for k in range(4700))]
    cid = 0
    per_tier = ((0, 1, 1, 2, 2, 3, 3, 3), (3, 4, 4, 5, 5, 6, 6, 7), (4, 5, 6, 6, 7, 8, 9, 10), (1, 2, 2, 3, 1, 2, 2, 3))
    for i in range(n_accounts):
        t = tiers[i]
        k = per_tier[t][bits(3)]
        a = f"A{i:07d}"
        for j in range(k):
            senior = j == 0 and rand() < 0.9
            role = SENIOR_ROLES[bits(8) % 11] if senior else OTHER_ROLES[bits(8) % 12]
            since = since_days[bits(13) % 4700] if rand() < 0.9 else ""
            u = rand()
            until = since_days[4000 + bits(10) % 700] if u < 0.12 else ""
            if until and since and until <= since:
                until = ""
            con.add(f"C{cid:08d},{a},{people[bits(13)]},{role},{emails[bits(12)]},{since},{until}\n")
            cid += 1
    sizes["contacts.csv"] = con.close()
    rows["contacts.csv"] = cid
    log(f"contacts {cid}")

    # ---- orders: one file per month
    months = {}
    for d_i, d in enumerate(DAYS):
        key = f"orders-{d.year}-{d.month:02d}.csv"
        months.setdefault(key, []).append(d_i)
    sinks = {}
    day_sink = []
    for key in months:
        sinks[key] = Sink(os.path.join(out, key), "order_id,account_id,date,list_amount,net_amount,cogs")
    for d in DAYS:
        day_sink.append(sinks[f"orders-{d.year}-{d.month:02d}.csv"])
    per_tier_orders = ((1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 2, 3, 3, 4, 5, 3),
                       (8, 10, 11, 12, 12, 13, 14, 16, 9, 10, 12, 13, 14, 15, 11, 12),
                       (30, 34, 36, 38, 40, 40, 42, 44, 46, 48, 36, 38, 40, 42, 44, 42),
                       (2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5))
    oid = 0
    for i in range(n_accounts):
        t = tiers[i]
        k = per_tier_orders[t][bits(4)]
        cls = min(15, bits(3) + bits(3) + 4 * (t == 1) + 6 * (t == 2))
        pool_usual = amounts[cls][0]
        pool_recent = amounts[cls][1] if rand() < 0.03 else pool_usual
        a = f"A{i:07d}"
        for _ in range(k):
            d_i = bits(10) % 730
            if d_i > 726 and rand() < 0.5:
                d_i = N_IN + bits(3)                         # dated after AT: ignored
            pool = pool_recent if d_i >= 640 else pool_usual
            day_sink[d_i].add(f"O{oid:09d},{a},{ISO[d_i]},{pool[bits(12)]}\n")
            oid += 1
    for key, s in sinks.items():
        sizes[key] = s.close()
        rows[key] = s.rows
    log(f"orders {oid}")

    # ---- service costs, as 1C exports them
    sc = Sink(os.path.join(out, "service_costs.csv"), "account_id;date;amount;category", "cp1251", "\r\n")
    n_costs = int(n_accounts * 0.8)
    keyish = [i for i in range(n_accounts) if tiers[i] in (1, 2)] or [0]
    for j in range(n_costs):
        i = keyish[bits(20) % len(keyish)] if rand() < 0.6 else bits(24) % n_accounts
        amount = 500 + bits(17) + bits(12) / 100
        whole, frac = f"{amount:.2f}".split(".")
        if len(whole) > 3:
            whole = whole[:-3] + ("\u00a0" if j % 2 else " ") + whole[-3:]
        sc.add(f"A{i:07d};{RU[bits(10) % 730]};{whole},{frac};{COST_CATS[bits(8) % 7]}\r\n")
    sizes["service_costs.csv"] = sc.close()
    rows["service_costs.csv"] = n_costs
    log(f"service_costs {n_costs}")

    # ---- events, some on groups that are not accounts and on unknown ids
    ev = Sink(os.path.join(out, "events.csv"), "account_id,date,type,counterparty,note")
    n_events = max(10, int(n_accounts * 0.017))
    for j in range(n_events):
        r = rand()
        if r < 0.8:
            who = f"A{bits(24) % n_accounts:07d}"
        elif r < 0.9:
            who = f"G{bits(20) % n_groups:05d}"
        else:
            who = f"X{bits(20):07d}"
        ev.add(f"{who},{ISO[bits(10) % 730]},{EVENT_TYPES[bits(8) % len(EVENT_TYPES)]},"
               f"{companies[bits(13)]},Сделка {j}\n")
    sizes["events.csv"] = ev.close()
    rows["events.csv"] = n_events
    return sizes, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", default="1")
    args = ap.parse_args()
    start = time.monotonic()
    quiet = lambda msg: None  # noqa: E731
    sizes, rows = generate(args.accounts, args.out, f"kamwatch-bench-{args.seed}-{args.accounts}", quiet)
    took = time.monotonic() - start
    groups = {}
    for name, size in sizes.items():
        table = name.split("-")[0].split(".")[0]
        g = groups.setdefault(table, [0, 0, 0])
        g[0] += 1
        g[1] += rows[name]
        g[2] += size
    for table, (files, n, size) in groups.items():
        print(f"{table:14} {files:3} file(s) {n:10} rows {size / 1e6:9.1f} MB")
    total = sum(sizes.values())
    print(f"{'total':14} {len(sizes):3} file(s) {sum(rows.values()):10} rows {total / 1e6:9.1f} MB"
          f"  written to {args.out} in {took:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
