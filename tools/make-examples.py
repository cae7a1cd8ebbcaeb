#!/usr/bin/env python3
"""Writes the bundled example book (examples/*.csv) from the account profiles below.

The book is deterministic: the same script always writes the same bytes. Each
account has a profile (size, discount, margin, cost to serve, contacts, events)
chosen so that, as of 2026-11-20, every shipped rule holds for a few accounts
and most accounts are healthy. tools/reference_check.py computes the alerts
independently from the written files; examples/README.md lists them.

Usage: python3 tools/make-examples.py [--out examples]
"""

import argparse
import datetime as dt
import os
import random

AT = dt.date(2026, 11, 20)
RECENT_START = AT - dt.timedelta(days=90)  # first day of "the last 90 days" is the day after
FIRST_MONTH = (2025, 1)
LAST_MONTH = (2026, 11)

LEADS = {
    "IP": "irina.petrova@example.com",
    "JM": "james.miller@example.com",
    "OS": "olga.smirnova@example.com",
    "": "",
}


def months():
    y, m = FIRST_MONTH
    while (y, m) <= LAST_MONTH:
        yield y, m
        m += 1
        if m == 13:
            y, m = y + 1, 1


class Profile:
    """How one account behaves over the two years of orders and costs."""

    def __init__(self, level, per_month=2, disc=0.06, disc_recent=None, cogs=0.68,
                 cost=0.05, scale_recent=1.0, start=FIRST_MONTH, jitter=0.15,
                 recent_orders=None, every=1):
        self.level = level            # list amount of a typical month, RUB
        self.per_month = per_month    # orders per month
        self.disc = disc              # discount before the last 90 days
        self.disc_recent = disc if disc_recent is None else disc_recent
        self.cogs = cogs              # cogs as a share of net
        self.cost = cost              # monthly cost to serve as a share of monthly net
        self.scale_recent = scale_recent  # volume in the last 90 days vs. before
        self.start = start            # first (year, month) with orders
        self.jitter = jitter          # relative spread of order amounts
        self.recent_orders = recent_orders  # exact list of (date, list, discount) in the last 90 days
        self.every = every            # orders every this many months


