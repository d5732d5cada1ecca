#ifndef KITH_KITH_H
#define KITH_KITH_H

/* libkith: the relationship store and everything computed on it.
 * Front-ends include only this header. */

#define KITH_VERSION "0.1.0"

#include "kith/error.h"
#include "kith/types.h"
#include "kith/db.h"
#include "kith/date.h"
#include "kith/person.h"
#include "kith/org.h"
#include "kith/link.h"
#include "kith/interaction.h"
#include "kith/search.h"
#include "kith/stats.h"
#include "kith/demo.h"
#include "kith/json.h"
#include "kith/score.h"
#include "kith/graph.h"
#include "kith/member.h"
#include "kith/merge.h"
#include "kith/import.h"
#include "kith/export.h"
#include "kith/backup.h"

#endif
