/*
 * mbox (GMime 3): each message becomes an email interaction among its
 * sender and its To and Cc recipients, at the message's Date.  Mail no
 * person wrote to a person is skipped by rule: list mail (List-Id,
 * List-Unsubscribe, Precedence: bulk/list/junk), machine mail
 * (Auto-Submitted) and anything from a no-reply address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <gmime/gmime.h>

#include "import_impl.h"

static gpointer init_gmime(gpointer unused)
{
	(void)unused;
	g_mime_init();
	return NULL;
}

/* Appends every mailbox of a list (groups opened up) to g as "address\0name\0"
 * (an empty name when there is none). */
static void flatten(GString *g, InternetAddressList *list)
{
	int n = list ? internet_address_list_length(list) : 0;

	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			flatten(g, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
		} else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *addr = internet_address_mailbox_get_addr(
			                       INTERNET_ADDRESS_MAILBOX(ia));
			const char *name = internet_address_get_name(ia);
			if (addr && *addr) {
				g_string_append_len(g, addr, (gssize)strlen(addr) + 1);
				g_string_append_len(g, name ? name : "", (gssize)strlen(name ? name : "") + 1);
			}
		}
	}
}

/* The date of the "From " line ("From a@b Mon Jan  1 00:00:00 2024"),
 * for messages without a usable Date header. */
static int64_t marker_date(const char *marker)
{
	const char *sp = marker ? strchr(marker, ' ') : NULL;
	GDateTime *dt;
	int64_t t = 0;

	if (!sp)
		return 0;
	dt = g_mime_utils_header_decode_date(sp + 1);
	if (dt) {
		t = g_date_time_to_unix(dt);
		g_date_time_unref(dt);
	}
	return t;
}

/*
 * Only the header block of a message is read.  GMime's message parser
 * builds the whole MIME tree (a GObject per header, part and parameter)
 * and capped an import at about 23 MB/s, nearly all of it spent on
 * bodies this import never looks at.  So the mbox is split here, at each
 * line that starts with "From " (GMime's own rule for the mbox format),
 * the header block is cut at its first empty line, and the headers that
 * matter are unfolded here; their values are still parsed by GMime:
 * addresses (groups, quoting, comments, encoded words), dates in any
 * but the usual form (maildate.c reads that one), encoded subjects and
 * message ids.  Writing those by hand would be the part that goes wrong.
 */
enum { H_FROM, H_TO, H_CC, H_DATE, H_SUBJECT, H_ID, H_LIST_ID, H_LIST_UNSUB,
       H_PRECEDENCE, H_AUTO, H_COUNT };

static const char *const hdr_names[H_COUNT] = {
	"From", "To", "Cc", "Date", "Subject", "Message-ID", "List-Id",
	"List-Unsubscribe", "Precedence", "Auto-Submitted"};

/* A header's raw value: a span of the input, folding and all. */
typedef struct span {
	int kind;
	const char *p;
	size_t n;
} span;

/*
 * Address headers parsed, by their unfolded value.  People write to the
 * same few people again and again, and their mail clients write the same
 * header for the same person, so most From, To and Cc values of a mailbox
 * have been parsed before; GMime builds an object per address, which was
 * most of the reading time.  A value maps to its mailboxes as
 * "address\0name\0...\0", exactly what the parse gave.  Bounded: when full
 * it starts again.
 */
#define ADDR_CACHE_MAX 262144

/* One message's headers of interest, and what is kept from one message
 * to the next (owned; msg_free). */
typedef struct msg {
	span *v;
	size_t n, cap;
	char *buf;      /* an unfolded value, NUL-terminated */
	size_t bufcap;
	GHashTable *addrs;  /* value -> mailboxes, see above */
} msg;

static void msg_free(msg *m)
{
	free(m->v);
	free(m->buf);
	if (m->addrs)
		g_hash_table_destroy(m->addrs);
}

static int hdr_kind(const char *name, size_t n)
{
	for (int k = 0; k < H_COUNT; k++)
		if (strlen(hdr_names[k]) == n && strncasecmp(hdr_names[k], name, n) == 0)
			return k;
	return -1;
}

static int msg_push(msg *m, int kind, const char *p, size_t n)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		span *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return KITH_ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = (span){kind, p, n};
	return KITH_OK;
}