# account_id, name, tier, owner, lead key, parent_id, industry, profile
ACCOUNTS = [
    # A holding (acquired two months ago) and its subsidiaries.
    ("K-100", "АО «Трансхимпром Холдинг»", "strategic", "a.volkov", "IP", "", "Химическая промышленность",
     Profile(1_300_000)),
    ("K-101", "ООО «Трансхимпром-Логистик»", "key", "a.volkov", "IP", "K-100", "Логистика",
     Profile(21_500_000, per_month=4)),
    ("K-102", "ООО «Трансхимпром Урал»", "key", "m.kuznetsova", "IP", "K-100", "Химическая промышленность",
     Profile(1_900_000)),
    ("K-103", "ООО «Трансхимпром Сервис»", "standard", "m.kuznetsova", "IP", "K-101", "Сервисное обслуживание",
     Profile(600_000, per_month=1)),
    # A group that is not a client itself: its ownership change reaches both members.
    ("K-110", "Nordic Timber AB", "key", "d.brown", "JM", "GRP-NORDWOOD", "Timber",
     Profile(5_100_000, per_month=3)),
    ("K-111", "Nordwood Packaging LLC", "strategic", "d.brown", "JM", "K-110", "Packaging",
     Profile(1_200_000)),
    # A standard account large enough to matter for the whole book.
    ("K-130", "ООО «Альфа-Дистрибуция»", "standard", "s.orlov", "OS", "", "Дистрибуция",
     Profile(11_250_000, per_month=3)),
    # Relationship on one person, or on nobody.
    ("K-140", "ООО «Вектор Агро»", "key", "s.orlov", "OS", "", "Сельское хозяйство",
     Profile(1_100_000)),
    ("K-141", "Baltic Freight Solutions Ltd", "strategic", "e.wilson", "JM", "", "Freight forwarding",
     Profile(1_500_000)),
    ("K-142", "ООО «Медтехника Плюс»", "key", "m.kuznetsova", "", "", "Медицинское оборудование",
     Profile(800_000, per_month=1)),
    # Discounts creeping up.
    ("K-150", "АО «Камский подшипник»", "key", "a.volkov", "IP", "", "Машиностроение",
     Profile(1_700_000, per_month=3, disc=0.08, disc_recent=0.145, jitter=0.10)),
    ("K-151", "Helios Retail Group", "strategic", "e.wilson", "JM", "", "Retail",
     Profile(2_600_000, per_month=3, disc=0.05, disc_recent=0.17, jitter=0.10)),
    ("K-152", "ООО «Стройресурс»", "key", "s.orlov", "OS", "", "Строительство",
     Profile(1_000_000, disc=0.05, recent_orders=[
         (dt.date(2026, 9, 3), 1_650_000, 0.21), (dt.date(2026, 10, 15), 1_720_000, 0.22)])),
    # Costing more to serve than it earns.
    ("K-160", "ООО «ГлавСнаб»", "key", "m.kuznetsova", "IP", "", "Оптовая торговля",
     Profile(1_400_000, cogs=0.75, cost=0.30, jitter=0.05)),
    ("K-161", "Pacific Components Inc.", "strategic", "d.brown", "JM", "", "Electronics",
     Profile(2_100_000, cogs=0.70, cost=0.27, jitter=0.05)),
    ("K-162", "ООО «ТехноЛайн»", "key", "s.orlov", "OS", "", "Системная интеграция",
     Profile(900_000, cogs=1.04, cost=0.02)),
    ("K-163", "ИП Соколов Андрей Викторович", "standard", "s.orlov", "OS", "", "Розничная торговля",
     Profile(150_000, per_month=1, cogs=0.80, cost=0.40)),
    # People leaving.
    ("K-170", "АО «Югагролизинг»", "key", "a.volkov", "IP", "", "Лизинг",
     Profile(1_600_000)),
    ("K-171", "Atlas Engineering GmbH", "strategic", "e.wilson", "JM", "", "Engineering",
     Profile(2_300_000)),
    # Acquired this summer ("ACQUIRED" in capitals, as the CRM wrote it).
    ("K-180", "ООО «Полимер-Инвест»", "key", "m.kuznetsova", "OS", "", "Полимеры",
     Profile(1_000_000)),
    # Revenue falling away.
    ("K-190", "ООО «СеверТрансСтрой»", "key", "a.volkov", "IP", "", "Строительство",
     Profile(2_200_000, scale_recent=0.38, jitter=0.05)),
    ("K-191", "Orion Pharma Distribution", "strategic", "e.wilson", "JM", "", "Pharmaceuticals",
     Profile(1_900_000, recent_orders=[(dt.date(2026, 10, 7), 540_000, 0.06)])),
    ("K-192", "ООО «ЭкоПак»", "key", "s.orlov", "OS", "", "Упаковка",
     Profile(2_000_000, per_month=1, every=2, recent_orders=[(dt.date(2026, 9, 18), 350_000, 0.06)])),
    ("K-193", "Brightline Media LLC", "standard", "d.brown", "JM", "", "Media",
     Profile(700_000, scale_recent=0.2)),
    # Strategic accounts without anyone senior on the other side.
    ("K-200", "АО «Невская верфь»", "strategic", "a.volkov", "IP", "", "Судостроение",
     Profile(2_400_000)),
    ("K-201", "Quantum Logistics plc", "strategic", "e.wilson", "JM", "", "Logistics",
     Profile(2_000_000)),
    # A tier kamwatch's default rules do not know: out of their scope.
    ("K-210", "ООО «Премиум Партнёр»", "VIP", "m.kuznetsova", "OS", "", "Консалтинг",
     Profile(900_000, per_month=1, cogs=0.80, cost=0.35, scale_recent=0.1)),
    # Healthy accounts.
    ("K-300", "ПАО «Волга-Металл»", "strategic", "a.volkov", "IP", "", "Металлургия",
     Profile(3_100_000, per_month=3)),
    ("K-301", "Northwind Traders Ltd", "key", "d.brown", "JM", "", "Wholesale",
     Profile(1_800_000)),
    ("K-302", "ООО «Кедр»", "key", "s.orlov", "OS", "", "Деревообработка",
     Profile(1_300_000)),
    ("K-303", "АО «Енисейская бумажная фабрика»", "key", "m.kuznetsova", "IP", "", "Целлюлозно-бумажная промышленность",
     Profile(2_000_000)),
    ("K-304", "Smith, Jones & Partners", "key", "e.wilson", "JM", "", "Legal services",
     Profile(900_000, per_month=1, cogs=0.45)),
    ("K-305", 'ООО "Сфера"', "", "s.orlov", "", "", "Реклама",
     Profile(400_000, per_month=1)),
    ("K-306", "Инфотех Решения, ООО", "Key", "m.kuznetsova", "OS", "", "Информационные технологии",
     Profile(1_200_000, start=(2026, 1))),
    ("K-307", "Greenfield Farms Co.", "key", "d.brown", "JM", "", "Agriculture",
     Profile(1_500_000)),
    ("K-308", "АО «Ладога Фуд»", "strategic", "a.volkov", "IP", "", "Пищевая промышленность",
     Profile(2_800_000, per_month=3)),
    ("K-309", "ЗАО «Дальрыбпром»", "standard", "s.orlov", "OS", "", "Рыбная промышленность",
     Profile(1_100_000)),
    ("K-310", "Danube Chemicals S.A.", "key", "e.wilson", "JM", "", "Chemicals",
     Profile(1_700_000)),
    ("K-311", "ООО «Уралтехснаб»", "key", "a.volkov", "IP", "", "Снабжение",
     Profile(1_250_000)),
    ("K-312", "Meridian Foods plc", "standard", "d.brown", "JM", "", "Food",
     Profile(850_000)),
    ("K-313", "ООО «Байкал-Вода»", "key", "s.orlov", "OS", "", "Напитки",
     Profile(700_000)),
    ("K-314", "Redwood Software Inc.", "key", "e.wilson", "JM", "", "Software",
     Profile(650_000, per_month=1, cogs=0.40)),
    ("K-315", "АО «Тульский оружейный двор»", "key", "a.volkov", "IP", "", "Машиностроение",
     Profile(800_000)),
    ("K-316", "ООО «Аптека Здоровье»", "key", "m.kuznetsova", "OS", "", "Фармацевтика",
     Profile(550_000)),
    ("K-317", "Harbor & Co. Trading", "key", "d.brown", "JM", "K-307", "Wholesale",
     Profile(600_000)),
    ("K-318", "ООО «Мираж-Авто»", "key", "s.orlov", "OS", "", "Автомобили",
     Profile(750_000)),
    ("K-319", "ИП Петренко Ольга Николаевна", "standard", "s.orlov", "OS", "", "Общепит",
     Profile(120_000, per_month=1)),
    ("K-320", "Clearwater Hotels Ltd", "standard", "e.wilson", "JM", "", "Hospitality",
     Profile(300_000, per_month=1)),
    ("K-321", "ООО «Старт-Ап Лаб»", "standard", "m.kuznetsova", "", "", "Образование",
     Profile(200_000, per_month=1)),
    ("K-322", "АО «Калининградский янтарь»", "standard", "a.volkov", "IP", "", "Ювелирная промышленность",
     Profile(450_000, per_month=1)),
    ("K-323", "Westbrook Logistics GmbH", "standard", "d.brown", "JM", "K-317", "Logistics",
     Profile(350_000, per_month=1)),
    ("K-324", "ООО «Северное сияние»", "standard", "s.orlov", "OS", "", "Туризм",
     Profile(250_000, per_month=1)),
]

