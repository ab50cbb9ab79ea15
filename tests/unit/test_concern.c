/*
 * test_concern.c - each rule of the concern level (docs/concern.md) on
 * facts written here, in the report's shapes, so a rule can be read next
 * to the case that pins it.  The golden table (tests/cases/concern.tsv)
 * checks the same rules on the real data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report/concern.h"

/* A curated use; sources "" means "source: none" (the store keeps no URL). */
static json_t *
use(long lo, long hi, const char *protocols, const char *category, const char *who,
    const char *source)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:i}", "port_lo", (json_int_t)lo,
	                 "port_hi", (json_int_t)hi, "protocols", protocols, "category", category,
	                 "who", who, "sources", source[0] ? json_pack("[s]", source) : json_array(),
	                 "source", 4);
}

static json_t *
record(long lo, long hi, const char *protocol, const char *service, const char *unauthorized)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i}", "port_lo", (json_int_t)lo,
	                 "port_hi", (json_int_t)hi, "protocol", protocol, "service", service,
	                 "status", service[0] ? "assigned" : "unassigned", "unauthorized",
	                 unauthorized, "source", 1);
}

struct facts {
	struct concern_facts f;
	json_t *records, *uses, *frequency, *exposure, *out;
};

static void
facts_init(struct facts *x, long lo, long hi, const char *protocol)
{
	memset(x, 0, sizeof(*x));
	x->records = json_array();
	x->uses = json_array();
	x->frequency = json_array();
	x->exposure = json_array();
	x->f = (struct concern_facts){.lo = lo,
	                              .hi = hi,
	                              .protocol = protocol,
	                              .records = x->records,
	                              .uses = x->uses,
	                              .frequency = x->frequency,
	                              .exposure = x->exposure};
}

/* Assess, and return the level; the result stays in x->out for more checks. */
static const char *
assess(struct facts *x, const char *protocol)
{
	json_decref(x->out);
	x->f.protocol = protocol;
	x->out = concern_assess(&x->f);
	return json_string_value(json_object_get(x->out, "level"));
}

static const json_t *
code(const struct facts *x, size_t i)
{
	return json_array_get(json_object_get(x->out, "codes"), i);
}

static const char *
field(const struct facts *x, size_t i, const char *key)
{
	return json_string_value(json_object_get(code(x, i), key));
}

static size_t
ncodes(const struct facts *x)
{
	return json_array_size(json_object_get(x->out, "codes"));
}

static void
facts_free(struct facts *x)
{
	json_decref(x->records);
	json_decref(x->uses);
	json_decref(x->frequency);
	json_decref(x->exposure);
	json_decref(x->out);
}

/* A UDP-only fact says nothing about TCP; without a protocol it says which it concerns. */
static void
test_protocol_aware(void **state)
{
	struct facts x;

	(void)state;
	facts_init(&x, 27444, 27444, "");
	json_array_append_new(
	    x.uses, use(27444, 27444, "udp", "malware", "Trinoo", "https://example.org/trinoo"));
	assert_string_equal(assess(&x, "tcp"), "none");
	assert_int_equal(ncodes(&x), 0);
	assert_string_equal(assess(&x, "udp"), "high");
	assert_string_equal(assess(&x, ""), "high");
	assert_string_equal(field(&x, 0, "code"), "malware");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(code(&x, 0), "protocols"), 0)), "udp");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(x.out, "by_protocol"), "tcp")),
	    "none");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(x.out, "by_protocol"), "udp")),
	    "high");
	facts_free(&x);
}

/* An unsourced entry is shown and not counted; a sourced one is. */
static void
test_source_weighted(void **state)
{
	struct facts x;

	(void)state;
	facts_init(&x, 81, 81, "");
	json_array_append_new(x.uses, use(81, 81, "tcp", "malware", "Bifrost", ""));
	assert_string_equal(assess(&x, ""), "none");
	assert_string_equal(field(&x, 0, "code"), "unsourced");
	assert_string_equal(field(&x, 0, "level"), "none");
	json_array_append_new(x.uses, use(81, 81, "tcp", "scanner", "Scans", "https://a.example/"));
	assert_string_equal(assess(&x, ""), "low");
	facts_free(&x);
}

/* More than 16 ports at once counts for at most low; more than 1,024 for nothing. */
static void
test_proportionate(void **state)
{
	struct facts x;

	(void)state;
	facts_init(&x, 3130, 3130, "");
	json_array_append_new(x.uses,
	                      use(3127, 3198, "tcp", "malware", "MyDoom", "https://a.example/"));
	assert_string_equal(assess(&x, ""), "low");
	assert_string_equal(field(&x, 0, "code"), "wide-claim");
	assert_int_equal(json_integer_value(json_object_get(code(&x, 0), "width")), 72);
	json_array_clear(x.uses);
	json_array_append_new(x.uses,
	                      use(49152, 65535, "udp", "malware", "Wide", "https://a.example/"));
	assert_string_equal(assess(&x, ""), "none");
	/* An exposure risk is weighed the same way. */
	json_array_append_new(x.exposure,
	                      json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:[s]}", "port_lo", 3000,
	                                "port_hi", 3199, "protocols", "tcp", "who", "W", "level",
	                                "high", "text", "t", "sources", "https://a.example/"));
	assert_string_equal(assess(&x, ""), "low");
	facts_free(&x);
}

