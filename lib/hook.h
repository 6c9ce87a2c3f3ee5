/*
 * hook.h: running the administrator's hooks (DESIGN §2.5).
 *
 * For each event, an executable on-<event> in the hooks directory
 * (on-message, on-subscribe, on-unsubscribe, on-erase, on-status,
 * on-unreachable, ...) runs with the event as one JSON line on its
 * standard input, never in its arguments, and its output thrown away.
 * One that runs longer than hook_timeout is killed, with its children;
 * the time counts from its start, also while it does not read its
 * stdin.  It inherits only hb's variables, PATH, HOME, the user's
 * names, TMPDIR, TZ and the locale's: under a web server the rest holds
 * the request's headers, with Telegram's webhook secret among them.
 * A failing hook is logged and changes nothing: the message is stored
 * before any hook runs.
 *
 * Never call it while the store is open: a child would hold its lock.
 */
#ifndef HOOK_H
#define HOOK_H

#include <jansson.h>

#include "conf.h"

#define HOOK_WAIT	0	/* return when every hook has ended */
#define HOOK_DETACH	1	/* return at once; a runner goes on alone */

/* Run the hooks for an array of events, in order. */
int	 hook_run(const struct conf *, const json_t *events, int how);

#endif /* HOOK_H */
