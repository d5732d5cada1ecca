/* The one table of kith subcommands, in the order `kith --help` shows. */
#include "cli.h"

const struct cli_command cli_commands[] = {
	{"init",     cmd_init,     "create a database (and say who you are)"},
	{"me",       cmd_me,       "show or set who \"me\" is"},
	{"add",      cmd_add,      "add a person or an organisation"},
	{"show",     cmd_show,     "show a person or an organisation"},
	{"list",     cmd_list,     "list people, orgs, links or tags"},
	{"find",     cmd_find,     "search names, notes, emails, tags"},
	{"edit",     cmd_edit,     "change a person, an org or a link"},
	{"rm",       cmd_rm,       "delete people, an org, an interaction or a job"},
	{"tag",      cmd_tag,      "tag a person, or list tags"},
	{"work",     cmd_work,     "record where someone works or worked"},
	{"link",     cmd_link,     "link two people (kind, trust, since)"},
	{"unlink",   cmd_unlink,   "remove a link between two people"},
	{"log",      cmd_log,      "record an interaction (meeting, call, favour...)"},
	{"timeline", cmd_timeline, "interactions with a person, newest first"},
	{"kind",     cmd_kind,     "list or add kinds of links and interactions"},
	{"stats",    cmd_stats,    "summary of the network"},
	{"demo",     cmd_demo,     "fill the database with a generated demo network"},
	/* network queries */
	{"path",     cmd_path,     "degrees of separation and shortest chains"},
	{"intro",    cmd_intro,    "the warmest chain of introductions to someone"},
	{"near",     cmd_near,     "people within N links who match filters"},
	{"mutual",   cmd_mutual,   "contacts two people have in common"},
	{"degree",   cmd_degree,   "how many people at each distance"},
	{"reach",    cmd_reach,    "everyone within N links"},
	/* relationship intelligence */
	{"orbits",   cmd_orbits,   "my network in layers, from inner circle out"},
	{"due",      cmd_due,      "who to reach out to: overdue or going dry"},
	{"strength", cmd_strength, "how strong a relationship is, and why"},
	{"balance",  cmd_balance,  "favours given and received: who owes whom"},
	{"vouch",    cmd_vouch,    "record that A vouches for B"},
	{"cadence",  cmd_cadence,  "how often to be in touch, per person or orbit"},
	{"like",     cmd_like,     "people who share someone's tags and values"},
	/* capture */
	{"import",   cmd_import,   "import vCard, CSV (LinkedIn, Google, Outlook, Thunderbird, ...), mbox, iCalendar"},
	{"export",   cmd_export,   "export vCard, CSV, JSON, GraphML or DOT"},
	{"merge",    cmd_merge,    "merge two records of one person into the first"},
	{"dupes",    cmd_dupes,    "people who are likely the same person"},
	/* keeping it safe */
	{"backup",   cmd_backup,   "a verified copy of the database, while it is in use"},
	{"restore",  cmd_restore,  "replace the database with a verified backup"},
	{"check",    cmd_check,    "verify the database and kith's caches"},
	/* the team */
	{"serve",    cmd_serve,    "serve the HTTP/JSON API and the web UI"},
	{"member",   cmd_member,   "team members and their sign-in tokens"},
	{"ways",     cmd_ways,     "who on the team can get us into an organisation"},
	{"ask",      cmd_ask,      "ask a teammate for an introduction"},
	{"intros",   cmd_intros,   "introduction requests to me and from me"},
	{"goodwill", cmd_goodwill, "the team's relationships, introductions and favours over time"},
	{"leaves",   cmd_leaves,   "what would leave with a member"},
	{"candidate", cmd_candidate, "how close a candidate is to the team"},
	{NULL, NULL, NULL}
};
