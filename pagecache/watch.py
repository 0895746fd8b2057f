"""Which writes advance which page-cache counters: one statement-level trigger per table and event.

Each table a cached page reads is listed here with a query over its changed rows (`{rows}`: the
statement's transition table; for UPDATE the old and the new rows) that yields the counters to
advance. The triggers run in the writing transaction, so a counter moves exactly when the write
becomes visible, whatever wrote it (the ORM, `update()`, bulk inserts, raw SQL, COPY).

Counters:
- `student:<profile id>`: anything a student's own pages show (entries, evidence, results, the
  self-introduction, advising, certification, the profile);
- `audit:<profile id>`: the trail of the student's entries (the entry page lists it);
- `dept:<department id>`: the staff queue of that department (entries waiting there, their evidence,
  their students' names);
- `user:<user id>`: the top bar of that user (notifications, menu: scope, committee seats, role);
- `global`: shared names (institutions, campuses, departments, majors, organisations, counsellors,
  users' names), rarely written.

`tests/test_page_cache.py` renders each cached page and fails if it reads a table without a
trigger here. After changing WATCHED, add a migration that calls `install` again (it replaces).
"""

STUDENT = "SELECT 'student:' || r.student_id FROM {rows} r"
USER = "SELECT 'user:' || r.user_id FROM {rows} r"
GLOBAL = "SELECT 'global' WHERE EXISTS (SELECT 1 FROM {rows} r)"
_SUBMITTED_DEPT = ("SELECT 'dept:' || m.department_id FROM {rows} r"
                   " JOIN careers_studentprofile s ON s.id = r.student_id"
                   " JOIN accounts_major m ON m.id = s.major_id WHERE r.status = 'submitted'")
# braces doubled: the queries go through str.format once (for {rows})
_UUID = "'^[0-9a-fA-F]{{8}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{12}}$'"

_ENTRY = f"{STUDENT} UNION {_SUBMITTED_DEPT}"

WATCHED = {
    # the queue shows waiting entries only: a write that touches no waiting entry leaves it alone
    "careers_careerentry": _ENTRY,
    # evidence counts as a change to its entries
    "careers_evidence": _ENTRY.replace(
        "{rows}", "(SELECT e.* FROM {rows} x JOIN careers_careerentry e ON e.id = x.entry_id)"),
    "careers_studentprofile": (
        "SELECT 'student:' || r.id FROM {rows} r UNION SELECT 'user:' || r.user_id FROM {rows} r"
        " UNION SELECT 'dept:' || m.department_id FROM {rows} r JOIN accounts_major m ON m.id = r.major_id"),
    "careers_selfintroduction": STUDENT,
    "scoring_storedresult": STUDENT,
    "advising_counselingsession": STUDENT,
    "advising_honorsmembership": STUDENT,
    "certification_application": STUDENT,
    "audit_notification": USER,
    "accounts_staffscope": USER,
    "certification_committeemembership": USER,
    # events name their student, or the entry they are about (object id or data.entry)
    "audit_auditevent": (
        "SELECT 'audit:' || r.student_id FROM {rows} r WHERE r.student_id IS NOT NULL"
        " UNION SELECT 'audit:' || e.student_id FROM {rows} r JOIN careers_careerentry e"
        f" ON e.id = (CASE WHEN r.object_id ~ {_UUID} THEN r.object_id::uuid END)"
        " WHERE r.student_id IS NULL AND r.object_type = 'careers.careerentry'"
        " UNION SELECT 'audit:' || e.student_id FROM {rows} r JOIN careers_careerentry e"
        f" ON e.id = (CASE WHEN r.data->>'entry' ~ {_UUID} THEN (r.data->>'entry')::uuid END)"
        " WHERE r.student_id IS NULL"),
    # a login writes last_login only: that changes no page
    "accounts_user": {
        "insert": None,
        "update": ("SELECT k FROM old_rows o JOIN new_rows n ON n.id = o.id,"
                   " LATERAL (VALUES ('user:' || n.id), ('global')) AS v(k)"
                   " WHERE to_jsonb(o) - 'last_login' IS DISTINCT FROM to_jsonb(n) - 'last_login'"),
        "delete": "SELECT 'user:' || r.id FROM {rows} r UNION SELECT 'global' FROM {rows} r",
    },
    "accounts_institution": GLOBAL,
    "accounts_campus": GLOBAL,
    "accounts_department": GLOBAL,
    "accounts_major": GLOBAL,
    "careers_organization": GLOBAL,
    "advising_counselor": GLOBAL,
}

_EVENTS = {
    "insert": ("NEW TABLE AS new_rows", "new_rows"),
    "update": ("OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "(SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows)"),
    "delete": ("OLD TABLE AS old_rows", "old_rows"),
}


def statements(watched=None):
    """The SQL that (re)installs every trigger: idempotent."""
    out = []
    for table, spec in (watched or WATCHED).items():
        for event, (referencing, rows) in _EVENTS.items():
            query = spec.get(event) if isinstance(spec, dict) else spec
            function, trigger = f"pagecache_{table}_{event}", f"pagecache_{event}"
            out.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            if query is None:
                continue
            out.append(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
                "BEGIN\n"
                "  INSERT INTO pagecache_version AS v (key, n)\n"
                f"  SELECT k, 1 FROM ({query.format(rows=rows)}) AS changed(k)\n"
                "  WHERE k IS NOT NULL GROUP BY k ORDER BY k\n"  # one order of locks for every writer
                "  ON CONFLICT (key) DO UPDATE SET n = v.n + 1;\n"
                "  RETURN NULL;\n"
                "END\n$f$")
            out.append(f"CREATE TRIGGER {trigger} AFTER {event.upper()} ON {table} REFERENCING {referencing}"
                       f" FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    return out


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # the page cache is off elsewhere (pagecache.pages.enabled)
    for sql in statements():
        schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, spec in WATCHED.items():
        for event in _EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS pagecache_{event} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS pagecache_{table}_{event}()")


def watched_tables(connection):
    """Tables that carry this module's triggers in the connected database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT event_object_table FROM information_schema.triggers"
                       " WHERE trigger_name LIKE 'pagecache_%%'")
        return {row[0] for row in cursor.fetchall()}