# A client that was never added to accounts.csv. Its orders and costs are drawn (so
# that the random sequence, and every figure of the book, stays as it was) but not
# written: kamwatch would count them nowhere and note them on stderr, and the
# example book reads without a single notice. Its event stays: events are kept by
# the id they name and raise nothing here.
STRAY_ORDERS = ("K-999", Profile(8_000_000))

S = "2019-03-01"
# contact_id, account_id, name, role, email, since, until
CONTACTS = [
    ("C-0001", "K-100", "Сергей Иванович Белов", "Генеральный директор", "belov@thp-holding.ru", S, ""),
    ("C-0002", "K-100", "Марина Олеговна Зайцева", "Финансовый директор", "zaytseva@thp-holding.ru", "2020-06-15", ""),
    ("C-0003", "K-100", "Павел Андреевич Громов", "Руководитель отдела закупок", "gromov@thp-holding.ru", "2021-02-01", ""),
    ("C-0004", "K-101", "Дмитрий Сергеевич Лаптев", "Директор по логистике", "laptev@thp-log.ru", "2020-01-10", ""),
    ("C-0005", "K-101", "Анна Викторовна Рябова", "Менеджер по закупкам", "ryabova@thp-log.ru", "2022-09-01", ""),
    ("C-0006", "K-101", "Игорь Петрович Сомов", "Начальник склада", "somov@thp-log.ru", "2023-03-20", ""),
    ("C-0007", "K-102", "Елена Юрьевна Кравец", "Коммерческий директор", "kravets@thp-ural.ru", "2021-05-12", ""),
    ("C-0008", "K-102", "Олег Николаевич Шубин", "Инженер по снабжению", "shubin@thp-ural.ru", "2022-11-01", ""),
    ("C-0009", "K-103", "Татьяна Ильинична Фомина", "Менеджер", "fomina@thp-service.ru", "2023-01-09", ""),
    ("C-0010", "K-110", "Erik Lindqvist", "Head of Procurement", "erik.lindqvist@nordictimber.se", "2020-04-01", ""),
    ("C-0011", "K-110", "Sofia Berg", "Category Manager", "sofia.berg@nordictimber.se", "2022-02-14", ""),
    ("C-0012", "K-111", "Mark Davies", "Chief Operating Officer", "m.davies@nordwoodpack.com", "2021-08-01", ""),
    ("C-0013", "K-111", "Laura Chen", "Buyer", "l.chen@nordwoodpack.com", "2023-06-05", ""),
    ("C-0014", "K-130", "Руслан Ахмедович Гасанов", "Директор по закупкам", "gasanov@alfa-distr.ru", "2020-03-03", ""),
    # K-140: one person left long ago; the only one left is the buyer.
    ("C-0015", "K-140", "Виктор Семёнович Лебедь", "Директор", "lebed@vector-agro.ru", S, "2025-02-28"),
    ("C-0016", "K-140", "Наталья Игоревна Чернова", "Менеджер по закупкам", "chernova@vector-agro.ru", "2021-07-01", ""),
    # Starts next month: not active yet on 2026-11-20.
    ("C-0017", "K-140", "Алексей Романович Дубов", "Коммерческий директор", "dubov@vector-agro.ru", "2026-12-01", ""),
    # K-141: both people left this autumn.
    ("C-0018", "K-141", "Thomas Wright", "Managing Director", "t.wright@balticfreight.co.uk", "2019-09-01", "2026-09-30"),
    ("C-0019", "K-141", "Emma Clarke", "Procurement Manager", "e.clarke@balticfreight.co.uk", "2021-01-18", "2026-11-20"),
    # K-142: nobody recorded at all.
    ("C-0020", "K-150", "Геннадий Львович Орлов", "Генеральный директор", "orlov@kampodshipnik.ru", S, ""),
    ("C-0021", "K-150", "Ксения Андреевна Миронова", "Менеджер отдела снабжения", "mironova@kampodshipnik.ru", "2022-04-11", ""),
    ("C-0022", "K-151", "Rachel Adams", "Chief Merchandising Officer", "rachel.adams@heliosretail.com", "2020-10-01", ""),
    ("C-0023", "K-151", "Daniel Foster", "Senior Buyer", "daniel.foster@heliosretail.com", "2021-03-15", ""),
    ("C-0024", "K-151", "Priya Nair", "Category Manager", "priya.nair@heliosretail.com", "2023-09-04", ""),
    ("C-0025", "K-152", "Артём Васильевич Киселёв", "Руководитель службы снабжения", "kiselev@stroyresurs.ru", "2020-02-02", ""),
    ("C-0026", "K-152", "Ирина Сергеевна Власова", "Специалист по закупкам", "vlasova@stroyresurs.ru", "2022-05-16", ""),
    ("C-0027", "K-160", "Михаил Борисович Егоров", "Генеральный директор", "egorov@glavsnab.ru", S, ""),
    ("C-0028", "K-160", "Людмила Петровна Новикова", "Главный бухгалтер", "novikova@glavsnab.ru", "2019-05-20", ""),
    ("C-0029", "K-161", "Kevin O'Brien", "CFO", "kobrien@pacificcomponents.com", "2020-07-07", ""),
    ("C-0030", "K-161", "Mei Tanaka", "Supply Chain Manager", "mtanaka@pacificcomponents.com", "2021-11-22", ""),
    ("C-0031", "K-162", "Станислав Юрьевич Пахомов", "Технический директор", "pakhomov@technoline.ru", "2021-01-15", ""),
    ("C-0032", "K-162", "Вера Александровна Тихонова", "Менеджер проектов", "tikhonova@technoline.ru", "2022-08-08", ""),
    # K-170: four people known in May, two of them gone since; two newcomers.
    ("C-0033", "K-170", "Николай Фёдорович Сидоренко", "Генеральный директор", "sidorenko@yugagro.ru", S, "2026-07-31"),
    ("C-0034", "K-170", "Оксана Викторовна Мельник", "Финансовый директор", "melnik@yugagro.ru", "2020-03-01", ""),
    ("C-0035", "K-170", "Григорий Ильич Павленко", "Начальник отдела закупок", "pavlenko@yugagro.ru", "2021-06-01", "2026-10-15"),
    ("C-0036", "K-170", "Юлия Олеговна Ткаченко", "Менеджер по закупкам", "tkachenko@yugagro.ru", "2023-02-01", ""),
    ("C-0037", "K-170", "Роман Сергеевич Бондарь", "Генеральный директор", "bondar@yugagro.ru", "2026-08-01", ""),
    # K-171: everyone known in May has left; the new team is in place.
    ("C-0038", "K-171", "Klaus Becker", "CEO", "k.becker@atlas-eng.de", "2019-04-01", "2026-06-30"),
    ("C-0039", "K-171", "Julia Hoffmann", "Head of Purchasing", "j.hoffmann@atlas-eng.de", "2020-09-01", "2026-08-31"),
    ("C-0040", "K-171", "Stefan Wagner", "Buyer", "s.wagner@atlas-eng.de", "2022-01-10", "2026-09-15"),
    ("C-0041", "K-171", "Anna Schmidt", "Managing Director", "a.schmidt@atlas-eng.de", "2026-07-01", ""),
    ("C-0042", "K-171", "Lukas Weber", "Procurement Lead", "l.weber@atlas-eng.de", "2026-09-01", ""),
    ("C-0043", "K-180", "Денис Аркадьевич Волков", "Директор по развитию", "volkov@polymer-invest.ru", "2020-12-01", ""),
    ("C-0044", "K-180", "Светлана Игоревна Ершова", "Менеджер по закупкам", "ershova@polymer-invest.ru", "2022-03-14", ""),
    ("C-0045", "K-190", "Валерий Степанович Кузьмин", "Генеральный директор", "kuzmin@severtransstroy.ru", S, ""),
    ("C-0046", "K-190", "Алла Геннадьевна Пестова", "Инженер-сметчик", "pestova@severtransstroy.ru", "2021-04-19", ""),
    ("C-0047", "K-191", "Samuel Okafor", "CEO", "s.okafor@orionpharma.com", "2019-11-11", ""),
    ("C-0048", "K-191", "Hannah Lewis", "Procurement Specialist", "h.lewis@orionpharma.com", "2022-06-01", ""),
    ("C-0049", "K-192", "Маргарита Львовна Осипова", "Владелец", "osipova@ekopak.ru", S, ""),
    ("C-0050", "K-192", "Константин Ильич Жуков", "Менеджер по закупкам", "zhukov@ekopak.ru", "2021-10-01", ""),
    ("C-0051", "K-193", "Olivia Turner", "Media Buyer", "o.turner@brightline.media", "2022-01-01", ""),
    # K-200: nobody senior on the client's side.
    ("C-0052", "K-200", "Евгений Петрович Смирнов", "Менеджер по закупкам", "smirnov@nevverf.ru", "2020-05-01", ""),
    ("C-0053", "K-200", "Дарья Максимовна Лисицына", "Инженер по снабжению", "lisitsyna@nevverf.ru", "2021-09-13", ""),
    ("C-0054", "K-200", "Фёдор Олегович Крылов", "Специалист отдела логистики", "krylov@nevverf.ru", "2023-04-03", ""),
    # K-201: the CFO left last year; two working-level contacts remain.
    ("C-0055", "K-201", "Gregory Hall", "CFO", "g.hall@quantumlogistics.co.uk", "2019-02-01", "2025-03-01"),
    ("C-0056", "K-201", "Aisha Khan", "Procurement Manager", "a.khan@quantumlogistics.co.uk", "2021-05-10", ""),
    ("C-0057", "K-201", "Tom Baker", "Logistics Coordinator", "t.baker@quantumlogistics.co.uk", "2023-07-17", ""),
    ("C-0058", "K-210", "Илья Маркович Гурвич", "Партнёр", "gurvich@premium-partner.ru", "2022-02-01", ""),
    ("C-0059", "K-300", "Андрей Николаевич Соболев", "Генеральный директор", "sobolev@volga-metall.ru", S, ""),
    ("C-0060", "K-300", "Ольга Витальевна Демидова", "Директор по закупкам", "demidova@volga-metall.ru", "2020-01-20", ""),
    ("C-0061", "K-300", "Кирилл Андреевич Мухин", "Менеджер по закупкам", "mukhin@volga-metall.ru", "2022-07-04", "2026-10-01"),
    ("C-0062", "K-300", "Вадим Олегович Рыбаков", "Менеджер по закупкам", "rybakov@volga-metall.ru", "2026-09-15", ""),
    ("C-0063", "K-301", "Oliver Bennett", "Head of Supply", "o.bennett@northwind.co.uk", "2020-03-09", ""),
    ("C-0064", "K-301", "Grace Hughes", "Buyer", "g.hughes@northwind.co.uk", "2022-10-24", ""),
    ("C-0065", "K-302", "Борис Григорьевич Панов", "Директор", "panov@kedr-wood.ru", S, ""),
    ("C-0066", "K-302", "Лариса Викторовна Щукина", "Бухгалтер", "shchukina@kedr-wood.ru", "2021-01-11", ""),
    ("C-0067", "K-303", "Владимир Ильич Абрамов", "Руководитель отдела снабжения", "abramov@eniseypaper.ru", "2020-08-17", ""),
    ("C-0068", "K-303", "Полина Сергеевна Гусева", "Менеджер", "guseva@eniseypaper.ru", "2023-05-02", ""),
    ("C-0069", "K-304", "Charles Jones", "Partner", "cjones@sjp-law.com", "2019-06-01", ""),
    ("C-0070", "K-304", "Emily Smith, LL.M.", "Office Manager", "esmith@sjp-law.com", "2021-12-06", ""),
    ("C-0071", "K-306", "Тимур Рашидович Алиев", "Генеральный директор", "aliev@infotech-r.ru", "2025-12-01", ""),
    ("C-0072", "K-306", "Екатерина Павловна Белова", "Менеджер по работе с поставщиками", "belova@infotech-r.ru", "2025-12-01", ""),
    ("C-0073", "K-307", "Michael Green", "Owner", "mike@greenfieldfarms.com", S, ""),
    ("C-0074", "K-307", "Sarah Green", "Operations Manager", "sarah@greenfieldfarms.com", "2020-04-01", ""),
    ("C-0075", "K-308", "Антон Игоревич Ладыгин", "Генеральный директор", "ladygin@ladoga-food.ru", S, ""),
    ("C-0076", "K-308", "Вероника Андреевна Соколова", "Директор по закупкам", "sokolova@ladoga-food.ru", "2021-03-01", ""),
    ("C-0077", "K-308", "Пётр Семёнович Носов", "Технолог", "nosov@ladoga-food.ru", "2022-02-21", ""),
    ("C-0078", "K-309", "Сергей Владимирович Ким", "Директор", "kim@dalrybprom.ru", "2020-10-05", ""),
    ("C-0079", "K-310", "Andrei Popescu", "Chief Procurement Officer", "a.popescu@danubechem.ro", "2020-02-03", ""),
    ("C-0080", "K-310", "Ioana Marin", "Buyer", "i.marin@danubechem.ro", "2022-04-19", ""),
    ("C-0081", "K-311", "Алексей Михайлович Зуев", "Заместитель генерального директора", "zuev@uraltechsnab.ru", "2020-06-01", ""),
    ("C-0082", "K-311", "Галина Фёдоровна Орехова", "Менеджер по закупкам", "orekhova@uraltechsnab.ru", "2021-08-23", ""),
    ("C-0083", "K-312", "James O'Neill", "Purchasing Manager", "j.oneill@meridianfoods.co.uk", "2021-03-01", ""),
    ("C-0085", "K-313", "Станислав Игоревич Рудаков", "Генеральный директор", "rudakov@baikal-voda.ru", "2020-05-18", ""),
    ("C-0086", "K-313", "Анастасия Павловна Ветрова", "Менеджер по закупкам", "vetrova@baikal-voda.ru", "2022-10-03", ""),
    ("C-0087", "K-314", "Nathan Brooks", "CTO", "nbrooks@redwoodsoft.io", "2021-02-01", ""),
    ("C-0088", "K-314", "Chloe Evans", "Head of Vendor Management", "cevans@redwoodsoft.io", "2022-06-20", ""),
    ("C-0089", "K-315", "Юрий Константинович Тарасов", "Директор по снабжению", "tarasov@tod.ru", "2019-12-02", ""),
    ("C-0090", "K-315", "Инна Валерьевна Лукина", "Экономист", "lukina@tod.ru", "2023-01-16", ""),
    ("C-0091", "K-316", "Эльвира Рафаэлевна Хасанова", "Руководитель категории", "khasanova@apteka-zdorovie.ru", "2021-04-05", ""),
    ("C-0092", "K-316", "Максим Денисович Яковлев", "Менеджер по закупкам", "yakovlev@apteka-zdorovie.ru", "2022-12-12", ""),
    ("C-0093", "K-317", "Peter Harbor", "Owner", "peter@harborandco.com", "2020-09-09", ""),
    ("C-0094", "K-317", "Lisa Park", "Purchasing Assistant", "lisa@harborandco.com", "2024-03-04", ""),
    ("C-0095", "K-318", "Арсен Тигранович Мкртчян", "Владелец", "arsen@mirage-auto.ru", "2020-02-20", ""),
    ("C-0096", "K-318", "Денис Олегович Фролов", "Руководитель сервиса", "frolov@mirage-auto.ru", "2021-11-15", ""),
    ("C-0097", "K-319", "Ольга Николаевна Петренко", "Индивидуальный предприниматель", "petrenko.on@mail.example", "2022-04-01", ""),
    ("C-0098", "K-320", "George Whitfield", "General Manager", "g.whitfield@clearwaterhotels.co.uk", "2021-05-01", ""),
    ("C-0099", "K-322", "Янина Витольдовна Шульц", "Коммерческий директор", "schulz@kaliningrad-amber.ru", "2020-07-07", ""),
    ("C-0100", "K-323", "Felix Krause", "Dispatcher", "f.krause@westbrook-log.de", "2023-03-13", ""),
    ("C-0101", "K-324", "Мария Андреевна Полякова", "Директор", "polyakova@sever-siyanie.ru", "2021-06-01", ""),
]

