/*
 * The persistent index: a snapshot written beside the database and mapped
 * by the next process instead of built from SQLite (docs/graph.md, "The
 * index file").
 *
 * The file is a fixed little-endian header and five sections (ids, row
 * starts, neighbours, costs, the direct id table), each 64-byte aligned
 * and with its own checksum.  A reader checks the header (magic, version,
 * its checksum, the file's size, every section's bounds against n and m,
 * the database's identity and the strengths' age) in O(1).  The sections'
 * checksums cost a pass over the file, so they are checked when the file
 * is first met: a stamp file (path + ".ok") remembers the inode, size,
 * mtime and ctime of the file last checked in full, and any write to the
 * index (a flipped byte, a truncation) changes its ctime, which no user
 * can set back.  A file is never trusted before one of the two.
 *
 * A process maps a file once: handles (a server's, one per member and
 * thread) that open the same unchanged file share its mapping, counted.
 *
 * Writing: a temporary file in the same directory, fsync, rename over the
 * old one, fsync of the directory.  A crash at any point leaves the old
 * file or the new one, never a mix.  KITH_GRAPH_INDEX_PAUSE (tests only)
 * makes the writer stop half way for that many milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "graph_impl.h"

#define MAGIC "KITHGRF\n"
#define VERSION 1
#define NSECT 5
#define ALIGN 64

struct sect {
	uint64_t off, len, sum;
};

/* The header as it lies in the file (little-endian: a big-endian host
 * does not use the index at all, see host_ok). */
struct head {
	char magic[8];
	uint32_t version, head_size;
	uint64_t db_id, skey;
	int64_t generation, token, seq, seqtok, scored_at, links, base;
	uint32_t n, flags;
	uint64_t m2, ndirect, file_size;
	struct sect sect[NSECT];
	uint64_t head_sum;    /* of every byte above */
};

_Static_assert(sizeof(struct head) == 248, "the index header is 248 bytes");

enum { S_IDS, S_OFF, S_ADJ, S_COST, S_DIRECT };

static int host_ok(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 1;
}

/* --- the checksum --------------------------------------------------------- */

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL

static inline uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t lane(uint64_t acc, uint64_t w)
{
	return rotl(acc + w * P2, 31) * P1;
}

uint64_t kith__graph_sum(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *b = p;
	uint64_t v[4] = {seed + P1 + P2, seed + P2, seed, seed - P1}, h, w;
	size_t i = 0;

	for (; i + 32 <= len; i += 32)
		for (int k = 0; k < 4; k++) {
			memcpy(&w, b + i + 8 * k, 8);
			v[k] = lane(v[k], w);
		}
	h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18) + len;
	for (; i < len; i++)
		h = rotl(h ^ (b[i] * P3), 11) * P1;
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	return h ^ (h >> 32);
}

/* --- writing --------------------------------------------------------------- */

static int write_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len) {
		ssize_t k = write(fd, c, len > (1u << 30) ? (1u << 30) : len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		len -= (size_t)k;
	}
	return 0;
}

static uint64_t up(uint64_t x)
{
	return (x + ALIGN - 1) / ALIGN * ALIGN;
}

/* The sections of s in file order, with where each goes. */
static void layout(const struct kith__gsnap *s, struct head *h, const void *src[NSECT])
{
	uint64_t at = ALIGN * 4;   /* the header, padded */

	h->sect[S_IDS].len = (uint64_t)s->n * sizeof(kith_id);
	h->sect[S_OFF].len = ((uint64_t)s->n + 1) * sizeof(uint64_t);
	h->sect[S_ADJ].len = s->m2 * sizeof(uint32_t);
	h->sect[S_COST].len = s->m2 * sizeof(float);
	h->sect[S_DIRECT].len = s->direct ? s->ndirect * sizeof(uint32_t) : 0;
	src[S_IDS] = s->ids;
	src[S_OFF] = s->off;
	src[S_ADJ] = s->adj;
	src[S_COST] = s->cost;
	src[S_DIRECT] = s->direct;
	for (int k = 0; k < NSECT; k++) {
		h->sect[k].off = at;
		h->sect[k].sum = kith__graph_sum(src[k], h->sect[k].len, (uint64_t)k);
		at = up(at + h->sect[k].len);
	}
	h->file_size = at;
}

