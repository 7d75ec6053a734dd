import datetime


class IsoDateConverter:
    """A date in a URL as YYYY-MM-DD: /committees/socitm-futures/2009-11-16/."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:  # e.g. 2009-02-30: the URL does not match
            raise ValueError(str(error)) from None

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
