from django.db import models


class RecordChange(models.Model):
    """A mark that changes whenever anything in the record does: the key of kept pages.

    One row. Every committed write to the app's tables gives ``mark`` a new random value
    (``config.page_cache``), so a page kept under the old mark is never served again, in
    any process. Random rather than counted, so a mark is never reused, not even after the
    table is emptied and filled again.
    """

    mark = models.CharField(max_length=32)

    def __str__(self):
        return self.mark
