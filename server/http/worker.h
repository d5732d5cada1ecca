#ifndef KITH_SERVER_WORKER_H
#define KITH_SERVER_WORKER_H

#include "api.h"

/* Opens the database once to check and migrate it, and notes which file
 * it is (worker_db_moved); 0 or -1 (message on stderr). */
int worker_setup(const char *db_path);
void worker_teardown(void);
/* This thread's worker, opened on first use; NULL with err set. */
struct worker *worker_get(kith_error *err);
/* w's view for member, opened on first use; NULL with err set. */
struct member_view *worker_view(struct worker *w, kith_id member, kith_error *err);

/* Whether the database file is no longer the one the server opened: the
 * path is gone (unlinked) or names another file (renamed over it).  From
 * the first yes on it says yes for good, and one line goes to stderr.
 * Looks at the path at most once a second, or at once when now is set
 * (before a write). */
int worker_db_moved(int now);

/*
 * The cost deadline of a request.  Every SQLite handle of a worker thread
 * has a progress handler that interrupts the statement running (the
 * library then rolls back and returns an error) once the request on
 * that thread should stop: its time budget is spent, the server is
 * stopping (worker_stop_all), or its client has hung up.  The server then
 * answers 503 with the reason, whatever the handler replied.
 */
enum req_stop {
	REQ_RUNNING = 0,
	REQ_OVER_TIME,    /* the request's budget is spent */
	REQ_STOPPING,     /* the server is shutting down */
	REQ_CLIENT_GONE   /* the client closed its connection */
};

/* Starts the clock of r on this thread: a budget of ms milliseconds. */
void req_clock_start(struct req *r, unsigned ms);
/* Stops it: the enum req_stop that ended the request early, or
 * REQ_RUNNING.  A transaction a handle of w was left in is rolled back. */
int req_clock_stop(struct req *r, struct worker *w);
/* A one-line reason for an enum req_stop, for the 503. */
const char *req_stop_reason(int why, unsigned ms);

/* Whether the request r, running on this thread, should give up now:
 * its deadline has passed, the server is stopping or the client has gone
 * (REQ_*, 0 to go on).  Long loops that do not run SQL (XML, filters,
 * multigets) call it every so often and stop with any reply: the server
 * answers 503 in its place.  Cheap: a clock read, and a look at the
 * socket at most every 100 ms.  Once non-zero it stays so for r. */
int req_expired(struct req *r);

/* From now on every request still running stops at its next check
 * (REQ_STOPPING), as do requests that begin after. */
void worker_stop_all(void);

#endif
