/*
 * The schema and its forward migrations.  Migration N takes a database at
 * user_version N-1 to N; each runs in the same transaction as the version
 * bump, so a crash mid-migration leaves the old schema intact.  Never edit
 * a migration that has shipped: add a new one.
 */
#include <stdio.h>

#include "internal.h"

/* A trigger of migration 16 that logs a CardDAV change of the people
 * WHO (one value, or several joined by "), (") through card_touch. */
#define CARD_TOUCH(name, event, who) \
	"DROP TRIGGER IF EXISTS " name ";" \
	"CREATE TRIGGER IF NOT EXISTS " name " " event " BEGIN" \
	"  INSERT INTO card_touch VALUES (" who "); END;"

static const char *const migrations[] = {
	/* 1: the relationship store.  Ids are AUTOINCREMENT so that one is
	 * never given to another record after a removal: clients of the API
	 * and caches keyed by id can trust it. */
	"CREATE TABLE person ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  display_name TEXT NOT NULL CHECK (length(trim(display_name)) > 0),"
	"  given_name TEXT, family_name TEXT, city TEXT, country TEXT, notes TEXT,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
	"CREATE INDEX person_name ON person(display_name COLLATE NOCASE);"
	"CREATE INDEX person_city ON person(city COLLATE NOCASE);"
	"CREATE TABLE owner ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  person_id INTEGER REFERENCES person(id) ON DELETE SET NULL);"
	"INSERT INTO owner(id, person_id) VALUES (1, NULL);"
	"CREATE TABLE person_email ("
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  email TEXT NOT NULL COLLATE NOCASE UNIQUE,"
	"  PRIMARY KEY (person_id, pos)) WITHOUT ROWID;"
	"CREATE TABLE person_phone ("
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  phone TEXT NOT NULL,"
	"  digits TEXT NOT NULL,"
	"  PRIMARY KEY (person_id, pos)) WITHOUT ROWID;"
	"CREATE INDEX person_phone_digits ON person_phone(digits);"
	"CREATE TABLE person_tag ("
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  tag TEXT NOT NULL,"
	"  PRIMARY KEY (person_id, tag)) WITHOUT ROWID;"
	"CREATE INDEX person_tag_tag ON person_tag(tag, person_id);"
	"CREATE TABLE org ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),"
	"  domain TEXT, city TEXT, country TEXT, notes TEXT,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
	"CREATE INDEX org_domain ON org(domain);"
	"CREATE TABLE job ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,"
	"  title TEXT, date_from TEXT, date_to TEXT,"
	"  created INTEGER NOT NULL,"
	"  CHECK (date_to IS NULL OR date_from IS NULL OR date_from <= date_to));"
	"CREATE INDEX job_person ON job(person_id);"
	"CREATE INDEX job_org ON job(org_id);"
	"CREATE TABLE link_kind ("
	"  name TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '',"
	"  directed INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"INSERT INTO link_kind VALUES"
	"  ('knows', 'they know each other', 0),"
	"  ('friend', 'friends', 0),"
	"  ('family', 'family members', 0),"
	"  ('colleague', 'work or worked together', 0),"
	"  ('client', 'a is a client of b', 1),"
	"  ('partner', 'business partners', 0),"
	"  ('mentor', 'a mentors b', 1),"
	"  ('investor', 'a invested in b', 1),"
	"  ('classmate', 'studied together', 0),"
	"  ('neighbour', 'live close by', 0);"
	"CREATE TABLE link ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  a INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  b INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL REFERENCES link_kind(name),"
	"  since TEXT,"
	"  trust REAL CHECK (trust IS NULL OR (trust >= 0 AND trust <= 1)),"
	"  notes TEXT,"
	"  asserted_by INTEGER REFERENCES person(id) ON DELETE SET NULL,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  CHECK (a <> b));"
	"CREATE UNIQUE INDEX link_pair ON link(min(a, b), max(a, b), kind);"
	"CREATE INDEX link_a ON link(a);"
	"CREATE INDEX link_b ON link(b);"
	"CREATE TABLE interaction_kind ("
	"  name TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '',"
	"  weight REAL NOT NULL DEFAULT 1 CHECK (weight > 0)) WITHOUT ROWID;"
	"INSERT INTO interaction_kind VALUES"
	"  ('meeting', 'met in person', 1.0),"
	"  ('call', 'a phone or video call', 0.7),"
	"  ('message', 'a chat or text message', 0.3),"
	"  ('email', 'an email', 0.3),"
	"  ('introduction', 'an introduction to someone', 0.8),"
	"  ('favour', 'a favour given or received', 0.8);"
	"CREATE TABLE interaction ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  at INTEGER NOT NULL,"
	"  kind TEXT NOT NULL REFERENCES interaction_kind(name),"
	"  notes TEXT,"
	"  giver INTEGER REFERENCES person(id) ON DELETE SET NULL,"
	"  value REAL CHECK (value IS NULL OR value > 0),"
	"  created INTEGER NOT NULL);"
	"CREATE INDEX interaction_at ON interaction(at);"
	"CREATE TABLE interaction_person ("
	"  interaction_id INTEGER NOT NULL REFERENCES interaction(id) ON DELETE CASCADE,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (interaction_id, person_id)) WITHOUT ROWID;"
	"CREATE INDEX interaction_person_p ON interaction_person(person_id, interaction_id);"
	/* Full text.  Person rows are written by person.c (their text spans
	 * several tables); orgs and interactions are kept by triggers. */
	"CREATE VIRTUAL TABLE person_fts USING fts5("
	"  name, info, notes, tokenize = 'unicode61 remove_diacritics 2');"
	"CREATE TRIGGER person_fts_del AFTER DELETE ON person BEGIN"
	"  DELETE FROM person_fts WHERE rowid = old.id; END;"
	"CREATE VIRTUAL TABLE org_fts USING fts5("
	"  name, info, notes, tokenize = 'unicode61 remove_diacritics 2');"
	"CREATE TRIGGER org_fts_ins AFTER INSERT ON org BEGIN"
	"  INSERT INTO org_fts(rowid, name, info, notes) VALUES (new.id, new.name,"
	"    coalesce(new.domain, '') || ' ' || coalesce(new.city, '') || ' ' || coalesce(new.country, ''), new.notes); END;"
	"CREATE TRIGGER org_fts_upd AFTER UPDATE ON org BEGIN"
	"  DELETE FROM org_fts WHERE rowid = old.id;"
	"  INSERT INTO org_fts(rowid, name, info, notes) VALUES (new.id, new.name,"
	"    coalesce(new.domain, '') || ' ' || coalesce(new.city, '') || ' ' || coalesce(new.country, ''), new.notes); END;"
	"CREATE TRIGGER org_fts_del AFTER DELETE ON org BEGIN"
	"  DELETE FROM org_fts WHERE rowid = old.id; END;"
	"CREATE VIRTUAL TABLE interaction_fts USING fts5("
	"  notes, tokenize = 'unicode61 remove_diacritics 2');"
	"CREATE TRIGGER interaction_fts_ins AFTER INSERT ON interaction"
	"  WHEN new.notes IS NOT NULL BEGIN"
	"  INSERT INTO interaction_fts(rowid, notes) VALUES (new.id, new.notes); END;"
	"CREATE TRIGGER interaction_fts_upd AFTER UPDATE OF notes ON interaction BEGIN"
	"  DELETE FROM interaction_fts WHERE rowid = old.id;"
	"  INSERT INTO interaction_fts(rowid, notes)"
	"    SELECT new.id, new.notes WHERE new.notes IS NOT NULL; END;"
	"CREATE TRIGGER interaction_fts_del AFTER DELETE ON interaction BEGIN"
	"  DELETE FROM interaction_fts WHERE rowid = old.id; END;",
	/* 2: the generation of the network, so in-memory graph snapshots
	 * know when they are stale (graph.c).  Any change to links or to
	 * the set of people moves it; the random token changes with it so
	 * that a rolled-back change followed by another cannot bring back
	 * a generation number a snapshot was already built at. */
	"CREATE TABLE graph_state ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  generation INTEGER NOT NULL, token INTEGER NOT NULL);"
	"INSERT INTO graph_state(id, generation, token) VALUES (1, 1, random());"
	"CREATE TRIGGER graph_link_ins AFTER INSERT ON link BEGIN"
	"  UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;"
	"CREATE TRIGGER graph_link_upd AFTER UPDATE OF a, b, kind, since, trust ON link"
	"  BEGIN UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;"
	"CREATE TRIGGER graph_link_del AFTER DELETE ON link BEGIN"
	"  UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;"
	"CREATE TRIGGER graph_person_ins AFTER INSERT ON person BEGIN"
	"  UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;"
	"CREATE TRIGGER graph_person_del AFTER DELETE ON person BEGIN"
	"  UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;",
	/* 3: relationship intelligence (score*.c): settings, vouches,
	 * keep-in-touch cadences and the cache of computed link strengths
	 * that the graph reads as edge weights. */
	"CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	"INSERT INTO config VALUES ('half_life_days', '90');"
	"CREATE TABLE vouch ("
	"  id INTEGER PRIMARY KEY,"
	"  voucher INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  subject INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  notes TEXT,"
	"  recorded_by INTEGER REFERENCES person(id) ON DELETE SET NULL,"
	"  created INTEGER NOT NULL,"
	"  CHECK (voucher <> subject), UNIQUE (voucher, subject));"
	"CREATE INDEX vouch_subject ON vouch(subject);"
	"CREATE TRIGGER graph_vouch_ins AFTER INSERT ON vouch BEGIN"
	"  UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;"
	"CREATE TRIGGER graph_vouch_del AFTER DELETE ON vouch BEGIN"
	"  UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;"
	"CREATE TABLE person_cadence ("
	"  person_id INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,"
	"  days INTEGER NOT NULL CHECK (days > 0));"
	"CREATE TABLE orbit_cadence ("
	"  orbit INTEGER PRIMARY KEY CHECK (orbit BETWEEN 1 AND 5),"
	"  days INTEGER NOT NULL CHECK (days > 0));"
	"INSERT INTO orbit_cadence VALUES (1, 14), (2, 30), (3, 90), (4, 180);"
	/* Who started an interaction (an email's sender, a favour's giver):
	 * two-way exchanges count more than one-way ones. */
	"ALTER TABLE interaction ADD COLUMN initiator INTEGER"
	"  REFERENCES person(id) ON DELETE SET NULL;"
	"UPDATE interaction SET initiator = giver WHERE giver IS NOT NULL;"
	/* Per pair (a < b), the decayed interaction sums at time ref: u for
	 * interactions of unknown direction, ab started by a, ba by b.  All
	 * terms decay alike, so the sums at any later time are these times
	 * 2^-(t - ref)/half-life: exact, O(1), and updatable in place. */
	/* No foreign keys: a full recompute writes millions of rows and the
	 * checks would double its cost.  Ids are never reused (AUTOINCREMENT),
	 * so rows of a removed person are inert, and a recompute drops them. */
	"CREATE TABLE pair_strength ("
	"  a INTEGER NOT NULL,"
	"  b INTEGER NOT NULL,"
	"  u REAL NOT NULL, ab REAL NOT NULL, ba REAL NOT NULL,"
	"  ref INTEGER NOT NULL,"
	"  PRIMARY KEY (a, b), CHECK (a < b)) WITHOUT ROWID;",
	/* 4: capture (src/import/): what each imported record became, keyed
	 * by its source's own identity (vCard UID, Message-ID, iCalendar
	 * UID + RECURRENCE-ID, a CSV row's profile URL or hash), so importing
	 * the same file again changes nothing.  digest is a hash of the
	 * record's content: an unchanged record is skipped without work, a
	 * changed one is merged into what it became.  Deleting the person or
	 * interaction forgets the key, so a later import brings it back. */
	"CREATE TABLE import_source ("
	"  kind TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  person_id INTEGER REFERENCES person(id) ON DELETE CASCADE,"
	"  interaction_id INTEGER REFERENCES interaction(id) ON DELETE CASCADE,"
	"  digest TEXT NOT NULL,"
	"  imported INTEGER NOT NULL,"
	"  PRIMARY KEY (kind, key),"
	"  CHECK ((person_id IS NULL) <> (interaction_id IS NULL))) WITHOUT ROWID;"
	"CREATE INDEX import_source_person ON import_source(person_id)"
	"  WHERE person_id IS NOT NULL;"
	"CREATE INDEX import_source_interaction ON import_source(interaction_id)"
	"  WHERE interaction_id IS NOT NULL;",
	/* 5: the team (member.c, visibility.c).  Members sign in with
	 * tokens of which only a hash is kept.  Records carry an owner and a
	 * private flag; a member sees team records and their own private
	 * ones.  Privacy spreads: a link or an interaction that involves a
	 * private person is private to that person's owner, so no shared
	 * record can point at a person some member cannot see.  Records that
	 * are private already keep their owner. */
	"CREATE TABLE member ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),"
	"  person_id INTEGER UNIQUE REFERENCES person(id) ON DELETE SET NULL,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE token ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,"
	"  hash BLOB NOT NULL UNIQUE,"
	"  label TEXT,"
	"  created INTEGER NOT NULL, last_used INTEGER, revoked INTEGER);"
	"CREATE INDEX token_member ON token(member_id);"
	"ALTER TABLE person ADD COLUMN owner INTEGER REFERENCES member(id) ON DELETE SET NULL;"
	"ALTER TABLE person ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1));"
	"ALTER TABLE org ADD COLUMN owner INTEGER REFERENCES member(id) ON DELETE SET NULL;"
	"ALTER TABLE org ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1));"
	"ALTER TABLE link ADD COLUMN owner INTEGER REFERENCES member(id) ON DELETE SET NULL;"
	"ALTER TABLE link ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1));"
	"ALTER TABLE interaction ADD COLUMN owner INTEGER REFERENCES member(id) ON DELETE SET NULL;"
	"ALTER TABLE interaction ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1));"
	"CREATE TABLE note ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  body TEXT NOT NULL CHECK (length(trim(body)) > 0),"
	"  owner INTEGER REFERENCES member(id) ON DELETE SET NULL,"
	"  private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),"
	"  created INTEGER NOT NULL);"
	"CREATE INDEX note_person ON note(person_id);"
	"CREATE TRIGGER private_link_ins AFTER INSERT ON link"
	"  WHEN EXISTS (SELECT 1 FROM person WHERE id IN (NEW.a, NEW.b) AND private)"
	"  BEGIN UPDATE link SET private = 1, owner = (SELECT owner FROM person"
	"    WHERE id IN (NEW.a, NEW.b) AND private ORDER BY id LIMIT 1)"
	"  WHERE id = NEW.id AND NOT private; END;"
	"CREATE TRIGGER private_interaction_ins AFTER INSERT ON interaction_person"
	"  WHEN (SELECT private FROM person WHERE id = NEW.person_id)"
	"  BEGIN UPDATE interaction SET private = 1, owner = (SELECT owner FROM person"
	"    WHERE id = NEW.person_id) WHERE id = NEW.interaction_id AND NOT private;"
	"  END;"
	"CREATE TRIGGER private_person_upd AFTER UPDATE OF private, owner ON person"
	"  WHEN NEW.private BEGIN"
	"  UPDATE link SET private = 1, owner = NEW.owner WHERE (a = NEW.id OR b = NEW.id)"
	"    AND NOT private;"
	"  UPDATE interaction SET private = 1, owner = NEW.owner WHERE id IN"
	"    (SELECT interaction_id FROM interaction_person WHERE person_id = NEW.id)"
	"    AND NOT private;"
	"  UPDATE note SET private = 1, owner = NEW.owner WHERE person_id = NEW.id"
	"    AND NOT private;"
	"  END;"
	/* Only a change of its text re-indexes an org: a change of owner
	 * (stamped right after the insert) must not index it twice. */
	"DROP TRIGGER org_fts_upd;"
	"CREATE TRIGGER org_fts_upd AFTER UPDATE OF name, domain, city, country, notes"
	"  ON org BEGIN"
	"  DELETE FROM org_fts WHERE rowid = old.id;"
	"  INSERT INTO org_fts(rowid, name, info, notes) VALUES (new.id, new.name,"
	"    coalesce(new.domain, '') || ' ' || coalesce(new.city, '') || ' ' || coalesce(new.country, ''), new.notes); END;"
	/* Who sees a person or a link changes the graph a member sees. */
	"CREATE TRIGGER graph_person_vis AFTER UPDATE OF private, owner ON person BEGIN"
	"  UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;"
	"CREATE TRIGGER graph_link_vis AFTER UPDATE OF private, owner ON link BEGIN"
	"  UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;",
	/* 6: CardDAV (src/card*.c, server/dav*.c).  card_change is the log
	 * that sync tokens point into: a row per change of a person (a
	 * trigger on every table a card is made from), with the owner and
	 * privacy it had, and a tombstone (member_id, href) for a card name a
	 * member's address book lost.  No foreign key: tombstones outlive
	 * the person.  A card's ETag is its person's last seq, so it moves on
	 * every change, even two in one second.  card_href keeps the names
	 * clients gave to cards they made (others are "kith-ID.vcf"), and
	 * card_extra the lines of a client's card kith has no field for, so a
	 * round trip loses nothing. */
	"CREATE TABLE card_change ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  person_id INTEGER NOT NULL,"
	"  member_id INTEGER,"
	"  href TEXT,"
	"  owner INTEGER,"
	"  private INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX card_change_person ON card_change(person_id, seq);"
	"CREATE TABLE card_href ("
	"  member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,"
	"  href TEXT NOT NULL,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (member_id, href),"
	"  UNIQUE (member_id, person_id)) WITHOUT ROWID;"
	"CREATE INDEX card_href_person ON card_href(person_id);"
	"CREATE TABLE card_extra ("
	"  person_id INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,"
	"  lines TEXT NOT NULL);"
	"INSERT INTO card_change(person_id, owner, private)"
	"  SELECT id, owner, private FROM person ORDER BY id;"
	/* A new row is logged as seen by nobody: the server stamps its
	 * author and privacy right after the insert, and the first state
	 * would otherwise say "team" for a private person. */
	"CREATE TRIGGER card_person_ins AFTER INSERT ON person BEGIN"
	"  INSERT INTO card_change(person_id, owner, private)"
	"  VALUES (NEW.id, NULL, 1); END;"
	"CREATE TRIGGER card_person_upd AFTER UPDATE ON person BEGIN"
	"  INSERT INTO card_change(person_id, owner, private)"
	"  VALUES (NEW.id, NEW.owner, NEW.private); END;"
	/* BEFORE: the cascade would take the names away first. */
	"CREATE TRIGGER card_person_del BEFORE DELETE ON person BEGIN"
	"  INSERT INTO card_change(person_id, member_id, href, owner, private)"
	"  SELECT OLD.id, member_id, href, OLD.owner, OLD.private FROM card_href"
	"  WHERE person_id = OLD.id;"
	"  INSERT INTO card_change(person_id, owner, private)"
	"  VALUES (OLD.id, OLD.owner, OLD.private); END;"
	"CREATE TRIGGER card_email_ins AFTER INSERT ON person_email BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	"CREATE TRIGGER card_email_del AFTER DELETE ON person_email BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = OLD.person_id; END;"
	"CREATE TRIGGER card_phone_ins AFTER INSERT ON person_phone BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	"CREATE TRIGGER card_phone_del AFTER DELETE ON person_phone BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = OLD.person_id; END;"
	"CREATE TRIGGER card_tag_ins AFTER INSERT ON person_tag BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	"CREATE TRIGGER card_tag_del AFTER DELETE ON person_tag BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = OLD.person_id; END;"
	"CREATE TRIGGER card_job_ins AFTER INSERT ON job BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	"CREATE TRIGGER card_job_upd AFTER UPDATE ON job BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	"CREATE TRIGGER card_job_del AFTER DELETE ON job BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = OLD.person_id; END;"
	"CREATE TRIGGER card_link_ins AFTER INSERT ON link BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id IN (NEW.a, NEW.b); END;"
	"CREATE TRIGGER card_link_del AFTER DELETE ON link BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id IN (OLD.a, OLD.b); END;"
	"CREATE TRIGGER card_extra_set AFTER INSERT ON card_extra BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	"CREATE TRIGGER card_extra_upd AFTER UPDATE ON card_extra BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;",
	/* 7: relationships on cards, and members' WebDAV folders.
	 * card_related (src/card/card_link.c) keeps the lines a client's card
	 * stated a link with (a RELATED, or an X-ABRELATEDNAMES with its
	 * X-ABLabel), in the vCard version they came in, so they are served
	 * back as sent; they go with the link.  A card shows its person's
	 * links as the member's view has them, so more changes move its ETag
	 * than migration 6 logs: a link's ends, kind or privacy (for both
	 * ends, before and after), and the name or visibility of a person,
	 * which their linked people's cards show. */
	"CREATE TABLE card_related ("
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  link_id INTEGER NOT NULL REFERENCES link(id) ON DELETE CASCADE,"
	"  version INTEGER NOT NULL CHECK (version IN (3, 4)),"
	"  lines TEXT NOT NULL,"
	"  PRIMARY KEY (person_id, link_id)) WITHOUT ROWID;"
	"CREATE INDEX card_related_link ON card_related(link_id);"
	"CREATE TRIGGER card_related_ins AFTER INSERT ON card_related BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	"CREATE TRIGGER card_related_upd AFTER UPDATE ON card_related BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	"CREATE TRIGGER card_link_upd AFTER UPDATE OF a, b, kind, private, owner ON link"
	"  BEGIN INSERT INTO card_change(person_id, owner, private)"
	"  SELECT id, owner, private FROM person"
	"  WHERE id IN (OLD.a, OLD.b, NEW.a, NEW.b); END;"
	"CREATE TRIGGER card_linked_person_upd AFTER UPDATE OF display_name, private, owner"
	"  ON person WHEN OLD.display_name IS NOT NEW.display_name"
	"  OR OLD.private IS NOT NEW.private OR OLD.owner IS NOT NEW.owner BEGIN"
	"  INSERT INTO card_change(person_id, owner, private)"
	"  SELECT id, owner, private FROM person WHERE id IN"
	"  (SELECT b FROM link WHERE a = NEW.id UNION SELECT a FROM link WHERE b = NEW.id);"
	"  END;"
	/* A member's own WebDAV folder (src/record/files.c): a row per resource or
	 * collection (body NULL; its path ends in '/'), and dead properties
	 * kept as the XML element they were set with. */
	"CREATE TABLE dav_file ("
	"  member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,"
	"  path TEXT NOT NULL,"
	"  body BLOB,"
	"  type TEXT,"
	"  etag INTEGER NOT NULL,"
	"  modified INTEGER NOT NULL,"
	"  PRIMARY KEY (member_id, path)) WITHOUT ROWID;"
	"CREATE TABLE dav_prop ("
	"  member_id INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  ns TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  xml TEXT NOT NULL,"
	"  PRIMARY KEY (member_id, path, ns, name),"
	"  FOREIGN KEY (member_id, path) REFERENCES dav_file(member_id, path)"
	"    ON DELETE CASCADE ON UPDATE CASCADE) WITHOUT ROWID;",
	/* 8: the pair cache packed, a person's pairs in chunks of fixed-width
	 * entries, one row per chunk instead of one per pair: a full
	 * recompute writes 25 times fewer rows (src/score/score_cache.c has the
	 * layout).  The cache is derived data: kith__migrate rebuilds it from
	 * the log after this step. */
	"DROP TABLE pair_strength;"
	"CREATE TABLE pair_cache (k INTEGER PRIMARY KEY, v BLOB NOT NULL);",
	/* 9: privacy hides; a change of it no longer spreads.  Making a
	 * person private used to stamp its owner on every team link,
	 * interaction and note touching them, other members' ones included,
	 * and making them team again gave nothing back.  Now a member's view
	 * hides what touches a person they cannot see (src/store/visibility.c), so
	 * a change of privacy rewrites no other row and reverts exactly.
	 * Private rows are few: partial indexes find them for the strength
	 * overlay (src/score/score_overlay.c), and the pair cache is rebuilt after
	 * this step from the team's interactions alone. */
	"DROP TRIGGER IF EXISTS private_person_upd;"
	"CREATE INDEX IF NOT EXISTS person_private ON person(owner) WHERE private;"
	"CREATE INDEX IF NOT EXISTS interaction_private ON interaction(owner) WHERE private;"
	/* A name or a link is unique among what one member sees, not across
	 * the database: another member's private org or link must not make a
	 * member's own one "already exist", which would tell them it is
	 * there.  The scope of a row is 0 for team, its owner when private
	 * (written at insert as team, then stamped: a team row of the same
	 * name, which the author sees, is refused first).  org.name was a
	 * column UNIQUE, so org is rebuilt (foreign keys are off while
	 * migrations run: kith__migrate). */
	"DROP INDEX link_pair;"
	"CREATE UNIQUE INDEX link_pair ON link(min(a, b), max(a, b), kind,"
	"  (CASE WHEN private THEN coalesce(owner, 0) ELSE 0 END));"
	"CREATE TABLE org_new ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),"
	"  domain TEXT, city TEXT, country TEXT, notes TEXT,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  owner INTEGER REFERENCES member(id) ON DELETE SET NULL,"
	"  private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)));"
	"INSERT INTO org_new(id, name, domain, city, country, notes, created, updated,"
	"  owner, private) SELECT id, name, domain, city, country, notes, created,"
	"  updated, owner, private FROM org;"
	"INSERT OR REPLACE INTO sqlite_sequence(name, seq)"
	"  SELECT 'org_new', seq FROM sqlite_sequence WHERE name = 'org';"
	"DROP TABLE org;"
	"ALTER TABLE org_new RENAME TO org;"
	"CREATE INDEX org_domain ON org(domain);"
	"CREATE UNIQUE INDEX org_name ON org(name,"
	"  (CASE WHEN private THEN coalesce(owner, 0) ELSE 0 END));"
	"CREATE TRIGGER org_fts_ins AFTER INSERT ON org BEGIN"
	"  INSERT INTO org_fts(rowid, name, info, notes) VALUES (new.id, new.name,"
	"    coalesce(new.domain, '') || ' ' || coalesce(new.city, '') || ' ' || coalesce(new.country, ''), new.notes); END;"
	"CREATE TRIGGER org_fts_upd AFTER UPDATE OF name, domain, city, country, notes"
	"  ON org BEGIN"
	"  DELETE FROM org_fts WHERE rowid = old.id;"
	"  INSERT INTO org_fts(rowid, name, info, notes) VALUES (new.id, new.name,"
	"    coalesce(new.domain, '') || ' ' || coalesce(new.city, '') || ' ' || coalesce(new.country, ''), new.notes); END;"
	"CREATE TRIGGER org_fts_del AFTER DELETE ON org BEGIN"
	"  DELETE FROM org_fts WHERE rowid = old.id; END;",
	/* 10: the rest of what a card shows, logged (src/card/card_book.c renders
	 * again the cards whose people have new entries, and hashes them
	 * into the member's ETags): an org's name or visibility (the ORG of
	 * every card with a job there), lines a client sent going away, and
	 * a person's kept UID, which the RELATED lines of linked cards name.
	 * Logging too much costs a render; too little, a stale ETag. */
	"CREATE TRIGGER IF NOT EXISTS card_org_upd AFTER UPDATE OF name, private, owner ON org"
	"  WHEN OLD.name IS NOT NEW.name OR OLD.private IS NOT NEW.private"
	"  OR OLD.owner IS NOT NEW.owner BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id IN (SELECT person_id FROM job WHERE org_id = NEW.id); END;"
	"CREATE TRIGGER IF NOT EXISTS card_extra_del AFTER DELETE ON card_extra BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = OLD.person_id OR id IN"
	"  (SELECT b FROM link WHERE a = OLD.person_id UNION"
	"   SELECT a FROM link WHERE b = OLD.person_id); END;"
	"CREATE TRIGGER IF NOT EXISTS card_extra_linked AFTER UPDATE ON card_extra BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id IN"
	"  (SELECT b FROM link WHERE a = NEW.person_id UNION"
	"   SELECT a FROM link WHERE b = NEW.person_id); END;"
	"CREATE TRIGGER IF NOT EXISTS card_extra_linked_ins AFTER INSERT ON card_extra BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id IN"
	"  (SELECT b FROM link WHERE a = NEW.person_id UNION"
	"   SELECT a FROM link WHERE b = NEW.person_id); END;"
	"CREATE TRIGGER IF NOT EXISTS card_related_del AFTER DELETE ON card_related BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = OLD.person_id; END;",
	/* 11: identities per visibility (src/import/).  An email is unique
	 * among the people of one scope: the team (0), or one member's
	 * private people (their member id; -person id for a private person
	 * whose owner is gone), kept by triggers from the person's privacy.
	 * A member's import of an address another member keeps on a private
	 * person then does what it does for an address nobody has: nothing
	 * the member can see depends on a record they cannot.  A new row's
	 * scope is NULL (no conflict) until its trigger sets it, which is
	 * where a duplicate is refused.  Source keys are kept per member who
	 * imported them (0: no member), so one member's import never finds
	 * or blocks another's hidden record by its key.  card_email_ins/del
	 * are created again as they were: dropping the table took them. */
	"CREATE TABLE person_email_new ("
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  email TEXT NOT NULL COLLATE NOCASE,"
	"  scope INTEGER,"
	"  PRIMARY KEY (person_id, pos)) WITHOUT ROWID;"
	"INSERT INTO person_email_new(person_id, pos, email, scope)"
	"  SELECT e.person_id, e.pos, e.email,"
	"  CASE WHEN p.private THEN coalesce(p.owner, -p.id) ELSE 0 END"
	"  FROM person_email e JOIN person p ON p.id = e.person_id;"
	"DROP TRIGGER IF EXISTS email_scope_person;"
	"DROP TABLE person_email;"
	"ALTER TABLE person_email_new RENAME TO person_email;"
	"CREATE UNIQUE INDEX person_email_scope ON person_email(email, scope);"
	"CREATE TRIGGER card_email_ins AFTER INSERT ON person_email BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	"CREATE TRIGGER card_email_del AFTER DELETE ON person_email BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = OLD.person_id; END;"
	"CREATE TRIGGER email_scope_ins AFTER INSERT ON person_email BEGIN"
	"  UPDATE person_email SET scope = (SELECT CASE WHEN private"
	"    THEN coalesce(owner, -id) ELSE 0 END FROM person WHERE id = NEW.person_id)"
	"  WHERE person_id = NEW.person_id AND pos = NEW.pos; END;"
	"CREATE TRIGGER email_scope_move AFTER UPDATE OF person_id ON person_email BEGIN"
	"  UPDATE person_email SET scope = (SELECT CASE WHEN private"
	"    THEN coalesce(owner, -id) ELSE 0 END FROM person WHERE id = NEW.person_id)"
	"  WHERE person_id = NEW.person_id AND pos = NEW.pos; END;"
	"CREATE TRIGGER email_scope_person AFTER UPDATE OF private, owner ON person BEGIN"
	"  UPDATE person_email SET scope = CASE WHEN NEW.private"
	"    THEN coalesce(NEW.owner, -NEW.id) ELSE 0 END WHERE person_id = NEW.id; END;"
	"CREATE TABLE import_source_new ("
	"  kind TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  scope INTEGER NOT NULL DEFAULT 0,"
	"  person_id INTEGER REFERENCES person(id) ON DELETE CASCADE,"
	"  interaction_id INTEGER REFERENCES interaction(id) ON DELETE CASCADE,"
	"  digest TEXT NOT NULL,"
	"  imported INTEGER NOT NULL,"
	"  PRIMARY KEY (kind, key, scope),"
	"  CHECK ((person_id IS NULL) <> (interaction_id IS NULL))) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO import_source_new(kind, key, scope, person_id, interaction_id, digest,"
	"  imported) SELECT kind, key, 0, person_id, interaction_id, digest, imported"
	"  FROM import_source;"
	"DROP TABLE import_source;"
	"ALTER TABLE import_source_new RENAME TO import_source;"
	"CREATE INDEX import_source_person ON import_source(person_id)"
	"  WHERE person_id IS NOT NULL;"
	"CREATE INDEX import_source_interaction ON import_source(interaction_id)"
	"  WHERE interaction_id IS NOT NULL;",
	/* 12: every reference to a person is indexed, so that removing or
	 * merging one reads only the rows that name them (SQLite finds the
	 * rows an ON DELETE SET NULL changes with an ordinary query: without
	 * an index it is a scan of the whole interaction log per removal).
	 * Partial: most rows name nobody there.  tests/unit/test_plan.c
	 * checks every statement's plan against a large network. */
	"CREATE INDEX IF NOT EXISTS interaction_giver ON interaction(giver)"
	"  WHERE giver IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS interaction_initiator ON interaction(initiator)"
	"  WHERE initiator IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS link_asserted_by ON link(asserted_by)"
	"  WHERE asserted_by IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS vouch_recorded_by ON vouch(recorded_by)"
	"  WHERE recorded_by IS NOT NULL;",
	/* 13: introduction requests (src/record/intro_request.c): a member asks
	 * a teammate for an introduction along a chain (person ids, comma
	 * separated, from the teammate's person to the target).  Only the two
	 * members see a request.  The interactions logged when it is made stay
	 * when it goes, and it outlives them. */
	"CREATE TABLE IF NOT EXISTS intro_request ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  asker INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,"
	"  asked INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,"
	"  target INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  chain TEXT NOT NULL,"
	"  strength REAL NOT NULL DEFAULT 0,"
	"  note TEXT,"
	"  status TEXT NOT NULL DEFAULT 'asked' CHECK (status IN"
	"    ('asked', 'accepted', 'declined', 'made', 'withdrawn')),"
	"  outcome TEXT CHECK (outcome IS NULL OR outcome IN"
	"    ('met', 'hired', 'deal', 'partnership', 'nothing')),"
	"  asked_at INTEGER NOT NULL,"
	"  answered_at INTEGER, made_at INTEGER, outcome_at INTEGER,"
	"  interaction_id INTEGER REFERENCES interaction(id) ON DELETE SET NULL,"
	"  favour_id INTEGER REFERENCES interaction(id) ON DELETE SET NULL,"
	"  CHECK (asker <> asked),"
	"  CHECK (outcome IS NULL OR status = 'made'));"
	"CREATE INDEX IF NOT EXISTS intro_request_asker ON intro_request(asker);"
	"CREATE INDEX IF NOT EXISTS intro_request_asked ON intro_request(asked);",
	/* 14: the people list pages in index order (src/record/person_page.c).
	 * Each sort has an index in its full order (key, name, id) that also
	 * holds who sees the row, so a member's page and a deep offset read
	 * the index alone; country gets the index city has.  The name index
	 * of migration 1 is a prefix of the new one.  Like every migration
	 * after 9, it may run again over its own tables (test_score_cache). */
	"CREATE INDEX IF NOT EXISTS person_list_name ON person(display_name COLLATE NOCASE, id, private, owner);"
	"CREATE INDEX IF NOT EXISTS person_list_created ON person(created, display_name COLLATE NOCASE, id,"
	"  private, owner);"
	"CREATE INDEX IF NOT EXISTS person_list_updated ON person(updated, display_name COLLATE NOCASE, id,"
	"  private, owner);"
	"CREATE INDEX IF NOT EXISTS person_country ON person(country COLLATE NOCASE);"
	"DROP INDEX IF EXISTS person_name;",
	/* 15: the graph index file (src/graph/graph_file.c, graph_patch.c).
	 * graph_db_id (config) tells this database's index from another's; graph_change
	 * logs what moved in the network since an index was written, so a
	 * reader patches the file instead of building: a pair (a, b) whose
	 * links or vouches changed, a person (a, NULL) added, removed or
	 * whose visibility changed, a person (a, -1) whose interactions
	 * changed (their strengths), and (0, -2) when every strength moved.
	 * tok tells a row from one that took its seq after a rollback.  A
	 * writer of the file removes the rows before the one it names, so the
	 * log is never empty.  Private
	 * links are few, like private people: a member's mask over the file
	 * finds them by a partial index. */
	"INSERT OR IGNORE INTO config VALUES ('graph_db_id', random());"
	"CREATE INDEX IF NOT EXISTS link_private ON link(owner) WHERE private;"
	"CREATE TABLE IF NOT EXISTS graph_change ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  a INTEGER NOT NULL, b INTEGER, tok INTEGER NOT NULL);"
	"INSERT OR IGNORE INTO graph_change(seq, a, b, tok) VALUES (1, 0, 0, random());"
	"CREATE TRIGGER IF NOT EXISTS graph_log_link_ins AFTER INSERT ON link BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (NEW.a, NEW.b, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_link_del AFTER DELETE ON link BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (OLD.a, OLD.b, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_link_upd AFTER UPDATE OF a, b, kind, since, trust,"
	"  private, owner ON link BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (OLD.a, OLD.b, random()),"
	"  (NEW.a, NEW.b, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_person_ins AFTER INSERT ON person BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (NEW.id, NULL, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_person_del AFTER DELETE ON person BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (OLD.id, NULL, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_person_vis AFTER UPDATE OF private, owner ON person BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (NEW.id, NULL, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_vouch_ins AFTER INSERT ON vouch BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (NEW.voucher, NEW.subject, random());"
	"  END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_vouch_del AFTER DELETE ON vouch BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (OLD.voucher, OLD.subject, random());"
	"  END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_took_ins AFTER INSERT ON interaction_person BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (NEW.person_id, -1, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_took_del AFTER DELETE ON interaction_person BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (OLD.person_id, -1, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_interaction_upd AFTER UPDATE OF at, kind, initiator,"
	"  private, owner ON interaction BEGIN"
	"  INSERT INTO graph_change(a, b, tok) SELECT person_id, -1, random()"
	"  FROM interaction_person WHERE interaction_id = NEW.id; END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_kind AFTER UPDATE ON interaction_kind BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (0, -2, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_config AFTER UPDATE ON config"
	"  WHEN NEW.key = 'half_life_days' BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (0, -2, random()); END;"
	"CREATE TRIGGER IF NOT EXISTS graph_log_config_ins AFTER INSERT ON config"
	"  WHEN NEW.key = 'half_life_days' BEGIN"
	"  INSERT INTO graph_change(a, b, tok) VALUES (0, -2, random()); END;",
	/* 16: fewer and smaller triggers.  Every connection parses the whole
	 * schema before its first statement, triggers included; 60 of them
	 * were half of the instructions of a `kith path` at 100k people.
	 * - The graph generation moves with the change log: a row of
	 *   graph_change for a pair or a person (b NULL or a person id, not
	 *   the -1 and -2 of strengths) moves it, in place of nine triggers
	 *   on link, person and vouch that fired on exactly those changes.
	 * - A CardDAV change for one person is one INSERT INTO card_touch, a
	 *   view that holds nothing, whose INSTEAD OF trigger writes the
	 *   change row with the person's owner and privacy (as the sixteen
	 *   triggers did each with its own INSERT ... SELECT).  A link's two
	 *   ends are logged in id order, as before. */
	"DROP TRIGGER IF EXISTS graph_link_ins;"
	"DROP TRIGGER IF EXISTS graph_link_upd;"
	"DROP TRIGGER IF EXISTS graph_link_del;"
	"DROP TRIGGER IF EXISTS graph_link_vis;"
	"DROP TRIGGER IF EXISTS graph_person_ins;"
	"DROP TRIGGER IF EXISTS graph_person_del;"
	"DROP TRIGGER IF EXISTS graph_person_vis;"
	"DROP TRIGGER IF EXISTS graph_vouch_ins;"
	"DROP TRIGGER IF EXISTS graph_vouch_del;"
	"CREATE TRIGGER IF NOT EXISTS graph_bump AFTER INSERT ON graph_change"
	"  WHEN NEW.b IS NULL OR NEW.b >= 0 BEGIN"
	"  UPDATE graph_state SET generation = generation + 1, token = random()"
	"  WHERE id = 1; END;"
	"CREATE VIEW IF NOT EXISTS card_touch(person_id) AS SELECT NULL WHERE 0;"
	"CREATE TRIGGER IF NOT EXISTS card_touch_ins INSTEAD OF INSERT ON card_touch BEGIN"
	"  INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
	"  FROM person WHERE id = NEW.person_id; END;"
	CARD_TOUCH("card_email_ins", "AFTER INSERT ON person_email", "NEW.person_id")
	CARD_TOUCH("card_email_del", "AFTER DELETE ON person_email", "OLD.person_id")
	CARD_TOUCH("card_phone_ins", "AFTER INSERT ON person_phone", "NEW.person_id")
	CARD_TOUCH("card_phone_del", "AFTER DELETE ON person_phone", "OLD.person_id")
	CARD_TOUCH("card_tag_ins", "AFTER INSERT ON person_tag", "NEW.person_id")
	CARD_TOUCH("card_tag_del", "AFTER DELETE ON person_tag", "OLD.person_id")
	CARD_TOUCH("card_job_ins", "AFTER INSERT ON job", "NEW.person_id")
	CARD_TOUCH("card_job_upd", "AFTER UPDATE ON job", "NEW.person_id")
	CARD_TOUCH("card_job_del", "AFTER DELETE ON job", "OLD.person_id")
	CARD_TOUCH("card_extra_set", "AFTER INSERT ON card_extra", "NEW.person_id")
	CARD_TOUCH("card_extra_upd", "AFTER UPDATE ON card_extra", "NEW.person_id")
	CARD_TOUCH("card_related_ins", "AFTER INSERT ON card_related", "NEW.person_id")
	CARD_TOUCH("card_related_upd", "AFTER UPDATE ON card_related", "NEW.person_id")
	CARD_TOUCH("card_related_del", "AFTER DELETE ON card_related", "OLD.person_id")
	CARD_TOUCH("card_link_ins", "AFTER INSERT ON link",
	           "min(NEW.a, NEW.b)), (max(NEW.a, NEW.b)")
	CARD_TOUCH("card_link_del", "AFTER DELETE ON link",
	           "min(OLD.a, OLD.b)), (max(OLD.a, OLD.b)"),
};
#undef CARD_TOUCH

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
/* The migration (1-based) after which the pair cache must be rebuilt:
 * its layout changed in 8, what it counts in 9. */