# account_id, date, type, counterparty, note
EVENTS = [
    ("K-300", "2025-12-01", "merger", "ООО «Волгосталь»", "Присоединение дочернего общества (давно, вне окна)"),
    ("K-210", "2026-03-17", "ownership_change", "ООО «Капитал Груп»", "Смена собственника"),
    ("K-308", "2026-05-24", "divestiture", "ООО «Ладога Напитки»", "Продажа напиточного бизнеса (ровно 180 дней назад)"),
    ("K-180", "2026-07-30", "ACQUIRED", "ГК «Полимерные системы»", "Куплена стратегическим инвестором"),
    ("K-130", "2026-08-01", "acquisition", "ООО «Бета-Логистика»", "Покупка логистического оператора"),
    ("K-100", "2026-09-14", "acquisition", "Meridian Capital Partners", "Приобретение контрольного пакета, 51 %"),
    ("GRP-NORDWOOD", "2026-10-02", "ownership_change", "Scandinavian Forest Invest AB", 'New owner of the "Nordwood" group'),
    ("K-301", "2026-10-10", "rebranding", "", "New brand name from 2027"),
    ("K-999", "2026-10-20", "divestiture", "", "Not a client"),
    ("K-302", "2026-11-24", "merger", "ООО «Сибирский лес»", "Объявлено после даты проверки"),
]

