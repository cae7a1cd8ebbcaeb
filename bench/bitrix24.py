#!/usr/bin/env python3
"""Writes a generated book again as a Bitrix24 export, for `check --sources`.

  python3 bench/bitrix24.py BOOK OUT

BOOK is a book of bench/generate.py (SPEC §1 layout). OUT receives the same book as
Bitrix24's CSV export writes it (SPEC §6, sources/bitrix24.yaml):

- COMPANY_…csv, CONTACT_…csv, DEAL_…csv: Windows-1251, every cell quoted and followed
  by ";" (so the header ends with an empty name), Russian headers, dates DD.MM.YYYY
  (creation dates with a time), amounts with a decimal comma, numeric ids;
- contacts and deals name their company by its title, and so does the custom field
  "Головная компания" (the parent); titles are unique, as linking by name needs: a title
  used before gets " (2)", " (3)" …; a parent group that is not an account in BOOK
  (G…) is a company of its own here, without tier, orders or contacts;
- the custom fields the preset leaves to the user: "Уровень клиента" (tier),
  "Руководитель отдела продаж" (lead), "Головная компания", "Дата увольнения" (until),
  "Сумма без скидки" (list amount), "Себестоимость" (cogs);
- service_costs.csv and events.csv as in BOOK (no preset block describes them, so they
  are read as SPEC §1 says), their account ids written as Bitrix ids;
- sources.yaml: `extends: bitrix24` and the custom fields, as a user writes it;
- ids.tsv: each Bitrix company id and the BOOK account id it stands for.

Every row of BOOK is a row here (all deals are won), so both describe the same accounts
and give the same alerts. Deterministic: the same BOOK gives the same bytes.
"""
import csv
import os
import sys

TIER = {"strategic": "Стратегический", "key": "Ключевой", "standard": "Стандартный", "vip": "VIP", "": ""}
GROUP_BASE = 10_000_000    # Bitrix ids of the groups (G…) and unknown ids (X…) of BOOK
UNKNOWN_BASE = 20_000_000
STAMP = "20261120"

SOURCES = """\
# A Bitrix24 export (bench/bitrix24.py): the shipped preset reads the standard fields;
# below is only what this company added.
version: 1
extends: bitrix24
tables:
  accounts:
    columns:
      tier: {from: "Уровень клиента", map: {"Стратегический": strategic, "Ключевой": key}, default: standard}
      lead: "Руководитель отдела продаж"
      parent_id: {from: "Головная компания", link: name}
  contacts:
    columns:
      until: "Дата увольнения"
  orders:
    columns:
      list_amount: "Сумма без скидки"
      cogs: "Себестоимость"
"""


def bitrix_id(book_id):
    """A0001234 -> 1235; G00012 -> 10000012; X0000123 -> 20000123; anything else unchanged."""
    if len(book_id) > 1 and book_id[1:].isdigit():
        n = int(book_id[1:])
        if book_id[0] == "A":
            return str(n + 1)
        if book_id[0] == "G":
            return str(GROUP_BASE + n)
        if book_id[0] == "X":
            return str(UNKNOWN_BASE + n)
    return book_id


def dmy(iso):
    return f"{iso[8:10]}.{iso[5:7]}.{iso[0:4]}" if iso else ""


def comma(amount):
    return amount.replace(".", ",")


class Out:
    """A Bitrix CSV file: every cell quoted, each followed by ';', CRLF, Windows-1251."""

    def __init__(self, path, header):
        self.f = open(path, "wb")
        self.buf = []
        self.add(header)

    def add(self, cells):
        self.buf.append("".join('"' + c.replace('"', '""') + '";' for c in cells) + "\r\n")
        if len(self.buf) >= 50_000:
            self.flush()

    def flush(self):
        self.f.write("".join(self.buf).encode("cp1251"))
        self.buf = []

    def close(self):
        self.flush()
        self.f.close()


