import tarfile
import zipfile
from pathlib import Path

UPLOAD_DIR = Path("/srv/app/uploads")


def unpack_upload(archive_path):
    with tarfile.open(archive_path, "r:gz") as tar:
        # ruleid: tarfile-extractall-no-filter
        tar.extractall(UPLOAD_DIR)
    return sorted(p.name for p in UPLOAD_DIR.iterdir())


def unpack_selected(archive_path, wanted):
    archive = tarfile.open(archive_path)
    for member in archive.getmembers():
        if member.name in wanted:
            # ruleid: tarfile-extractall-no-filter
            archive.extract(member, path=UPLOAD_DIR)
    archive.close()


def unpack_trusted(archive_path):
    with tarfile.open(archive_path) as tar:
        # ruleid: tarfile-extractall-no-filter
        tar.extractall(UPLOAD_DIR, filter="fully_trusted")


def unpack_one_liner(archive_path, dest):
    # ruleid: tarfile-extractall-no-filter
    tarfile.open(archive_path).extractall(dest)


def unpack_plain_tar(archive_path, dest):
    archive = tarfile.TarFile(archive_path)
    # ruleid: tarfile-extractall-no-filter
    archive.extractall(dest)
    archive.close()


def unpack_upload_safely(archive_path):
    with tarfile.open(archive_path, "r:gz") as tar:
        # ok: tarfile-extractall-no-filter
        tar.extractall(UPLOAD_DIR, filter="data")


def unpack_selected_safely(archive_path, wanted):
    archive = tarfile.open(archive_path)
    for member in archive.getmembers():
        if member.name in wanted:
            # ok: tarfile-extractall-no-filter
            archive.extract(member, path=UPLOAD_DIR, filter="tar")
    archive.close()


def unpack_with_data_filter(archive_path, dest):
    # ok: tarfile-extractall-no-filter
    tarfile.open(archive_path).extractall(dest, filter=tarfile.data_filter)


def unpack_zip(archive_path):
    with zipfile.ZipFile(archive_path) as zf:
        # ok: tarfile-extractall-no-filter
        zf.extractall(UPLOAD_DIR)
