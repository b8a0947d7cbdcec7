"""Session derivation from crafted reading sequences (pure functions, no database)."""

from datetime import datetime, timedelta

from dayi.monitoring.sessions import (
    IN_USE,
    OFFLINE,
    RUNNING,
    Period,
    Point,
    Rules,
    SessionBuilder,
    derive,
    seconds_by_day,
)

from .conftest import SHANGHAI, T0

# Power only, so each test reads as a list of watts, one a minute.
RULES = Rules(
    interval_s=60, on_current_ma=None, on_power_w=10, in_use_current_ma=None, in_use_power_w=40, min_length_s=180
)
MIN = timedelta(minutes=1)


def watts(values, start=T0):
    return [Point(start + i * MIN, None, w) for i, w in enumerate(values) if w is not None]


def kinds(periods, kind):
    return [(p.start, p.end) for p in periods if p.kind == kind]


def at(minutes):
    return T0 + minutes * MIN


def test_off_all_day_gives_no_session():
    assert derive(watts([2] * 30), RULES) == []


def test_a_run_starts_at_its_first_reading_and_ends_at_the_first_one_below():
    periods = derive(watts([0, 0, 20, 20, 20, 20, 0, 0, 0, 0]), RULES)
    assert kinds(periods, RUNNING) == [(at(2), at(6))]
    assert kinds(periods, IN_USE) == []


def test_in_use_nests_inside_running():
    periods = derive(watts([0, 20, 80, 80, 80, 80, 20, 20, 20, 20, 0, 0, 0, 0]), RULES)
    assert kinds(periods, RUNNING) == [(at(1), at(10))]
    assert kinds(periods, IN_USE) == [(at(2), at(6))]


def test_a_spike_shorter_than_the_minimum_is_noise():
    assert derive(watts([0, 0, 90, 90, 0, 0, 0, 0, 0]), RULES) == []


def test_a_short_dip_does_not_split_a_run():
    periods = derive(watts([50, 50, 50, 0, 50, 50, 50, 0, 0, 0, 0]), RULES)
    assert kinds(periods, RUNNING) == [(at(0), at(7))]
    assert kinds(periods, IN_USE) == [(at(0), at(7))]


def test_hysteresis_holds_a_level_just_below_its_threshold():
    # 37 W is above 40 W less 10 %: still in use; 35 W is below: the in-use run ends.
    periods = derive(watts([40, 40, 37, 37, 36.5, 35, 35, 35, 35, 0, 0, 0, 0]), RULES)
    assert kinds(periods, IN_USE) == [(at(0), at(5))]
    assert kinds(periods, RUNNING) == [(at(0), at(9))]


def test_the_threshold_itself_counts_as_reached_and_just_below_does_not():
    assert kinds(derive(watts([40] * 5 + [0] * 4), RULES), IN_USE) == [(at(0), at(5))]
    assert kinds(derive(watts([39.99] * 5 + [0] * 4), RULES), IN_USE) == []


def test_hovering_just_below_the_start_threshold_never_starts_a_run():
    assert kinds(derive(watts([39, 38, 39.5, 39] * 3), RULES), IN_USE) == []


def test_either_current_or_power_reaching_its_threshold_is_enough():
    rules = Rules(interval_s=60, on_current_ma=50, on_power_w=10, in_use_current_ma=180, in_use_power_w=40)
    points = [Point(at(i), 200.0 if i < 4 else 0.0, 5.0) for i in range(8)]
    assert kinds(derive(points, rules), IN_USE) == [(at(0), at(4))]


def test_a_gap_is_offline_not_off_and_ends_the_run_one_interval_after_the_last_reading():
    values = [50] * 5 + [None] * 10 + [50] * 5 + [0] * 4
    periods = derive(watts(values), RULES)
    assert kinds(periods, OFFLINE) == [(at(5), at(15))]
    assert kinds(periods, RUNNING) == [(at(0), at(5)), (at(15), at(20))]


def test_a_gap_within_a_few_intervals_is_not_offline():
    values = [50, 50, None, None, 50, 50, 0, 0, 0, 0]
    periods = derive(watts(values), RULES)
    assert kinds(periods, OFFLINE) == []
    assert kinds(periods, RUNNING) == [(at(0), at(6))]


def test_silence_at_the_end_is_offline_until_now():
    periods = derive(watts([0, 0, 0]), RULES, until=at(60))
    assert kinds(periods, OFFLINE) == [(at(3), at(60))]


def test_a_long_run_over_midnight_is_split_between_the_two_days():
    start = datetime(2026, 3, 2, 22, 0, tzinfo=SHANGHAI)
    points = watts([80] * (6 * 60) + [0] * 5, start=start)
    periods = derive(points, RULES)
    assert kinds(periods, IN_USE) == [(start, start + timedelta(hours=6))]
    days = seconds_by_day(periods, SHANGHAI)
    assert days[start.date()] == {RUNNING: 7200, IN_USE: 7200}
    assert days[start.date() + timedelta(days=1)] == {RUNNING: 14400, IN_USE: 14400}


def test_a_run_still_going_on_is_open_up_to_one_interval_after_the_last_reading():
    periods = derive(watts([80] * 5), RULES)
    assert kinds(periods, IN_USE) == [(at(0), at(5))]


def test_feeding_in_pieces_gives_the_same_sessions_as_feeding_at_once():
    values = [0, 20, 80, 80, 80, 0, 80, 80, 20, 20, 20, 0, 0, 0, 0, None, None, None, None, 50, 50, 50, 50]
    points = watts(values)
    whole = SessionBuilder(RULES)
    expected = whole.feed(points)
    closed, state = [], None
    for start in range(0, len(points), 4):
        builder = SessionBuilder(RULES, state)
        closed += builder.feed(points[start : start + 4])
        state = builder.dump()
    assert closed == expected
    assert SessionBuilder(RULES, state).open_periods() == whole.open_periods()


def test_readings_already_fed_are_ignored():
    builder = SessionBuilder(RULES)
    builder.feed(watts([80] * 5))
    assert builder.feed(watts([0] * 5)) == []


def test_level_says_what_the_last_reading_shows():
    builder = SessionBuilder(RULES)
    builder.feed(watts([80, 80]))
    assert builder.level() == IN_USE
    builder.feed(watts([20], start=at(2)))
    assert builder.level() == "on"
    builder.feed(watts([0], start=at(3)))
    assert builder.level() == "off"
    assert builder.offline_after() == at(6)


def test_seconds_by_day_adds_each_kind():
    periods = [Period(RUNNING, at(0), at(10)), Period(RUNNING, at(20), at(25)), Period(OFFLINE, at(30), at(31))]
    assert seconds_by_day(periods, SHANGHAI) == {T0.date(): {RUNNING: 900, OFFLINE: 60}}
