import datetime

from meetings.models import Recurrence

MONDAY, FRIDAY = 0, 4


def rule(year, month, *, every, weekday, occurrence):
    return Recurrence(
        first_month=datetime.date(year, month, 1),
        every_months=every,
        weekday=weekday,
        occurrence=occurrence,
    )


def test_the_third_monday_of_every_second_month_from_january_2010_gives_the_issues_dates():
    series = rule(2010, 1, every=2, weekday=MONDAY, occurrence=3)
    assert series.dates(count=6) == [
        datetime.date(2010, 1, 18),
        datetime.date(2010, 3, 15),
        datetime.date(2010, 5, 17),
        datetime.date(2010, 7, 19),
        datetime.date(2010, 9, 20),
        datetime.date(2010, 11, 15),
    ]


def test_the_last_friday_of_the_month_is_found_whatever_the_months_length():
    series = rule(2010, 1, every=1, weekday=FRIDAY, occurrence=-1)
    assert series.dates(count=3) == [
        datetime.date(2010, 1, 29),
        datetime.date(2010, 2, 26),
        datetime.date(2010, 3, 26),
    ]


def test_a_series_stops_at_its_end_date_and_runs_across_the_new_year():
    series = rule(2010, 9, every=3, weekday=MONDAY, occurrence=1)
    assert series.dates(until=datetime.date(2011, 6, 6)) == [
        datetime.date(2010, 9, 6),
        datetime.date(2010, 12, 6),
        datetime.date(2011, 3, 7),
        datetime.date(2011, 6, 6),
    ]


def test_a_series_stops_at_whichever_comes_first_of_its_count_and_its_end_date():
    series = rule(2010, 1, every=1, weekday=MONDAY, occurrence=1)
    assert len(series.dates(count=2, until=datetime.date(2010, 12, 31))) == 2
    assert len(series.dates(count=12, until=datetime.date(2010, 3, 31))) == 3


def test_an_open_ended_rule_yields_one_more_than_the_limit_so_callers_can_refuse_it():
    series = rule(2010, 1, every=1, weekday=MONDAY, occurrence=1)
    assert len(series.dates(until=datetime.date(2030, 1, 1))) == Recurrence.MAX_MEETINGS + 1
