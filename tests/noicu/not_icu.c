/* A library named as ICU's common library that is not it (none of ICU's functions): put first
 * on LD_LIBRARY_PATH it stands for an ICU that is missing or of the wrong version, so the mask
 * can be shown to fail closed (tests/unit/test_mask_noicu.c). */

/* The one function it has: not one of ICU's. */
int not_icu(void);
int not_icu(void)
{
	return 0;
}
