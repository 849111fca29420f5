// SPDX-License-Identifier: GPL-2.0-only
/* Addresses and sockets (see net.h). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common.h"
#include "net.h"
#include "report.h"

/* IPv4-mapped IPv6 addresses come out as IPv4, as the tracer reports them. */
static void endpoint_from_sockaddr(const struct sockaddr_storage *ss, struct endpoint *e)
{
	const struct sockaddr_in *in4 = (const void *)ss;
	const struct sockaddr_in6 *in6 = (const void *)ss;

	memset(e, 0, sizeof *e);
	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &in4->sin_addr, e->addr, sizeof e->addr);
		e->port = ntohs(in4->sin_port);
		e->version = 4;
	} else if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], e->addr, sizeof e->addr);
		e->port = ntohs(in6->sin6_port);
		e->version = 4;
	} else {
		inet_ntop(AF_INET6, &in6->sin6_addr, e->addr, sizeof e->addr);
		e->port = ntohs(in6->sin6_port);
		e->version = 6;
	}
}

static socklen_t sockaddr_from_text(const char *addr, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in4 = (void *)ss;
	struct sockaddr_in6 *in6 = (void *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		return sizeof *in4;
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return sizeof *in6;
	}
	errno = EINVAL;
	die(addr);
	return 0;
}

void endpoint_from_text(const char *addr, int port, struct endpoint *e)
{
	struct sockaddr_storage ss;

	sockaddr_from_text(addr, port, &ss);
	endpoint_from_sockaddr(&ss, e);
}

void endpoint_of_socket(int fd, enum side side, struct endpoint *e)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int r;

	r = side == LOCAL ? getsockname(fd, (struct sockaddr *)&ss, &len)
			  : getpeername(fd, (struct sockaddr *)&ss, &len);
	if (r)
		die(side == LOCAL ? "getsockname" : "getpeername");
	endpoint_from_sockaddr(&ss, e);
}

int family_of(const char *addr)
{
	return strchr(addr, ':') ? AF_INET6 : AF_INET;
}

int tcp_socket(int family)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

int set_int_option(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof value);
}

void set_send_timeout(int fd, int seconds)
{
	struct timeval tv = { seconds, 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv))
		die("SO_SNDTIMEO");
}

/* Listens on addr, ephemeral port. dual_stack: an AF_INET6 socket that also
 * takes IPv4 (IPV6_V6ONLY off). */
void listen_on(const char *addr, int dual_stack, int backlog, struct listener *l)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_from_text(addr, 0, &ss);

	l->fd = tcp_socket(ss.ss_family);
	if (ss.ss_family == AF_INET6 &&
	    set_int_option(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, !dual_stack))
		die("IPV6_V6ONLY");
	if (bind(l->fd, (struct sockaddr *)&ss, len))
		die("bind");
	if (listen(l->fd, backlog))
		die("listen");
	endpoint_of_socket(l->fd, LOCAL, &l->local);
}

/* A loopback port nobody listens on: bind to port 0, note the port, close. */
int unused_port(const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_from_text(addr, 0, &ss);
	struct endpoint e;
	int fd = tcp_socket(ss.ss_family);

	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	endpoint_of_socket(fd, LOCAL, &e);
	close(fd);
	return e.port;
}

/* Blocking connect; 0 or the errno it failed with. */
int connect_blocking(int fd, const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_from_text(addr, port, &ss);

	return connect(fd, (struct sockaddr *)&ss, len) ? errno : 0;
}

/* Starts a non-blocking connect; the errno connect() gave (EINPROGRESS normally). */
int connect_start(int fd, const char *addr, int port)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK))
		die("O_NONBLOCK");
	return connect_blocking(fd, addr, port);
}

/* Waits for POLLOUT and returns SO_ERROR, or ETIME if nothing happened in time. */
static int connect_finish(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int r, err;

	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		die("poll");
	if (r == 0)
		return ETIME;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		die("SO_ERROR");
	return err;
}

/* O_NONBLOCK connect, EINPROGRESS, poll, SO_ERROR: 0 or the errno. */
int connect_nonblocking(int fd, const char *addr, int port)
{
	int err = connect_start(fd, addr, port);

	if (err != EINPROGRESS) {
		emit("# note: non-blocking connect did not say EINPROGRESS but %s",
		     outcome_text(err));
		return err;
	}
	emit("# non-blocking connect: EINPROGRESS, then poll for POLLOUT");
	return connect_finish(fd, 10000);
}

int tcp_state(int fd)
{
	struct tcp_info info;
	socklen_t len = sizeof info;

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len))
		return -1;
	return info.tcpi_state;
}

/* For a listening socket, TCP_INFO reports the accept queue length in
 * tcpi_unacked and its limit in tcpi_sacked; new SYNs are dropped once
 * the length exceeds the limit. */
int accept_queue_length(int lfd, int *limit)
{
	struct tcp_info info;
	socklen_t len = sizeof info;

	if (getsockopt(lfd, IPPROTO_TCP, TCP_INFO, &info, &len))
		die("TCP_INFO");
	*limit = (int)info.tcpi_sacked;
	return (int)info.tcpi_unacked;
}

/* Looks in /proc/net/tcp for a SYN_SENT socket towards 127.0.0.1:port.
 * 1 found (its local port in *lport), 0 not found, -1 cannot tell. */
int find_syn_sent(int port, int *lport)
{
	char line[512];
	FILE *f = fopen("/proc/net/tcp", "r");
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof line, f)) {
		unsigned local_port, remote_port, state;

		if (sscanf(line, " %*d: %*x:%x %*x:%x %x", &local_port, &remote_port,
			   &state) == 3 &&
		    (int)remote_port == port && state == TCP_STATE_SYN_SENT) {
			*lport = (int)local_port;
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* Listen, connect (blocking or not), accept, and note both ends' addresses.
 * 0, or -1 after setup_failed. */
int open_connection(const char *listen_addr, int dual_stack,
		    const char *connect_addr, int nonblocking,
		    struct connection *c)
{
	int err;

	listen_on(listen_addr, dual_stack, 8, &c->l);
	c->cfd = tcp_socket(family_of(connect_addr));
	if (nonblocking)
		err = connect_nonblocking(c->cfd, connect_addr, c->l.local.port);
	else
		err = connect_blocking(c->cfd, connect_addr, c->l.local.port);
	if (err) {
		setup_failed("connect to [%s]:%d: %s", connect_addr,
			     c->l.local.port, strerror(err));
		return -1;
	}
	c->afd = accept(c->l.fd, NULL, NULL);
	if (c->afd < 0)
		die("accept");
	endpoint_of_socket(c->cfd, LOCAL, &c->client_local);
	endpoint_of_socket(c->cfd, PEER, &c->client_remote);
	endpoint_of_socket(c->afd, LOCAL, &c->server_local);
	endpoint_of_socket(c->afd, PEER, &c->server_remote);
	return 0;
}

int loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), r;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	r = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return r;
}