static void pause_for_tests(void)
{
	const char *e = getenv("KITH_GRAPH_INDEX_PAUSE");
	long ms = e ? strtol(e, NULL, 10) : 0;

	if (ms > 0 && ms < 600000)
		usleep((useconds_t)ms * 1000);
}

static void write_stamp(const char *path);

int kith__graph_file_write(const char *path, const struct kith__gsnap *s,
                           const struct kith__gidentity *id, kith_error *err)
{
	static const char zero[ALIGN * 4];
	struct head h;
	const void *src[NSECT];
	char tmp[PATH_MAX], dir[PATH_MAX];
	uint64_t at;
	int fd, rc = KITH_OK;

	if (!host_ok())
		return kith_error_set(err, KITH_EINVAL, "the graph index is little-endian only");
	if (s->pmask || s->hmask || s->n != s->nbase)
		return kith_error_set(err, KITH_EINTERNAL, "write graph index: an overlaid snapshot");
	if (snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return kith_error_set(err, KITH_EINVAL, "graph index path too long");
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, MAGIC, 8);
	h.version = VERSION;
	h.head_size = sizeof(h);
	h.db_id = id->db_id;
	h.skey = id->skey;
	h.generation = s->generation;
	h.token = s->token;
	h.seq = s->seq;
	h.seqtok = s->seqtok;
	h.scored_at = s->scored_at;
	h.links = s->links;
	h.base = s->base;
	h.n = s->n;
	h.m2 = s->m2;
	h.ndirect = s->direct ? s->ndirect : 0;
	layout(s, &h, src);
	h.head_sum = kith__graph_sum(&h, offsetof(struct head, head_sum), 0x6b697468);

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return kith_error_set(err, KITH_EIO, "write graph index %s: %s", tmp, strerror(errno));
	if (write_all(fd, &h, sizeof(h)) || write_all(fd, zero, ALIGN * 4 - sizeof(h)))
		goto io;
	at = ALIGN * 4;
	for (int k = 0; k < NSECT; k++) {
		uint64_t end = up(at + h.sect[k].len);
		if (k == S_ADJ)
			pause_for_tests();
		if (write_all(fd, src[k], h.sect[k].len) ||
		    write_all(fd, zero, (size_t)(end - at - h.sect[k].len)))
			goto io;
		at = end;
	}
	if (fsync(fd))
		goto io;
	close(fd);
	fd = -1;
	if (rename(tmp, path))
		goto io;
	/* The rename is durable once the directory is. */
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	write_stamp(path);
	return KITH_OK;
io:
	rc = kith_error_set(err, KITH_EIO, "write graph index %s: %s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return rc;
}

/* --- the stamp of the last full check ---------------------------------- */

struct stamp {
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
	uint64_t sum;
};

static void stamp_of(const struct stat *sb, struct stamp *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = (uint64_t)sb->st_dev;
	st->ino = (uint64_t)sb->st_ino;
	st->size = (uint64_t)sb->st_size;
	st->mtime_s = sb->st_mtim.tv_sec;
	st->mtime_ns = sb->st_mtim.tv_nsec;
	st->ctime_s = sb->st_ctim.tv_sec;
	st->ctime_ns = sb->st_ctim.tv_nsec;
	st->sum = kith__graph_sum(st, offsetof(struct stamp, sum), 0x73746d70);
}

/* Best effort: without a stamp the next reader checks in full again. */
static void write_stamp(const char *path)
{
	char sp[PATH_MAX], tmp[PATH_MAX];
	struct stat sb;
	struct stamp st;
	int fd;

	if (stat(path, &sb) ||
	    snprintf(sp, sizeof(sp), "%s.ok", path) >= (int)sizeof(sp) ||
	    snprintf(tmp, sizeof(tmp), "%s.ok.tmp%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return;
	stamp_of(&sb, &st);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return;
	if (write_all(fd, &st, sizeof(st)) || close(fd) || rename(tmp, sp))
		unlink(tmp);
}

static int stamp_matches(const char *path, const struct stat *sb)
{
	char sp[PATH_MAX];
	struct stamp want, have;
	int fd;
	ssize_t k;

	if (snprintf(sp, sizeof(sp), "%s.ok", path) >= (int)sizeof(sp))
		return 0;
	if ((fd = open(sp, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	k = read(fd, &have, sizeof(have));
	close(fd);
	stamp_of(sb, &want);
	return k == (ssize_t)sizeof(have) && memcmp(&want, &have, sizeof(want)) == 0;
}

/* --- reading --------------------------------------------------------------- */

static int bad(kith_error *err, const char *path, const char *why)
{
	return kith_error_set(err, KITH_ECORRUPT, "graph index %s: %s", path, why);
}

/* The header's own checks: O(1). */
static int check_head(const struct head *h, uint64_t size, const struct kith__gidentity *id,
                      const char *path, kith_error *err)
{
	uint64_t want[NSECT];

	if (memcmp(h->magic, MAGIC, 8) != 0)
		return bad(err, path, "not a kith graph index");
	if (h->version != VERSION || h->head_size != sizeof(*h))
		return bad(err, path, "written by another version of kith");
	if (h->head_sum != kith__graph_sum(h, offsetof(struct head, head_sum), 0x6b697468))
		return bad(err, path, "damaged header");
	if (h->file_size != size)
		return bad(err, path, "truncated or extended");
	if (h->db_id != id->db_id)
		return bad(err, path, "made for another database");
	if (h->skey != id->skey)
		return bad(err, path, "strengths of other settings");
	if (id->now - h->scored_at > KITH_GRAPH_INDEX_MAX_AGE || h->scored_at - id->now > 60)
		return bad(err, path, "strengths too old");
	if (h->n >= UINT32_MAX || h->m2 > ((uint64_t)1 << 40) ||
	    h->ndirect > (uint64_t)h->n * 4 + 1025)
		return bad(err, path, "impossible sizes");
	want[S_IDS] = (uint64_t)h->n * sizeof(kith_id);
	want[S_OFF] = ((uint64_t)h->n + 1) * sizeof(uint64_t);
	want[S_ADJ] = h->m2 * sizeof(uint32_t);
	want[S_COST] = h->m2 * sizeof(float);
	want[S_DIRECT] = h->ndirect * sizeof(uint32_t);
	for (int k = 0; k < NSECT; k++)
		if (h->sect[k].len != want[k] || h->sect[k].off % ALIGN ||
		    h->sect[k].off < sizeof(*h) || h->sect[k].off > size ||
		    size - h->sect[k].off < h->sect[k].len)
			return bad(err, path, "sections out of bounds");
	return KITH_OK;
}

/* Every section against its checksum: a pass over the file, done once
 * per file (see the stamp). */
static int check_sums(const struct head *h, const unsigned char *base, const char *path,
                      kith_error *err)
{
	for (int k = 0; k < NSECT; k++)
		if (kith__graph_sum(base + h->sect[k].off, h->sect[k].len, (uint64_t)k) !=
		    h->sect[k].sum)
			return bad(err, path, "damaged (checksum)");
	return KITH_OK;
}

/* --- the process's mappings ---------------------------------------------- */

struct mapping {
	struct mapping *next;
	struct stamp st;      /* the file it maps, as it was */
	unsigned char *m;
	size_t len;
	int refs;
};

static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mapping *maps;

/* A mapping of the unchanged file sb already checked in full, counted. */
static unsigned char *map_find(const struct stat *sb)
{
	struct stamp st;
	unsigned char *m = NULL;

	stamp_of(sb, &st);
	pthread_mutex_lock(&maps_lock);
	for (struct mapping *p = maps; p; p = p->next)
		if (memcmp(&p->st, &st, sizeof(st)) == 0) {
			p->refs++;
			m = p->m;
			break;
		}
	pthread_mutex_unlock(&maps_lock);
	return m;
}

static int map_add(const struct stat *sb, unsigned char *m, size_t len)
{
	struct mapping *p = calloc(1, sizeof(*p));

	if (!p)
		return KITH_ENOMEM;
	stamp_of(sb, &p->st);
	p->m = m;
	p->len = len;
	p->refs = 1;
	pthread_mutex_lock(&maps_lock);
	p->next = maps;
	maps = p;
	pthread_mutex_unlock(&maps_lock);
	return KITH_OK;
}

void kith__graph_file_unmap(void *m)
{
	struct mapping **pp, *p = NULL;

	pthread_mutex_lock(&maps_lock);
	for (pp = &maps; *pp; pp = &(*pp)->next)
		if ((*pp)->m == m) {
			p = *pp;
			if (--p->refs == 0)
				*pp = p->next;
			else
				p = NULL;
			break;
		}
	pthread_mutex_unlock(&maps_lock);
	if (p) {
		munmap(p->m, p->len);
		free(p);
	}
}

int kith__graph_file_map(const char *path, const struct kith__gidentity *id,
                         struct kith__gsnap **out, kith_error *err)
{
	struct kith__gsnap *s;
	struct head h;
	struct stat sb;
	unsigned char *m;
	int fd, rc;

	*out = NULL;
	if (!host_ok())
		return kith_error_set(err, KITH_ENOTFOUND, "the graph index is little-endian only");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT
			? kith_error_set(err, KITH_ENOTFOUND, "no graph index %s", path)
			: kith_error_set(err, KITH_EIO, "open graph index %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size < sizeof(h) ||
	    pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h)) {
		close(fd);
		return bad(err, path, "too short");
	}
	if ((rc = check_head(&h, (uint64_t)sb.st_size, id, path, err))) {
		close(fd);
		return rc;
	}
	if ((m = map_find(&sb))) {
		close(fd);
	} else {
		m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
		close(fd);
		if (m == MAP_FAILED)
			return kith_error_set(err, KITH_EIO, "map graph index %s: %s", path,
			                      strerror(errno));
		if (!stamp_matches(path, &sb)) {
			if ((rc = check_sums(&h, m, path, err))) {
				munmap(m, (size_t)sb.st_size);
				return rc;
			}
			write_stamp(path);
		}
		if (map_add(&sb, m, (size_t)sb.st_size)) {
			munmap(m, (size_t)sb.st_size);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
	}
	if (!(s = calloc(1, sizeof(*s)))) {
		kith__graph_file_unmap(m);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	s->map = m;
	s->map_len = (size_t)sb.st_size;
	s->n = s->nbase = h.n;
	s->m2 = h.m2;
	s->ids = (const kith_id *)(m + h.sect[S_IDS].off);
	s->off = (const uint64_t *)(m + h.sect[S_OFF].off);
	s->adj = (const uint32_t *)(m + h.sect[S_ADJ].off);
	s->cost = (const float *)(m + h.sect[S_COST].off);
	s->direct = h.ndirect ? (const uint32_t *)(m + h.sect[S_DIRECT].off) : NULL;
	s->ndirect = h.ndirect;
	s->base = h.base;
	s->generation = h.generation;
	s->token = h.token;
	s->seq = h.seq;
	s->seqtok = h.seqtok;
	s->scored_at = h.scored_at;
	s->links = h.links;
	s->bytes = sizeof(*s);
	*out = s;
	return KITH_OK;
}
