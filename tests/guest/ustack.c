// SPDX-License-Identifier: GPL-2.0
/*
 * ustack HOST PORT N HOLD_SECONDS: a process with a known user stack for
 * the guest tests of socktap stacks -u.  Prints its pid, connects N times
 * to HOST:PORT over TCP (closing each socket), then sleeps HOLD_SECONDS
 * so the CLI can read its memory maps before it exits.
 *
 * connect() is called from ustack_do_connect, called from
 * ustack_known_caller: built with frame pointers (-O1 -g
 * -fno-omit-frame-pointer), a frame-pointer walk from the system call
 * sees libc's connect (which keeps no frame), then the return address
 * saved in ustack_do_connect's frame, which lies in ustack_known_caller.
 * Both are external and not inlined, so they are in the symbol table.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Counted by the callers: connects that worked, and those refused. */
static unsigned long ustack_ok, ustack_refused, ustack_failed;

__attribute__((noinline)) int ustack_do_connect(int fd,
						const struct addrinfo *ai);
__attribute__((noinline)) int ustack_known_caller(const struct addrinfo *ai,
						  unsigned long n);

/* errno after connect(): not a tail call, so this frame stays. */
__attribute__((noinline)) int ustack_do_connect(int fd,
						const struct addrinfo *ai)
{
	int ret = connect(fd, ai->ai_addr, ai->ai_addrlen);

	return ret ? errno : 0;
}

__attribute__((noinline)) int ustack_known_caller(const struct addrinfo *ai,
						  unsigned long n)
{
	unsigned long i;
	int fd, err;

	for (i = 0; i < n; i++) {
		fd = socket(ai->ai_family, SOCK_STREAM, IPPROTO_TCP);
		if (fd < 0) {
			perror("ustack: socket");
			return -1;
		}
		err = ustack_do_connect(fd, ai);
		if (!err)
			ustack_ok++;
		else if (err == ECONNREFUSED)
			ustack_refused++;
		else
			ustack_failed++;
		if (close(fd)) {
			perror("ustack: close");
			return -1;
		}
	}
	return 0;
}

static int ustack_number(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end || *s == '-';
}

int main(int argc, char **argv)
{
	struct addrinfo hints, *ai;
	unsigned long n, hold;
	struct timespec ts;
	int ret;

	if (argc != 5 || ustack_number(argv[3], &n) ||
	    ustack_number(argv[4], &hold)) {
		fprintf(stderr, "usage: ustack HOST PORT N HOLD_SECONDS\n");
		return 2;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	ret = getaddrinfo(argv[1], argv[2], &hints, &ai);
	if (ret) {
		fprintf(stderr, "ustack: %s:%s: %s\n", argv[1], argv[2],
			gai_strerror(ret));
		return 1;
	}
	/* First, so a test can read it while the connects go on. */
	printf("%ld\n", (long)getpid());
	if (fflush(stdout)) {
		perror("ustack: stdout");
		freeaddrinfo(ai);
		return 1;
	}
	ret = ustack_known_caller(ai, n);
	freeaddrinfo(ai);
	if (ret)
		return 1;
	fprintf(stderr, "ustack: %lu connects: %lu ok, %lu refused, %lu failed\n",
		n, ustack_ok, ustack_refused, ustack_failed);
	ts.tv_sec = (time_t)hold;
	ts.tv_nsec = 0;
	while (nanosleep(&ts, &ts)) {
		if (errno != EINTR) {
			perror("ustack: nanosleep");
			return 1;
		}
	}
	return 0;
}
