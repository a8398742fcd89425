"""After 0004 encrypted clear columns, an SQLite file still holds the clear text in its freed
pages and its write-ahead log: rebuild the file and empty the log (issue 13, item 7).

Not atomic: SQLite runs VACUUM only outside a transaction. Nothing to do on PostgreSQL, whose
dumps show only live rows (docs/security.md says when to run VACUUM FULL there).
"""

from django.db import migrations


def compact(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0004_encrypt_free_text_and_status_changes"),
        ("checks", "0005_encrypt_saved_titles"),
    ]

    operations = [migrations.RunPython(compact, migrations.RunPython.noop)]
