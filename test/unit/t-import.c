/* t-export: reading exports, JSON Lines and CSV (through libcsv). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import.h"
#include "jsonl.h"

/* Records seen, one compact JSON line each, with their line numbers. */
static char seen[4096];

static int
record(json_t *rec, const char *name, size_t line, void *arg)
{
	char *s = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
	size_t n = strlen(seen);

	(void)name;
	(void)arg;
	snprintf(seen + n, sizeof(seen) - n, "%zu %s\n", line, s);
	free(s);
	return jsonl_string(rec, "reject") != NULL ? -1 : 0;
}

static size_t
parse(const char *input)
{
	seen[0] = '\0';
	return import_parse("test", input, strlen(input), record, NULL);
}

static void
test_jsonl(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"id\":\"a\"}\n\n  \n{\"id\":\"b\"}"), 0);
	assert_string_equal(seen, "1 {\"id\":\"a\"}\n4 {\"id\":\"b\"}\n");
	assert_int_equal(parse("{\"id\":\"a\"}\n[1]\n{\n{\"reject\":\"x\"}\n"),
	    3);
	assert_string_equal(seen, "1 {\"id\":\"a\"}\n4 {\"reject\":\"x\"}\n");
}

static void
test_csv_default_columns(void **state)
{
	(void)state;
	assert_int_equal(parse("telegram:1,active,Erika,,\r\n"
	    "telegram:2\n"), 0);
	assert_string_equal(seen,
	    "1 {\"id\":\"telegram:1\",\"name\":\"Erika\",\"state\":\"active\"}\n"
	    "2 {\"id\":\"telegram:2\"}\n");
}

static void
test_csv_header_and_quotes(void **state)
{
	(void)state;
	assert_int_equal(parse("id,name,phone\n"
	    "whatsapp:4917012345678,\"Doe, \"\"J\"\"\nline two\",491\n"), 0);
	assert_string_equal(seen,
	    "2 {\"id\":\"whatsapp:4917012345678\",\"name\":\"Doe, \\\"J\\\"\\n"
	    "line two\",\"phone\":\"491\"}\n");
}

static void
test_csv_errors(void **state)
{
	(void)state;
	assert_int_equal(parse("a,b,c,d,e,f\n"), 1);
	assert_int_equal(parse("a,\"open\n"), 1);
	assert_int_equal(parse("a,b\"c\n"), 1);	/* a quote inside, strict */
	assert_int_equal(parse(""), 0);
	assert_int_equal(parse("\n\n"), 0);
}

static void
test_record_export(void **state)
{
	static const char *const times[] = { "since", "sent_at", NULL };
	json_t *rec, *o;
	char *s;

	(void)state;
	rec = json_pack("{s:i, s:s, s:i, s:s, s:i}", "v", 1, "id",
	    "telegram:1", "since", 1795910400, "sent_at", "x", "n", 5);
	o = jsonl_export(rec, times);
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	/* No "v"; named seconds as RFC 3339; anything else as it was. */
	assert_string_equal(s, "{\"id\":\"telegram:1\",\"n\":5,"
	    "\"sent_at\":\"x\",\"since\":\"2026-11-29T00:00:00Z\"}");
	/* The record itself is untouched. */
	assert_int_equal(json_integer_value(json_object_get(rec, "since")),
	    1795910400);
	free(s);
	json_decref(o);
	json_decref(rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_csv_default_columns),
		cmocka_unit_test(test_csv_header_and_quotes),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_record_export),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
