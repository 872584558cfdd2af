/* The chain's SHA-256 (src/core/sha256.c) gives OpenSSL's digest: FIPS 180-4's examples, every
 * length across the block and padding boundaries, the data fed in pieces of every size. */
#include "testutil.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"

/* OpenSSL's digest of n bytes as hex. */
static void openssl_hex(const void *data, size_t n, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	assert_int_equal(EVP_Digest(data, n, md, &len, EVP_sha256(), NULL), 1);
	assert_int_equal(len, 32);
	xf_sha256_to_hex(md, hex);
}

/* FIPS 180-4's examples, and a million a's. */
static void known_digests(void **state)
{
	(void)state;
	char hex[65];
	xf_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	xf_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	xf_sha256_hex(two, strlen(two), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char *million = malloc(1000000);
	memset(million, 'a', 1000000);
	xf_sha256_hex(million, 1000000, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* Every length from 0 to 300 bytes, whole and in pieces of every size from 1 to 70. */
static void same_as_openssl(void **state)
{
	(void)state;
	unsigned char data[300];
	unsigned int x = 12345;
	for (size_t i = 0; i < sizeof data; i++) {
		x = x * 1103515245 + 12345;
		data[i] = (unsigned char)(x >> 16);
	}
	for (size_t n = 0; n <= sizeof data; n++) {
		char want[65], got[65];
		openssl_hex(data, n, want);
		xf_sha256_hex(data, n, got);
		assert_string_equal(got, want);
		for (size_t piece = 1; piece <= 70; piece++) {
			struct xf_sha256 c;
			unsigned char md[32];
			xf_sha256_init(&c);
			for (size_t at = 0; at < n; at += piece)
				xf_sha256_update(&c, data + at, n - at < piece ? n - at : piece);
			xf_sha256_final(&c, md);
			xf_sha256_to_hex(md, got);
			assert_string_equal(got, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_digests),
		cmocka_unit_test(same_as_openssl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
