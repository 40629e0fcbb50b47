#define _GNU_SOURCE
#include <errno.h>
#include <sys/wait.h>

#include "common/idmap.h"
#include "unit.h"

START_TEST(parse_ok)
{
	struct id_map m;

	ck_assert_int_eq(parse_id_map("0:100000:65536", &m), 0);
	ck_assert_uint_eq(m.inside, 0);
	ck_assert_uint_eq(m.outside, 100000);
	ck_assert_uint_eq(m.count, 65536);
	/* The last valid ID is 4294967294: inside + count may reach 2^32 - 1. */
	ck_assert_int_eq(parse_id_map("4294967294:0:1", &m), 0);
	ck_assert_int_eq(parse_id_map("0:0:4294967295", &m), 0);
}
END_TEST

START_TEST(parse_malformed)
{
	static const char *const bad[] = { "", "x", "1", "1:2", "1:2:", ":1:2", "1::2",
					   "1:2:3:4", "a:b:c", "-1:0:1", "+1:0:1", " 1:2:3",
					   "1:2:3 ", "0x10:0:1", "1:2:3x", "4294967296:0:1" };
	struct id_map m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(parse_id_map(bad[i], &m) == -1, "'%s' accepted", bad[i]);
		ck_assert_msg(errno == EINVAL, "'%s': errno %d, want EINVAL", bad[i], errno);
	}
}
END_TEST

START_TEST(parse_count_zero)
{
	struct id_map m;

	ck_assert_int_eq(parse_id_map("0:100000:0", &m), -1);
	ck_assert_msg(errno == EDOM, "errno %d, want EDOM", errno);
}
END_TEST

