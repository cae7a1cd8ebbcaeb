-- The five default rules of SPEC §2 in DuckDB SQL, over a data directory in the
-- canonical layout of SPEC §1. bench/peers/duckdb_rules.py substitutes $data (the
-- directory) and $at (the as-of day) and writes the result as JSON lines.
-- One row per alert: rule, account_id, severity, evidence (a map of numbers).
WITH RECURSIVE
accounts AS (
    SELECT account_id, parent_id, lower(trim(tier)) AS tier
    FROM read_csv('$data/accounts.csv', header = true, delim = ',', quote = '"',
                  columns = {'account_id': 'VARCHAR', 'name': 'VARCHAR', 'tier': 'VARCHAR',
                             'owner': 'VARCHAR', 'lead': 'VARCHAR', 'parent_id': 'VARCHAR',
                             'industry': 'VARCHAR'})
),
scope AS (
    SELECT account_id FROM accounts WHERE tier IN ('strategic', 'key')
),
contacts AS (
    SELECT account_id, since, "until"
    FROM read_csv('$data/contacts.csv', header = true, delim = ',', quote = '"',
                  columns = {'contact_id': 'VARCHAR', 'account_id': 'VARCHAR', 'name': 'VARCHAR',
                             'role': 'VARCHAR', 'email': 'VARCHAR', 'since': 'DATE', 'until': 'DATE'})
),
orders AS (
    SELECT account_id, "date", list_amount, net_amount, coalesce(cogs, 0) AS cogs
    FROM read_csv('$data/orders*.csv', header = true, delim = ',', quote = '"', union_by_name = false,
                  columns = {'order_id': 'VARCHAR', 'account_id': 'VARCHAR', 'date': 'DATE',
                             'list_amount': 'DOUBLE', 'net_amount': 'DOUBLE', 'cogs': 'DOUBLE'})
    WHERE "date" > $at - INTERVAL 455 DAY AND "date" <= $at
),
-- 1C's export: Windows-1251, ';', DD.MM.YYYY, decimal comma, spaces or no-break spaces
-- between thousands. The columns used here are ASCII except the no-break space, which is
-- byte 0xA0 in both Windows-1251 and Latin-1 (DuckDB reads Latin-1 without an extension).
service_costs AS (
    SELECT account_id, "date",
           replace(regexp_replace(amount, '[ \xA0]', '', 'g'), ',', '.')::DOUBLE AS amount
    FROM read_csv('$data/service_costs.csv', header = true, delim = ';', quote = '"',
                  encoding = 'latin-1', dateformat = '%d.%m.%Y',
                  columns = {'account_id': 'VARCHAR', 'date': 'DATE', 'amount': 'VARCHAR',
                             'category': 'VARCHAR'})
    WHERE "date" > $at - INTERVAL 365 DAY AND "date" <= $at
),
events AS (
    SELECT account_id, "date", lower(trim("type")) AS type
    FROM read_csv('$data/events.csv', header = true, delim = ',', quote = '"',
                  columns = {'account_id': 'VARCHAR', 'date': 'DATE', 'type': 'VARCHAR',
                             'counterparty': 'VARCHAR', 'note': 'VARCHAR'})
    WHERE "date" > $at - INTERVAL 180 DAY AND "date" <= $at
      AND lower(trim("type")) IN ('merger', 'acquisition', 'acquired', 'divestiture', 'ownership_change')
),
-- Per account, every order figure the rules need, in one pass (orders of unknown
-- accounts count nowhere, also not in the book's total).
order_stats AS (
    SELECT o.account_id,
           count(*) FILTER (WHERE "date" > $at - INTERVAL 90 DAY) AS recent_n,
           sum(list_amount) FILTER (WHERE "date" > $at - INTERVAL 90 DAY) AS recent_list,
           sum(net_amount) FILTER (WHERE "date" > $at - INTERVAL 90 DAY) AS recent_net,
           count(*) FILTER (WHERE "date" <= $at - INTERVAL 90 DAY) AS base_n,
           sum(list_amount) FILTER (WHERE "date" <= $at - INTERVAL 90 DAY) AS base_list,
           sum(net_amount) FILTER (WHERE "date" <= $at - INTERVAL 90 DAY) AS base_net,
           count(*) FILTER (WHERE "date" > $at - INTERVAL 365 DAY) AS year_n,
           sum(net_amount - cogs) FILTER (WHERE "date" > $at - INTERVAL 365 DAY) AS margin,
           coalesce(sum(net_amount) FILTER (WHERE "date" > $at - INTERVAL 365 DAY), 0) AS revenue
    FROM orders o SEMI JOIN accounts a ON a.account_id = o.account_id
    GROUP BY o.account_id
),
book AS (
    SELECT sum(revenue) AS revenue FROM order_stats
),
cost_stats AS (
    SELECT account_id, count(*) AS n, sum(amount) AS cost
    FROM service_costs GROUP BY account_id
),
contact_stats AS (
    SELECT account_id,
           count(*) FILTER (WHERE (since IS NULL OR since <= $at)
                              AND ("until" IS NULL OR "until" > $at)) AS active,
           count(*) FILTER (WHERE (since IS NULL OR since <= $at - INTERVAL 180 DAY)
                              AND ("until" IS NULL OR "until" > $at - INTERVAL 180 DAY)) AS base,
           count(*) FILTER (WHERE (since IS NULL OR since <= $at - INTERVAL 180 DAY)
                              AND "until" > $at - INTERVAL 180 DAY AND "until" <= $at) AS "left"
    FROM contacts GROUP BY account_id
),
-- Each account in scope with itself and its ancestors; UNION stops at a cycle, and a
-- parent that is not an account ends the chain (its events still count).
lineage(account_id, ancestor) AS (
    SELECT account_id, account_id FROM scope
    UNION
    SELECT l.account_id, a.parent_id
    FROM lineage l JOIN accounts a ON a.account_id = l.ancestor
    WHERE a.parent_id IS NOT NULL
),
merger AS (
    SELECT l.account_id, max(e."date") AS event_date
    FROM lineage l JOIN events e ON e.account_id = l.ancestor
    GROUP BY l.account_id
),
single_contact AS (
    SELECT 'single-contact' AS rule, s.account_id,
           CASE coalesce(c.active, 0) WHEN 0 THEN 'critical' ELSE 'warning' END AS severity,
           map(['n'], [coalesce(c.active, 0)::DOUBLE]) AS evidence
    FROM scope s LEFT JOIN contact_stats c USING (account_id)
    WHERE coalesce(c.active, 0) <= 1
),
discount AS (
    SELECT account_id,
           100 * (recent_list - recent_net) / recent_list AS recent,
           100 * (base_list - base_net) / base_list AS baseline,
           round(100 * (recent_list - recent_net) / recent_list
                 - 100 * (base_list - base_net) / base_list, 6) AS creep
    FROM scope JOIN order_stats USING (account_id)
    WHERE recent_n >= 3 AND recent_list > 0 AND base_n >= 3 AND base_list > 0
),
discount_creep AS (
    SELECT 'discount-creep', account_id, CASE WHEN creep >= 10 THEN 'critical' ELSE 'warning' END,
           map(['recent_discount', 'baseline_discount', 'creep'], [recent, baseline, creep])
    FROM discount WHERE creep >= 5
),
margin AS (
    SELECT account_id, coalesce(o.margin, 0) AS margin, coalesce(c.cost, 0) AS cost
    FROM scope LEFT JOIN order_stats o USING (account_id) LEFT JOIN cost_stats c USING (account_id)
    WHERE coalesce(o.year_n, 0) + coalesce(c.n, 0) >= 1
),
cost_over_margin AS (
    SELECT 'cost-over-margin', account_id, CASE WHEN cost > margin THEN 'critical' ELSE 'warning' END,
           map(['margin', 'cost'], [margin, cost])
    FROM margin WHERE cost > margin OR (margin > 0 AND cost / margin >= 0.8)
),
contact_turnover AS (
    SELECT 'contact-turnover', account_id,
           CASE WHEN "left" = base THEN 'critical' ELSE 'warning' END,
           map(['base', 'left', 'ratio'], [base::DOUBLE, "left"::DOUBLE, "left" / base])
    FROM scope JOIN contact_stats USING (account_id)
    WHERE base >= 2 AND "left" / base >= 0.5
),
merger_exposure AS (
    SELECT 'merger-exposure', m.account_id,
           CASE WHEN share >= 0.05 THEN 'critical' ELSE 'warning' END,
           map(['share', 'event_date'], [share, epoch(event_date)::DOUBLE / 86400])
    FROM (SELECT m.account_id, m.event_date,
                 CASE WHEN book.revenue = 0 THEN 0
                      ELSE coalesce(o.revenue, 0) / book.revenue END AS share
          FROM merger m LEFT JOIN order_stats o USING (account_id), book) m
)
SELECT * FROM single_contact
UNION ALL SELECT * FROM discount_creep
UNION ALL SELECT * FROM cost_over_margin
UNION ALL SELECT * FROM contact_turnover
UNION ALL SELECT * FROM merger_exposure
