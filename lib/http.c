/*
 * http.c: HTTP requests with libcurl's multi interface; see http.h.
 *
 * The pool drives libcurl with its socket interface and epoll: a sender
 * keeps hundreds of requests in flight a channel, and poll() over them
 * all, with libcurl walking every transfer each time, cost more than
 * the requests (measured: the sender stalled at half its rate at 2,000
 * requests a second).  epoll and curl_multi_socket_action() touch only
 * the connections that have something to say.
 *
 * libcurl is loaded on the first request, not linked: Debian's libcurl
 * brings some thirty libraries (LDAP, Kerberos, ...) whose loading cost
 * about 3 ms per process, measured, and most runs of hb (every webhook)
 * make no request at all.
 */
#include <sys/epoll.h>

#include <dlfcn.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "http.h"
#include "log.h"
#include "monotime.h"
#include "xalloc.h"

#define CONNECT_TIMEOUT	10L	/* seconds */
#define MAX_RESPONSE	(16L << 20)
#define BUFFER		4096L	/* bytes read at a time */
#define UPLOAD_BUFFER	16384L	/* libcurl's least */
#define MAX_RETRY_AFTER	86400L	/* seconds: a day, whatever a server says */
#define LIBCURL		"libcurl.so.4"

/* The libcurl functions hb uses, resolved when it is loaded. */
static struct {
	void	*handle;
	CURLcode (*global_init)(long);
	CURL	*(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void	 (*easy_cleanup)(CURL *);
	void	 (*easy_reset)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	CURLM	*(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_socket_action)(CURLM *, curl_socket_t, int, int *);
	CURLMsg	*(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void	 (*slist_free_all)(struct curl_slist *);
	curl_mime *(*mime_init)(CURL *);
	curl_mimepart *(*mime_addpart)(curl_mime *);
	CURLcode (*mime_name)(curl_mimepart *, const char *);
	CURLcode (*mime_data)(curl_mimepart *, const char *, size_t);
	CURLcode (*mime_filedata)(curl_mimepart *, const char *);
	CURLcode (*mime_filename)(curl_mimepart *, const char *);
	CURLcode (*mime_type)(curl_mimepart *, const char *);
	void	 (*mime_free)(curl_mime *);
} curl;

static const struct {
	const char *name;
	size_t	 off;
} symbols[] = {
#define SYM(f, m)	{ "curl_" f, offsetof(__typeof__(curl), m) }
	SYM("global_init", global_init),
	SYM("easy_init", easy_init),
	SYM("easy_setopt", easy_setopt),
	SYM("easy_getinfo", easy_getinfo),
	SYM("easy_cleanup", easy_cleanup),
	SYM("easy_reset", easy_reset),
	SYM("easy_strerror", easy_strerror),
	SYM("multi_init", multi_init),
	SYM("multi_setopt", multi_setopt),
	SYM("multi_add_handle", multi_add_handle),
	SYM("multi_remove_handle", multi_remove_handle),
	SYM("multi_socket_action", multi_socket_action),
	SYM("multi_info_read", multi_info_read),
	SYM("multi_cleanup", multi_cleanup),
	SYM("slist_append", slist_append),
	SYM("slist_free_all", slist_free_all),
	SYM("mime_init", mime_init),
	SYM("mime_addpart", mime_addpart),
	SYM("mime_name", mime_name),
	SYM("mime_data", mime_data),
	SYM("mime_filedata", mime_filedata),
	SYM("mime_filename", mime_filename),
	SYM("mime_type", mime_type),
	SYM("mime_free", mime_free),
#undef SYM
};

static const char *trusted;	/* http_trust() */

void
http_trust(const char *file)
{
	trusted = file != NULL && *file != '\0' ? file : NULL;
}

/* Load libcurl, once. */
static int
http_init(void)
{
	size_t i;
	void *fn;

	if (curl.handle != NULL)
		return 0;
	if ((curl.handle = dlopen(LIBCURL, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return log_errorx("%s", dlerror());
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		if ((fn = dlsym(curl.handle, symbols[i].name)) == NULL) {
			log_errorx("%s: no %s", LIBCURL, symbols[i].name);
			break;
		}
		memcpy((char *)&curl + symbols[i].off, &fn, sizeof(fn));
	}
	if (i < sizeof(symbols) / sizeof(symbols[0]) ||
	    curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		dlclose(curl.handle);
		curl.handle = NULL;
		return log_errorx("%s cannot be used", LIBCURL);
	}
	return 0;
}

/* One request in a pool. */
struct xfer {
	struct xfer *next;	/* on the free list */
	CURL	*easy;
	struct curl_slist *hdr;
	curl_mime *mime;	/* a form's body */
	FILE	*out;		/* where a download goes, or NULL */
	struct http_response resp;
	char	 err[CURL_ERROR_SIZE];
	const char *what;
	void	*tag;
};

struct http_pool {
	CURLM	*multi;
	long	 timeout;
	size_t	 running;
	struct xfer *idle;	/* finished transfers, kept for reuse */
	int	 epfd;		/* the connections libcurl watches */
	double	 timer_at;	/* when libcurl wants to be called, or -1 */
};

/* libcurl says which connections to watch for what. */
static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct http_pool *p = arg;
	struct epoll_event ev;

	(void)easy;
	(void)sockp;
	if (what == CURL_POLL_REMOVE) {
		(void)epoll_ctl(p->epfd, EPOLL_CTL_DEL, fd, NULL);
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) |
	    ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
	ev.data.fd = fd;
	if (epoll_ctl(p->epfd, EPOLL_CTL_MOD, fd, &ev) == -1 &&
	    (errno != ENOENT || epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd,
	    &ev) == -1))
		log_error("epoll_ctl");
	return 0;
}

/* libcurl says when to call it with no connection ready (timeouts). */
static int
on_timer(CURLM *multi, long ms, void *arg)
{
	struct http_pool *p = arg;

	(void)multi;
	p->timer_at = ms < 0 ? -1 : monotime_now() + (double)ms / 1000;
	return 0;
}

struct http_pool *
http_pool_new(long timeout, size_t parallel)
{
	struct http_pool *p;

	if (http_init() == -1)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	if ((p->multi = curl.multi_init()) == NULL) {
		free(p);
		log_errorx("curl_multi_init failed");
		return NULL;
	}
	if ((p->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		log_error("epoll_create1");
		curl.multi_cleanup(p->multi);
		free(p);
		return NULL;
	}
	p->timeout = timeout;
	p->timer_at = -1;
	curl.multi_setopt(p->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)parallel);
	curl.multi_setopt(p->multi, CURLMOPT_MAXCONNECTS, (long)parallel);
	curl.multi_setopt(p->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl.multi_setopt(p->multi, CURLMOPT_SOCKETDATA, p);
	curl.multi_setopt(p->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl.multi_setopt(p->multi, CURLMOPT_TIMERDATA, p);
	return p;
}

static void
xfer_free(struct xfer *x)
{
	curl.easy_cleanup(x->easy);
	curl.slist_free_all(x->hdr);
	curl.mime_free(x->mime);
	http_response_release(&x->resp);
	free(x);
}

void
http_pool_free(struct http_pool *p)
{
	struct xfer *x;

	if (p == NULL)
		return;
	while ((x = p->idle) != NULL) {
		p->idle = x->next;
		xfer_free(x);
	}
	/* Requests still running are abandoned with the multi handle. */
	curl.multi_cleanup(p->multi);
	(void)close(p->epfd);
	free(p);
}

static size_t
on_data(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	struct http_response *r = &x->resp;

	size *= n;
	/* A download's body goes to its file, but not an error's. */
	if (x->out != NULL && r->status == 0)
		curl.easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r->status);
	if (x->out != NULL && r->status == 200)
		return fwrite(data, 1, size, x->out);
	if (r->len + size > MAX_RESPONSE)
		return 0;	/* curl fails the transfer */
	r->body = xreallocarray(r->body, r->len + size + 1, 1);
	memcpy(r->body + r->len, data, size);
	r->len += size;
	r->body[r->len] = '\0';
	return size;
}

/* The multipart/form-data body of form, or NULL after a message. */
static curl_mime *
make_form(CURL *c, const char *what, const struct http_form *form)
{
	curl_mime *m = curl.mime_init(c);
	curl_mimepart *part;
	size_t i;
	int bad = m == NULL;

	for (i = 0; !bad && i < form->n; i++)
		bad = (part = curl.mime_addpart(m)) == NULL ||
		    curl.mime_name(part, form->name[i]) != CURLE_OK ||
		    curl.mime_data(part, form->value[i],
		    CURL_ZERO_TERMINATED) != CURLE_OK;
	if (!bad && form->file_path != NULL)
		bad = (part = curl.mime_addpart(m)) == NULL ||
		    curl.mime_name(part, form->file_field) != CURLE_OK ||
		    curl.mime_filedata(part, form->file_path) != CURLE_OK ||
		    curl.mime_filename(part, form->file_name) != CURLE_OK ||
		    curl.mime_type(part, form->file_type) != CURLE_OK;
	if (bad) {
		curl.mime_free(m);
		log_errorx("%s: the form cannot be made", what);
		return NULL;
	}
	return m;
}

int
http_pool_add(struct http_pool *p, const char *what,
    const struct http_req *req, void *tag)
{
	struct xfer *x;
	CURL *c;

	if ((x = p->idle) != NULL) {
		p->idle = x->next;
		curl.easy_reset(x->easy);
	} else {
		x = xcalloc(1, sizeof(*x));
		if ((x->easy = curl.easy_init()) == NULL) {
			free(x);
			return log_errorx("%s: curl_easy_init failed", what);
		}
	}
	c = x->easy;
	if (req->json != NULL) {
		x->hdr = curl.slist_append(NULL,
		    "Content-Type: application/json");
		curl.easy_setopt(c, CURLOPT_COPYPOSTFIELDS, req->json);
	} else if (req->form != NULL) {
		if ((x->mime = make_form(c, what, req->form)) == NULL) {
			xfer_free(x);
			return -1;
		}
		curl.easy_setopt(c, CURLOPT_MIMEPOST, x->mime);
	}
	if (req->header != NULL)
		x->hdr = curl.slist_append(x->hdr, req->header);
	x->what = what;
	x->tag = tag;
	x->out = req->out;
	x->err[0] = '\0';
	curl.easy_setopt(c, CURLOPT_PRIVATE, x);
	curl.easy_setopt(c, CURLOPT_URL, req->url);
	curl.easy_setopt(c, CURLOPT_HTTPHEADER, x->hdr);
	curl.easy_setopt(c, CURLOPT_ERRORBUFFER, x->err);
	curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl.easy_setopt(c, CURLOPT_TIMEOUT, p->timeout + CONNECT_TIMEOUT);
	curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (trusted != NULL)
		curl.easy_setopt(c, CURLOPT_CAINFO, trusted);
	/*
	 * HTTP/2 over TLS when the server offers it, and then one
	 * connection carries many requests: a new one waits for the first
	 * to say whether it multiplexes rather than open its own.
	 */
	curl.easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl.easy_setopt(c, CURLOPT_PIPEWAIT, 1L);
	/*
	 * Answers are small and requests many: smaller buffers than
	 * libcurl's (16 KiB in, 64 KiB out) keep hundreds in flight within
	 * the memory bar.
	 */
	curl.easy_setopt(c, CURLOPT_BUFFERSIZE, BUFFER);
	curl.easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, UPLOAD_BUFFER);
	curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl.easy_setopt(c, CURLOPT_WRITEDATA, x);
	if (curl.multi_add_handle(p->multi, c) != CURLM_OK) {
		xfer_free(x);
		return log_errorx("%s: curl_multi_add_handle failed", what);
	}
	p->running++;
	return 0;
}

size_t
http_pool_running(const struct http_pool *p)
{
	return p->running;
}

static void
finish(struct http_pool *p, CURLMsg *m, http_done_fn done, void *arg)
{
	struct xfer *x;
	curl_off_t after;
	int result = HTTP_OK;

	curl.easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
	curl.multi_remove_handle(p->multi, m->easy_handle);
	p->running--;
	if (m->data.result == CURLE_OK) {
		curl.easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE,
		    &x->resp.status);
		/* Seconds or an HTTP date, libcurl makes it seconds. */
		if (curl.easy_getinfo(x->easy, CURLINFO_RETRY_AFTER,
		    &after) == CURLE_OK && after > 0)
			x->resp.retry_after = after > MAX_RETRY_AFTER ?
			    MAX_RETRY_AFTER : (long)after;
		if (x->resp.body == NULL)
			x->resp.body = xstrdup("");
	} else {
		/* The error buffer names the host, never the path. */
		log_errorx("%s: %s", x->what, x->err[0] != '\0' ? x->err :
		    curl.easy_strerror(m->data.result));
		result = HTTP_TEMPFAIL;
	}
	done(x->tag, result, &x->resp, arg);
	http_response_release(&x->resp);
	curl.slist_free_all(x->hdr);
	x->hdr = NULL;
	curl.mime_free(x->mime);
	x->mime = NULL;
	x->out = NULL;
	x->next = p->idle;
	p->idle = x;
}

/* Hand back every finished request; how many there were. */
static size_t
collect(struct http_pool *p, http_done_fn done, void *arg)
{
	CURLMsg *m;
	size_t n = 0;
	int left;

	while ((m = curl.multi_info_read(p->multi, &left)) != NULL)
		if (m->msg == CURLMSG_DONE) {
			finish(p, m, done, arg);
			n++;
		}
	return n;
}

int
http_pool_poll(struct http_pool *p, int wait_ms, http_done_fn done,
    void *arg)
{
	struct epoll_event ev[256];
	int i, n, ms = wait_ms, flags, still;
	double now = monotime_now();

	if (p->timer_at >= 0 && (p->timer_at - now) * 1000 < ms)
		ms = p->timer_at <= now ? 0 : (int)((p->timer_at - now) * 1000) +
		    1;
	if ((n = epoll_wait(p->epfd, ev, sizeof(ev) / sizeof(ev[0]),
	    ms < 0 ? 0 : ms)) == -1) {
		if (errno != EINTR)
			return log_error("epoll_wait");
		n = 0;
	}
	for (i = 0; i < n; i++) {
		flags = ((ev[i].events & EPOLLIN) ? CURL_CSELECT_IN : 0) |
		    ((ev[i].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
		    ((ev[i].events & (EPOLLERR | EPOLLHUP)) ?
		    CURL_CSELECT_ERR : 0);
		if (curl.multi_socket_action(p->multi, ev[i].data.fd, flags,
		    &still) != CURLM_OK)
			return log_errorx("curl_multi_socket_action failed");
	}
	if (p->timer_at >= 0 && monotime_now() >= p->timer_at) {
		p->timer_at = -1;
		if (curl.multi_socket_action(p->multi, CURL_SOCKET_TIMEOUT, 0,
		    &still) != CURLM_OK)
			return log_errorx("curl_multi_socket_action failed");
	}
	(void)collect(p, done, arg);
	return 0;
}

/* http_request's one answer. */
struct single {
	int	 done;
	int	 result;
	struct http_response *resp;
};

static void
single_done(void *tag, int result, const struct http_response *r, void *arg)
{
	struct single *s = arg;

	s->done = 1;
	s->result = result;
	if (result == HTTP_OK) {
		s->resp->status = r->status;
		s->resp->retry_after = r->retry_after;
		s->resp->body = xstrndup(r->body, r->len);
		s->resp->len = r->len;
	}
}

int
http_request(const char *what, const struct http_req *req, long timeout,
    struct http_response *resp)
{
	struct single s = { 0, HTTP_TEMPFAIL, resp };
	struct http_pool *p;

	memset(resp, 0, sizeof(*resp));
	if ((p = http_pool_new(timeout, 1)) == NULL)
		return HTTP_TEMPFAIL;
	if (http_pool_add(p, what, req, NULL) == 0)
		while (!s.done && http_pool_poll(p, 1000, single_done, &s) == 0)
			;
	http_pool_free(p);
	return s.result;
}

void
http_response_release(struct http_response *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
	r->retry_after = 0;
}
