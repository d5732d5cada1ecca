/*
 * Capture, the pipeline of a bulk import: the parser runs on a thread of
 * its own and hands what it reads to the writer (the caller's thread,
 * which alone touches the database) through a bounded queue, so reading
 * the file and writing the database use both cores of a small machine.
 * Records, issues and progress travel through the one queue in the order
 * the parser emits them, so the writer is called with exactly the
 * sequence it would have been called with directly: the report, line
 * numbers and all, is the same.  Records are moved, not copied: the
 * parsers clear a record after the callback (import_impl.h allows the
 * sink to take its strings), and the queue takes them all.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "import_impl.h"

enum { IT_CONTACT, IT_EVENT, IT_ISSUE, IT_PROGRESS };

typedef struct item {
	int type;
	union {
		kith__contact c;
		kith__event e;
		struct { int64_t line; int level; char *why; } issue;
		struct { size_t done, total; } progress;
	} u;
} item;

/* Items go by batches: one lock and one wake-up per BATCH records. */
#define BATCH 64
#define MAX_BATCHES 16  /* at most about a thousand records in flight */

typedef struct batch {
	struct batch *next;
	size_t n;
	item v[BATCH];
} batch;

typedef struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	batch *head, *tail;    /* full batches, oldest first */
	size_t nbatches;
	batch *spent;          /* delivered, for the parser to free */
	int done;              /* the parser returned parse_rc */
	int stop;              /* the writer failed: the parser should stop */
	int parse_rc;
	kith_error parse_err;
	batch *cur;            /* the parser's batch being filled */
	/* the parse itself */
	int format;
	const char *data;
	size_t len;
	const char *csv_map;
	int64_t now;
} pipe_t;

static void item_clear(item *it)
{
	if (it->type == IT_CONTACT)
		kith__contact_clear(&it->u.c);
	else if (it->type == IT_EVENT)
		kith__event_clear(&it->u.e);
	else if (it->type == IT_ISSUE)
		free(it->u.issue.why);
}

static void batch_free(batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		item_clear(&b->v[i]);
	free(b);
}

static void chain_free(batch *b)
{
	while (b) {
		batch *next = b->next;
		batch_free(b);
		b = next;
	}
}

/* Parser side: queues the batch being filled, waiting for room, and
 * frees the batches the writer is done with.  Records are freed on the
 * thread that made them: glibc's per-thread caches then serve the
 * parser's next allocations, where freeing them on the writer's thread
 * cost a third of the time of an import of unchanged records. */
static int send_batch(pipe_t *p, kith_error *err)
{
	batch *spent;
	int stop;

	pthread_mutex_lock(&p->mu);
	while (p->nbatches >= MAX_BATCHES && !p->stop)
		pthread_cond_wait(&p->room, &p->mu);
	stop = p->stop;
	if (!stop) {
		if (p->tail)
			p->tail->next = p->cur;
		else
			p->head = p->cur;
		p->tail = p->cur;
		p->nbatches++;
		p->cur = NULL;
		pthread_cond_signal(&p->more);
	}
	spent = p->spent;
	p->spent = NULL;
	pthread_mutex_unlock(&p->mu);
	chain_free(spent);
	if (stop)  /* the writer's error is the one reported */
		return kith_error_set(err, KITH_EINTERNAL, "import stopped");
	return KITH_OK;
}

/* Parser side: a free slot of the current batch, or NULL (err set).  A
 * full batch is still here when the writer had stopped: try again, so
 * that a parser calling on after an error gets the error again. */
static item *slot(pipe_t *p, kith_error *err)
{
	if (p->cur && p->cur->n == BATCH && send_batch(p, err))
		return NULL;
	if (!p->cur) {
		if (!(p->cur = malloc(sizeof(*p->cur)))) {
			kith_error_set(err, KITH_ENOMEM, "out of memory");
			return NULL;
		}
		p->cur->next = NULL;
		p->cur->n = 0;
	}
	return &p->cur->v[p->cur->n];
}

/* Parser side: the slot is filled; sends the batch when full. */
static int sent(pipe_t *p, kith_error *err)
{
	return ++p->cur->n == BATCH ? send_batch(p, err) : KITH_OK;
}

static int q_contact(void *ctx, kith__contact *c, kith_error *err)
{
	item *it = slot(ctx, err);

	if (!it)
		return err ? err->code : KITH_EINTERNAL;
	it->type = IT_CONTACT;
	it->u.c = *c;
	memset(c, 0, sizeof(*c));  /* the queue owns its strings now */
	return sent(ctx, err);
}

static int q_event(void *ctx, kith__event *e, kith_error *err)
{
	item *it = slot(ctx, err);

	if (!it)
		return err ? err->code : KITH_EINTERNAL;
	it->type = IT_EVENT;
	it->u.e = *e;
	memset(e, 0, sizeof(*e));
	return sent(ctx, err);
}

