/* A CUPS scheduler of the tests' own (cupsenv.c): a private socket in CUPS_SERVER, a PDF
 * queue 信访办 writing into a file and a raw queue 针式 to a listening socket. */
#ifndef XINFANG_TEST_CUPSENV_H
#define XINFANG_TEST_CUPSENV_H

#include <sys/types.h>

/* A scheduler of our own, a store, and a dot-matrix printer's network port (a listening
 * socket the scheduler's socket:// backend sends the raw queue's jobs to). */
struct cups_env {
	char dir[64];
	char db[128];
	char server[128];
	pid_t cupsd;
	int printer_port;
	int printer_fd;
};

/* Starts cupsd on a private socket and makes the two queues. */
void cups_start(struct cups_env *c);
/* Stops the scheduler and removes its directory. */
void cups_stop(struct cups_env *c);
/* Milliseconds of the monotonic clock. */
long long now_ms(void);

#endif