#define PAIR_CACHE_MIGRATION 9
/* The last migration that rebuilds a table (9 and 11 copy one into a new
 * table and drop the old).  Only a run that includes one turns foreign
 * keys off and then checks every row by hand, which at a million people
 * is most of a minute; later migrations run with foreign keys on. */
#define LAST_REBUILD_MIGRATION 11

int kith_schema_version(void)
{
	return NMIGRATIONS;
}

static int read_pragma_int(kith_db *db, const char *sql, int *v, kith_error *err)
{
	int64_t x = 0;
	int rc = kith__query_int64(db, sql, 0, &x, "open database", err);

	*v = (int)x;
	return rc;
}

/* A file that holds tables but no kith application id is someone else's
 * SQLite database: refuse it rather than add our tables to it. */
static int check_foreign(kith_db *db, int app_id, kith_error *err)
{
	int ntables = 0;
	int rc;

	if (app_id == KITH_APPLICATION_ID)
		return KITH_OK;
	if (app_id != 0)
		return kith_error_set(err, KITH_ECORRUPT,
			"not a kith database (application id %08x)", (unsigned)app_id);
	rc = read_pragma_int(db, "SELECT count(*) FROM sqlite_schema", &ntables, err);
	if (rc)
		return rc;
	if (ntables > 0)
		return kith_error_set(err, KITH_ECORRUPT,
			"not a kith database (an SQLite file with other tables)");
	return KITH_OK;
}