/* Ordinary software never raises the level, even on an unassigned port. */
static void
test_ordinary_software(void **state)
{
	struct facts x;

	(void)state;
	facts_init(&x, 3126, 3126, "");
	json_array_append_new(x.records, record(3126, 3126, "tcp", "", ""));
	json_array_append_new(x.uses, use(3074, 3174, "udp", "game", "Rainbow Six Vegas", ""));
	assert_string_equal(assess(&x, ""), "none");
	assert_string_equal(field(&x, 0, "code"), "unassigned-used");
	assert_string_equal(field(&x, 0, "who"), "Rainbow Six Vegas");
	assert_string_equal(assess(&x, "tcp"), "none");
	assert_int_equal(ncodes(&x), 0);
	facts_free(&x);
	facts_init(&x, 50000, 50000, "");
	assert_string_equal(assess(&x, ""), "none");
	assert_string_equal(field(&x, 0, "code"), "dynamic");
	facts_free(&x);
}

/* Malware is high unless common legitimate software shares the port and protocol. */
static void
test_malware_shared(void **state)
{
	struct facts x;

	(void)state;
	facts_init(&x, 5000, 5000, "");
	json_array_append_new(x.uses,
	                      use(5000, 5000, "tcp", "malware", "Trojan", "https://a.example/"));
	assert_string_equal(assess(&x, ""), "high");
	json_array_append_new(x.uses,
	                      use(5000, 5000, "udp", "development", "Flask", "https://b.example/"));
	assert_string_equal(assess(&x, ""), "high"); /* another protocol: no help */
	json_array_append_new(x.uses,
	                      use(5000, 5000, "tcp", "development", "Flask", "https://b.example/"));
	assert_string_equal(assess(&x, ""), "low");
	assert_string_equal(field(&x, 0, "code"), "malware-shared");
	assert_string_equal(field(&x, 0, "shared_with"), "Flask");
	facts_free(&x);

	/* In a range question, software on another port of the range does not count. */
	facts_init(&x, 4990, 5010, "");
	json_array_append_new(x.uses,
	                      use(5000, 5000, "tcp", "malware", "Trojan", "https://a.example/"));
	json_array_append_new(x.uses,
	                      use(5001, 5001, "tcp", "development", "Flask", "https://b.example/"));
	assert_string_equal(assess(&x, ""), "high");
	facts_free(&x);

	/* A registered service nmap finds open often, under its own name. */
	facts_init(&x, 1434, 1434, "");
	json_array_append_new(x.uses,
	                      use(1434, 1434, "udp", "malware", "Slammer", "https://a.example/"));
	json_array_append_new(x.records, record(1434, 1434, "udp", "ms-sql-m", ""));
	json_array_append_new(x.frequency,
	                      json_pack("{s:s, s:s, s:f}", "protocol", "udp", "nmap_name",
	                                "BackOrifice", "open_frequency", 0.29));
	assert_string_equal(assess(&x, ""), "high"); /* nmap counts something else */
	json_array_clear(x.frequency);
	json_array_append_new(x.frequency,
	                      json_pack("{s:s, s:s, s:f}", "protocol", "udp", "nmap_name",
	                                "ms-sql-m", "open_frequency", 0.29));
	assert_string_equal(assess(&x, ""), "low");
	facts_free(&x);
}

/* IANA's reports: low, unless on a wide range whose note names other ports. */
static void
test_unauthorized(void **state)
{
	struct facts x;

	(void)state;
	facts_init(&x, 27018, 27018, "");
	json_array_append_new(x.records, record(27018, 27344, "", "",
	                                        "Unauthorized Use Known on ports 27018 and 27019"));
	assert_string_equal(assess(&x, "tcp"), "low");
	assert_string_equal(field(&x, 0, "code"), "unauthorized");
	x.f.lo = x.f.hi = 27100;
	assert_string_equal(assess(&x, ""), "none");
	assert_string_equal(field(&x, 0, "level"), "none");
	assert_int_equal(json_integer_value(json_object_get(code(&x, 0), "width")), 327);
	/* A note on a range of ports names them as a range. */
	json_array_clear(x.records);
	json_array_append_new(
	    x.records, record(33436, 33655, "", "", "Known Unauthorized Use on ports 33436-33534"));
	x.f.lo = x.f.hi = 33500;
	assert_string_equal(assess(&x, ""), "low");
	/* The same note on tcp and udp rows is one reason for both. */
	json_array_clear(x.records);
	json_array_append_new(x.records, record(79, 79, "tcp", "finger", "by mail users"));
	json_array_append_new(x.records, record(79, 79, "udp", "finger", "by mail users"));
	x.f.lo = x.f.hi = 79;
	assert_string_equal(assess(&x, ""), "low");
	assert_int_equal(ncodes(&x), 1);
	assert_int_equal(json_array_size(json_object_get(code(&x, 0), "protocols")), 2);
	facts_free(&x);
}

static void
test_level_names(void **state)
{
	(void)state;
	assert_string_equal(concern_level_name(CONCERN_ELEVATED), "elevated");
	assert_int_equal(concern_level_parse("high"), CONCERN_HIGH);
	assert_int_equal(concern_level_parse("none"), CONCERN_NONE);
	assert_int_equal(concern_level_parse("bogus"), CONCERN_NONE);
	assert_int_equal(concern_level_parse(NULL), CONCERN_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_protocol_aware), cmocka_unit_test(test_source_weighted),
	    cmocka_unit_test(test_proportionate),  cmocka_unit_test(test_ordinary_software),
	    cmocka_unit_test(test_malware_shared), cmocka_unit_test(test_unauthorized),
	    cmocka_unit_test(test_level_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
