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

/* Why a message is bulk mail, or NULL when a person sent it. */
static const char *bulk_reason(GMimeObject *m)
{
	const char *v;

	if (g_mime_object_get_header(m, "List-Id"))
		return "mailing-list mail (List-Id)";
	if (g_mime_object_get_header(m, "List-Unsubscribe"))
		return "bulk mail (List-Unsubscribe)";
	if ((v = g_mime_object_get_header(m, "Precedence")) &&
	    (strcasestr(v, "bulk") || strcasestr(v, "list") || strcasestr(v, "junk")))
		return "bulk mail (Precedence)";
	if ((v = g_mime_object_get_header(m, "Auto-Submitted")) &&
	    strncasecmp(v + strspn(v, " \t"), "no", 2) != 0)
		return "automatic mail (Auto-Submitted)";
	return NULL;
}

/* Adds every mailbox of a list (groups opened up) to the event. */
static int add_list(kith__event *e, InternetAddressList *list)
{
	int n = list ? internet_address_list_length(list) : 0;
	int rc = KITH_OK;

	for (int i = 0; i < n && !rc; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			rc = add_list(e, internet_address_group_get_members(
			                    INTERNET_ADDRESS_GROUP(ia)));
		} else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *addr = internet_address_mailbox_get_addr(
			                       INTERNET_ADDRESS_MAILBOX(ia));
			if (addr && *addr)
				rc = kith__event_add(e, addr, internet_address_get_name(ia));
		}
	}
	return rc;
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

static int one_message(GMimeMessage *msg, const char *marker, int64_t line,
                       const kith__sink *s, kith_error *err)
{
	GMimeObject *obj = GMIME_OBJECT(msg);
	InternetAddressList *from = g_mime_message_get_from(msg);
	kith__event e = {0};
	const char *why, *id, *subj;
	GDateTime *dt;
	GString *all;
	int rc;

	e.line = line;
	e.kind = "email";
	e.first_initiates = 1;
	if ((why = bulk_reason(obj)))
		return kith__issue(s, line, KITH_ISSUE_SKIPPED, err, "%s", why);
	rc = add_list(&e, from);
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
		rc = add_list(&e, g_mime_message_get_to(msg));
	if (!rc)
		rc = add_list(&e, g_mime_message_get_cc(msg));
	if (rc) {
		kith__event_clear(&e);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	dt = g_mime_message_get_date(msg);
	e.at = dt ? g_date_time_to_unix(dt) : marker_date(marker);
	if (e.at <= 0) {
		kith__event_clear(&e);
		return kith__issue(s, line, KITH_ISSUE_REJECTED, err, "no usable Date");
	}
	subj = g_mime_message_get_subject(msg);
	if (subj && *subj && kith__set_field(&e.notes, subj, strlen(subj))) {
		kith__event_clear(&e);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	id = g_mime_message_get_message_id(msg);
	if (id && *id && kith__set_field(&e.key, id, strlen(id))) {
		kith__event_clear(&e);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	/* Without a Message-ID, what identifies a message is who, when, what. */
	all = g_string_new("");
	g_string_append_printf(all, "%lld\x1f%s", (long long)e.at, subj ? subj : "");
	for (size_t i = 0; i < e.nparties; i++)
		g_string_append_printf(all, "\x1f%s", e.parties[i].email);
	kith__digest(all->str, all->len, e.digest);
	g_string_free(all, TRUE);
	rc = s->event ? s->event(s->ctx, &e, err) : KITH_OK;
	kith__event_clear(&e);
	return rc;
}

int kith__mbox_parse(const char *buf, size_t len, const kith__sink *s,
                     kith_error *err)
{
	static GOnce once = G_ONCE_INIT;
	GByteArray *arr;
	GMimeStream *stream;
	GMimeParser *parser;
	size_t lpos = 0, last = 0;
	int64_t lline = 1;
	int rc = KITH_OK;

	g_once(&once, init_gmime, NULL);
	if (len == 0)
		return KITH_OK;
	if (len < 5 || memcmp(buf, "From ", 5) != 0)
		return kith__issue(s, 1, KITH_ISSUE_REJECTED, err,
		                   "not an mbox (no \"From \" line first)");
	/* Read the buffer in place: the byte array borrows it and the stream
	 * is told not to free it. */
	arr = g_byte_array_new_take((guint8 *)(void *)buf, len);
	stream = g_mime_stream_mem_new_with_byte_array(arr);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
	while (!rc && !g_mime_parser_eos(parser)) {
		GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
		gint64 off = g_mime_parser_get_mbox_marker_offset(parser);
		int64_t line;
		if (!msg)
			break;
		line = off >= 0 && (size_t)off <= len ?
		       kith__line_at(buf, (size_t)off, &lpos, &lline) : 0;
		/* The marker is a copy the caller owns. */
		char *marker = g_mime_parser_get_mbox_marker(parser);
		rc = one_message(msg, marker, line, s, err);
		g_free(marker);
		g_object_unref(msg);
		if (s->progress && off > 0 && (size_t)off - last > (1u << 20)) {
			s->progress(s->ctx, (size_t)off, len);
			last = (size_t)off;
		}
	}
	g_object_unref(parser);
	g_object_unref(stream);
	g_byte_array_free(arr, FALSE);
	if (!rc && s->progress)
		s->progress(s->ctx, len, len);
	return rc;
}
