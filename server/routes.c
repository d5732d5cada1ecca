/* The top of the server: the one route table of the API, which
 * docs/openapi.json describes exactly (tests/http checks both ways), and
 * kith_serve, which gives the HTTP core (server/http/) this table and the
 * CardDAV handler (server/dav/).  The core and the handlers below do not
 * know each other. */
#include "handlers.h"
#include "dav.h"
#include "server.h"

#define IMPORT_LIMIT (64u << 20)

const struct route api_routes[] = {
	{"GET", "/api/v1/health", api_health, "is the server up", 1, 0, 0},
	{"GET", "/api/v1/me", api_me, "the signed-in member", 0, 0, 0},
	{"GET", "/api/v1/members", api_members, "the team", 0, 0, 0},
	{"POST", "/api/v1/members", api_members_create, "add a member (owner)", 0, 0, 0},
	{"DELETE", "/api/v1/members/{id}", api_members_delete, "remove a member (owner)", 0, 0, 0},
	{"GET", "/api/v1/members/{id}/tokens", api_tokens_list, "a member's tokens (owner)", 0, 0, 0},
	{"POST", "/api/v1/members/{id}/tokens", api_tokens_create, "issue a token (owner)", 0, 0, 0},
	{"DELETE", "/api/v1/tokens/{id}", api_tokens_delete, "revoke a token (owner)", 0, 0, 0},
	{"GET", "/api/v1/people", api_people_list, "list people", 0, 0, 0},
	{"POST", "/api/v1/people", api_people_create, "add a person", 0, 0, 0},
	{"GET", "/api/v1/people/{id}", api_people_get, "one person", 0, 0, 0},
	{"PATCH", "/api/v1/people/{id}", api_people_update, "change a person", 0, 0, 0},
	{"DELETE", "/api/v1/people/{id}", api_people_delete, "remove a person", 0, 0, 0},
	{"POST", "/api/v1/people/{id}/tags", api_people_tags, "tag or untag a person", 0, 0, 0},
	{"GET", "/api/v1/people/{id}/jobs", api_people_jobs, "where they work or worked", 0, 0, 0},
	{"PUT", "/api/v1/people/{id}/cadence", api_people_cadence, "how often to be in touch", 0, 0, 0},
	{"GET", "/api/v1/people/{id}/timeline", api_people_timeline, "their interactions", 0, 0, 0},
	{"GET", "/api/v1/people/{id}/notes", api_notes_list, "notes on a person", 0, 0, 0},
	{"POST", "/api/v1/people/{id}/notes", api_notes_create, "add a note", 0, 0, 0},
	{"DELETE", "/api/v1/notes/{id}", api_notes_delete, "remove a note", 0, 0, 0},
	{"GET", "/api/v1/orgs", api_orgs_list, "list organisations", 0, 0, 0},
	{"POST", "/api/v1/orgs", api_orgs_create, "add an organisation", 0, 0, 0},
	{"GET", "/api/v1/orgs/{id}", api_orgs_get, "one organisation", 0, 0, 0},
	{"PATCH", "/api/v1/orgs/{id}", api_orgs_update, "change an organisation", 0, 0, 0},
	{"DELETE", "/api/v1/orgs/{id}", api_orgs_delete, "remove an organisation", 0, 0, 0},
	{"GET", "/api/v1/orgs/{id}/people", api_orgs_people, "its people, and who knows them", 0, 0, 0},
	{"POST", "/api/v1/jobs", api_jobs_create, "record a job", 0, 0, 0},
	{"GET", "/api/v1/jobs/{id}", api_jobs_get, "one job", 0, 0, 0},
	{"PATCH", "/api/v1/jobs/{id}", api_jobs_update, "change a job", 0, 0, 0},
	{"DELETE", "/api/v1/jobs/{id}", api_jobs_delete, "remove a job", 0, 0, 0},
	{"GET", "/api/v1/tags", api_tags, "tags in use", 0, 0, 0},
	{"GET", "/api/v1/kinds", api_kinds_list, "kinds of links and interactions", 0, 0, 0},
	{"POST", "/api/v1/kinds", api_kinds_create, "add a kind", 0, 0, 0},
	{"GET", "/api/v1/links", api_links_list, "list links", 0, 0, 0},
	{"POST", "/api/v1/links", api_links_create, "link two people", 0, 0, 0},
	{"GET", "/api/v1/links/{id}", api_links_get, "one link", 0, 0, 0},
	{"PATCH", "/api/v1/links/{id}", api_links_update, "change a link", 0, 0, 0},
	{"DELETE", "/api/v1/links/{id}", api_links_delete, "remove a link", 0, 0, 0},
	{"GET", "/api/v1/interactions", api_interactions_list, "list interactions", 0, 0, 0},
	{"POST", "/api/v1/interactions", api_interactions_create, "log an interaction", 0, 0, 0},
	{"GET", "/api/v1/interactions/{id}", api_interactions_get, "one interaction", 0, 0, 0},
	{"PATCH", "/api/v1/interactions/{id}", api_interactions_update, "change an interaction", 0, 0, 0},
	{"DELETE", "/api/v1/interactions/{id}", api_interactions_delete, "remove one", 0, 0, 0},
	{"GET", "/api/v1/search", api_search, "full-text search", 0, 0, 0},
	{"GET", "/api/v1/path", api_path, "degrees of separation", 0, 0, 0},
	{"GET", "/api/v1/intro", api_intro, "strongest introduction chains", 0, 0, 0},
	{"GET", "/api/v1/intro/team", api_intro_team, "best-placed member", 0, 0, 0},
	{"GET", "/api/v1/near", api_near, "people within N degrees", 0, 0, 0},
	{"GET", "/api/v1/mutual", api_mutual, "mutual connections", 0, 0, 0},
	{"GET", "/api/v1/due", api_due, "who to reach out to", 0, 0, 0},
	{"GET", "/api/v1/orbits", api_orbits, "orbits around me", 0, 0, 0},
	{"GET", "/api/v1/vouches", api_vouches_list, "who vouches for whom", 0, 0, 0},
	{"POST", "/api/v1/vouches", api_vouches_create, "record a vouch", 0, 0, 0},
	{"DELETE", "/api/v1/vouches/{id}", api_vouches_delete, "remove a vouch", 0, 0, 0},
	{"GET", "/api/v1/cadences", api_cadences, "keep-in-touch cadences", 0, 0, 0},
	{"PUT", "/api/v1/orbits/{id}/cadence", api_orbit_cadence, "an orbit's cadence (owner)", 0, 0, 0},
	{"GET", "/api/v1/strength", api_strength, "how strong, and why", 0, 0, 0},
	{"GET", "/api/v1/balance", api_balance, "favours given and received", 0, 0, 0},
	{"GET", "/api/v1/like", api_like, "people with shared tags", 0, 0, 0},
	{"GET", "/api/v1/degree", api_degree, "people at each distance", 0, 0, 0},
	{"GET", "/api/v1/reach", api_reach, "everyone within N links", 0, 0, 0},
	{"GET", "/api/v1/dupes", api_dupes, "likely duplicates", 0, 0, 0},
	{"POST", "/api/v1/merge", api_merge, "merge two records of one person", 0, 0, 0},
	{"GET", "/api/v1/stats", api_stats, "network counts", 0, 0, 0},
	/* team intelligence (api_team.c, docs/team.md) */
	{"GET", "/api/v1/orgs/{id}/ways", api_org_ways, "ways into an organisation", 0, 0, 0},
	{"GET", "/api/v1/intro/requests", api_intro_requests_list, "introduction requests", 0, 0, 0},
	{"POST", "/api/v1/intro/requests", api_intro_requests_create, "ask for an introduction", 0, 0, 0},
	{"GET", "/api/v1/intro/requests/{id}", api_intro_requests_get, "one request", 0, 0, 0},
	{"PATCH", "/api/v1/intro/requests/{id}", api_intro_requests_update, "answer or follow up", 0, 0, 0},
	{"GET", "/api/v1/goodwill", api_goodwill, "the team's goodwill", 0, 0, 0},
	{"GET", "/api/v1/leaves", api_leaves, "relationships held by one member", 0, 0, 0},
	{"GET", "/api/v1/members/{id}/leaves", api_member_leaves, "what leaves with a member", 0, 0, 0},
	{"GET", "/api/v1/people/{id}/candidate", api_people_candidate, "a candidate's ties", 0, 0, 0},
	{"POST", "/api/v1/import", api_import, "import a file", 0, IMPORT_LIMIT, 1},
	{"GET", "/api/v1/export", api_export, "export the network", 0, 0, 0},
};

const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);

int api_health(struct req *r)
{
	return reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ok",
	                                    "sqlite", kith_sqlite_version()));
}

int kith_serve(const struct kith_serve_opts *o)
{
	static const struct http_app app = {api_routes, sizeof(api_routes) / sizeof(api_routes[0]),
	                                    dav_owns, dav_handle};

	return http_serve(o, &app);
}

void kith_serve_routes(FILE *out)
{
	for (size_t i = 0; i < api_nroutes; i++)
		fprintf(out, "%s %s\n", api_routes[i].method, api_routes[i].pattern);
}
