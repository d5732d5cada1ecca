#ifndef KITH_SERVER_WORKER_H
#define KITH_SERVER_WORKER_H

#include "api.h"

/* Opens the database once to check and migrate it; 0 or -1 (message on
 * stderr). */
int worker_setup(const char *db_path);
void worker_teardown(void);
/* This thread's worker, opened on first use; NULL with err set. */
struct worker *worker_get(kith_error *err);
/* w's view for member, opened on first use; NULL with err set. */
struct member_view *worker_view(struct worker *w, kith_id member, kith_error *err);
/* Serves a file of the web UI under root for GET requests. */
int serve_static(struct req *r, const char *root);

#endif
