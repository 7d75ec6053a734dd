"""Where stored files live: the filesystem, or an S3-compatible bucket shared by every app server.

Read once by ``config/settings.py`` from the environment (each variable is in README.md,
"Configuration"). The store never serves anything by itself: every download goes through a
view that checks who is asking, and then either streams the file or redirects to a URL signed
for a few seconds (``STORAGE_DOWNLOADS``).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"

DOWNLOAD_MODES = ("stream", "redirect")


def default_storage_from_env() -> dict:
    """The ``STORAGES["default"]`` entry the environment asks for."""
    url = env_str("STORAGE_URL")
    bucket_only = env_str("AWS_STORAGE_BUCKET_NAME")
    if not url and not bucket_only:
        return {"BACKEND": FILESYSTEM}
    if url and bucket_only:
        raise ImproperlyConfigured(
            "Set STORAGE_URL or AWS_STORAGE_BUCKET_NAME, not both: "
            "STORAGE_URL=s3://bucket/prefix names the bucket and the folder in it."
        )
    bucket, prefix = bucket_only, ""
    if url:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
            raise ImproperlyConfigured(
                f"STORAGE_URL must look like s3://bucket or s3://bucket/prefix, not {url!r}."
            )
        bucket, prefix = parts.netloc, parts.path.strip("/")
    options = {
        "bucket_name": bucket,
        "location": prefix,
        # Private objects, reachable only through a signed URL the app hands out.
        "default_acl": None,
        "querystring_auth": True,
        "custom_domain": None,
        # A stored PDF is part of the record: never replace one by writing another
        # under its name (the filesystem store behaves so too).
        "file_overwrite": False,
        "signature_version": "s3v4",
        "querystring_expire": signed_url_seconds(),
    }
    for option, variable in [
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
    ]:
        if value := env_str(variable):
            options[option] = value
    return {"BACKEND": S3, "OPTIONS": options}


def signed_url_seconds() -> int:
    seconds = env_int("STORAGE_SIGNED_URL_SECONDS", 60)
    if not 1 <= seconds <= 3600:
        raise ImproperlyConfigured(
            f"STORAGE_SIGNED_URL_SECONDS must be between 1 and 3600, not {seconds}."
        )
    return seconds


def download_mode_from_env(storage: dict) -> str:
    """``stream`` (through the app) or ``redirect`` (to a short-lived signed URL)."""
    mode = env_str("STORAGE_DOWNLOADS", "stream").strip().lower()
    if mode not in DOWNLOAD_MODES:
        raise ImproperlyConfigured(f"STORAGE_DOWNLOADS must be stream or redirect, not {mode!r}.")
    if mode == "redirect" and storage["BACKEND"] != S3:
        raise ImproperlyConfigured(
            "STORAGE_DOWNLOADS=redirect needs an S3-compatible store (STORAGE_URL=s3://…): "
            "files on this server's disk have no signed URL."
        )
    return mode
