/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small TAP 13 harness for host tests:
 *
 *	static void test_x(void) { CHECK(1 + 1 == 2); }
 *	static const struct tap_test tests[] = {
 *		TAP_TEST(test_x, "arithmetic works"),
 *	};
 *	int main(void) { return tap_run(tests, TAP_COUNT(tests)); }
 *
 * Each test function is one test point; CHECK() failures inside it print a
 * diagnostic ("# file:line: ...") and make it "not ok". tap_run() returns
 * the exit status: 0 when every test passed.
 */
#ifndef DEVCRED_TAP_H
#define DEVCRED_TAP_H

#include <stdio.h>
#include <string.h>

struct tap_test {
	const char *name;
	void (*fn)(void);
};

#define TAP_TEST(f, desc)	{ desc, f }
#define TAP_COUNT(a)	((int)(sizeof(a) / sizeof((a)[0])))

static int tap_failed_checks;

static inline int tap_check(int ok, const char *file, int line, const char *what)
{
	if (!ok) {
		printf("# %s:%d: check failed: %s\n", file, line, what);
		tap_failed_checks++;
	}
	return ok;
}

/* Evaluates to the condition, so that a test can stop early. */
#define CHECK(cond)	tap_check(!!(cond), __FILE__, __LINE__, #cond)

/* @s contains @sub; both shown when not. */
#define CHECK_STR(s, sub) ({						\
	const char *_s = (s), *_sub = (sub);				\
	int _ok = _s && _sub && strstr(_s, _sub);			\
	if (!_ok)							\
		printf("# \"%s\"\n#   does not contain \"%s\"\n",	\
		       _s ? _s : "(null)", _sub ? _sub : "(null)");	\
	tap_check(_ok, __FILE__, __LINE__, "strstr(" #s ", " #sub ")");	\
})

/* Integer equality; both values shown when not. */
#define CHECK_EQ(a, b) ({						\
	long long _a = (a), _b = (b);					\
	if (_a != _b)							\
		printf("# %s = %lld, expected %s = %lld\n",		\
		       #a, _a, #b, _b);					\
	tap_check(_a == _b, __FILE__, __LINE__, #a " == " #b);		\
})

static inline int tap_run(const struct tap_test *tests, int n)
{
	int i, failed = 0;

	printf("TAP version 13\n1..%d\n", n);
	for (i = 0; i < n; i++) {
		int before = tap_failed_checks;

		fflush(stdout);
		tests[i].fn();
		if (tap_failed_checks == before) {
			printf("ok %d - %s\n", i + 1, tests[i].name);
		} else {
			printf("not ok %d - %s\n", i + 1, tests[i].name);
			failed++;
		}
	}
	printf("# %d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}

#endif /* DEVCRED_TAP_H */