/* Reads the header block of [p, end) into m.  The block ends at the first
 * empty line.  A line that is not a header is passed over, as GMime's
 * parser does, so a damaged line does not hide the headers after it. */
static int read_headers(const char *p, const char *end, msg *m)
{
	m->n = 0;
	while (p < end && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *stop = eol ? eol : end, *colon, *name_end, *v;
		int kind = -1;

		/* The value runs on over continuation lines. */
		while (eol && eol + 1 < end && (eol[1] == ' ' || eol[1] == '\t'))
			eol = memchr(eol + 1, '\n', (size_t)(end - eol - 1));
		colon = memchr(p, ':', (size_t)(stop - p));
		if (colon && *p != ' ' && *p != '\t') {
			for (name_end = colon; name_end > p && (name_end[-1] == ' ' || name_end[-1] == '\t'); name_end--)
				;
			kind = hdr_kind(p, (size_t)(name_end - p));
		}
		v = colon ? colon + 1 : NULL;
		if (kind >= 0 && msg_push(m, kind, v, (size_t)((eol ? eol : end) - v)))
			return KITH_ENOMEM;
		if (!eol)
			return KITH_OK;
		p = eol + 1;
	}
	return KITH_OK;
}

/* The value of span s unfolded and trimmed, in m's buffer (valid until
 * the next call), or NULL on OOM.  A NUL byte in the value ends it. */
static const char *unfold(msg *m, const span *s)
{
	size_t j = 0;

	if (s->n + 1 > m->bufcap) {
		char *b = realloc(m->buf, s->n + 1);
		if (!b)
			return NULL;
		m->buf = b;
		m->bufcap = s->n + 1;
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] != '\r' && s->p[i] != '\n')
			m->buf[j++] = s->p[i];
	while (j > 0 && (m->buf[j - 1] == ' ' || m->buf[j - 1] == '\t'))
		j--;
	m->buf[j] = '\0';
	return m->buf + strspn(m->buf, " \t");
}

/* The first header of a kind, unfolded (m's buffer), or NULL; *oom is set
 * when memory ran out. */
static const char *first_of(msg *m, int kind, int *oom)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].kind == kind) {
			const char *v = unfold(m, &m->v[i]);
			*oom |= v == NULL;
			return v;
		}
	return NULL;
}

/* The last one: GMime's message takes the last Date, Subject and
 * Message-ID a message has, so this keeps what imports always read. */
static const char *last_of(msg *m, int kind, int *oom)
{
	for (size_t i = m->n; i-- > 0;)
		if (m->v[i].kind == kind) {
			const char *v = unfold(m, &m->v[i]);
			*oom |= v == NULL;
			return v;
		}
	return NULL;
}

/* Why a message is bulk mail, or NULL when a person sent it. */
static const char *bulk_reason(msg *m, int *oom)
{
	const char *v;

	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].kind == H_LIST_ID)
			return "mailing-list mail (List-Id)";
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].kind == H_LIST_UNSUB)
			return "bulk mail (List-Unsubscribe)";
	if ((v = first_of(m, H_PRECEDENCE, oom)) &&
	    (strcasestr(v, "bulk") || strcasestr(v, "list") || strcasestr(v, "junk")))
		return "bulk mail (Precedence)";
	if ((v = first_of(m, H_AUTO, oom)) && strncasecmp(v, "no", 2) != 0)
		return "automatic mail (Auto-Submitted)";
	return NULL;
}

/* The mailboxes of an address header's value, from the cache or parsed
 * into it (m's; valid until the next call). */
static const char *mailboxes(msg *m, const char *v)
{
	const char *known;
	GString *g;
	InternetAddressList *list;

	if (!m->addrs)
		m->addrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if ((known = g_hash_table_lookup(m->addrs, v)))
		return known;
	g = g_string_new(NULL);
	if ((list = internet_address_list_parse(NULL, v))) {
		flatten(g, list);
		g_object_unref(list);
	}
	g_string_append_c(g, '\0');
	if (g_hash_table_size(m->addrs) >= ADDR_CACHE_MAX)
		g_hash_table_remove_all(m->addrs);
	known = g->str;
	g_hash_table_insert(m->addrs, g_strdup(v), g_string_free(g, FALSE));
	return known;
}

