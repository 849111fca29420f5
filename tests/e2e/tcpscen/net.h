/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Addresses and sockets: endpoints as the tracer reports them, listeners,
 * connects (blocking or not), and what the kernel says about a socket.
 */
#ifndef TCPSCEN_NET_H
#define TCPSCEN_NET_H

#include <netinet/in.h>
#include <sys/socket.h>

#define TCP_STATE_SYN_SENT 2	/* as in /proc/net/tcp and tcp_info */

struct endpoint {
	char addr[INET6_ADDRSTRLEN];
	int port;
	int version;
};

enum side { LOCAL, PEER };

struct listener {
	int fd;
	struct endpoint local;
};

/* An established loopback connection made in this process, both ends open. */
struct connection {
	struct listener l;
	int cfd, afd;
	struct endpoint client_local, client_remote;
	struct endpoint server_local, server_remote;
};

void endpoint_from_text(const char *addr, int port, struct endpoint *e);
void endpoint_of_socket(int fd, enum side side, struct endpoint *e);

int family_of(const char *addr);
int tcp_socket(int family);
int set_int_option(int fd, int level, int name, int value);
void set_send_timeout(int fd, int seconds);
void listen_on(const char *addr, int dual_stack, int backlog,
	       struct listener *l);
int unused_port(const char *addr);
int connect_blocking(int fd, const char *addr, int port);
int connect_start(int fd, const char *addr, int port);
int connect_nonblocking(int fd, const char *addr, int port);
int tcp_state(int fd);
int accept_queue_length(int lfd, int *limit);
int find_syn_sent(int port, int *lport);
int open_connection(const char *listen_addr, int dual_stack,
		    const char *connect_addr, int nonblocking,
		    struct connection *c);

/* Bring up lo in this (fresh) network namespace; 0 or -1 with errno. */
int loopback_up(void);

#endif