static int q_issue(void *ctx, int64_t line, int level, const char *why,
                   kith_error *err)
{
	item *it = slot(ctx, err);
	char *copy;

	if (!it)
		return err ? err->code : KITH_EINTERNAL;
	if (!(copy = strdup(why)))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	it->type = IT_ISSUE;
	it->u.issue.line = line;
	it->u.issue.level = level;
	it->u.issue.why = copy;
	return sent(ctx, err);
}

static void q_progress(void *ctx, size_t done, size_t total)
{
	kith_error ignored;
	item *it = slot(ctx, &ignored);

	if (!it)
		return;  /* a progress report is not worth failing for */
	it->type = IT_PROGRESS;
	it->u.progress.done = done;
	it->u.progress.total = total;
	sent(ctx, &ignored);  /* a stop shows at the next record */
}

static void *parser_main(void *arg)
{
	pipe_t *p = arg;
	kith__sink s = {.contact = q_contact, .event = q_event, .issue = q_issue,
	                .progress = q_progress, .ctx = p, .now = p->now};
	kith_error err;
	int rc;

	kith_error_clear(&err);
	rc = kith__parse(p->format, p->data, p->len, p->csv_map, &s, &err);
	/* What was read before a failure reaches the writer too, as it
	 * would have called directly (a stop ends this quietly). */
	if (p->cur && p->cur->n) {
		kith_error ignored;
		int r = send_batch(p, &ignored);
		if (!rc)
			rc = r;
	}
	pthread_mutex_lock(&p->mu);
	if (p->cur)
		batch_free(p->cur);
	p->cur = NULL;
	p->done = 1;
	p->parse_rc = rc;
	p->parse_err = err;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Writer side: hands back the batch delivered last (or NULL) and takes
 * the next one, or NULL once the parser is done. */
static batch *take(pipe_t *p, batch *done)
{
	batch *b;

	pthread_mutex_lock(&p->mu);
	if (done) {
		done->next = p->spent;
		p->spent = done;
	}
	while (!p->head && !p->done)
		pthread_cond_wait(&p->more, &p->mu);
	b = p->head;
	if (b) {
		p->head = b->next;
		if (!p->head)
			p->tail = NULL;
		b->next = NULL;
		p->nbatches--;
		pthread_cond_signal(&p->room);
	}
	pthread_mutex_unlock(&p->mu);
	return b;
}

static int deliver(const kith__sink *w, item *it, kith_error *err)
{
	switch (it->type) {
	case IT_CONTACT:
		return w->contact ? w->contact(w->ctx, &it->u.c, err) : KITH_OK;
	case IT_EVENT:
		return w->event ? w->event(w->ctx, &it->u.e, err) : KITH_OK;
	case IT_ISSUE:
		return w->issue ? w->issue(w->ctx, it->u.issue.line, it->u.issue.level,
		                           it->u.issue.why, err) : KITH_OK;
	}
	if (w->progress)
		w->progress(w->ctx, it->u.progress.done, it->u.progress.total);
	return KITH_OK;
}

/* Feeds the writer until the parser is done.  After a failure it only
 * drains, so that the parser is never left waiting for room. */
static int write_all(pipe_t *p, const kith__sink *w, kith_error *err)
{
	batch *b = NULL;
	int rc = KITH_OK;

	while ((b = take(p, b))) {
		for (size_t i = 0; !rc && i < b->n; i++)
			rc = deliver(w, &b->v[i], err);
		if (rc) {
			pthread_mutex_lock(&p->mu);
			p->stop = 1;
			pthread_cond_signal(&p->room);
			pthread_mutex_unlock(&p->mu);
		}
	}
	return rc;
}

int kith__parse_piped(int format, const char *data, size_t len,
                      const char *csv_map, const kith__sink *w, kith_error *err)
{
	pipe_t p = {.format = format, .data = data, .len = len, .csv_map = csv_map,
	            .now = w->now};
	pthread_t tid;
	int rc;

	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.more, NULL);
	pthread_cond_init(&p.room, NULL);
	if (pthread_create(&tid, NULL, parser_main, &p) != 0) {
		rc = kith__parse(format, data, len, csv_map, w, err);  /* no thread: inline */
		goto cleanup;
	}
	rc = write_all(&p, w, err);
	pthread_join(tid, NULL);
	chain_free(p.spent);  /* the parser is gone: what it left is ours */
	if (!rc && p.parse_rc) {
		rc = p.parse_rc;
		if (err)
			*err = p.parse_err;
	}
cleanup:
	pthread_cond_destroy(&p.room);
	pthread_cond_destroy(&p.more);
	pthread_mutex_destroy(&p.mu);
	return rc;
}
