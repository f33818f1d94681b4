"""Reader-to-DataFrame helpers the metrics are built on: pure functions over a `Reader`.

* `statements`: running totals and period totals published in official statements;
* `products`: U.S. trade by HS chapter and partner (USITC DataWeb rows of the `trade` table);
* `national_io`: the WIOD national input-output tables (import content of exports).

They know nothing of claims and do not register metrics; the family modules of `usmca.indicators`
(`trade`, `products`, `border`, `population`, `statements`, `value_added`, `employment`, ...) do.
"""
