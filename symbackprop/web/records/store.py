"""The class database: every checked entry as one row, in SQLite (embedded, WAL) or PostgreSQL; a versioned schema."""
import datetime
import sqlite3
import threading
from dataclasses import astuple, dataclass
from pathlib import Path
from queue import Queue

from symbackprop.errors import SymbackpropError

SCHEMA_VERSION = 2  # 2: the students table (each student's secret, as a SHA-256 digest)
VERDICTS = ("correct", "consistent", "wrong")  # what the dashboard counts; "invalid" rows are kept, not counted
COLUMNS = ("submission", "student", "variant", "quantity", "entry", "verdict", "mistake", "created")
META = "CREATE TABLE IF NOT EXISTS symbackprop_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
SUBMISSIONS = """CREATE TABLE IF NOT EXISTS submissions (
    id {id},
    submission TEXT NOT NULL,
    student TEXT NOT NULL,
    variant TEXT NOT NULL,
    quantity TEXT NOT NULL,
    entry TEXT NOT NULL,
    verdict TEXT NOT NULL,
    mistake TEXT,
    created TEXT NOT NULL,
    UNIQUE (submission, quantity))"""
STUDENTS = """CREATE TABLE IF NOT EXISTS students (
    student TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL,
    created TEXT NOT NULL)"""
REGISTER = "INSERT INTO students (student, secret_sha256, created) VALUES (?, ?, ?) ON CONFLICT (student) DO NOTHING"
DIGEST = "SELECT secret_sha256 FROM students WHERE student = ?"
INDEX = "CREATE INDEX IF NOT EXISTS submissions_latest ON submissions (student, quantity, id)"
INSERT = (f"INSERT INTO submissions ({', '.join(COLUMNS)}) VALUES ({', '.join(['?'] * len(COLUMNS))}) "
          f"ON CONFLICT (submission, quantity) DO NOTHING")
LATEST = (f"SELECT {', '.join(COLUMNS)} FROM submissions WHERE id IN "
          f"(SELECT max(id) FROM submissions WHERE verdict <> 'invalid' {{where}} GROUP BY student, quantity) "
          f"ORDER BY student, id")
COUNTS = "SELECT count(*), count(DISTINCT student) FROM submissions"


class StoreError(SymbackpropError):
    """The class database cannot be used: unreachable, not a database, or written by an incompatible version."""


class StorageError(Exception):
    """A submission could not be committed (read-only or full disk, lost connection): it is not saved."""


@dataclass(frozen=True)
class Row:
    """One checked entry."""

    submission: str
    student: str
    variant: str
    quantity: str
    entry: str
    verdict: str  # correct | consistent | wrong | invalid
    mistake: str | None
    created: str  # UTC, ISO 8601


def now() -> str:
    """The current UTC time, ISO 8601 with milliseconds."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def rows_for(submission: str, student: str, variant: str, entries, entry: str | None, answer: dict) -> list[Row]:
    """The rows a check request records: the entry it names (or every claim), with its verdict."""
    verdicts = {r["name"]: (r["verdict"], r["mistake"]) for r in answer.get("claims", [])}
    invalid = {item["name"] for item in answer.get("invalid", [])}
    created = now()
    rows = []
    for item in entries:
        if entry is not None and item.name != entry:
            continue
        verdict, mistake = verdicts.get(item.name, ("invalid", None))
        if item.name in invalid:
            verdict, mistake = "invalid", None
        text = item.value if isinstance(item.value, str) else repr(item.value)
        rows.append(Row(submission, student, variant, item.name, text, verdict, mistake, created))
    return rows


class Store:
    """What every back-end does with the same SQL (placeholders written `?`)."""

    placeholder = "?"
    target = ""

    def _sql(self, text: str) -> str:
        return text.replace("?", self.placeholder)

    def _setup(self, connection, fingerprint: str) -> None:
        """Create the tables on first use; refuse a database of another schema version or another exercise."""
        cursor = connection.cursor()
        cursor.execute(META)
        cursor.execute(self._sql("SELECT value FROM symbackprop_meta WHERE key = ?"), ("schema_version",))
        found = cursor.fetchone()
        if found is not None and found[0] != str(SCHEMA_VERSION):
            raise StoreError(f"{self.target}: written by an incompatible version of symbackprop (schema "
                             f"{found[0]}; this version reads schema {SCHEMA_VERSION}); use a new database")
        cursor.execute(self._sql("SELECT value FROM symbackprop_meta WHERE key = ?"), ("exercise",))
        exercise = cursor.fetchone()
        if exercise is not None and exercise[0] != fingerprint:
            raise StoreError(f"{self.target}: records another exercise (another spec, manifest or set of "
                             f"questions); use a new database for this one")
        cursor.execute(SUBMISSIONS.format(id=self.id_column))
        cursor.execute(STUDENTS)
        cursor.execute(INDEX)
        if found is None:
            cursor.execute(self._sql("INSERT INTO symbackprop_meta (key, value) VALUES (?, ?), (?, ?) "
                                     "ON CONFLICT (key) DO NOTHING"),
                           ("schema_version", str(SCHEMA_VERSION), "exercise", fingerprint))
        connection.commit()

    def record(self, rows: list[Row]) -> None:
        """Commit the rows (a repeated submission id is stored once); StorageError when they are not saved."""
        try:
            with self._connection() as connection:
                connection.cursor().executemany(self._sql(INSERT), [astuple(row) for row in rows])
                connection.commit()
        except self.failures as err:
            raise StorageError(str(err)) from err

    def register(self, student: str, digest: str) -> str:
        """The digest of a student's secret: the one stored, or `digest`, stored now for a new student."""
        try:
            with self._connection() as connection:
                cursor = connection.cursor()
                cursor.execute(self._sql(REGISTER), (student, digest, now()))
                cursor.execute(self._sql(DIGEST), (student,))
                stored = cursor.fetchone()[0]
                connection.commit()
                return stored
        except self.failures as err:
            raise StorageError(str(err)) from err

    def digest(self, student: str) -> str | None:
        """The digest of a student's secret, or None for a student id not used yet."""
        try:
            with self._connection() as connection:
                cursor = connection.cursor()
                cursor.execute(self._sql(DIGEST), (student,))
                found = cursor.fetchone()
                connection.rollback()
                return found[0] if found else None
        except self.failures as err:
            raise StorageError(str(err)) from err

    def latest(self, student: str | None = None, variant: str | None = None) -> list[Row]:
        """Each student's latest checked (readable) entry per quantity."""
        where, params = "", []
        if student is not None:
            where, params = "AND student = ?", [student]
        if variant is not None:
            where, params = where + " AND variant = ?", params + [variant]
        with self._connection() as connection:
            cursor = connection.cursor()
            cursor.execute(self._sql(LATEST.format(where=where)), params)
            return [Row(*values) for values in cursor.fetchall()]

    def counts(self) -> tuple[int, int]:
        """(rows, distinct students)."""
        with self._connection() as connection:
            cursor = connection.cursor()
            cursor.execute(COUNTS)
            rows, students = cursor.fetchone()
            return int(rows), int(students)