COST_CATEGORIES = ["логистика", "сервисная поддержка", "командировки", "маркетинг", "обучение персонала"]


def csv_cell(v):
    s = str(v)
    if any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def write_csv(path, header, rows, newline="\n"):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + newline)
        for r in rows:
            f.write(",".join(csv_cell(c) for c in r) + newline)


def money(x):
    return f"{x:.2f}"


def ru_money(x):
    """1C style: space thousands separators, decimal comma."""
    neg = x < 0
    whole, frac = f"{abs(x):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ("-" if neg else "") + " ".join(groups) + "," + frac


def make_orders(rng):
    orders = []  # (date, account_id, list, net, cogs)
    everyone = [(a[0], a[7]) for a in ACCOUNTS] + [STRAY_ORDERS]
    for acc, p in everyone:
        for (y, m) in months():
            if (y, m) < p.start or (y * 12 + m) % p.every:
                continue
            last_day = 20 if (y, m) == LAST_MONTH else 28
            for _ in range(p.per_month):
                day = dt.date(y, m, rng.randint(1, last_day))
                recent = day > RECENT_START
                if recent and p.recent_orders is not None:
                    continue
                scale = p.scale_recent if recent else 1.0
                lst = p.level / p.per_month * scale * (1 + rng.uniform(-p.jitter, p.jitter))
                disc = (p.disc_recent if recent else p.disc) + rng.uniform(-0.01, 0.01)
                orders.append((day, acc, lst, disc, p.cogs))
        for (day, lst, disc) in p.recent_orders or []:
            orders.append((day, acc, lst, disc, p.cogs))
    # Invoiced after the as-of day (the export ran on the 26th): ignored on 2026-11-20.
    orders.append((dt.date(2026, 11, 23), "K-142", 2_500_000, 0.30, 0.7))
    orders.append((dt.date(2026, 11, 25), "K-190", 6_000_000, 0.05, 0.7))
    orders = [o for o in orders if o[1] != STRAY_ORDERS[0]]
    orders.sort(key=lambda o: (o[0], o[1]))
    rows = {2025: [], 2026: []}
    n = {2025: 0, 2026: 0}
    for day, acc, lst, disc, cogs in orders:
        lst = round(lst, -2)
        net = round(lst * (1 - disc), 2)
        n[day.year] += 1
        oid = f"SO-{day.year % 100}-{n[day.year]:05d}"
        rows[day.year].append((oid, acc, day.isoformat(), money(lst), money(net), money(round(net * cogs, 2))))
    # A credit note: a returned delivery, negative amounts used as they are.
    n[2026] += 1
    rows[2026].append((f"SO-26-{n[2026]:05d}", "K-301", "2026-10-28", "0.00", "-120000.00", "-78000.00"))
    return rows


