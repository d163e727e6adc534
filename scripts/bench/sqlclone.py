"""Seeding for the benchmarks: a template row of a table cloned in SQL.

Imported by the benchmark scripts that run inside ``odoo shell`` (scripts/bench/run
puts this folder on their path as BENCH_DIR). No Odoo import: it takes the shell's
``env`` and only uses its cursor.
"""


def clone_rows(env, table, template_id, overrides, rows, join="", params=None):
    """Copy the row ``template_id`` of ``table`` once per row of ``rows`` (an
    SQL FROM item, e.g. ``generate_series(1, %(last)s) AS i`` or a temporary
    table), every column as in the template but ``id`` and ``overrides``
    (column: SQL expression of the rows and of the ``join``ed tables).
    ``params`` are the query's named parameters besides ``template``."""
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        (table,),
    )
    columns = [name for (name,) in env.cr.fetchall()]
    values = ", ".join(overrides.get(name, f't."{name}"') for name in columns)
    names = ", ".join(f'"{name}"' for name in columns)
    env.cr.execute(
        f"INSERT INTO {table} ({names}) SELECT {values} "  # noqa: S608 - bench
        f"FROM {table} t, {rows} {join} WHERE t.id = %(template)s",
        {**(params or {}), "template": template_id},
    )
