"""A throwaway PostgreSQL server for tests and benchmarks: Debian's binaries, run as the postgres user, in a
temporary folder, on a free port of 127.0.0.1; removed when done."""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

SEARCH = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)


def _binary(name: str) -> str | None:
    for folder in SEARCH:
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    return shutil.which(name)


def postgres_available() -> bool:
    """initdb and pg_ctl are installed, psycopg is importable, and a postgres user exists when running as root."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    if not (_binary("initdb") and _binary("pg_ctl")):
        return False
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False
    return True


class PostgresServer:
    """with PostgresServer() as server: server.url is postgresql://postgres@127.0.0.1:PORT/postgres."""

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="symbackprop-pg-")
        self.data = os.path.join(self.folder, "data")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run([_binary("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                   "--no-sync"])
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run([_binary("pg_ctl"), "-D", self.data, "-o", options, "-l", os.path.join(self.folder, "log"),
                   "-w", "-t", "60", "start"])
        return self

    def _run(self, command: list[str]) -> None:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")

            def demote():
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           preexec_fn=demote, cwd=self.folder)
        else:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.folder)

    def fresh_database(self, name: str) -> str:
        """A new empty database on this server; its URL."""
        import psycopg
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def __exit__(self, *exc):
        try:
            self._run([_binary("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop"])
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.1)
        shutil.rmtree(self.folder, ignore_errors=True)
        return False