def rows(path, encoding="utf-8", delimiter=","):
    with open(path, encoding=encoding, newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        next(reader)
        yield from reader


def split_name(name):
    """'Иванов И. П.' or 'Иванов Иван Петрович' -> (first, last, middle); 'Emma Smith' -> (Emma, Smith, '')."""
    parts = name.split(" ")
    if parts and parts[0] and "А" <= parts[0][0] <= "я" or parts[0][:1] == "Ё":
        return (parts[1] if len(parts) > 1 else ""), parts[0], " ".join(parts[2:])
    return parts[0], " ".join(parts[1:]), ""


def main():
    book, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith(".csv") or name in ("sources.yaml", "ids.tsv"):
            os.remove(os.path.join(out, name))
    counts = {}

    # ---- companies: unique titles, groups as companies of their own
    titles = {}          # BOOK id -> unique title
    used = {}            # title (lower case) -> times used
    accounts = list(rows(os.path.join(book, "accounts.csv")))

    def unique(title):
        key = title.strip().lower()
        k = used.get(key, 0) + 1
        used[key] = k
        return title if k == 1 else f"{title} ({k})"

    for r in accounts:
        titles[r[0]] = unique(r[1])
    groups = sorted({r[5] for r in accounts if r[5] and r[5] not in titles})
    for g in groups:
        titles[g] = unique(f"Группа компаний {g[1:]}")
    company = Out(os.path.join(out, f"COMPANY_{STAMP}_00000001.csv"),
                  ["ID", "Название компании", "Тип компании", "Сфера деятельности", "Ответственный",
                   "Дата создания", "Уровень клиента", "Руководитель отдела продаж", "Головная компания"])
    with open(os.path.join(out, "ids.tsv"), "w", encoding="utf-8") as ids:
        for i, (account_id, _, tier, owner, lead, parent, industry) in enumerate(accounts):
            bid = bitrix_id(account_id)
            ids.write(f"{bid}\t{account_id}\n")
            company.add([bid, titles[account_id], "Клиент", industry, owner,
                         f"{1 + i % 28:02d}.{1 + i % 12:02d}.{2015 + i % 10} {i % 24:02d}:{i % 60:02d}:{i * 7 % 60:02d}",
                         TIER.get(tier.strip().lower(), tier), lead, titles[parent] if parent else ""])
        for g in groups:
            ids.write(f"{bitrix_id(g)}\t{g}\n")
            company.add([bitrix_id(g), titles[g], "Клиент", "", "", "01.01.2015 09:00:00", "", "", ""])
    company.close()
    counts["companies"] = len(accounts) + len(groups)

    # ---- contacts
    contact = Out(os.path.join(out, f"CONTACT_{STAMP}_00000002.csv"),
                  ["ID", "Обращение", "Имя", "Фамилия", "Отчество", "Должность", "Компания", "Ответственный",
                   "Дата создания", "Рабочий e-mail", "Дата увольнения"])
    n = 0
    for contact_id, account_id, name, role, email, since, until in rows(os.path.join(book, "contacts.csv")):
        first, last, middle = split_name(name)
        contact.add([str(int(contact_id[1:]) + 1),
                     "", first, last, middle, role, titles.get(account_id, ""), "",
                     f"{dmy(since)} {n % 24:02d}:{n % 60:02d}:00" if since else "", email, dmy(until)])
        n += 1
    contact.close()
    counts["contacts"] = n

    # ---- deals: one export of all orders, every one won
    deal = Out(os.path.join(out, f"DEAL_{STAMP}_00000003.csv"),
               ["ID", "Название сделки", "Сумма", "Валюта", "Стадия сделки", "Компания", "Ответственный",
                "Предполагаемая дата закрытия", "Сумма без скидки", "Себестоимость"])
    n = 0
    names = sorted(f for f in os.listdir(book) if f.startswith("orders") and f.endswith(".csv"))
    for file in names:
        for order_id, account_id, date, list_amount, net_amount, cogs in rows(os.path.join(book, file)):
            deal.add([str(int(order_id[1:]) + 1), f"Поставка {n % 100000:05d}", comma(net_amount), "RUB",
                      "Сделка успешна", titles.get(account_id, ""), "", dmy(date), comma(list_amount),
                      comma(cogs)])
            n += 1
    deal.close()
    counts["deals"] = n

    # ---- service costs and events: §1 layout, Bitrix ids
    with open(os.path.join(book, "service_costs.csv"), encoding="cp1251", newline="") as f, \
            open(os.path.join(out, "service_costs.csv"), "w", encoding="cp1251", newline="") as g:
        g.write(f.readline())
        n = 0
        for line in f:
            account_id, rest = line.split(";", 1)
            g.write(bitrix_id(account_id) + ";" + rest)
            n += 1
    counts["service_costs"] = n
    with open(os.path.join(out, "events.csv"), "w", encoding="utf-8", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(["account_id", "date", "type", "counterparty", "note"])
        n = 0
        for r in rows(os.path.join(book, "events.csv")):
            w.writerow([bitrix_id(r[0])] + r[1:])
            n += 1
    counts["events"] = n

    with open(os.path.join(out, "sources.yaml"), "w", encoding="utf-8") as f:
        f.write(SOURCES)
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out) if f.endswith(".csv"))
    print(" ".join(f"{k} {v}" for k, v in counts.items()) + f"; {size / 1e6:.1f} MB written to {out}")


if __name__ == "__main__":
    main()
