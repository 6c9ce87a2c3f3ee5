/* t-split: long texts cut at paragraph, sentence, word, character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "split.h"

static void
expect_parts(const char *text, size_t max, enum split_unit unit,
    const char *const *want, size_t nwant)
{
	char **parts;
	size_t n, i;

	n = split_text(text, max, unit, &parts);
	if (n != nwant)
		fail_msg("\"%s\" (max %zu): %zu parts, not %zu", text, max, n,
		    nwant);
	for (i = 0; i < n; i++)
		assert_string_equal(parts[i], want[i]);
	split_free(parts, n);
}

static void
test_fits(void **state)
{
	const char *const one[] = { "Kurz und gut." };

	(void)state;
	expect_parts("  Kurz und gut.\n", 100, SPLIT_CHARS, one, 1);
	expect_parts(" \n\t ", 100, SPLIT_CHARS, NULL, 0);
}

static void
test_paragraph_first(void **state)
{
	const char *const want[] = { "Erster Satz. Zweiter Satz.",
	    "Neuer Absatz." };

	(void)state;
	/* The paragraph border wins over the later sentence end. */
	expect_parts("Erster Satz. Zweiter Satz.\n\nNeuer Absatz.", 30,
	    SPLIT_CHARS, want, 2);
}

static void
test_sentence_then_word(void **state)
{
	const char *const s[] = { "Eins zwei. Drei!", "Vier fuenf sechs" };
	const char *const w[] = { "aaaa bbbb", "cccc dddd" };

	(void)state;
	expect_parts("Eins zwei. Drei! Vier fuenf sechs", 20, SPLIT_CHARS, s,
	    2);
	expect_parts("aaaa bbbb cccc dddd", 12, SPLIT_CHARS, w, 2);
}

static void
test_never_inside_a_character(void **state)
{
	/* "ä" is 2 bytes: 5 bytes hold two of them, not two and a half. */
	const char *const bytes[] = { "\xc3\xa4\xc3\xa4", "\xc3\xa4\xc3\xa4",
	    "\xc3\xa4" };
	/* An emoji is two UTF-16 units, as Telegram counts. */
	const char *const emoji[] = { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" };

	(void)state;
	expect_parts("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4", 5,
	    SPLIT_BYTES, bytes, 3);
	expect_parts("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 3, SPLIT_CHARS,
	    emoji, 2);
	assert_int_equal(split_length("\xc3\xa4x", 3, SPLIT_CHARS), 2);
	assert_int_equal(split_length("\xc3\xa4x", 3, SPLIT_BYTES), 3);
	assert_int_equal(split_length("\xf0\x9f\x98\x80", 4, SPLIT_CHARS), 2);
}

static void
test_long_text(void **state)
{
	char text[9000], **parts;
	size_t n, i, total = 0;

	(void)state;
	for (i = 0; i + 29 < sizeof(text); i += 28)
		memcpy(text + i, "Die Stadt informiert heute. ", 28);
	text[i] = '\0';
	n = split_text(text, 4096, SPLIT_CHARS, &parts);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_true(split_length(parts[i], strlen(parts[i]),
		    SPLIT_CHARS) <= 4096);
		assert_int_equal(parts[i][strlen(parts[i]) - 1], '.');
		total += strlen(parts[i]) + 1;
	}
	assert_int_equal(total, strlen(text));
	split_free(parts, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_paragraph_first),
		cmocka_unit_test(test_sentence_then_word),
		cmocka_unit_test(test_never_inside_a_character),
		cmocka_unit_test(test_long_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