/* Adds the mailboxes of every header of a kind, in their order. */
static int add_kind(kith__event *e, msg *m, int kind)
{
	int rc = KITH_OK;

	for (size_t i = 0; i < m->n && !rc; i++) {
		const char *v, *p;
		if (m->v[i].kind != kind)
			continue;
		if (!(v = unfold(m, &m->v[i])))
			return KITH_ENOMEM;
		for (p = mailboxes(m, v); *p && !rc;) {
			const char *addr = p, *name = p + strlen(p) + 1;
			p = name + strlen(name) + 1;
			rc = kith__event_add(e, addr, *name ? name : NULL);
		}
	}
	return rc;
}

/* The event's time: the Date header, else the "From " line's date. */
static int64_t message_time(msg *m, const char *marker, size_t marker_len, int *oom)
{
	const char *v = last_of(m, H_DATE, oom);
	GDateTime *dt;
	int64_t t;
	char *copy;

	if (v && kith__mail_date(v, &t))
		return t;
	if ((dt = v ? g_mime_utils_header_decode_date(v) : NULL)) {
		t = g_date_time_to_unix(dt);
		g_date_time_unref(dt);
		return t;
	}
	if (*oom || !(copy = strndup(marker, marker_len))) {
		*oom = 1;
		return 0;
	}
	t = marker_date(copy);
	free(copy);
	return t;
}

/* Subject and Message-ID into the event.  *subj is the decoded subject
 * (g_free), which the digest reads as it always has: untrimmed. */
static int add_text(kith__event *e, msg *m, char **subj)
{
	int oom = 0;
	const char *v = last_of(m, H_SUBJECT, &oom);
	char *s;

	if (v && *v) {
		if (!(*subj = g_mime_utils_header_decode_text(NULL, v)))
			return KITH_ENOMEM;
		oom |= kith__set_field(&e->notes, *subj, strlen(*subj)) != KITH_OK;
	}
	if (!oom && (v = last_of(m, H_ID, &oom)) && *v) {
		if ((s = g_mime_utils_decode_message_id(v))) {
			oom |= *s && kith__set_field(&e->key, s, strlen(s)) != KITH_OK;
			g_free(s);
		}
	}
	return oom ? KITH_ENOMEM : KITH_OK;
}

/* Without a Message-ID, what identifies a message is who, when, what.
 * The same bytes as ever, or a re-import would see new messages. */
static void event_digest(kith__event *e, const char *subj)
{
	GString *all = g_string_sized_new(256);
	char at[24];

	snprintf(at, sizeof(at), "%lld\x1f", (long long)e->at);
	g_string_append(all, at);
	g_string_append(all, subj ? subj : "");
	for (size_t i = 0; i < e->nparties; i++) {
		g_string_append_c(all, '\x1f');
		g_string_append(all, e->parties[i].email);
	}
	kith__digest(all->str, all->len, e->digest);
	g_string_free(all, TRUE);
}

/* One message, whose "From " line is [marker, marker + mlen) and whose
 * headers are in m: an event, or an issue. */
