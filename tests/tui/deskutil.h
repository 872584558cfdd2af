/* Helpers of the desk's end-to-end tests (deskutil.c). */
#ifndef XINFANG_TEST_DESKUTIL_H
#define XINFANG_TEST_DESKUTIL_H

#include "../unit/testutil.h"
#include "harness.h"

/* A store made with the command line, with a clerk and a head. */
struct desk_env {
	char dir[64];
	char db[300];   /* XINFANG_DB=…: a file in dir, or on PostgreSQL (test_on_pg) a database */
	char today[40];
	char anchor[100]; /* XINFANG_ANCHOR=dir/ for a database's anchor ("" on a file) */
};

/* Runs the command line on the store as a user ("" for none); fails the test on an error. */
void cli(struct desk_env *e, const char *user, const char *const *argv);
/* A new store as of `today` (ISO), with admin, clerk (王丽) and head (李建国), password secret1. */
void env_setup(struct desk_env *e, const char *today);
/* Removes the store. */
void env_teardown(struct desk_env *e);
/* Opens the desk at 80x24 and logs in through the login screen. */
void open_desk(struct term *t, struct desk_env *e, const char *user, const char *const *extra_env);
/* The same at rows x cols. */
void open_desk_sized(struct term *t, struct desk_env *e, const char *user, const char *const *extra_env, int rows,
                     int cols);
/* Fails with the screen when text does not show within ms. */
void must_see(struct term *t, const char *text, int ms);
/* Turns an open print dialog's 打印到 to dest (打印机, 文件 or 终端打印机) with the arrow key,
 * waiting for each turn to show before the next, so a slow desk is never turned past it. */
void choose_print_dest(struct term *t, const char *dest);
/* The screen row holding text, as a new string (fails with the screen when absent). */
char *term_row_with(struct term *t, const char *text);
/* A new store as of `today`, the desk open on it as the clerk, on the registration form. */
void open_registration(struct desk_env *e, struct term *t, const char *today);
/* The value of a key in `xinfang show` (a new string). */
char *show_value(struct desk_env *e, const char *number, const char *key);
/* Asserts a key's value in `xinfang show`. */
void assert_shows(struct desk_env *e, const char *number, const char *key, const char *want);
/* Registers a case from the command line (服务态度, 来访). */
void cli_case(struct desk_env *e, const char *name);

#endif
