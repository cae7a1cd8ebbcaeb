#!/usr/bin/env python3
"""The five default rules as one lazy Polars query over a canonical book.

  python bench/peers/polars_rules.py --data DIR --at 2026-11-20 --out ALERTS.jsonl

Writes one JSON object per alert (rule, account_id, severity, evidence) and prints the
time of the query alone on stderr ("query N.NN s"). Polars uses every core.
"""
import argparse
import datetime as dt
import json
import os
import sys
import time

import polars as pl

MERGER_TYPES = ["merger", "acquisition", "acquired", "divestiture", "ownership_change"]


def active_on(day):
    return (pl.col("since").is_null() | (pl.col("since") <= day)) & (
        pl.col("until").is_null() | (pl.col("until") > day))


def alerts(data, at):
    def path(name):
        return os.path.join(data, name)

    d90, d180, d365, d455 = (at - dt.timedelta(days=n) for n in (90, 180, 365, 455))
    text = pl.String
    accounts = pl.scan_csv(path("accounts.csv"), schema={
        "account_id": text, "name": text, "tier": text, "owner": text, "lead": text,
        "parent_id": text, "industry": text,
    }).select("account_id", "parent_id", tier=pl.col("tier").str.strip_chars().str.to_lowercase())
    # Read once: the accounts feed the scope, the parents (collected below) and two semi-joins.
    accounts = accounts.collect().lazy()
    contacts = pl.scan_csv(path("contacts.csv"), schema={
        "contact_id": text, "account_id": text, "name": text, "role": text, "email": text,
        "since": pl.Date, "until": pl.Date,
    })
    orders = pl.scan_csv(path("orders*.csv"), schema={
        "order_id": text, "account_id": text, "date": pl.Date,
        "list_amount": pl.Float64, "net_amount": pl.Float64, "cogs": pl.Float64,
    }).filter((pl.col("date") > d455) & (pl.col("date") <= at))
    # 1C's export: Windows-1251 (read_csv decodes it; scan_csv reads UTF-8 only), ';',
    # DD.MM.YYYY, decimal comma, spaces or no-break spaces between thousands.
    service_costs = pl.read_csv(path("service_costs.csv"), separator=";", encoding="windows-1251",
                                schema={"account_id": text, "date": text, "amount": text, "category": text}
                                ).lazy().select(
        "account_id",
        date=pl.col("date").str.to_date("%d.%m.%Y"),
        amount=pl.col("amount").str.replace_all(r"[ \u00a0]", "").str.replace(",", ".").cast(pl.Float64),
    ).filter((pl.col("date") > d365) & (pl.col("date") <= at))
    events = pl.scan_csv(path("events.csv"), schema={
        "account_id": text, "date": pl.Date, "type": text, "counterparty": text, "note": text,
    }).filter((pl.col("date") > d180) & (pl.col("date") <= at)
              & pl.col("type").str.strip_chars().str.to_lowercase().is_in(MERGER_TYPES))

    scope = accounts.filter(pl.col("tier").is_in(["strategic", "key"])).select("account_id")

    recent = pl.col("date") > d90
    year = pl.col("date") > d365
    order_stats = orders.join(accounts.select("account_id"), on="account_id", how="semi").group_by(
        "account_id").agg(
        recent_n=recent.sum(),
        recent_list=pl.col("list_amount").filter(recent).sum(),
        recent_net=pl.col("net_amount").filter(recent).sum(),
        base_n=(~recent).sum(),
        base_list=pl.col("list_amount").filter(~recent).sum(),
        base_net=pl.col("net_amount").filter(~recent).sum(),
        year_n=year.sum(),
        margin=(pl.col("net_amount") - pl.col("cogs").fill_null(0)).filter(year).sum(),
        revenue=pl.col("net_amount").filter(year).sum(),
    )
    cost_stats = service_costs.group_by("account_id").agg(cost_n=pl.len(), cost=pl.col("amount").sum())
    contact_stats = contacts.group_by("account_id").agg(
        active=active_on(at).sum(),
        base=active_on(d180).sum(),
        left=(active_on(d180) & (pl.col("until") > d180) & (pl.col("until") <= at)).sum(),
    )

    def alert(frame, rule, severity, **evidence):
        return frame.select(
            pl.lit(rule).alias("rule"), "account_id", severity.alias("severity"),
            pl.struct(**{k: v.cast(pl.Float64) for k, v in evidence.items()}).struct.json_encode().alias("evidence"))

    sc = scope.join(contact_stats, on="account_id", how="left").with_columns(n=pl.col("active").fill_null(0))
    single_contact = alert(sc.filter(pl.col("n") <= 1), "single-contact",
                           pl.when(pl.col("n") == 0).then(pl.lit("critical")).otherwise(pl.lit("warning")),
                           n=pl.col("n"))

    dc = scope.join(order_stats, on="account_id").filter(
        (pl.col("recent_n") >= 3) & (pl.col("recent_list") > 0)
        & (pl.col("base_n") >= 3) & (pl.col("base_list") > 0)).with_columns(
        recent=100 * (pl.col("recent_list") - pl.col("recent_net")) / pl.col("recent_list"),
        baseline=100 * (pl.col("base_list") - pl.col("base_net")) / pl.col("base_list"),
    ).with_columns(creep=(pl.col("recent") - pl.col("baseline")).round(6)).filter(pl.col("creep") >= 5)
    discount_creep = alert(dc, "discount-creep",
                           pl.when(pl.col("creep") >= 10).then(pl.lit("critical")).otherwise(pl.lit("warning")),
                           recent_discount=pl.col("recent"), baseline_discount=pl.col("baseline"),
                           creep=pl.col("creep"))

    cm = scope.join(order_stats, on="account_id", how="left").join(cost_stats, on="account_id", how="left").select(
        "account_id",
        n=pl.col("year_n").fill_null(0) + pl.col("cost_n").fill_null(0),
        margin=pl.col("margin").fill_null(0.0), cost=pl.col("cost").fill_null(0.0),
    ).filter((pl.col("n") >= 1) & ((pl.col("cost") > pl.col("margin"))
                                   | ((pl.col("margin") > 0) & (pl.col("cost") / pl.col("margin") >= 0.8))))
    cost_over_margin = alert(cm, "cost-over-margin",
                             pl.when(pl.col("cost") > pl.col("margin")).then(pl.lit("critical"))
                             .otherwise(pl.lit("warning")),
                             margin=pl.col("margin"), cost=pl.col("cost"))

    ct = scope.join(contact_stats, on="account_id").filter(pl.col("base") >= 2).with_columns(
        ratio=pl.col("left") / pl.col("base")).filter(pl.col("ratio") >= 0.5)
    contact_turnover = alert(ct, "contact-turnover",
                             pl.when(pl.col("ratio") == 1).then(pl.lit("critical")).otherwise(pl.lit("warning")),
                             base=pl.col("base"), left=pl.col("left"), ratio=pl.col("ratio"))

    # Each account in scope with itself and its ancestors: joins until no new pair (a
    # parent that is not an account ends its chain; a pair seen before stops a cycle).
    parents = accounts.filter(pl.col("parent_id").is_not_null()).select("account_id", "parent_id").collect()
    lineage = scope.select("account_id", ancestor=pl.col("account_id")).collect()
    frontier = lineage
    while frontier.height:
        frontier = frontier.join(parents, left_on="ancestor", right_on="account_id").select(
            "account_id", ancestor=pl.col("parent_id")).join(lineage, on=["account_id", "ancestor"], how="anti")
        lineage = pl.concat([lineage, frontier])
    merger = lineage.lazy().join(events, left_on="ancestor", right_on="account_id").group_by(
        "account_id").agg(event_date=pl.col("date").max())
    book = order_stats.select(book=pl.col("revenue").sum())
    me = merger.join(order_stats.select("account_id", "revenue"), on="account_id", how="left").join(
        book, how="cross").with_columns(
        share=pl.when(pl.col("book") == 0).then(0.0).otherwise(pl.col("revenue").fill_null(0) / pl.col("book")))
    merger_exposure = alert(me, "merger-exposure",
                            pl.when(pl.col("share") >= 0.05).then(pl.lit("critical")).otherwise(pl.lit("warning")),
                            share=pl.col("share"), event_date=pl.col("event_date").cast(pl.Int32))

    return pl.concat([single_contact, discount_creep, cost_over_margin, contact_turnover, merger_exposure])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--at", required=True, type=dt.date.fromisoformat)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    start = time.monotonic()
    result = alerts(args.data, args.at).collect()
    took = time.monotonic() - start
    with open(args.out, "w", encoding="utf-8") as out:
        for rule, account, severity, evidence in result.iter_rows():
            out.write(json.dumps({"rule": rule, "account_id": account, "severity": severity,
                                  "evidence": json.loads(evidence)}, ensure_ascii=False) + "\n")
    print(f"polars {pl.__version__}: query {took:.2f} s, {result.height} alerts", file=sys.stderr)


if __name__ == "__main__":
    main()
