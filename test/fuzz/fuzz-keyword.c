/*
 * fuzz-keyword: the keyword matcher takes any bytes, with and without
 * topics to match.
 */
#include <stdint.h>
#include <stdlib.h>

#include "keyword.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf_topic topics[] = {
		{ "baustellen", "Baustellen, Verkehr, Straßensperrungen" },
		{ "kultur", "Veranstaltungen, Kultur" },
	};
	struct conf conf = { 0 };
	enum keyword_intent k;
	int topic;

	conf.topics = topics;
	conf.ntopics = 2;
	k = keyword_match((const char *)data, size, NULL, &topic);
	if (k > KEYWORD_TOPIC_OFF || topic != -1 || k == KEYWORD_TOPIC_ON ||
	    k == KEYWORD_TOPIC_OFF)
		abort();
	k = keyword_match((const char *)data, size, &conf, &topic);
	if (k > KEYWORD_TOPIC_OFF || ((k == KEYWORD_TOPIC_ON ||
	    k == KEYWORD_TOPIC_OFF) != (topic >= 0 && topic < 2)))
		abort();
	return 0;
}
