#ifndef KITH_CLI_COMMANDS_H
#define KITH_CLI_COMMANDS_H

/* Every subcommand's entry point (one per cli/cmd_NAME.c). */
struct cli;

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_me(struct cli *c, int argc, char **argv);
int cmd_add(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_find(struct cli *c, int argc, char **argv);
int cmd_edit(struct cli *c, int argc, char **argv);
int cmd_rm(struct cli *c, int argc, char **argv);
int cmd_link(struct cli *c, int argc, char **argv);
int cmd_unlink(struct cli *c, int argc, char **argv);
int cmd_log(struct cli *c, int argc, char **argv);
int cmd_timeline(struct cli *c, int argc, char **argv);
int cmd_tag(struct cli *c, int argc, char **argv);
int cmd_work(struct cli *c, int argc, char **argv);
int cmd_kind(struct cli *c, int argc, char **argv);
int cmd_stats(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);

/* Relationship intelligence. */
int cmd_strength(struct cli *c, int argc, char **argv);
int cmd_orbits(struct cli *c, int argc, char **argv);
int cmd_due(struct cli *c, int argc, char **argv);
int cmd_balance(struct cli *c, int argc, char **argv);
int cmd_vouch(struct cli *c, int argc, char **argv);
int cmd_cadence(struct cli *c, int argc, char **argv);
int cmd_like(struct cli *c, int argc, char **argv);

/* Network queries. */
int cmd_path(struct cli *c, int argc, char **argv);
int cmd_intro(struct cli *c, int argc, char **argv);
int cmd_near(struct cli *c, int argc, char **argv);
int cmd_mutual(struct cli *c, int argc, char **argv);
int cmd_degree(struct cli *c, int argc, char **argv);
int cmd_reach(struct cli *c, int argc, char **argv);

/* Capture. */
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_merge(struct cli *c, int argc, char **argv);
int cmd_dupes(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_member(struct cli *c, int argc, char **argv);
int cmd_ways(struct cli *c, int argc, char **argv);
int cmd_ask(struct cli *c, int argc, char **argv);
int cmd_intros(struct cli *c, int argc, char **argv);
int cmd_goodwill(struct cli *c, int argc, char **argv);
int cmd_leaves(struct cli *c, int argc, char **argv);
int cmd_candidate(struct cli *c, int argc, char **argv);

/* Keeping it safe. */
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
/* Prints what a verified backup holds (cmd_backup.c), for backup and restore. */
struct kith_backup_info;
void cli_backup_print(struct cli *c, const char *path, const struct kith_backup_info *i,
                      const char *verb);

#endif
