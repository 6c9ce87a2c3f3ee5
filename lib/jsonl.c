/* jsonl.c: JSON Lines; see jsonl.h. */
#include <stdio.h>
#include <string.h>

#include "jsonl.h"

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
