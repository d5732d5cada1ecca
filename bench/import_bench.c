/*
 * import_bench: throughput of capture.  Generates N vCards (default
 * 100,000) and an mbox of M messages (default 200,000) in /tmp from a
 * fixed seed, imports each into a fresh database, imports it again (the
 * idempotent path), and prints MB/s.
 *
 *   build/bench/import_bench [--cards N] [--messages M] [--dir DIR]
 *                            [--only vcard|mbox] [--bulk auto|on|off]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kith/kith.h"
#include "kith/import.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static const char *const given[] = {"Zoë", "Ana", "Kwame", "Priya", "Chinedu",
	"Åsa", "Kenji", "Mira", "Olga", "Tomás", "Fatima", "Søren", "Lena", "Marc",
	"Ines", "Jon", "Chiara", "Raphaël", "Aoife", "Mateo"};
static const char *const family[] = {"Dupont", "Silva", "Mensah", "Raman",
	"Okafor", "Lindqvist", "Watanabe", "Novák", "Petrova", "Ortega", "Zahra",
	"Øvergaard", "Vogel", "Leroy", "Ferreira", "Smith", "Bianchi", "Müller",
	"Murphy", "García"};
static const char *const cities[] = {"Lyon", "Porto", "Accra", "Chennai", "Lagos",
	"Malmö", "Tokyo", "Prague", "Kazan", "Seville"};

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this process: on a shared machine, wall time also counts
 * what other programs took, so both are printed. */
static double cpu_s(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static void gen_cards(const char *path, long n)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	for (long i = 0; i < n; i++) {
		const char *g = given[next() % 20], *fa = family[next() % 20];
		long org = (long)(next() % 2000);
		fprintf(f, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bench-%ld\r\n"
		        "N:%s;%s;;;\r\nFN:%s %s\r\n"
		        "EMAIL;TYPE=INTERNET;TYPE=WORK:p%ld@org%ld.example\r\n"
		        "EMAIL;TYPE=INTERNET;TYPE=HOME:person.%ld@mail.example\r\n"
		        "TEL;TYPE=CELL:+33 6 %02d %02d %02d %02d\r\n"
		        "ADR;TYPE=HOME:;;%ld Main Street;%s;;%05ld;France\r\n"
		        "ORG:Org %ld\r\nTITLE:Engineer\r\n"
		        "CATEGORIES:bench,team%ld\r\n"
		        "NOTE:Met at the %ld meetup\\, talked about energy\\; follow up.\r\n"
		        "END:VCARD\r\n", i, fa, g, g, fa, i, org, i,
		        (int)(i / 1000000 % 100), (int)(i / 10000 % 100), (int)(i / 100 % 100),
		        (int)(i % 100), i % 200, cities[next() % 10], i % 99999, org,
		        i % 10, i % 50);
	}
	fclose(f);
}

static void gen_mbox(const char *path, long n, long people)
{
	FILE *f = fopen(path, "w");
	time_t t0 = 1735689600;  /* 2025-01-01 */

	if (!f) {
		perror(path);
		exit(1);
	}
	for (long i = 0; i < n; i++) {
		long a = (long)(next() % (uint64_t)people), b = (long)(next() % (uint64_t)people);
		long c = (long)(next() % (uint64_t)people);
		time_t t = t0 + i * 60;
		char date[64];
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", gmtime(&t));
		fprintf(f, "From p%ld@bench.example Mon Jan  1 00:00:00 2025\n"
		        "Message-ID: <m%ld@bench.example>\nDate: %s\n"
		        "From: %s %s <p%ld@bench.example>\nTo: p%ld@bench.example\n"
		        "Cc: \"%s %s\" <p%ld@bench.example>\nSubject: Project update %ld\n"
		        "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n",
		        a, i, date, given[a % 20], family[a / 20 % 20], a, b,
		        given[c % 20], family[c / 20 % 20], c, i);
		for (int l = 0; l < 10; l++)
			fprintf(f, "Line %d of the message body, with some words to carry it along.\n", l);
		fputc('\n', f);
		if (i % 10 == 0)  /* some list mail, skipped by rule */
			fprintf(f, "From news@bench.example Mon Jan  1 00:00:00 2025\n"
			        "Date: %s\nFrom: news@bench.example\nTo: p1@bench.example\n"
			        "List-Id: <news.bench.example>\nSubject: News\n\nNews.\n\n", date);
	}
	fclose(f);
}

