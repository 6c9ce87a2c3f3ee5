/*
 * curl-floor: what libcurl alone reaches, the floor under hb-broadcast's
 * sending.  It posts what hb-broadcast posts, as fast as the endpoint
 * answers, with the multi interface and the same number of requests in
 * flight, over kept-alive connections and reused handles -- and does
 * nothing else: no store, no JSON, no pacing.
 *
 *   curl-floor url requests parallel
 *
 * prints the requests per second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <curl/curl.h>

static const char body[] =
    "{\"chat_id\":491700000001,\"text\":\"Heute: Stadtfest auf dem "
    "Marktplatz.\"}";

static size_t
discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct curl_slist *hdr;
	CURLMsg *m;
	CURLM *multi;
	CURL *c;
	long total, started = 0, done = 0, parallel, i;
	int still, left, finished;
	double t0;

	if (argc != 4 || (total = atol(argv[2])) <= 0 ||
	    (parallel = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: curl-floor url requests parallel\n");
		return 64;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	multi = curl_multi_init();
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, parallel);
	hdr = curl_slist_append(NULL, "Content-Type: application/json");
	t0 = seconds();
	for (i = 0; i < parallel && started < total; i++, started++) {
		c = curl_easy_init();
		curl_easy_setopt(c, CURLOPT_URL, argv[1]);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
		curl_multi_add_handle(multi, c);
	}
	while (done < total) {
		if (curl_multi_perform(multi, &still) != CURLM_OK)
			return 1;
		finished = 0;
		while ((m = curl_multi_info_read(multi, &left)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			if (m->data.result != CURLE_OK) {
				fprintf(stderr, "curl-floor: %s\n",
				    curl_easy_strerror(m->data.result));
				return 1;
			}
			c = m->easy_handle;
			curl_multi_remove_handle(multi, c);
			done++;
			finished++;
			if (started < total) {
				curl_multi_add_handle(multi, c);
				started++;
			}
		}
		/* Wait only when nothing finished, as hb's pool does. */
		if (finished == 0 && still > 0)
			curl_multi_poll(multi, NULL, 0, 100, NULL);
	}
	printf("%.0f\n", total / (seconds() - t0));
	return 0;
}
