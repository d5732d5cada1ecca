/*
 * The resolver behind the lazy library stubs (scripts/lazy_stubs.sh).
 *
 * On x86-64 kith is linked without igraph, libical, GMime, libmicrohttpd,
 * libxml2 and GObject (LAZY_LIBS in the Makefile); every function they
 * export is a stub that jumps through a slot, and the first call through
 * a slot lands here.  This loads the
 * library (once: dlopen counts and returns the same handle), looks the
 * name up, stores the address in the slot so later calls jump straight
 * to it, and returns it for the stub to jump to with the caller's
 * arguments intact.
 *
 * Threads: any thread may make a first call; one mutex serialises the
 * loads, and a slot is an aligned pointer written with a release store,
 * so a thread reading it sees zero (and comes here) or the function.
 *
 * Errors: a library that cannot be loaded, or that lacks a function its
 * stub names, leaves the call nowhere to go.  kith then says which in
 * one line and exits with 127, as the loader would have at start had the
 * library been linked normally.  The package depends on these libraries,
 * so this is a broken installation, not an input error.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/* names: each name's offset from the table itself (the stubs hold no
 * pointer that the loader would have to relocate). */
void *kith_lazy_resolve(const char *soname, void **slots, const int32_t *names,
                        long index);

void *kith_lazy_resolve(const char *soname, void **slots, const int32_t *names,
                        long index)
{
	const char *name = (const char *)names + names[index];
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	void *handle, *fn;

	pthread_mutex_lock(&lock);
	handle = dlopen(soname, RTLD_LAZY | RTLD_GLOBAL);
	if (!handle) {
		fprintf(stderr, "kith: cannot load %s: %s\n", soname, dlerror());
		fflush(stderr);
		_exit(127);
	}
	fn = dlsym(handle, name);
	if (!fn) {
		fprintf(stderr, "kith: %s has no %s\n", soname, name);
		fflush(stderr);
		_exit(127);
	}
	__atomic_store_n(&slots[index], fn, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&lock);
	return fn;
}