START_TEST(parse_wraps)
{
	struct id_map m;

	ck_assert_int_eq(parse_id_map("4294967295:0:1", &m), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_id_map("0:4294967290:10", &m), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_id_map("1:0:4294967295", &m), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
}
END_TEST

START_TEST(check_disjoint)
{
	struct id_map m[] = { { 0, 1000, 1 }, { 1, 100000, 65536 }, { 65537, 200000, 10 } };

	ck_assert_int_eq(check_id_maps(m, 3), 0);
}
END_TEST

START_TEST(check_inside_overlap)
{
	struct id_map m[] = { { 0, 100000, 10 }, { 9, 200000, 10 } };

	ck_assert_int_eq(check_id_maps(m, 2), -1);
	ck_assert_msg(errno == EEXIST, "errno %d, want EEXIST", errno);
}
END_TEST

START_TEST(check_outside_overlap)
{
	struct id_map m[] = { { 0, 100000, 10 }, { 20, 100009, 10 } };

	ck_assert_int_eq(check_id_maps(m, 2), -1);
	ck_assert_msg(errno == EEXIST, "errno %d, want EEXIST", errno);
}
END_TEST

START_TEST(check_adjacent_ok)
{
	struct id_map m[] = { { 0, 100000, 10 }, { 10, 100010, 10 } };

	ck_assert_int_eq(check_id_maps(m, 2), 0);
}
END_TEST

START_TEST(check_too_many)
{
	static struct id_map m[ID_MAP_MAX_LINES + 1];
	int i;

	for (i = 0; i <= ID_MAP_MAX_LINES; i++)
		m[i] = (struct id_map){ (uint32_t)i, 100000 + (uint32_t)i, 1 };
	ck_assert_int_eq(check_id_maps(m, ID_MAP_MAX_LINES), 0);
	ck_assert_int_eq(check_id_maps(m, ID_MAP_MAX_LINES + 1), -1);
	ck_assert_msg(errno == E2BIG, "errno %d, want E2BIG", errno);
}
END_TEST

START_TEST(format_lines)
{
	struct id_map m[] = { { 0, 1000, 1 }, { 1, 100000, 65536 } };
	char buf[64];

	ck_assert_int_eq(format_id_maps(m, 2, buf, sizeof(buf)), 24);
	ck_assert_str_eq(buf, "0 1000 1\n1 100000 65536\n");
}
END_TEST

START_TEST(format_too_long)
{
	struct id_map m[] = { { 0, 1000, 1 }, { 1, 100000, 65536 } };
	char buf[12];

	ck_assert_int_eq(format_id_maps(m, 2, buf, sizeof(buf)), -1);
	ck_assert_msg(errno == E2BIG, "errno %d, want E2BIG", errno);
}
END_TEST

START_TEST(format_max_fits_page)
{
	/* 340 lines of large IDs exceed the kernel's one page: E2BIG, not a cut. */
	static struct id_map m[ID_MAP_MAX_LINES];
	char buf[4096];
	int i;

	for (i = 0; i < ID_MAP_MAX_LINES; i++)
		m[i] = (struct id_map){ 4000000000u + (uint32_t)i, 4000000000u + (uint32_t)i, 1 };
	ck_assert_int_eq(format_id_maps(m, ID_MAP_MAX_LINES, buf, sizeof(buf)), -1);
	ck_assert_msg(errno == E2BIG, "errno %d, want E2BIG", errno);
}
END_TEST

START_TEST(add_lines)
{
	struct id_map m[ID_MAP_MAX_LINES + 1];
	int lines = 0;

	add_id_map("--uid-map", "0:1000:1", m, &lines);
	add_id_map("--uid-map", "1:100000:65536", m, &lines);
	ck_assert_int_eq(lines, 2);
	ck_assert_uint_eq(m[1].outside, 100000);
	ck_assert_uint_eq(m[1].count, 65536);
}
END_TEST

/* Bad input dies with 125 (tcase_add_exit_test), whichever the fault. */
START_TEST(add_malformed_dies)
{
	struct id_map m[2];
	int lines = 0;

	silence_stderr();
	add_id_map("--uid-map", "0:1000", m, &lines);
}
END_TEST

START_TEST(add_overlap_dies)
{
	struct id_map m[3];
	int lines = 0;

	add_id_map("--gid-map", "0:1000:10", m, &lines);
	silence_stderr();
	add_id_map("--gid-map", "5:2000:1", m, &lines);
}
END_TEST

START_TEST(add_error_line)
{
	struct id_map m[2];
	int lines = 0;
	int fds[2], status;
	char buf[256] = "";
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		add_id_map("--uid-map", "0:1:0", m, &lines);
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_gt(read(fds[0], buf, sizeof(buf) - 1), 0);
	waitpid(pid, &status, 0);
	ck_assert_str_eq(buf, "container: --uid-map '0:1:0': COUNT must be at least 1\n");
}
END_TEST

START_TEST(default_maps)
{
	static struct id_maps maps;
	struct id_map *u = maps.uid, *g = maps.gid;
	bool helpers;

	choose_id_maps(&maps);
	helpers = maps.use_helpers;
	ck_assert_int_eq(maps.uid_lines, 1);
	ck_assert_int_eq(maps.gid_lines, 1);
	ck_assert_uint_eq(u[0].inside, 0);
	if (geteuid() == 0) {
		/* Root: 65536 IDs from 100000, written by root itself. */
		ck_assert_uint_eq(u[0].outside, 100000);
		ck_assert_uint_eq(g[0].count, 65536);
		ck_assert(!helpers);
	} else {
		/* Anyone else: their own ID, which needs no helper. */
		ck_assert_uint_eq(u[0].outside, geteuid());
		ck_assert_uint_eq(g[0].outside, getegid());
		ck_assert_uint_eq(u[0].count, 1);
		ck_assert(!helpers);
	}
}
END_TEST

START_TEST(given_maps_kept)
{
	static struct id_maps maps = { .uid = { { 0, 5000, 10 } }, .uid_lines = 1,
				       .gid = { { 0, 6000, 1 } }, .gid_lines = 1 };

	choose_id_maps(&maps);
	ck_assert_int_eq(maps.uid_lines, 1);
	ck_assert_uint_eq(maps.uid[0].outside, 5000);
	ck_assert_uint_eq(maps.gid[0].outside, 6000);
}
END_TEST

START_TEST(one_line)
{
	ck_assert_str_eq(id_maps_on_one_line("0 1000 1\n1 100000 65536\n"),
			 "0 1000 1,1 100000 65536");
	ck_assert_str_eq(id_maps_on_one_line("0 0 1\n"), "0 0 1");
}
END_TEST

START_TEST(map_helper_runs)
{
	struct id_map m[] = { { 0, 1000, 1 }, { 1, 100000, 65536 } };

	/* true(1) ignores its arguments and exits 0: run_map_helper returns. */
	run_map_helper("true", 4242, m, 2);
}
END_TEST

START_TEST(map_helper_failure_dies)
{
	struct id_map m[] = { { 0, 1000, 1 } };

	silence_stderr();
	run_map_helper("false", 4242, m, 1);
}
END_TEST

static Suite *idmap_suite(void)
{
	Suite *s = suite_create("idmap");
	TCase *tc;

	tc = tcase_create("parse_id_map");
	tcase_add_test(tc, parse_ok);
	tcase_add_test(tc, parse_malformed);
	tcase_add_test(tc, parse_count_zero);
	tcase_add_test(tc, parse_wraps);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_id_maps");
	tcase_add_test(tc, check_disjoint);
	tcase_add_test(tc, check_inside_overlap);
	tcase_add_test(tc, check_outside_overlap);
	tcase_add_test(tc, check_adjacent_ok);
	tcase_add_test(tc, check_too_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("format_id_maps");
	tcase_add_test(tc, format_lines);
	tcase_add_test(tc, format_too_long);
	tcase_add_test(tc, format_max_fits_page);
	suite_add_tcase(s, tc);

	tc = tcase_create("options and helpers");
	tcase_add_test(tc, add_lines);
	tcase_add_exit_test(tc, add_malformed_dies, 125);
	tcase_add_exit_test(tc, add_overlap_dies, 125);
	tcase_add_test(tc, add_error_line);
	tcase_add_test(tc, default_maps);
	tcase_add_test(tc, given_maps_kept);
	tcase_add_test(tc, one_line);
	tcase_add_test(tc, map_helper_runs);
	tcase_add_exit_test(tc, map_helper_failure_dies, 125);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(idmap_suite());
}