static long fsize(const char *p)
{
	FILE *f = fopen(p, "r");
	long n;

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

static int bulk;  /* kith_import_opts.bulk */

static int run(const char *label, const char *db_path, const char *file, int fresh)
{
	kith_import_opts o = {.bulk = bulk};
	kith_db *db;
	kith_error err;
	kith_import_report r;
	double t, cpu;
	long size = fsize(file);

	if (fresh) {
		char p[600];
		snprintf(p, sizeof(p), "%s", db_path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-wal", db_path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", db_path);
		unlink(p);
	}
	if (kith_db_open(db_path, KITH_OPEN_CREATE, &db, &err)) {
		fprintf(stderr, "open: %s\n", err.msg);
		return 1;
	}
	kith_db_set_now(db, 1795435200);
	t = now_s();
	cpu = cpu_s();
	if (kith_import_file(db, file, &o, &r, &err)) {
		fprintf(stderr, "import: %s\n", err.msg);
		kith_db_close(db);
		return 1;
	}
	t = now_s() - t;
	cpu = cpu_s() - cpu;
	printf("%-26s %7.1f MB %7.2f s %6.1f MB/s (cpu %6.2f s %6.1f MB/s) %8lld records"
	       " (%lld new, %lld merged, %lld unchanged, %lld skipped, %lld rejected)%s\n",
	       label, (double)size / 1e6, t, (double)size / 1e6 / t, cpu,
	       (double)size / 1e6 / cpu, (long long)r.records, (long long)r.created,
	       (long long)r.merged, (long long)r.unchanged, (long long)r.skipped,
	       (long long)r.rejected, r.bulk ? " bulk" : "");
	kith_import_report_clear(&r);
	kith_db_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	long cards = 100000, messages = 200000;
	const char *dir = "/tmp", *only = "";
	char vcf[512], mbox[512], dbp[512];

	/* As the kith command does (cli/main.c). */
	if (kith_setup_threads(NULL)) {
		fprintf(stderr, "SQLite already in use\n");
		return 1;
	}
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--cards") == 0)
			cards = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--messages") == 0)
			messages = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--dir") == 0)
			dir = argv[i + 1];
		else if (strcmp(argv[i], "--only") == 0)
			only = argv[i + 1];
		else if (strcmp(argv[i], "--bulk") == 0)
			bulk = strcmp(argv[i + 1], "on") == 0 ? KITH_IMPORT_BULK_ON :
			       strcmp(argv[i + 1], "off") == 0 ? KITH_IMPORT_BULK_OFF :
			       KITH_IMPORT_BULK_AUTO;
	}
	if (strcmp(only, "vcard") == 0)
		messages = 0;
	else if (strcmp(only, "mbox") == 0)
		cards = 0;
	snprintf(vcf, sizeof(vcf), "%s/kith-bench.vcf", dir);
	snprintf(mbox, sizeof(mbox), "%s/kith-bench.mbox", dir);
	snprintf(dbp, sizeof(dbp), "%s/kith-bench-import.db", dir);
	printf("generating %ld vCards and %ld messages in %s\n", cards, messages, dir);
	if (cards > 0) {
		gen_cards(vcf, cards);
		if (run("vcard, new database", dbp, vcf, 1) ||
		    run("vcard, again (unchanged)", dbp, vcf, 0))
			return 1;
	}
	if (messages > 0) {
		gen_mbox(mbox, messages, messages / 20 > 1000 ? messages / 20 : 1000);
		if (run("mbox, new database", dbp, mbox, 1) ||
		    run("mbox, again (unchanged)", dbp, mbox, 0))
			return 1;
	}
	return 0;
}