static int one_message(msg *m, const char *marker, size_t mlen, int64_t line,
                       const kith__sink *s, kith_error *err)
{
	kith__event e = {0};
	const char *why;
	char *subj = NULL;
	int oom = 0, rc;

	e.line = line;
	e.kind = "email";
	e.first_initiates = 1;
	if ((why = bulk_reason(m, &oom)))
		return kith__issue(s, line, KITH_ISSUE_SKIPPED, err, "%s", why);
	rc = oom ? KITH_ENOMEM : add_kind(&e, m, H_FROM);
	if (!rc && e.nparties == 0) {
		kith__event_clear(&e);
		return kith__issue(s, line, KITH_ISSUE_REJECTED, err, "no From address");
	}
	if (!rc && kith__noreply(e.parties[0].email)) {
		rc = kith__issue(s, line, KITH_ISSUE_SKIPPED, err,
		                 "sent from a no-reply address (%.60s)", e.parties[0].email);
		kith__event_clear(&e);
		return rc;
	}
	if (!rc)
		rc = add_kind(&e, m, H_TO);
	if (!rc)
		rc = add_kind(&e, m, H_CC);
	if (!rc)
		e.at = message_time(m, marker, mlen, &oom);
	if (!rc && !oom && e.at <= 0) {
		kith__event_clear(&e);
		return kith__issue(s, line, KITH_ISSUE_REJECTED, err, "no usable Date");
	}
	if (!rc && !oom)
		rc = add_text(&e, m, &subj);
	if (rc || oom) {
		g_free(subj);
		kith__event_clear(&e);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	event_digest(&e, subj);
	g_free(subj);
	rc = s->event ? s->event(s->ctx, &e, err) : KITH_OK;
	kith__event_clear(&e);
	return rc;
}

/* Whether the lines at p open a message's header block: a header line
 * first, and among the first 100 lines up to the empty one a From, Date,
 * Message-ID, Received, To or Subject header.  A body's own "From Russia
 * with love" (a mailbox that did not quote it as ">From ") is followed by
 * prose, or by a line or two that only look like headers. */
static int opens_headers(const char *p, const char *end)
{
	static const char *const names[] = {"From:", "Date:", "Message-ID:", "Received:",
		"To:", "Subject:"};
	int first = 1;

	for (int n = 0; n < 100 && p < end; n++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p;
		const char *stop = eol ? eol : end;
		if (stop == p || (stop - p == 1 && *p == '\r'))
			return 0;  /* the empty line: the block had none of them */
		if (*p != ' ' && *p != '\t') {
			while (q < stop && *q > ' ' && *q < 127 && *q != ':')
				q++;
			if (q == p || q == stop || *q != ':') {
				if (first)
					return 0;
			} else {
				for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
					if ((size_t)(q + 1 - p) == strlen(names[i]) &&
					    strncasecmp(p, names[i], strlen(names[i])) == 0)
						return 1;
			}
		}
		first = 0;
		if (!eol)
			break;
		p = eol + 1;
	}
	return 0;
}

/* Where the message starting at p (its "From " line) ends: at the next
 * line that starts with "From " and is followed by headers, or at end. */
static const char *message_end(const char *p, const char *end)
{
	static const char sep[] = "\nFrom ";
	const char *q = p;

	while ((q = memmem(q, (size_t)(end - q), sep, sizeof(sep) - 1))) {
		const char *eol = memchr(q + 1, '\n', (size_t)(end - q - 1));
		if (!eol)
			return end;  /* a last line "From ..." alone: still the body */
		if (opens_headers(eol + 1, end))
			return q + 1;
		q = eol;
	}
	return end;
}

size_t kith__mbox_start(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	/* blank lines first: a spool cut from a bigger one, or saved by hand */
	for (;;) {
		size_t j = i;
		while (j < len && (data[j] == ' ' || data[j] == '\t' || data[j] == '\r'))
			j++;
		if (j >= len || data[j] != '\n')
			break;
		i = j + 1;
	}
	return len - i >= 5 && memcmp(data + i, "From ", 5) == 0 ? i : len;
}

int kith__mbox_parse(const char *buf, size_t len, const kith__sink *s,
                     kith_error *err)
{
	static GOnce once = G_ONCE_INIT;
	const char *p = buf, *end = buf + len;
	size_t lpos = 0, last = 0, first;
	int64_t lline = 1;
	msg m = {0};
	int rc = KITH_OK;

	g_once(&once, init_gmime, NULL);
	if (len == 0)
		return KITH_OK;
	if ((first = kith__mbox_start(buf, len)) == len)
		return kith__issue(s, 1, KITH_ISSUE_REJECTED, err,
		                   "not an mbox (no \"From \" line first)");
	p = buf + first;
	while (!rc && p < end) {
		const char *next = message_end(p, end);
		const char *eol = memchr(p, '\n', (size_t)(next - p));
		const char *hdr = eol ? eol + 1 : next;
		size_t mlen = (size_t)((eol ? eol : next) - p);
		int64_t line = kith__line_at(buf, (size_t)(p - buf), &lpos, &lline);

		if (mlen > 0 && p[mlen - 1] == '\r')
			mlen--;
		rc = read_headers(hdr, next, &m);
		if (rc)
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		else
			rc = one_message(&m, p, mlen, line, s, err);
		if (s->progress && (size_t)(next - buf) - last > (1u << 20)) {
			last = (size_t)(next - buf);
			s->progress(s->ctx, last, len);
		}
		p = next;
	}
	msg_free(&m);
	if (!rc && s->progress)
		s->progress(s->ctx, len, len);
	return rc;
}