def make_costs(rng, orders):
    """Monthly cost to serve per account as a share of that month's net revenue."""
    monthly_net = {}
    for year_rows in orders.values():
        for _, acc, day, _, net, _ in year_rows:
            key = (acc, day[:7])
            monthly_net[key] = monthly_net.get(key, 0.0) + float(net)
    profiles = {a[0]: a[7] for a in ACCOUNTS}
    profiles[STRAY_ORDERS[0]] = STRAY_ORDERS[1]
    rows = []
    n = 0
    for (acc, ym), net in sorted(monthly_net.items()):
        p = profiles[acc]
        if net <= 0 or ym > "2026-11":
            continue
        total = net * p.cost
        parts = 1 if total < 60_000 else 2
        for i in range(parts):
            y, m = int(ym[:4]), int(ym[5:7])
            day = dt.date(y, m, rng.randint(1, 20 if ym == "2026-11" else 28))
            amount = round(total / parts * (1 + rng.uniform(-0.05, 0.05)), 2)
            n += 1
            cat = COST_CATEGORIES[rng.randrange(len(COST_CATEGORIES))]
            rows.append((acc, day, amount, cat, n))
    rows = [r for r in rows if r[0] != STRAY_ORDERS[0]]
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows


def write_costs(path, rows):
    """As 1C exports it: Windows-1251, ';', DD.MM.YYYY, decimal comma, spaced thousands, CRLF."""
    lines = ["account_id;date;amount;category;document"]
    for n, (acc, day, amount, cat, _) in enumerate(rows, start=1):
        doc = f"Акт № {n:04d} от {day.strftime('%d.%m.%Y')}"
        lines.append(f"{acc};{day.strftime('%d.%m.%Y')};{ru_money(amount)};{cat};{doc}")
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("cp1251"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "examples"))
    args = ap.parse_args()
    rng = random.Random(20261120)
    os.makedirs(args.out, exist_ok=True)

    write_csv(os.path.join(args.out, "accounts.csv"),
              ["account_id", "name", "tier", "owner", "lead", "parent_id", "industry"],
              [(a[0], a[1], a[2], a[3], LEADS[a[4]], a[5], a[6]) for a in ACCOUNTS])
    write_csv(os.path.join(args.out, "contacts.csv"),
              ["contact_id", "account_id", "name", "role", "email", "since", "until"], CONTACTS)
    orders = make_orders(rng)
    header = ["order_id", "account_id", "date", "list_amount", "net_amount", "cogs"]
    write_csv(os.path.join(args.out, "orders-2025.csv"), header, orders[2025])
    write_csv(os.path.join(args.out, "orders-2026.csv"), header, orders[2026])
    write_costs(os.path.join(args.out, "service_costs.csv"), make_costs(rng, orders))
    write_csv(os.path.join(args.out, "events.csv"),
              ["account_id", "date", "type", "counterparty", "note"], EVENTS)


if __name__ == "__main__":
    main()
