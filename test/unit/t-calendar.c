/* t-calendar: days, quiet hours and -a times in the city's time zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "timefmt.h"

static struct conf conf;

static time_t
utc(const char *s)
{
	time_t t;

	assert_int_equal(timefmt_parse(s, &t), 0);
	return t;
}

static int
setup(void **state)
{
	(void)state;
	conf_init(&conf);
	conf.timezone = "Europe/Berlin";
	calendar_init(&conf);
	return 0;
}

static void
test_days(void **state)
{
	(void)state;
	/* 23:30 UTC is already the next day in Berlin. */
	assert_int_equal(calendar_day(utc("2026-11-28T22:59:00Z")), 20261128);
	assert_int_equal(calendar_day(utc("2026-11-28T23:30:00Z")), 20261129);
	assert_int_equal(calendar_next_day(utc("2026-11-28T12:00:00Z")),
	    utc("2026-11-28T23:00:00Z"));
	/* Across the switch to summer time the day is 23 hours long. */
	assert_int_equal(calendar_next_day(utc("2026-03-29T12:00:00Z")),
	    utc("2026-03-29T22:00:00Z"));
}

static void
test_quiet_hours(void **state)
{
	time_t end = 0;

	(void)state;
	conf.quiet_start = 21 * 60;
	conf.quiet_end = 7 * 60;
	/* 22:00 in Berlin: quiet until 07:00 the next morning. */
	assert_true(calendar_quiet(&conf, utc("2026-11-28T21:00:00Z"), &end));
	assert_int_equal(end, utc("2026-11-29T06:00:00Z"));
	/* 05:00 in Berlin: quiet until 07:00 the same morning. */
	assert_true(calendar_quiet(&conf, utc("2026-11-29T04:00:00Z"), &end));
	assert_int_equal(end, utc("2026-11-29T06:00:00Z"));
	assert_false(calendar_quiet(&conf, utc("2026-11-29T06:00:00Z"), &end));
	assert_false(calendar_quiet(&conf, utc("2026-11-29T19:59:00Z"), &end));
	/* Within one day. */
	conf.quiet_start = 12 * 60;
	conf.quiet_end = 13 * 60;
	assert_true(calendar_quiet(&conf, utc("2026-11-29T11:30:00Z"), &end));
	assert_int_equal(end, utc("2026-11-29T12:00:00Z"));
	conf.quiet_start = conf.quiet_end = -1;
	assert_false(calendar_quiet(&conf, utc("2026-11-29T11:30:00Z"), &end));
}

static void
test_parse(void **state)
{
	char buf[32];
	time_t t;

	(void)state;
	assert_int_equal(calendar_parse("2026-12-01T08:30", &t), 0);
	assert_int_equal(t, utc("2026-12-01T07:30:00Z"));
	assert_int_equal(calendar_parse("2026-07-01 08:30", &t), 0);
	assert_int_equal(t, utc("2026-07-01T06:30:00Z"));
	assert_int_equal(calendar_parse("2026-12-01T08:30:00+01:00", &t), 0);
	assert_int_equal(t, utc("2026-12-01T07:30:00Z"));
	assert_string_equal(calendar_format(t, buf), "2026-12-01 08:30");
	assert_int_equal(calendar_parse("2026-12-01", &t), -1);
	assert_int_equal(calendar_parse("2026-12-01T8:30x", &t), -1);
	assert_int_equal(calendar_parse("tomorrow", &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_quiet_hours),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
