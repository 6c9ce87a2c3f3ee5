/* t-timefmt: RFC 3339 out and in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "timefmt.h"

static void
test_format(void **state)
{
	char buf[TIMEFMT_SIZE];

	(void)state;
	assert_string_equal(timefmt_rfc3339(0, buf), "1970-01-01T00:00:00Z");
	assert_string_equal(timefmt_rfc3339(1767772800, buf),
	    "2026-01-07T08:00:00Z");
}

static void
test_parse(void **state)
{
	static const struct {
		const char *s;
		long long t;	/* -1: refused */
	} cases[] = {
		{ "2026-01-07T08:00:00Z", 1767772800 },
		{ "2026-01-07t08:00:00z", 1767772800 },
		{ "2026-01-07 08:00:00Z", 1767772800 },
		{ "2026-01-07T09:00:00+01:00", 1767772800 },
		{ "2026-01-07T03:30:00-04:30", 1767772800 },
		{ "2026-01-07T08:00:00.123456Z", 1767772800 },
		{ "2024-02-29T00:00:00Z", 1709164800 },
		{ "2000-02-29T00:00:00Z", 951782400 },	/* 400 years */
		{ "2025-02-29T00:00:00Z", -1 },		/* no leap year */
		{ "2100-02-29T00:00:00Z", -1 },		/* a century */
		{ "2026-04-31T00:00:00Z", -1 },
		{ "2026-01-07T08:00:00", -1 },		/* no offset */
		{ "2026-13-07T08:00:00Z", -1 },
		{ "2026-01-32T08:00:00Z", -1 },
		{ "2026-01-07T24:00:00Z", -1 },
		{ "2026-01-07T08:00:00+1:00", -1 },
		{ "yesterday", -1 },
		{ "", -1 },
	};
	time_t t;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = timefmt_parse(cases[i].s, &t);
		if (cases[i].t < 0) {
			if (rc != -1)
				fail_msg("accepted \"%s\"", cases[i].s);
		} else {
			if (rc != 0)
				fail_msg("refused \"%s\"", cases[i].s);
			assert_int_equal(t, cases[i].t);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
