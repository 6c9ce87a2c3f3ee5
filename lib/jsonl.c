/* jsonl.c: JSON Lines; see jsonl.h. */
#include <stdio.h>
#include <string.h>

#include "jsonl.h"
#include "timefmt.h"

int
jsonl_write(FILE *fp, const json_t *o)
{
	if (json_dumpf(o, fp, JSON_COMPACT | JSON_SORT_KEYS) == -1 ||
	    putc('\n', fp) == EOF)
		return -1;
	return 0;
}

void
jsonl_error(const json_error_t *je, char *err, size_t errsz)
{
	const char *near = strstr(je->text, " near ");

	(void)snprintf(err, errsz, "%.*s", near != NULL ?
	    (int)(near - je->text) : (int)strlen(je->text), je->text);
}

json_t *
jsonl_parse_object(const char *s, size_t len, char *err, size_t errsz)
{
	json_error_t je;
	json_t *o;

	o = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL) {
		jsonl_error(&je, err, errsz);
		return NULL;
	}
	if (!json_is_object(o)) {
		(void)snprintf(err, errsz, "not a JSON object");
		json_decref(o);
		return NULL;
	}
	return o;
}

const char *
jsonl_string(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

json_t *
jsonl_export(const json_t *rec, const char *const *times)
{
	char buf[TIMEFMT_SIZE];
	json_t *o = json_deep_copy(rec), *t;

	json_object_del(o, "v");
	for (; *times != NULL; times++)
		if (json_is_integer(t = json_object_get(o, *times)))
			json_object_set_new(o, *times, json_string(
			    timefmt_rfc3339(json_integer_value(t), buf)));
	return o;
}
