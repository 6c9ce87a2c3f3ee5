/* answer.c: one send's answer as the journal keeps it; see answer.h. */
#include <string.h>

#include "answer.h"
#include "jsonl.h"

json_t *
answer_encode(const struct answer *a)
{
	return json_pack("{s:i, s:I, s:i, s:s, s:s, s:s, s:s, s:I, s:b, s:i,"
	    " s:b, s:I, s:I, s:b}", "origin", (int)a->origin, "ref",
	    (json_int_t)a->ref,
	    "epoch", (int)a->epoch, "id", a->id, "outcome",
	    platform_outcome_name(a->outcome), "why", a->why, "pid", a->pid,
	    "parts", (json_int_t)a->parts, "template", a->template, "tries",
	    a->tries, "requested", a->requested, "retry_after", (json_int_t)a->retry_after, "at",
	    (json_int_t)a->at, "no_media", a->no_media);
}

static json_int_t
integer(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static int
copy(const json_t *o, const char *key, char *buf, size_t size)
{
	const char *s = jsonl_string(o, key);

	return s == NULL || strlcpy(buf, s, size) >= size ? -1 : 0;
}

int
answer_decode(const json_t *o, struct answer *a)
{
	const char *out = jsonl_string(o, "outcome");
	int outcome;

	memset(a, 0, sizeof(*a));
	if (out == NULL || (outcome = platform_outcome_lookup(out)) < 0 ||
	    copy(o, "id", a->id, sizeof(a->id)) == -1 ||
	    copy(o, "why", a->why, sizeof(a->why)) == -1 ||
	    copy(o, "pid", a->pid, sizeof(a->pid)) == -1 ||
	    integer(o, "origin") < ANSWER_FANOUT ||
	    integer(o, "origin") > ANSWER_OUTBOX)
		return -1;
	a->origin = (enum answer_origin)integer(o, "origin");
	a->outcome = (enum platform_outcome)outcome;
	a->ref = (uint64_t)integer(o, "ref");
	a->epoch = (unsigned)integer(o, "epoch");
	a->parts = (size_t)integer(o, "parts");
	a->template = json_is_true(json_object_get(o, "template"));
	a->no_media = json_is_true(json_object_get(o, "no_media"));
	a->tries = (int)integer(o, "tries");
	a->requested = json_is_true(json_object_get(o, "requested"));
	a->retry_after = (long)integer(o, "retry_after");
	a->at = (time_t)integer(o, "at");
	return 0;
}
