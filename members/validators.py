"""Validators for text that ends up in email headers and printed records."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)


@deconstructible
class SingleLineValidator:
    """Refuse line breaks, tabs and other control characters in a one-line value (a name).

    Such a value goes into email headers ("To: Suzanne Horner <…>") and printed lists,
    where a line break splits it or, in a header, is refused outright.
    """

    message = "Use a single line of text: no line breaks, tabs or other control characters."
    code = "control_characters"

    def __call__(self, value):
        if value and has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, SingleLineValidator)


single_line = SingleLineValidator()


def one_line(text: str) -> str:
    """``text`` with every run of whitespace and control characters made one space.

    For headers built from stored data that may predate the validator above: an email
    is never refused (BadHeaderError) because of a stray line break in a name.
    """
    cleaned = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return " ".join(cleaned.split())
