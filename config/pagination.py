"""Long lists a page at a time: the one way pages split what grows with the archive."""

from django.core.paginator import Page, Paginator


def page_of(request, items, per_page: int) -> Page:
    """The page of ``items`` that ``?page=`` asks for: the first if it is not a number, the
    last if it is past the end. Two queries for a queryset: its count and the page's rows.

    ``page.other_params`` is the rest of the query string, for links to other pages that
    keep the filters.
    """
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.other_params = params.urlencode()
    return page
