/* metrics.c: monitoring's view, in Prometheus' text format; see metrics.h. */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "delivery.h"
#include "ingest.h"
#include "jsonl.h"
#include "metrics.h"
#include "outbox.h"

struct sub_walk {
	const struct conf *conf;
	struct metrics *m;
};

/* Topics of active subscribers; the oldest conversation owed an answer. */
static int
one_sub(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct sub_walk *w = arg;
	const json_t *mine = json_object_get(rec, "topics"), *v;
	const char *state = jsonl_string(rec, "state");
	json_t *un = json_object_get(rec, "unanswered");
	size_t i;
	int t;

	(void)key;
	(void)klen;
	if (json_is_integer(un) && (w->m->oldest_unanswered == 0 ||
	    json_integer_value(un) < w->m->oldest_unanswered))
		w->m->oldest_unanswered = json_integer_value(un);
	if (state == NULL || strcmp(state, "active") != 0)
		return 0;
	if (json_array_size(mine) == 0)
		w->m->topics[w->conf->ntopics]++;
	json_array_foreach(mine, i, v)
		if ((t = conf_topic(w->conf, json_string_value(v))) >= 0)
			w->m->topics[t]++;
	return 0;
}

int
metrics_collect(struct txn *tx, const struct conf *conf, struct metrics *m)
{
	struct sub_walk w = { conf, m };
	int rc, c;

	metrics_release(m);
	memset(m, 0, sizeof(*m));
	if ((rc = sub_count(tx, m->subscribers)) != 0 ||
	    (rc = sub_each(tx, one_sub, &w)) != 0 ||
	    (rc = delivery_count_open(tx, &m->open_deliveries)) != 0 ||
	    (rc = outbox_count(tx, &m->outbox)) != 0 ||
	    (rc = bcast_latest(tx, &m->broadcast)) != 0)
		return rc;
	if (m->broadcast != 0 && (rc = bcast_status(tx, m->broadcast,
	    m->counts)) != 0)
		return rc;
	for (c = 0; c < CHAN_COUNT && rc == 0; c++)
		rc = ingest_last_inbound(tx, c, &m->last_inbound[c]);
	return rc;
}

void
metrics_release(struct metrics *m)
{
	bcast_counts_release(m->counts);
}

/* The bytes of the files in dir and the directories under it. */
static long long
dir_bytes(const char *dir, int depth)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	long long n = 0;
	DIR *d;

	if (depth > 2 || (d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name,
		    "..") == 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode))
			n += dir_bytes(path, depth + 1);
		else if (S_ISREG(st.st_mode))
			n += (long long)st.st_size;
	}
	(void)closedir(d);
	return n;
}

static void
head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int
metrics_print(FILE *fp, const struct conf *conf, const struct metrics *m,
    const char *home, time_t now)
{
	static const char *const states[] = { "sent", "delivered", "read",
	    "failed", "deferred", "skipped", "late" };
	const struct bcast_counts *k;
	size_t i, v[7];
	int c, s;

	head(fp, "hb_subscribers", "gauge", "Subscribers by channel and "
	    "state.");
	for (c = 0; c < CHAN_COUNT; c++)
		for (s = 0; s < SUB_NSTATES; s++)
			fprintf(fp, "hb_subscribers{channel=\"%s\",state=\"%s\"}"
			    " %zu\n", chan_name(c), sub_state_name(s),
			    m->subscribers[c][s]);
	if (conf->ntopics > 0) {
		head(fp, "hb_topic_subscribers", "gauge", "Active subscribers "
		    "by the topic they chose (\"\": none, so everything).");
		for (i = 0; i <= conf->ntopics; i++)
			fprintf(fp, "hb_topic_subscribers{topic=\"%s\"} %zu\n",
			    i < conf->ntopics ? conf->topics[i].name : "",
			    m->topics[i]);
	}
	head(fp, "hb_broadcast_deliveries", "gauge", "The latest broadcast's "
	    "deliveries by channel and state.");
	for (c = 0; c < CHAN_COUNT && m->broadcast != 0; c++) {
		k = &m->counts[c];
		v[0] = k->sent - k->delivered, v[1] = k->delivered - k->read;
		v[2] = k->read, v[3] = k->failed;
		v[4] = k->deferred + k->waiting, v[5] = k->skipped;
		v[6] = k->late;
		for (i = 0; i < 7; i++)
			fprintf(fp, "hb_broadcast_deliveries{broadcast=\"%llu\","
			    "channel=\"%s\",state=\"%s\"} %zu\n",
			    (unsigned long long)m->broadcast, chan_name(c),
			    states[i], v[i]);
	}
	head(fp, "hb_deliveries_open", "gauge", "Deliveries deferred or "
	    "being sent.");
	fprintf(fp, "hb_deliveries_open %zu\n", m->open_deliveries);
	head(fp, "hb_outbox_queued", "gauge", "Answers to citizens waiting to "
	    "be sent.");
	fprintf(fp, "hb_outbox_queued %zu\n", m->outbox);
	head(fp, "hb_last_inbound_timestamp_seconds", "gauge", "When a "
	    "webhook of the channel was last stored (0: never).");
	for (c = 0; c < CHAN_COUNT; c++)
		fprintf(fp, "hb_last_inbound_timestamp_seconds{channel=\"%s\"} "
		    "%lld\n", chan_name(c), (long long)m->last_inbound[c]);
	head(fp, "hb_oldest_unanswered_seconds", "gauge", "How long the "
	    "oldest conversation owed an answer has waited (0: none).");
	fprintf(fp, "hb_oldest_unanswered_seconds %lld\n",
	    m->oldest_unanswered == 0 ? 0LL :
	    (long long)(now - m->oldest_unanswered));
	head(fp, "hb_store_bytes", "gauge", "The size of the store's files.");
	fprintf(fp, "hb_store_bytes %lld\n", dir_bytes(home, 0));
	return ferror(fp) ? -1 : 0;
}
