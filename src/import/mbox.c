#include "import_impl.h"
int kith__mbox_parse(const char *buf, size_t len, const kith__sink *s, kith_error *err)
{ (void)buf; (void)len; (void)s; return kith_error_set(err, KITH_EINVAL, "todo"); }
