/* kith ask: ask a teammate for an introduction to someone. */
#include <stdlib.h>

#include "graph_util.h"
#include "team_util.h"
#include "kith/intro_request.h"
#include "kith/member.h"

static const char help[] =
	"usage: kith ask PERSON --of MEMBER [--note TEXT] [--hops H] [--as MEMBER]\n"
	"\n"
	"Asks teammate MEMBER for an introduction to PERSON, along the\n"
	"strongest chain from MEMBER's person (as you see the network).  Only\n"
	"the two of you see the request; follow it with 'kith intros'.\n"
	"\n"
	"  --of MEMBER   the teammate to ask (the chain's first hop)\n"
	"  --note TEXT   why you ask\n"
	"  --hops H      at most H links in the chain (default 4)\n"
	"  --as MEMBER   ask as that member (default: the member who is me)\n";

int cmd_ask(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"of", required_argument, NULL, 'o'}, {"note", required_argument, NULL, 'n'},
		{"hops", required_argument, NULL, 'H'}, {"as", required_argument, NULL, 'a'},
		CLI_COMMON_OPTS, {0}};
	const char *of = NULL, *note = NULL, *as = NULL;
	int ch, rc, hops = KITH_INTRO_DEFAULT_HOPS;
	kith_intro_request q = {0};
	kith_path *v = NULL;
	kith_member m = {0};
	struct tcli t = {0};
	kith_id asked, to;
	size_t n = 0;
	kith_error err;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': of = optarg; break;
		case 'n': note = optarg; break;
		case 'H': if (gcli_int("ask", "--hops", optarg, 1, KITH_INTRO_MAX_HOPS, &hops))
		              return CLI_USAGE;
		          break;
		case 'a': as = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("ask");
		}
	}
	if (argc - optind != 1 || !of)
		return cli_usage_error("ask", "give the person and --of MEMBER");
	if ((rc = tcli_open(c, as, 1, &t)))
		goto done;
	if (!t.member) {
		rc = cli_failf("who is asking? use --as MEMBER");
		goto done;
	}
	if (kith_member_resolve(c->db, of, &asked, &err) || kith_member_get(c->db, asked, &m, &err) ||
	    kith_person_resolve(t.db, argv[optind], &to, NULL, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (!m.person || kith_graph_intro(t.g, m.person, to, hops, 0, &v, &n, &err)) {
		rc = m.person ? cli_fail(&err) : cli_failf("%s has no person in the network", m.name);
		goto done;
	}
	if (!n || v[0].len < 2) {
		rc = cli_failf("no chain of at most %d links from %s", hops, m.name);
		goto done;
	}
	q.chain = v[0].ids;
	q.nchain = v[0].len;
	q.strength = v[0].strength;
	q.note = (char *)note;
	if (kith_db_set_author(c->db, t.member, 0, &err) ||
	    kith_intro_request_add(c->db, t.member, asked, &q, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (c->json) {
		kith_intro_request r;
		if (kith_intro_request_get(c->db, t.member, q.id, &r, &err)) {
			rc = cli_fail(&err);
			goto done;
		}
		rc = cli_print_json(kith_intro_request_json(t.db, &r));
		kith_intro_request_clear(&r);
		goto done;
	}
	printf("Asked %s for an introduction (request #%lld): ", m.name, (long long)q.id);
	gcli_print_path(c, &v[0]);
	printf("  [%.3f]\n", v[0].strength);
done:
	kith_member_clear(&m);
	kith_path_list_free(v, n);
	tcli_close(c, &t);
	return rc;
}
