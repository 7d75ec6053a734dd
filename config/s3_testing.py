"""A real S3-compatible server for the tests: moto's server mode, started by the suite itself.

Registered from the root ``conftest.py`` (``pytest_plugins``). A test that wants the shared
store asks for ``s3_store``::

    def test_a_pdf_lives_in_the_bucket(s3_store, ...):
        ...                                   # default_storage is now the bucket
        s3_store.keys()                       # what the bucket holds, read with boto3

- ``s3_server``: one ``moto_server`` process per test process (each pytest-xdist worker has
  its own), on a free loopback port, started the first time a test needs it and stopped at
  the end. It speaks the S3 protocol over HTTP, so the app, boto3 and a plain HTTP client
  all talk to it as to any S3-compatible store: nothing in the test process is a mock.
- ``s3_store``: a fresh, empty bucket for one test, configured exactly as a deployment would
  be, through ``STORAGE_URL`` and the ``AWS_*`` variables (``config/storage.py``).
"""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from config.storage import default_storage_from_env

ACCESS_KEY = "minutebook-test"
SECRET_KEY = "minutebook-test-secret"  # noqa: S105 (the local test server accepts any key)
REGION = "eu-west-2"
PREFIX = "minutebook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 (our own loopback server)
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_s3_server(tries: int = 3) -> S3Server:
    """Start ``moto_server`` on a free loopback port and wait until it answers."""
    command = Path(sys.executable).with_name("moto_server")
    for _ in range(tries):
        port = free_port()
        process = subprocess.Popen(  # noqa: S603 (a fixed command from our own venv)
            [str(command), "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            if _answers(endpoint):
                return S3Server(endpoint=endpoint, process=process)
            time.sleep(0.1)
        # Someone took the port between our probe and the server's bind: try another.
        process.kill()
        process.wait()
    raise RuntimeError(f"{command} did not start; is moto[server] installed (make test)?")


@pytest.fixture(scope="session")
def s3_server():
    server = start_s3_server()
    yield server
    server.stop()


@dataclass
class S3Store:
    server: S3Server
    bucket: str
    prefix: str

    def keys(self) -> list[str]:
        listing = self.server.client().list_objects_v2(Bucket=self.bucket)
        return sorted(entry["Key"] for entry in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def env(self) -> dict[str, str]:
        """The environment a deployment would set to use this bucket."""
        return {
            "STORAGE_URL": f"s3://{self.bucket}/{self.prefix}",
            "AWS_S3_ENDPOINT_URL": self.server.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }


def new_bucket(server: S3Server) -> str:
    bucket = f"minutebook-test-{uuid.uuid4().hex[:12]}"
    server.client().create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return bucket


@pytest.fixture
def s3_store(s3_server, settings, monkeypatch):
    """The default storage is a fresh bucket on the local S3 server, for this test."""
    store = S3Store(server=s3_server, bucket=new_bucket(s3_server), prefix=PREFIX)
    for name, value in store.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_env()}
    return store
