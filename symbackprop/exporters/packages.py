"""Zip packages with byte-identical output: sorted entries, fixed timestamps and permissions."""
import io
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A deflated zip of {path: bytes} in the given order; the same files always give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            archive.writestr(entry, data, compresslevel=9)
    return buffer.getvalue()
