"""Where stored files live is read from the environment, strictly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.storage import (
    FILESYSTEM,
    S3,
    default_storage_from_env,
    download_mode_from_env,
    signed_url_seconds,
)
from config.tests.test_settings import PRODUCTION, run_manage

STORAGE_VARIABLES = [
    "STORAGE_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "STORAGE_DOWNLOADS",
    "STORAGE_SIGNED_URL_SECONDS",
]


@pytest.fixture
def env(monkeypatch):
    for name in STORAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_files_stay_on_this_servers_disk_unless_a_bucket_is_named(env):
    assert default_storage_from_env() == {"BACKEND": FILESYSTEM}
    assert download_mode_from_env(default_storage_from_env()) == "stream"


def test_a_storage_url_names_the_bucket_and_the_folder_in_it(env):
    env(
        STORAGE_URL="s3://council-minutes/production/",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
        AWS_S3_REGION_NAME="eu-west-2",
    )
    storage = default_storage_from_env()
    assert storage["BACKEND"] == S3
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "council-minutes"
    assert options["location"] == "production"
    assert options["endpoint_url"] == "https://objects.example.org"
    assert options["region_name"] == "eu-west-2"
    # Private objects that are never overwritten; URLs only ever signed, and short.
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["querystring_expire"] == 60


def test_the_bucket_can_be_named_the_way_django_storages_users_expect(env):
    env(AWS_STORAGE_BUCKET_NAME="council-minutes")
    options = default_storage_from_env()["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("council-minutes", "")


@pytest.mark.parametrize(
    "values",
    [
        {"STORAGE_URL": "council-minutes"},
        {"STORAGE_URL": "https://council-minutes.s3.amazonaws.com"},
        {"STORAGE_URL": "s3://"},
        {"STORAGE_URL": "s3://a/b", "AWS_STORAGE_BUCKET_NAME": "c"},
    ],
)
def test_a_store_that_cannot_be_understood_is_refused(env, values):
    env(**values)
    with pytest.raises(ImproperlyConfigured):
        default_storage_from_env()


def test_downloads_are_streamed_or_redirected_and_nothing_else(env):
    env(STORAGE_URL="s3://council-minutes", STORAGE_DOWNLOADS="Redirect")
    assert download_mode_from_env(default_storage_from_env()) == "redirect"
    env(STORAGE_DOWNLOADS="link")
    with pytest.raises(ImproperlyConfigured, match="stream or redirect"):
        download_mode_from_env(default_storage_from_env())


def test_signed_urls_are_short_lived(env):
    env(STORAGE_SIGNED_URL_SECONDS="86400")
    with pytest.raises(ImproperlyConfigured, match="between 1 and 3600"):
        signed_url_seconds()


def test_redirecting_downloads_of_files_on_disk_stops_the_app_at_start_up():
    result = run_manage("check", env={**PRODUCTION, "STORAGE_DOWNLOADS": "redirect"})
    assert result.returncode != 0
    assert "STORAGE_DOWNLOADS=redirect needs an S3-compatible store" in result.stderr
