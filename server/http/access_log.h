#ifndef KITH_SERVER_ACCESS_LOG_H
#define KITH_SERVER_ACCESS_LOG_H

/*
 * The access log: one line per request,
 *
 *     TIME ADDR METHOD PATH STATUS BYTES MS MEMBER
 *     2026-12-06T09:46:33.120Z 127.0.0.1 GET /api/v1/search?q=ana 200 1532 3.2 1
 *
 * TIME is UTC to the millisecond, PATH the path and query with the value
 * of every parameter whose name looks like a secret (token, password,
 * key, secret, auth, signature, session) written REDACTED, and every byte
 * that is not printable ASCII, a space, '%' or '"' percent-encoded, so a
 * line is one line and a field holds no space; STATUS is "-" when no
 * answer was sent, BYTES the body's size, MS the time from the request's
 * head to the end of its answer, MEMBER the signed-in member's id or "-".
 *
 * A request thread only copies its line into a buffer; one thread writes
 * the buffer out, so a slow disk or a full pipe never holds a request.
 * When the buffer is full, lines are dropped and counted, and a line says
 * how many once the log takes them again.
 */

#include "api.h"

/* Opens the log: where is a file (appended to, created 0640), NULL or
 * "-" for stderr, "off" for none.  0, or -1 after one line on stderr. */
int access_log_open(const char *where);
/* Opens the file again (after logrotate moved it: SIGHUP).  0 when
 * there is no file to reopen; -1 after a line on stderr, the old file
 * kept. */
int access_log_reopen(void);
/* Whether the log is a file (which SIGHUP reopens). */
int access_log_is_file(void);
/* Notes who asked and what, at r's first call (r->logged). */
void access_log_begin(struct req *r);
/* Writes r's line; r is done. */
void access_log_end(struct req *r);
/* Writes out what is buffered, waiting at most 250 ms for a file or pipe
 * that takes nothing (then the process's exit ends the writer), and
 * closes it. */
void access_log_close(void);

#endif
