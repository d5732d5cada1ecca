/* Organisations and jobs. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static kith_id add_org(kith_db *db, const char *name, const char *domain, int *rc)
{
	kith_org o = {.name = strdup(name), .domain = domain ? strdup(domain) : NULL};
	kith_id id;

	*rc = kith_org_add(db, &o, NULL);
	id = o.id;
	kith_org_clear(&o);
	return id;
}

static void orgs(void **state)
{
	kith_db *db = t_open();
	kith_idv cands = {0};
	kith_id acme, id;
	int rc;

	(void)state;
	acme = add_org(db, "Acme Robotics", "Acme.Example", &rc);
	assert_int_equal(rc, KITH_OK);
	add_org(db, "acme robotics", NULL, &rc);
	assert_int_equal(rc, KITH_EEXISTS);
	add_org(db, "Bad Domain", "not a domain", &rc);
	assert_int_equal(rc, KITH_EINVAL);
	add_org(db, "Acme Foods", NULL, &rc);
	assert_int_equal(rc, KITH_OK);
	assert_int_equal(kith_org_resolve(db, "acme.example", &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, acme);
	assert_int_equal(kith_org_resolve(db, "Acme", &id, &cands, NULL), KITH_EAMBIGUOUS);
	assert_int_equal(cands.n, 2);
	kith_idv_clear(&cands);
	assert_int_equal(kith_org_resolve(db, "robo", &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, acme);
	assert_int_equal(kith_org_ensure(db, "Acme Robotics", &id, NULL), KITH_OK);
	assert_int_equal(id, acme);
	assert_int_equal(kith_org_ensure(db, "Brand New", &id, NULL), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM org"), 3);
	t_close(db);
}

static void jobs(void **state)
{
	kith_db *db = t_open();
	kith_id ana = t_person(db, "Ana", NULL), org;
	kith_job j = {0}, *v;
	kith_hit *hits;
	size_t n;
	int rc;

	(void)state;
	org = add_org(db, "Acme", NULL, &rc);
	j.person = ana;
	j.org = org;
	j.title = strdup("CTO");
	j.from = strdup("2019-05");
	j.to = strdup("2018");
	assert_int_equal(kith_job_add(db, &j, NULL), KITH_EINVAL); /* ends before it starts */
	free(j.to);
	j.to = NULL;
	assert_int_equal(kith_job_add(db, &j, NULL), KITH_OK);
	assert_int_equal(kith_job_end(db, j.id, "2018", NULL), KITH_EINVAL);
	assert_int_equal(kith_job_end(db, j.id, "2023-13", NULL), KITH_EINVAL);
	assert_int_equal(kith_job_end(db, j.id, "2023-06", NULL), KITH_OK);
	assert_int_equal(kith_job_list(db, ana, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].org_name, "Acme");
	assert_string_equal(v[0].to, "2023-06");
	kith_job_list_free(v, n);
	/* Jobs are searchable through the person; renaming the org follows. */
	assert_int_equal(kith_search(db, "acme", 10, &hits, &n, NULL), KITH_OK);
	assert_int_equal(n, 2); /* the org and Ana */
	kith_hit_list_free(hits, n);
	{
		kith_org *o;
		assert_int_equal(kith_org_get(db, org, &o, NULL), KITH_OK);
		free(o->name);
		o->name = strdup("Zenith");
		assert_int_equal(kith_org_update(db, o, NULL), KITH_OK);
		kith_org_free(o);
	}
	assert_int_equal(kith_search(db, "zenith", 10, &hits, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	kith_hit_list_free(hits, n);
	assert_int_equal(kith_org_remove(db, org, NULL), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM job"), 0);
	assert_int_equal(kith_search(db, "zenith", 10, &hits, &n, NULL), KITH_OK);
	assert_int_equal(n, 0);
	kith_hit_list_free(hits, n);
	kith_job_clear(&j);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(orgs),
		cmocka_unit_test(jobs),
	};
	return cmocka_run_group_tests_name("org", tests, NULL, NULL);
}