/* KITH_ECORRUPT when a row points at nothing (foreign_key_check). */
static int foreign_keys_hold(kith_db *db, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "PRAGMA foreign_key_check", &st, err);

	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = kith_error_set(err, KITH_ECORRUPT, "migrate schema: a row of %s points "
		                    "at a missing row of %s", sqlite3_column_text(st, 0),
		                    sqlite3_column_text(st, 2));
	else
		rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "migrate schema", err);
	sqlite3_finalize(st);
	return rc;
}

static int migrate_all(kith_db *db, int version, int rebuilds, kith__rebuild_fn rebuild,
                       kith_error *err);

int kith__migrate(kith_db *db, kith__rebuild_fn rebuild, kith_error *err)
{
	int version = 0, app_id = 0, restored, rc;

	rc = read_pragma_int(db, "PRAGMA application_id", &app_id, err);
	if (!rc)
		rc = read_pragma_int(db, "PRAGMA user_version", &version, err);
	if (!rc)
		rc = check_foreign(db, app_id, err);
	if (rc)
		return rc;
	if (version > NMIGRATIONS)
		return kith_error_set(err, KITH_ESCHEMA,
			"database schema version %d is newer than this kith supports "
			"(%d): upgrade kith", version, NMIGRATIONS);
	if (version == NMIGRATIONS)
		return KITH_OK;
	if (db->readonly)
		return kith_error_set(err, KITH_ESCHEMA,
			"database schema version %d needs an upgrade to %d: open it "
			"for writing once", version, NMIGRATIONS);

	/* A migration may rebuild a table (SQLite cannot drop a column's
	 * UNIQUE): foreign keys would cascade its DROP into other tables, so
	 * in a run that includes one (LAST_REBUILD_MIGRATION) they are off
	 * until the end, and checked by hand before the commit.  Both pragmas
	 * are no-ops inside a transaction: set them before it. */
	int rebuilds = version < LAST_REBUILD_MIGRATION;
	if (rebuilds && (rc = kith__exec(db, "PRAGMA foreign_keys = OFF;"
	                                 " PRAGMA legacy_alter_table = ON",
	                                 "migrate schema", err)))
		return rc;
	rc = migrate_all(db, version, rebuilds, rebuild, err);
	if (!rebuilds)
		return rc;
	restored = kith__exec(db, "PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = OFF",
	                      "migrate schema", rc ? NULL : err);
	return rc ? rc : restored;
}

/* Runs the migrations from version on, in one transaction.  rebuilds:
 * one of them rebuilds a table, so foreign keys are off and are checked
 * before the commit. */
static int migrate_all(kith_db *db, int version, int rebuilds, kith__rebuild_fn rebuild,
                       kith_error *err)
{
	char sql[96];
	int rc = kith_db_begin(db, err);

	if (rc)
		return rc;
	/* Re-read under the write lock: another process may have migrated. */
	rc = read_pragma_int(db, "PRAGMA user_version", &version, err);
	for (int v = version; !rc && v < NMIGRATIONS; v++) {
		rc = kith__exec(db, migrations[v], "migrate schema", err);
		if (!rc) {
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
			rc = kith__exec(db, sql, "migrate schema", err);
		}
	}
	/* A cache from before its layout changed was dropped: rebuilt here,
	 * in the same transaction, so no reader ever sees it empty. */
	if (!rc && version > 0 && version < PAIR_CACHE_MIGRATION && rebuild)
		rc = rebuild(db, err);
	if (!rc) {
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
		         KITH_APPLICATION_ID);
		rc = kith__exec(db, sql, "migrate schema", err);
	}
	if (!rc && rebuilds)
		rc = foreign_keys_hold(db, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}