class SqliteStore(Store):
    """An SQLite file in WAL mode; a commit is on disk (synchronous=FULL) before the student is told "saved"."""

    id_column = "INTEGER PRIMARY KEY AUTOINCREMENT"
    failures = (sqlite3.Error,)

    def __init__(self, path: str | Path, fingerprint: str):
        self.target = str(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.target, check_same_thread=False, timeout=10.0, isolation_level="DEFERRED")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._setup(self._db, fingerprint)
        except sqlite3.Error as err:
            raise StoreError(f"{self.target}: cannot use it as the class database ({err}); give a new file name "
                             f"or a writable folder") from err

    def _connection(self):
        return _Locked(self._db, self._lock)

    def close(self) -> None:
        self._db.close()


class _Locked:
    """The SQLite connection held by one thread at a time; rolled back when a statement fails."""

    def __init__(self, db, lock):
        self.db, self.lock = db, lock

    def __enter__(self):
        self.lock.acquire()
        return self.db

    def __exit__(self, kind, value, traceback):
        try:
            if kind is not None:
                self.db.rollback()
        finally:
            self.lock.release()
        return False


class PostgresStore(Store):
    """PostgreSQL through psycopg: several server processes (or machines) can share one class."""

    placeholder = "%s"
    id_column = "BIGSERIAL PRIMARY KEY"
    POOL = 4

    def __init__(self, url: str, fingerprint: str):
        import psycopg
        self.failures = (psycopg.Error,)
        self.target = _without_password(url)
        self._url = url
        self._pool: Queue = Queue()
        try:
            with psycopg.connect(url, connect_timeout=10) as setup:  # servers starting together create tables once
                setup.execute("SELECT pg_advisory_lock(727271)")
                try:
                    self._setup(setup, fingerprint)
                finally:
                    setup.rollback()
                    setup.execute("SELECT pg_advisory_unlock(727271)")
                    setup.commit()
            for _ in range(self.POOL):
                self._pool.put(psycopg.connect(url, connect_timeout=10))
        except psycopg.Error as err:
            raise StoreError(f"{self.target}: cannot use it as the class database "
                             f"({str(err).strip().splitlines()[0]})") from err

    def _connection(self):
        return _Pooled(self._pool, self._url)

    def close(self) -> None:
        while not self._pool.empty():
            self._pool.get().close()


class _Pooled:
    """A connection borrowed from the pool; rolled back on failure and replaced when it is broken."""

    def __init__(self, pool: Queue, url: str):
        self.pool, self.url = pool, url

    def __enter__(self):
        self.connection = self.pool.get()
        return self.connection

    def __exit__(self, kind, value, traceback):
        import psycopg
        connection = self.connection
        try:
            if kind is not None:
                connection.rollback()
        except psycopg.Error:
            pass
        if connection.closed or connection.broken:
            try:
                connection = psycopg.connect(self.url, connect_timeout=10)
            except psycopg.Error:
                connection = _Broken(self.url)
        self.pool.put(connection)
        return False


class _Broken:
    """A pool slot whose reconnection failed: the next use tries again (and fails as a StorageError meanwhile)."""

    closed = True
    broken = True

    def __init__(self, url: str):
        self.url = url

    def cursor(self):
        import psycopg
        raise psycopg.OperationalError("the database connection is lost")

    execute = cursor

    def rollback(self):
        pass


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
    return f"{scheme}{sep}{credentials}{at}{host}"


def open_store(target: str, fingerprint: str) -> Store:
    """PostgreSQL for a postgresql:// URL, else an SQLite file (created when missing)."""
    if target.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreError('a PostgreSQL database needs the postgres extra: pip install "symbackprop[postgres]"') from None
        return PostgresStore(target, fingerprint)
    path = Path(target)
    if path.is_dir():
        raise StoreError(f"{target}: is a folder; give a file name for the class database")
    if path.exists() and path.stat().st_size and path.read_bytes()[:16] != b"SQLite format 3\x00":
        raise StoreError(f"{target}: not an SQLite database; give a new file name for the class database")
    return SqliteStore(path, fingerprint)
