/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tcpscen: the end-to-end test driver and checker for trace_tcp.
 *
 *   tcpscen run [FILTERS] NAME            perform scenario NAME, print its expectations
 *   tcpscen serve-blocked [FILTERS] FILE  block in accept(); the port goes to FILE
 *   tcpscen connect-to [FILTERS] PORT     connect to 127.0.0.1:PORT
 *   tcpscen check [--tag TAG] EXPECT_FILE EVENTS_FILE
 *   tcpscen selftest [FIXTURE_DIR]        the checker against tests/e2e/fixtures
 *   tcpscen list                          names of the `run` scenarios
 *
 * FILTERS are trace_tcp's own --connect-only, --accept-only, --failure-only:
 * given the same flags as the tracer, a scenario expects only what the
 * tracer should still report. Every scenario talks to loopback only (the
 * unreachable addresses are tried in a fresh network namespace holding
 * nothing but a loopback device). The expectation grammar is described in
 * tests/e2e/README.md.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "trace_tcp.h"

#define ABSENT "<absent>"	/* the value alternative "key is missing" */
#define TCP_STATE_SYN_SENT 2	/* as in /proc/net/tcp and tcp_info */
#define RUN_WATCHDOG_SECONDS 90
#define SERVE_WATCHDOG_SECONDS 300
#define NONROOT_UID 4243
#define NONROOT_GID 4242

/* ===================================================================== */
/* Small utilities                                                       */
/* ===================================================================== */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The names trace_tcp prints for the errors our scenarios provoke. */
static const char *errname(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ 0, "" },
		{ ECONNREFUSED, "ECONNREFUSED" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ENETUNREACH, "ENETUNREACH" }, { EHOSTUNREACH, "EHOSTUNREACH" },
		{ ECONNABORTED, "ECONNABORTED" }, { ECONNRESET, "ECONNRESET" },
		{ EINPROGRESS, "EINPROGRESS" }, { EINTR, "EINTR" },
		{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { EAFNOSUPPORT, "EAFNOSUPPORT" },
		{ EPERM, "EPERM" }, { EACCES, "EACCES" }, { ETIME, "ETIME" },
	};
	static char other[32];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(other, sizeof other, "errno-%d", err);
	return other;
}

/* For comments: like errname, but "success" instead of "". */
static const char *outcome_text(int err)
{
	return err ? errname(err) : "success";
}

/* ===================================================================== */
/* Expectation output (driver side)                                      */
/* ===================================================================== */

static char label[128];		/* this run's "# scenario" name */
static unsigned filters;	/* TT_ONLY_* bits from the command line */
static char out_text[32768];	/* expectation lines, printed at the end */
static size_t out_len;
static int scope_pids[8];	/* the processes this scenario created */
static int n_scope_pids;

/* Something went wrong that is not the tracer's fault: fail the group. */
static void die(const char *what)
{
	int err = errno;

	printf("# scenario %s\nexpect-fail internal: %s: %s\n", label, what,
	       strerror(err));
	fflush(stdout);
	exit(1);
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	size_t room = sizeof out_text - out_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out_text + out_len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 > room) {
		errno = ENOBUFS;
		die("expectation buffer full");
	}
	out_len += n;
	out_text[out_len++] = '\n';
	out_text[out_len] = '\0';
}

/* The scenario could not provoke what it tests: never let it pass. */
static void setup_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void setup_failed(const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	emit("# setup-failed: %s", why);
	emit("expect-fail setup: %s", why);
}

static void scope_add_pid(int pid)
{
	if (n_scope_pids < (int)(sizeof scope_pids / sizeof scope_pids[0]))
		scope_pids[n_scope_pids++] = pid;
}

static void print_expectations(void)
{
	int i;

	printf("# scenario %s\n", label);
	if (n_scope_pids > 0) {
		printf("scope proc.pid=");
		for (i = 0; i < n_scope_pids; i++)
			printf("%s%d", i ? "|" : "", scope_pids[i]);
		printf("\n");
		if (filters & TT_ONLY_CONNECT)
			printf("expect-only type=connect\n");
		if (filters & TT_ONLY_ACCEPT)
			printf("expect-only type=accept\n");
		if (filters & TT_ONLY_FAILURE)
			printf("expect-only error!=\n");
	}
	fputs(out_text, stdout);
	fflush(stdout);
}

static void set_label(const char *name)
{
	snprintf(label, sizeof label, "%s%s%s%s%s", name,
		 filters ? "/" : "",
		 filters & TT_ONLY_CONNECT ? "connect-only" : "",
		 filters & TT_ONLY_ACCEPT ? "accept-only" : "",
		 filters & TT_ONLY_FAILURE ?
			 (filters & ~TT_ONLY_FAILURE ? "+failure-only" : "failure-only") : "");
}

static void on_watchdog(int sig)
{
	static const char head[] = "# scenario ";
	static const char tail[] = "\nexpect-fail watchdog: scenario did not finish in time\n";
	ssize_t ignored;

	(void)sig;
	ignored = write(1, head, sizeof head - 1);
	ignored = write(1, label, strlen(label));
	ignored = write(1, tail, sizeof tail - 1);
	(void)ignored;
	_exit(3);
}

/* --- key=value pairs of one expectation line --- */

struct pairs {
	char text[1024];
	size_t len;
};

static void pairs_add(struct pairs *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pairs_add(struct pairs *p, const char *fmt, ...)
{
	size_t room = sizeof p->text - p->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(p->text + p->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		errno = ENOBUFS;
		die("expectation line too long");
	}
	p->len += n;
}

enum outcome { SUCCESS, FAILURE };

/* Would the tracer, run with our filters, still report such an event? */
static int filtered_out(const char *type, enum outcome outcome)
{
	if ((filters & TT_ONLY_CONNECT) && strcmp(type, "connect"))
		return 1;
	if ((filters & TT_ONLY_ACCEPT) && strcmp(type, "accept"))
		return 1;
	if ((filters & TT_ONLY_FAILURE) && outcome == SUCCESS)
		return 1;
	return 0;
}

static void expect_events(int count, const char *type, enum outcome outcome,
			  const struct pairs *p)
{
	if (count > 0 && filtered_out(type, outcome))
		count = 0;
	emit("expect %d type=%s%s", count, type, p->text);
}

/* --- who did it --- */

struct who {
	int pid, tid, ppid;
	unsigned uid, gid;
	char comm[TT_COMM_LEN + 1];
	unsigned long long netns, mntns;	/* 0: unknown (no /proc) */
};

static unsigned long long ns_inode(const char *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof path, "/proc/self/ns/%s", ns);
	return stat(path, &st) ? 0 : (unsigned long long)st.st_ino;
}

static void who_am_i(struct who *w)
{
	memset(w, 0, sizeof *w);
	w->pid = getpid();
	w->tid = (int)syscall(SYS_gettid);
	w->ppid = getppid();
	w->uid = getuid();
	w->gid = getgid();
	if (prctl(PR_GET_NAME, w->comm, 0, 0, 0))
		w->comm[0] = '\0';
	w->netns = ns_inode("net");
	w->mntns = ns_inode("mnt");
}

/* A comm we can put in an expectation without quoting. */
static int comm_is_plain(const char *comm)
{
	if (!*comm)
		return 0;
	for (; *comm; comm++)
		if (!isalnum((unsigned char)*comm) && !strchr("._-", *comm))
			return 0;
	return 1;
}

static void add_who(struct pairs *p, const struct who *w, int with_tid)
{
	pairs_add(p, " proc.pid=%d", w->pid);
	if (with_tid)
		pairs_add(p, " proc.tid=%d", w->tid);
	if (comm_is_plain(w->comm))
		pairs_add(p, " proc.comm=%s", w->comm);
	pairs_add(p, " proc.creds.uid=%u proc.creds.gid=%u", w->uid, w->gid);
	pairs_add(p, " proc.parent.pid=%d|" ABSENT, w->ppid);
	if (w->netns)
		pairs_add(p, " netns_id=%llu|" ABSENT, w->netns);
	if (w->mntns)
		pairs_add(p, " proc.mntns_id=%llu|" ABSENT, w->mntns);
}

/* --- where to --- */

struct endpoint {
	char addr[INET6_ADDRSTRLEN];
	int port;
	int version;
};

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

static void endpoint_from_text(const char *addr, int port, struct endpoint *e)
{
	struct sockaddr_storage ss;

	sockaddr_from_text(addr, port, &ss);
	endpoint_from_sockaddr(&ss, e);
}

enum side { LOCAL, PEER };

static void endpoint_of_socket(int fd, enum side side, struct endpoint *e)
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

static void add_endpoint(struct pairs *p, const char *name, const struct endpoint *e,
			 int with_port)
{
	pairs_add(p, " %s.addr=%s", name, e->addr);
	if (with_port)
		pairs_add(p, " %s.port=%d", name, e->port);
	pairs_add(p, " %s.version=%d", name, e->version);
}

/* --- the events we expect --- */

/*
 * TT_EXPECT=fallback: the tracer runs without kprobes and without BTF
 * (trace_tcp --backend tracepoint --btf none). Its documented
 * differences, asserted here rather than skipped:
 *   - accept is attributed to the task that called listen() and is
 *     emitted when the connection is established: accept_fd is -1 and
 *     the tid is the listening thread's;
 *   - a listener created before the tracer started is unknown to it: no
 *     accept (and no close of the accepted socket) is reported;
 *   - connect failures before the SYN (no route) are not reported.
 */
static int fallback_mode;

/* count closes of the socket local -> remote by w (fd: its fd, or -1). */
static void expect_close_by(int count, const struct who *w, int fd,
			    const struct endpoint *local, const struct endpoint *remote)
{
	struct pairs close = { .len = 0 };

	pairs_add(&close, " error= fd=%d|-1", fd);
	add_who(&close, w, 0);
	add_endpoint(&close, "src", local, 1);
	add_endpoint(&close, "dst", remote, 1);
	expect_events(count, "close", SUCCESS, &close);
}

static void expect_connect(const struct who *client, int cfd,
			   const struct endpoint *local, const struct endpoint *remote)
{
	struct pairs connect = { .len = 0 };

	pairs_add(&connect, " error= fd=%d accept_fd=-1", cfd);
	add_who(&connect, client, 1);
	add_endpoint(&connect, "src", local, 1);
	add_endpoint(&connect, "dst", remote, 1);
	expect_events(1, "connect", SUCCESS, &connect);
}

/* The connecting side of an established connection: its connect and its close. */
static void expect_connect_side(const struct who *client, int cfd,
				const struct endpoint *local, const struct endpoint *remote)
{
	expect_connect(client, cfd, local, remote);
	expect_close_by(1, client, cfd, local, remote);
}

/* The accepting side: its accept (fd = listening fd) and the close of the new socket. */
static void expect_accept_side(const struct who *server, int lfd, int lfd_may_be_unknown,
			       int afd, const struct endpoint *local,
			       const struct endpoint *remote)
{
	struct pairs accept = { .len = 0 }, close = { .len = 0 };

	if (fallback_mode)
		pairs_add(&accept, " error= fd=%d|-1 accept_fd=-1", lfd);
	else
		pairs_add(&accept, " error= fd=%d%s accept_fd=%d", lfd,
			  lfd_may_be_unknown ? "|-1" : "", afd);
	add_who(&accept, server, !fallback_mode);
	add_endpoint(&accept, "src", local, 1);
	add_endpoint(&accept, "dst", remote, 1);
	expect_events(1, "accept", SUCCESS, &accept);

	pairs_add(&close, " error= fd=%d|-1", afd);
	add_who(&close, server, 0);
	add_endpoint(&close, "src", local, 1);
	add_endpoint(&close, "dst", remote, 1);
	expect_events(1, "close", SUCCESS, &close);
}

/* A connect that failed with err; src is NULL when the local side is unknown. */
static void expect_failed_connect(const struct who *w, int fd, int err,
				  const struct endpoint *src, const struct endpoint *dst)
{
	struct pairs p = { .len = 0 };

	pairs_add(&p, " error=%s fd=%d accept_fd=-1", errname(err), fd);
	add_who(&p, w, 1);
	if (src)
		add_endpoint(&p, "src", src, src->port != 0);
	add_endpoint(&p, "dst", dst, 1);
	expect_events(1, "connect", FAILURE, &p);
}

static void expect_no_failed_connect(int pid)
{
	struct pairs p = { .len = 0 };

	pairs_add(&p, " proc.pid=%d error!=", pid);
	expect_events(0, "connect", FAILURE, &p);
}

static void expect_no_successful_connect(int pid)
{
	struct pairs p = { .len = 0 };

	pairs_add(&p, " proc.pid=%d error=", pid);
	expect_events(0, "connect", SUCCESS, &p);
}

static void expect_closes(int count, int pid)
{
	struct pairs p = { .len = 0 };

	pairs_add(&p, " proc.pid=%d", pid);
	expect_events(count, "close", SUCCESS, &p);
}

/* ===================================================================== */
/* Socket helpers                                                        */
/* ===================================================================== */

static int family_of(const char *addr)
{
	return strchr(addr, ':') ? AF_INET6 : AF_INET;
}

static int tcp_socket(int family)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

static int set_int_option(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof value);
}

static void set_send_timeout(int fd, int seconds)
{
	struct timeval tv = { seconds, 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv))
		die("SO_SNDTIMEO");
}

struct listener {
	int fd;
	struct endpoint local;
};

/* Listens on addr, ephemeral port. dual_stack: an AF_INET6 socket that also
 * takes IPv4 (IPV6_V6ONLY off). */
static void listen_on(const char *addr, int dual_stack, int backlog, struct listener *l)
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
static int unused_port(const char *addr)
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
static int connect_blocking(int fd, const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_from_text(addr, port, &ss);

	return connect(fd, (struct sockaddr *)&ss, len) ? errno : 0;
}

/* Starts a non-blocking connect; the errno connect() gave (EINPROGRESS normally). */
static int connect_start(int fd, const char *addr, int port)
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
static int connect_nonblocking(int fd, const char *addr, int port)
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

static int tcp_state(int fd)
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
static int accept_queue_length(int lfd, int *limit)
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
static int find_syn_sent(int port, int *lport)
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

/* ===================================================================== */
/* Helper processes                                                      */
/* ===================================================================== */

/* Forks a child that reports one fixed-size record through a pipe. Returns
 * the pid (0 in the child); *fd is the read end (parent) or write end (child). */
static pid_t fork_reporting_child(int *fd)
{
	int p[2];
	pid_t pid;

	fflush(stdout);
	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		alarm(0);
		close(p[0]);
		*fd = p[1];
		return 0;
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

static void write_record(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(2);
		p += n;
		len -= (size_t)n;
	}
}

/* 0 when the whole record arrived within timeout_ms, else -1. */
static int read_record(int fd, void *buf, size_t len, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	char *p = buf;

	while (len > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -1;
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return status;
}

/*
 * A black hole on loopback: a listener with listen(fd, 0) whose accept
 * queue is filled by connections nobody accepts, so the kernel drops every
 * further SYN and a connect to it stays in SYN_SENT. A separate helper
 * process owns it, so the fillers' own events are not the scenario's.
 */
struct blackhole {
	pid_t helper;
	int port;
};

struct blackhole_record {
	int port;		/* 0 on failure */
	int fillers;
	char why[128];
};

/* One connection that stays in the accept queue; its socket is left open
 * on purpose (until the helper is killed). Returns the fd or -1. */
static int connect_filler(const struct listener *l, int already_queued, char *why, size_t cap)
{
	int fd = tcp_socket(AF_INET), limit, err, i;

	set_send_timeout(fd, 2);
	err = connect_blocking(fd, "127.0.0.1", l->local.port);
	if (err) {
		snprintf(why, cap, "filler connect: %s", strerror(err));
		return -1;
	}
	/* The server queues it when the final ACK arrives: wait for that. */
	for (i = 0; i < 100; i++) {
		if (accept_queue_length(l->fd, &limit) > already_queued)
			return fd;
		sleep_ms(10);
	}
	snprintf(why, cap, "filler connection never reached the accept queue");
	return -1;
}

static void blackhole_helper(int report)
{
	struct blackhole_record r = { .port = 0 };
	struct listener l;
	int queued = 0, limit = 0;

	listen_on("127.0.0.1", 0, 0, &l);
	while (queued <= limit && r.fillers < 8 && !r.why[0]) {
		if (connect_filler(&l, queued, r.why, sizeof r.why) >= 0)
			r.fillers++;
		queued = accept_queue_length(l.fd, &limit);
	}
	if (!r.why[0] && queued <= limit)
		snprintf(r.why, sizeof r.why, "accept queue not full after %d connects",
			 r.fillers);
	if (!r.why[0])
		r.port = l.local.port;
	write_record(report, &r, sizeof r);
	for (;;)
		pause();	/* until the scenario kills us */
}

/* 0 on success; otherwise the setup failure is already recorded. */
static int blackhole_open(struct blackhole *bh)
{
	struct blackhole_record r;
	int fd;

	bh->helper = fork_reporting_child(&fd);
	if (bh->helper == 0)
		blackhole_helper(fd);
	if (read_record(fd, &r, sizeof r, 10000)) {
		snprintf(r.why, sizeof r.why, "black hole helper did not report");
		r.port = 0;
	}
	close(fd);
	if (!r.port) {
		setup_failed("black hole: %s", r.why);
		kill(bh->helper, SIGKILL);
		reap(bh->helper);
		return -1;
	}
	emit("# black hole 127.0.0.1:%d: listen(fd, 0), %d unaccepted connection(s) fill its queue",
	     r.port, r.fillers);
	bh->port = r.port;
	return 0;
}

static void blackhole_close(struct blackhole *bh)
{
	kill(bh->helper, SIGKILL);
	reap(bh->helper);
}

/* ===================================================================== */
/* Scenarios                                                             */
/* ===================================================================== */

/* An established loopback connection made in this process, both ends open. */
struct connection {
	struct listener l;
	int cfd, afd;
	struct endpoint client_local, client_remote, server_local, server_remote;
};

/* Listen, connect (blocking or not), accept, and note both ends' addresses.
 * 0, or -1 after setup_failed. */
static int open_connection(const char *listen_addr, int dual_stack,
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

/* Listen, connect from the same process, accept, close all three. */
static void scenario_connection(const char *listen_addr, int dual_stack,
				const char *connect_addr, int nonblocking)
{
	struct connection c;
	struct who me;

	who_am_i(&me);
	if (open_connection(listen_addr, dual_stack, connect_addr, nonblocking, &c))
		return;
	close(c.cfd);
	close(c.afd);
	close(c.l.fd);

	scope_add_pid(me.pid);
	expect_connect_side(&me, c.cfd, &c.client_local, &c.client_remote);
	expect_accept_side(&me, c.l.fd, 0, c.afd, &c.server_local, &c.server_remote);
	expect_closes(2, me.pid);
	expect_no_failed_connect(me.pid);
}

static void run_connect_ok(void) { scenario_connection("127.0.0.1", 0, "127.0.0.1", 0); }
static void run_nonblock_ok(void) { scenario_connection("127.0.0.1", 0, "127.0.0.1", 1); }
static void run_ipv6(void) { scenario_connection("::1", 0, "::1", 0); }
static void run_v4mapped(void) { scenario_connection("::", 1, "::ffff:127.0.0.1", 0); }

/* Connect to a loopback port nobody listens on. */
static void scenario_refused(int nonblocking)
{
	struct endpoint dst;
	struct who me;
	int port, fd, err;

	who_am_i(&me);
	port = unused_port("127.0.0.1");
	fd = tcp_socket(AF_INET);
	if (nonblocking)
		err = connect_nonblocking(fd, "127.0.0.1", port);
	else
		err = connect_blocking(fd, "127.0.0.1", port);
	close(fd);
	emit("# connect to unused port 127.0.0.1:%d: %s", port, outcome_text(err));
	if (err != ECONNREFUSED) {
		setup_failed("expected ECONNREFUSED, got %s", outcome_text(err));
		return;
	}
	endpoint_from_text("127.0.0.1", port, &dst);
	scope_add_pid(me.pid);
	expect_failed_connect(&me, fd, err, NULL, &dst);
	expect_no_successful_connect(me.pid);
	expect_closes(0, me.pid);
}

static void run_connect_refused(void) { scenario_refused(0); }
static void run_nonblock_refused(void) { scenario_refused(1); }

/* A blocking connect with TCP_SYNCNT=1 to the black hole: ETIMEDOUT after ~3 s. */
static void run_timeout(void)
{
	struct blackhole bh;
	struct endpoint dst;
	struct who me;
	long long started;
	int fd, err;

	if (blackhole_open(&bh))
		return;
	who_am_i(&me);
	fd = tcp_socket(AF_INET);
	if (set_int_option(fd, IPPROTO_TCP, TCP_SYNCNT, 1))
		die("TCP_SYNCNT");
	set_send_timeout(fd, 60);
	started = now_ms();
	err = connect_blocking(fd, "127.0.0.1", bh.port);
	emit("# blocking connect with TCP_SYNCNT=1: %s after %lld ms", outcome_text(err),
	     now_ms() - started);
	close(fd);
	blackhole_close(&bh);
	if (err != ETIMEDOUT) {
		setup_failed("expected ETIMEDOUT, got %s", outcome_text(err));
		return;
	}
	endpoint_from_text("127.0.0.1", bh.port, &dst);
	scope_add_pid(me.pid);
	expect_failed_connect(&me, fd, err, NULL, &dst);
	expect_no_successful_connect(me.pid);
	expect_closes(0, me.pid);
}

/* In a fresh network namespace the only device is lo, so there is no route
 * off the machine: connects fail with ENETUNREACH before any packet is
 * sent. lo is brought up there, since with no address at all IPv6 fails
 * earlier, with EADDRNOTAVAIL (no source address). */
static const char *const unreachable[2] = { "192.0.2.1", "2001:db8::1" };

static int loopback_up(void)
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

struct unreach_record {
	struct who who;
	int fd[2];
	int err[2];
	char why[128];
};

static void unreach_child(int report)
{
	struct unreach_record r;
	int i;

	memset(&r, 0, sizeof r);
	if (unshare(CLONE_NEWNET)) {
		snprintf(r.why, sizeof r.why, "unshare(CLONE_NEWNET): %s", strerror(errno));
	} else if (loopback_up()) {
		snprintf(r.why, sizeof r.why, "bringing up lo: %s", strerror(errno));
	} else {
		who_am_i(&r.who);
		for (i = 0; i < 2 && !r.why[0]; i++) {
			r.fd[i] = socket(family_of(unreachable[i]), SOCK_STREAM, 0);
			if (r.fd[i] < 0) {
				snprintf(r.why, sizeof r.why, "socket for %s: %s",
					 unreachable[i], strerror(errno));
				break;
			}
			set_send_timeout(r.fd[i], 5);
			r.err[i] = connect_blocking(r.fd[i], unreachable[i], 80);
		}
	}
	write_record(report, &r, sizeof r);
	_exit(0);
}

static void run_unreach(void)
{
	struct unreach_record r;
	struct endpoint dst;
	pid_t child;
	int fd, i;

	child = fork_reporting_child(&fd);
	if (child == 0)
		unreach_child(fd);
	if (read_record(fd, &r, sizeof r, 15000))
		snprintf(r.why, sizeof r.why, "child did not report");
	close(fd);
	reap(child);
	if (r.why[0]) {
		setup_failed("%s", r.why);
		return;
	}
	for (i = 0; i < 2; i++) {
		emit("# connect to %s port 80 in a fresh netns (only lo, up): %s", unreachable[i],
		     outcome_text(r.err[i]));
		if (r.err[i] != ENETUNREACH) {
			setup_failed("%s: expected ENETUNREACH, got %s", unreachable[i],
				     outcome_text(r.err[i]));
			return;
		}
	}
	scope_add_pid(r.who.pid);
	for (i = 0; i < 2 && !fallback_mode; i++) {
		endpoint_from_text(unreachable[i], 80, &dst);
		expect_failed_connect(&r.who, r.fd[i], ENETUNREACH, NULL, &dst);
	}
	if (fallback_mode)
		expect_no_failed_connect(r.who.pid);
	expect_no_successful_connect(r.who.pid);
	expect_closes(0, r.who.pid);
}

/* Non-blocking connect to the black hole, close() while in SYN_SENT. */
static void run_abort_close(void)
{
	struct endpoint local, dst;
	struct blackhole bh;
	struct who me;
	int fd, err, state;

	if (blackhole_open(&bh))
		return;
	who_am_i(&me);
	fd = tcp_socket(AF_INET);
	err = connect_start(fd, "127.0.0.1", bh.port);
	sleep_ms(200);
	state = tcp_state(fd);
	endpoint_of_socket(fd, LOCAL, &local);
	close(fd);
	blackhole_close(&bh);
	emit("# non-blocking connect: %s; tcp state after 200 ms: %d (2 = SYN_SENT); closed",
	     outcome_text(err), state);
	if (err != EINPROGRESS || state != TCP_STATE_SYN_SENT) {
		setup_failed("socket was not in SYN_SENT when closed");
		return;
	}
	endpoint_from_text("127.0.0.1", bh.port, &dst);
	scope_add_pid(me.pid);
	expect_failed_connect(&me, fd, ECONNABORTED, &local, &dst);
	expect_no_successful_connect(me.pid);
	expect_closes(0, me.pid);
}

/* A child blocked in connect() to the black hole is killed with SIGKILL. */
struct connector_record {
	struct who who;
	int fd;
};

static void connector_child(int report, int port)
{
	struct connector_record r;

	who_am_i(&r.who);
	r.fd = tcp_socket(AF_INET);
	write_record(report, &r, sizeof r);
	connect_blocking(r.fd, "127.0.0.1", port);	/* hangs ~2 minutes */
	_exit(0);
}

static void run_abort_kill(void)
{
	struct connector_record r;
	struct endpoint local, dst;
	struct blackhole bh;
	int fd, status, found, lport = 0;
	pid_t child;

	if (blackhole_open(&bh))
		return;
	child = fork_reporting_child(&fd);
	if (child == 0)
		connector_child(fd, bh.port);
	if (read_record(fd, &r, sizeof r, 10000)) {
		kill(child, SIGKILL);
		reap(child);
		blackhole_close(&bh);
		setup_failed("connecting child did not report");
		return;
	}
	close(fd);
	sleep_ms(300);
	found = find_syn_sent(bh.port, &lport);
	kill(child, SIGKILL);
	status = reap(child);
	blackhole_close(&bh);
	emit("# child %d blocked in connect; SYN_SENT socket in /proc/net/tcp: %s; killed: %s",
	     r.who.pid, found > 0 ? "yes" : found == 0 ? "no" : "cannot tell",
	     WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "yes" : "no");
	if (found == 0 || !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		setup_failed("child was not killed while in SYN_SENT");
		return;
	}
	endpoint_from_text("127.0.0.1", lport, &local);
	endpoint_from_text("127.0.0.1", bh.port, &dst);
	scope_add_pid(r.who.pid);
	expect_failed_connect(&r.who, r.fd, ECONNABORTED, found > 0 ? &local : NULL, &dst);
	expect_no_successful_connect(r.who.pid);
	expect_closes(0, r.who.pid);
}

/* A child connects to a listener of ours: as uid 4243, gid 4242 (nonroot),
 * or as root leaving its socket open for process exit to close
 * (exit-close). */
struct child_record {
	struct who who;
	int fd, err;
	struct endpoint local, remote;
	char why[128];
};

/* How the client child lets go of its socket. */
enum client_release {
	BY_EXIT,	/* exits with it open */
	BY_CLOSE,	/* close(2) */
	BY_DUP2,	/* dup2() puts another file on its fd: no close(2) */
};

static void client_child(int report, int port, int as_nonroot, enum client_release how)
{
	struct child_record r;

	memset(&r, 0, sizeof r);
	if (as_nonroot && (setgroups(0, NULL) || setgid(NONROOT_GID) || setuid(NONROOT_UID))) {
		snprintf(r.why, sizeof r.why, "dropping privileges: %s", strerror(errno));
		write_record(report, &r, sizeof r);
		_exit(0);
	}
	who_am_i(&r.who);
	r.fd = tcp_socket(AF_INET);
	r.err = connect_blocking(r.fd, "127.0.0.1", port);
	if (!r.err) {
		endpoint_of_socket(r.fd, LOCAL, &r.local);
		endpoint_of_socket(r.fd, PEER, &r.remote);
	}
	write_record(report, &r, sizeof r);
	if (how == BY_CLOSE)
		close(r.fd);
	if (how == BY_DUP2) {
		int null_fd = open("/dev/null", O_RDONLY);

		if (null_fd < 0 || dup2(null_fd, r.fd) < 0)
			_exit(1);
	}
	_exit(0);	/* BY_EXIT: exit closes it */
}

static void run_child_client(int as_nonroot, enum client_release how)
{
	struct endpoint server_local, server_remote;
	struct child_record r;
	struct listener l;
	struct who me;
	int fd, afd, client_closes;
	pid_t child;

	who_am_i(&me);
	listen_on("127.0.0.1", 0, 8, &l);
	child = fork_reporting_child(&fd);
	if (child == 0)
		client_child(fd, l.local.port, as_nonroot, how);
	if (read_record(fd, &r, sizeof r, 10000))
		snprintf(r.why, sizeof r.why, "child did not report");
	else if (!r.why[0] && r.err)
		snprintf(r.why, sizeof r.why, "connect: %s", strerror(r.err));
	close(fd);
	if (r.why[0]) {
		kill(child, SIGKILL);
		reap(child);
		setup_failed("%s", r.why);
		return;
	}
	afd = accept(l.fd, NULL, NULL);
	if (afd < 0)
		die("accept");
	endpoint_of_socket(afd, LOCAL, &server_local);
	endpoint_of_socket(afd, PEER, &server_remote);
	close(afd);
	reap(child);
	close(l.fd);

	scope_add_pid(r.who.pid);
	scope_add_pid(me.pid);
	/* Without BTF a close is a state change inside the owner's close(2)
	 * or exit: a release by dup2 is neither. */
	client_closes = how == BY_DUP2 && fallback_mode ? 0 : 1;
	expect_connect(&r.who, r.fd, &r.local, &r.remote);
	expect_close_by(client_closes, &r.who, r.fd, &r.local, &r.remote);
	expect_accept_side(&me, l.fd, 0, afd, &server_local, &server_remote);
	expect_closes(client_closes, r.who.pid);
	expect_closes(1, me.pid);
	expect_no_failed_connect(r.who.pid);
}

static void run_nonroot(void)
{
	run_child_client(1, BY_CLOSE);
}

static void run_exit_close(void)
{
	emit("# the client exits without closing its socket");
	run_child_client(0, BY_EXIT);
}

static void run_dup2_close(void)
{
	emit("# dup2() replaces the client's socket fd: the socket is released without close(2)");
	run_child_client(0, BY_DUP2);
}

/*
 * The server resets the connection (SO_LINGER 0); the client's socket,
 * in CLOSE already, is then closed: tcp_close destroys it without a
 * state change. Both closes are reported, each by its closer.
 */
static void run_reset_close(void)
{
	struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };
	struct connection c;
	struct who me;

	who_am_i(&me);
	if (open_connection("127.0.0.1", 0, "127.0.0.1", 0, &c))
		return;
	if (setsockopt(c.afd, SOL_SOCKET, SO_LINGER, &abort_on_close,
		       sizeof abort_on_close))
		die("setsockopt SO_LINGER");
	close(c.afd);	/* sends a reset: the client's socket goes to CLOSE */
	sleep_ms(50);
	close(c.cfd);
	close(c.l.fd);
	emit("# the server resets the connection (SO_LINGER 0), then the client closes");

	scope_add_pid(me.pid);
	expect_connect_side(&me, c.cfd, &c.client_local, &c.client_remote);
	expect_accept_side(&me, c.l.fd, 0, c.afd, &c.server_local, &c.server_remote);
	expect_closes(2, me.pid);
	expect_no_failed_connect(me.pid);
}

/*
 * The connected socket is shared with a child (fork). The parent's close
 * only drops a reference; the child's, later, releases the socket (by
 * close(2), or by exiting): the close is the child's, as tcp_close sees
 * it. (Without BTF the tracer matches a close to the process that
 * connected, so it misses this one.)
 */
static void scenario_shared_close(int child_exits)
{
	struct child_record r;
	struct connection c;
	struct who me;
	int fd, go[2];
	char byte = 1;
	pid_t child;

	who_am_i(&me);
	if (open_connection("127.0.0.1", 0, "127.0.0.1", 0, &c))
		return;
	if (pipe(go))
		die("pipe");
	child = fork_reporting_child(&fd);
	if (child == 0) {
		memset(&r, 0, sizeof r);
		close(go[1]);
		who_am_i(&r.who);
		write_record(fd, &r, sizeof r);
		/* until the parent has closed its copy */
		while (read(go[0], &byte, 1) < 0 && errno == EINTR)
			;
		if (!child_exits)
			close(c.cfd);
		_exit(0);
	}
	close(go[0]);
	if (read_record(fd, &r, sizeof r, 10000)) {
		kill(child, SIGKILL);
		reap(child);
		setup_failed("child did not report");
		return;
	}
	close(fd);
	close(c.cfd);	/* the child still holds the socket */
	sleep_ms(50);
	if (write(go[1], &byte, 1) != 1)
		die("write");
	close(go[1]);
	reap(child);
	close(c.afd);
	close(c.l.fd);
	emit("# the client socket is shared with child %d, which %s last",
	     r.who.pid, child_exits ? "exits with it" : "closes it");

	scope_add_pid(me.pid);
	scope_add_pid(r.who.pid);
	expect_connect(&me, c.cfd, &c.client_local, &c.client_remote);
	expect_close_by(0, &me, c.cfd, &c.client_local, &c.client_remote);
	expect_close_by(fallback_mode ? 0 : 1, &r.who, c.cfd, &c.client_local,
			&c.client_remote);
	expect_accept_side(&me, c.l.fd, 0, c.afd, &c.server_local, &c.server_remote);
	expect_closes(1, me.pid);
	expect_closes(fallback_mode ? 0 : 1, r.who.pid);
	expect_no_failed_connect(me.pid);
}

static void run_shared_close(void) { scenario_shared_close(0); }
static void run_shared_exit_close(void) { scenario_shared_close(1); }

static const struct scenario {
	const char *name;
	void (*run)(void);
} scenarios[] = {
	{ "connect-ok", run_connect_ok },
	{ "connect-refused", run_connect_refused },
	{ "nonblock-ok", run_nonblock_ok },
	{ "nonblock-refused", run_nonblock_refused },
	{ "timeout", run_timeout },
	{ "unreach", run_unreach },
	{ "abort-close", run_abort_close },
	{ "abort-kill", run_abort_kill },
	{ "ipv6", run_ipv6 },
	{ "v4mapped", run_v4mapped },
	{ "nonroot", run_nonroot },
	{ "exit-close", run_exit_close },
	{ "dup2-close", run_dup2_close },
	{ "reset-close", run_reset_close },
	{ "shared-close", run_shared_close },
	{ "shared-exit-close", run_shared_exit_close },
};

/* --- the accept that was already blocked when the tracer started --- */

struct accept_job {
	int lfd, afd, err;
	int started;		/* set just before accept() */
	struct who who;
};

static void *accept_thread(void *arg)
{
	struct accept_job *job = arg;

	who_am_i(&job->who);
	__atomic_store_n(&job->started, 1, __ATOMIC_SEQ_CST);
	job->afd = accept(job->lfd, NULL, NULL);
	job->err = errno;
	return NULL;
}

/* The state letter of one of our threads ('S' when it sleeps), or 0. */
static char thread_state(int tid)
{
	char path[64], text[512], *close_paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	close_paren = strrchr(text, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : 0;
}

/* Returns once the job's thread sleeps inside accept(). */
static void wait_until_blocked(struct accept_job *job)
{
	int i;

	while (!__atomic_load_n(&job->started, __ATOMIC_SEQ_CST))
		sleep_ms(1);
	for (i = 0; i < 2000; i++) {
		char state = thread_state(job->who.tid);

		if (state == 'S')
			return;
		if (state == 0) {	/* no /proc: give it time */
			sleep_ms(200);
			return;
		}
		sleep_ms(1);
	}
}

/* Readers never see a partial file: write a temporary one, then rename. */
static void write_port_file(const char *path, int port)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		die("port file");
	}
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "%d\n", port);
	if (fclose(f) || rename(tmp, path))
		die("port file");
}

/* hold PORTFILE: one loopback connection, both ends left open until
 * SIGTERM (or the watchdog); its port is written once it is established.
 * For the books of a tracer that exits while connections are open. */
static int cmd_hold(const char *portfile)
{
	struct listener l;
	int cfd, afd;

	listen_on("127.0.0.1", 0, 1, &l);
	cfd = tcp_socket(AF_INET);
	if (connect_blocking(cfd, "127.0.0.1", l.local.port))
		die("connect");
	afd = accept(l.fd, NULL, NULL);
	if (afd < 0)
		die("accept");
	write_port_file(portfile, l.local.port);
	pause();
	return 0;
}

static int cmd_serve_blocked(const char *portfile)
{
	struct endpoint local, remote;
	struct accept_job job = { .afd = -1 };
	struct listener l;
	pthread_t thread;

	listen_on("127.0.0.1", 0, 8, &l);
	job.lfd = l.fd;
	if (pthread_create(&thread, NULL, accept_thread, &job))
		die("pthread_create");
	wait_until_blocked(&job);
	write_port_file(portfile, l.local.port);
	pthread_join(thread, NULL);
	if (job.afd < 0) {
		errno = job.err;
		die("accept");
	}
	endpoint_of_socket(job.afd, LOCAL, &local);
	endpoint_of_socket(job.afd, PEER, &remote);
	close(job.afd);
	close(l.fd);
	emit("# accept() in thread %d was blocked before the tracer started", job.who.tid);
	scope_add_pid(job.who.pid);
	if (fallback_mode) {
		struct pairs none = { .len = 0 };

		add_endpoint(&none, "src", &local, 1);
		expect_events(0, "accept", SUCCESS, &none);
		expect_closes(0, job.who.pid);
	} else {
		expect_accept_side(&job.who, l.fd, 1, job.afd, &local, &remote);
		expect_closes(1, job.who.pid);
	}
	print_expectations();
	return 0;
}

static int parse_port(const char *text)
{
	char *end;
	long port;

	errno = 0;
	port = strtol(text, &end, 10);
	if (errno || end == text || *end || port < 1 || port > 65535)
		return -1;
	return (int)port;
}

static int cmd_connect_to(const char *port_text)
{
	struct endpoint local, remote;
	struct who me;
	int port = parse_port(port_text), fd, err;

	if (port < 0) {
		fprintf(stderr, "tcpscen: bad port '%s'\n", port_text);
		return 2;
	}
	who_am_i(&me);
	fd = tcp_socket(AF_INET);
	err = connect_blocking(fd, "127.0.0.1", port);
	if (err) {
		setup_failed("connect to 127.0.0.1:%d: %s", port, strerror(err));
		print_expectations();
		return 0;
	}
	endpoint_of_socket(fd, LOCAL, &local);
	endpoint_of_socket(fd, PEER, &remote);
	close(fd);
	scope_add_pid(me.pid);
	expect_connect_side(&me, fd, &local, &remote);
	expect_closes(1, me.pid);
	expect_no_failed_connect(me.pid);
	print_expectations();
	return 0;
}

/* ===================================================================== */
/* Checker: events                                                       */
/* ===================================================================== */

#define EVENT_LINE_MAX 4096
#define EVENT_FIELDS_MAX 64
#define EVENT_DEPTH_MAX 4
#define KEY_PATH_MAX 128
#define VALUE_MAX 512
#define POOL_MAX 8192
#define REPORT_BAD_LINES_MAX 20

struct field {
	const char *key;	/* dotted path, e.g. "proc.creds.uid" */
	const char *value;	/* decoded string, or the integer's text */
	int is_string;
};

struct event {
	int line;
	char *raw;
	int n_fields;
	struct field *fields;
	char *pool;
};

struct event_list {
	struct event *v;
	int n, cap;
};

struct json_parser {
	const char *s;
	size_t len, pos;
	const char *error;
	int n_fields;
	struct { size_t key, value; int is_string; } fields[EVENT_FIELDS_MAX];
	char pool[POOL_MAX];
	size_t pool_len;
};

static int json_fail(struct json_parser *p, const char *why)
{
	if (!p->error)
		p->error = why;
	return -1;
}

static int json_peek(const struct json_parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static void json_skip_space(struct json_parser *p)
{
	while (json_peek(p) == ' ' || json_peek(p) == '\t' || json_peek(p) == '\r')
		p->pos++;
}

static int json_expect(struct json_parser *p, int c, const char *why)
{
	json_skip_space(p);
	if (json_peek(p) != c)
		return json_fail(p, why);
	p->pos++;
	return 0;
}

static int json_hex4(struct json_parser *p, unsigned *out)
{
	int i;

	*out = 0;
	for (i = 0; i < 4; i++) {
		int c = json_peek(p);

		if (c < 0 || !isxdigit(c))
			return json_fail(p, "bad \\u escape");
		*out = *out * 16 + (unsigned)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
		p->pos++;
	}
	return 0;
}

/* Appends a byte to a bounded output buffer (keeping room for the NUL). */
static int put_byte(struct json_parser *p, char *out, size_t cap, size_t *n, int byte)
{
	if (*n + 1 >= cap)
		return json_fail(p, "string too long");
	out[(*n)++] = (char)byte;
	return 0;
}

static int put_utf8(struct json_parser *p, char *out, size_t cap, size_t *n, unsigned cp)
{
	if (cp == 0)
		return json_fail(p, "\\u0000 in string");
	if (cp < 0x80)
		return put_byte(p, out, cap, n, (int)cp);
	if (cp < 0x800)
		return put_byte(p, out, cap, n, 0xc0 | (cp >> 6)) ||
		       put_byte(p, out, cap, n, 0x80 | (cp & 0x3f));
	if (cp < 0x10000)
		return put_byte(p, out, cap, n, 0xe0 | (cp >> 12)) ||
		       put_byte(p, out, cap, n, 0x80 | ((cp >> 6) & 0x3f)) ||
		       put_byte(p, out, cap, n, 0x80 | (cp & 0x3f));
	return put_byte(p, out, cap, n, 0xf0 | (cp >> 18)) ||
	       put_byte(p, out, cap, n, 0x80 | ((cp >> 12) & 0x3f)) ||
	       put_byte(p, out, cap, n, 0x80 | ((cp >> 6) & 0x3f)) ||
	       put_byte(p, out, cap, n, 0x80 | (cp & 0x3f));
}

static int json_escape(struct json_parser *p, char *out, size_t cap, size_t *n)
{
	static const char plain[] = "\"\\/bfnrt", meaning[] = "\"\\/\b\f\n\r\t";
	const char *which;
	unsigned cp, low;
	int c = json_peek(p);

	p->pos++;
	if (c > 0 && (which = strchr(plain, c)) != NULL)
		return put_byte(p, out, cap, n, meaning[which - plain]);
	if (c != 'u')
		return json_fail(p, "bad escape in string");
	if (json_hex4(p, &cp))
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return json_fail(p, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (json_peek(p) != '\\' || p->pos + 1 >= p->len || p->s[p->pos + 1] != 'u')
			return json_fail(p, "lone high surrogate");
		p->pos += 2;
		if (json_hex4(p, &low))
			return -1;
		if (low < 0xdc00 || low > 0xdfff)
			return json_fail(p, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
	}
	return put_utf8(p, out, cap, n, cp);
}

/* Copies one raw UTF-8 sequence, checking its shape. */
static int json_utf8(struct json_parser *p, char *out, size_t cap, size_t *n)
{
	int lead = json_peek(p), more, i;

	more = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 :
	       lead >= 0xf0 && lead <= 0xf4 ? 3 : -1;
	if (more < 0 || p->pos + (size_t)more >= p->len)
		return json_fail(p, "invalid UTF-8");
	for (i = 1; i <= more; i++)
		if (((unsigned char)p->s[p->pos + i] & 0xc0) != 0x80)
			return json_fail(p, "invalid UTF-8");
	for (i = 0; i <= more; i++)
		if (put_byte(p, out, cap, n, (unsigned char)p->s[p->pos++]))
			return -1;
	return 0;
}

static int json_string(struct json_parser *p, char *out, size_t cap)
{
	size_t n = 0;
	int c;

	if (json_expect(p, '"', "expected a string"))
		return -1;
	for (;;) {
		c = json_peek(p);
		if (c < 0)
			return json_fail(p, "unterminated string");
		if (c == '"')
			break;
		if (c < 0x20)
			return json_fail(p, "control character in string");
		if (c == '\\') {
			p->pos++;
			if (json_escape(p, out, cap, &n))
				return -1;
		} else if (c >= 0x80) {
			if (json_utf8(p, out, cap, &n))
				return -1;
		} else {
			if (put_byte(p, out, cap, &n, c))
				return -1;
			p->pos++;
		}
	}
	p->pos++;
	out[n] = '\0';
	return 0;
}

/* -?(0|[1-9][0-9]*), at most 20 digits; fractions and exponents are refused. */
static int json_integer(struct json_parser *p, char *out, size_t cap)
{
	size_t start = p->pos, digits = 0;

	if (json_peek(p) == '-')
		p->pos++;
	if (json_peek(p) == '0') {
		p->pos++;
		digits = 1;
	} else {
		while (json_peek(p) >= '0' && json_peek(p) <= '9') {
			p->pos++;
			digits++;
		}
	}
	if (digits == 0)
		return json_fail(p, "bad number");
	if (json_peek(p) >= '0' && json_peek(p) <= '9')
		return json_fail(p, "leading zero in number");
	if (json_peek(p) == '.' || json_peek(p) == 'e' || json_peek(p) == 'E')
		return json_fail(p, "only integers are expected");
	if (digits > 20 || p->pos - start + 1 > cap)
		return json_fail(p, "number too long");
	memcpy(out, p->s + start, p->pos - start);
	out[p->pos - start] = '\0';
	return 0;
}

static int json_literal(struct json_parser *p, char *out, size_t cap)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(words[i]);
		if (p->len - p->pos >= n && !memcmp(p->s + p->pos, words[i], n) && n < cap) {
			memcpy(out, words[i], n + 1);
			p->pos += n;
			return 0;
		}
	}
	return json_fail(p, "unexpected character");
}

static int pool_add(struct json_parser *p, const char *text, size_t *offset)
{
	size_t n = strlen(text) + 1;

	if (p->pool_len + n > sizeof p->pool)
		return json_fail(p, "event too large");
	memcpy(p->pool + p->pool_len, text, n);
	*offset = p->pool_len;
	p->pool_len += n;
	return 0;
}

static int json_add_field(struct json_parser *p, const char *key, const char *value,
			  int is_string)
{
	int i;

	for (i = 0; i < p->n_fields; i++)
		if (!strcmp(p->pool + p->fields[i].key, key))
			return json_fail(p, "duplicate key");
	if (p->n_fields >= EVENT_FIELDS_MAX)
		return json_fail(p, "too many keys");
	if (pool_add(p, key, &p->fields[p->n_fields].key) ||
	    pool_add(p, value, &p->fields[p->n_fields].value))
		return -1;
	p->fields[p->n_fields++].is_string = is_string;
	return 0;
}

/* An object whose members are flattened to "prefix.key". */
static int json_object(struct json_parser *p, const char *prefix, int depth)
{
	char key[KEY_PATH_MAX], path[KEY_PATH_MAX], value[VALUE_MAX];
	int c, n;

	if (depth > EVENT_DEPTH_MAX)
		return json_fail(p, "nested too deep");
	if (json_expect(p, '{', "expected an object"))
		return -1;
	json_skip_space(p);
	if (json_peek(p) == '}') {
		p->pos++;
		return 0;
	}
	for (;;) {
		json_skip_space(p);
		if (json_string(p, key, sizeof key))
			return -1;
		if (!key[0] || strchr(key, '.'))
			return json_fail(p, "empty key or key with '.'");
		n = prefix ? snprintf(path, sizeof path, "%s.%s", prefix, key)
			   : snprintf(path, sizeof path, "%s", key);
		if (n < 0 || (size_t)n >= sizeof path)
			return json_fail(p, "key path too long");
		if (json_expect(p, ':', "expected ':'"))
			return -1;
		json_skip_space(p);
		c = json_peek(p);
		if (c == '{') {
			if (json_object(p, path, depth + 1))
				return -1;
		} else if (c == '"') {
			if (json_string(p, value, sizeof value) ||
			    json_add_field(p, path, value, 1))
				return -1;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			if (json_integer(p, value, sizeof value) ||
			    json_add_field(p, path, value, 0))
				return -1;
		} else if (c == '[') {
			return json_fail(p, "arrays are not expected");
		} else {
			if (json_literal(p, value, sizeof value) ||
			    json_add_field(p, path, value, 0))
				return -1;
		}
		json_skip_space(p);
		c = json_peek(p);
		p->pos++;
		if (c == '}')
			return 0;
		if (c != ',')
			return json_fail(p, "expected ',' or '}'");
	}
}

/* Parses one line into ev; NULL on success, else why it is malformed. */
static const char *parse_event(const char *line, size_t len, struct event *ev)
{
	static struct json_parser p;	/* large: keep it off the stack */
	int i;

	memset(&p, 0, sizeof p);
	p.s = line;
	p.len = len;
	if (json_object(&p, NULL, 1) == 0) {
		json_skip_space(&p);
		if (p.pos != p.len)
			json_fail(&p, "garbage after the object");
	}
	if (p.error)
		return p.error;
	ev->pool = malloc(p.pool_len ? p.pool_len : 1);
	ev->fields = malloc(sizeof *ev->fields * (p.n_fields ? p.n_fields : 1));
	ev->raw = strdup(line);
	if (!ev->pool || !ev->fields || !ev->raw)
		die("malloc");
	memcpy(ev->pool, p.pool, p.pool_len);
	ev->n_fields = p.n_fields;
	for (i = 0; i < p.n_fields; i++) {
		ev->fields[i].key = ev->pool + p.fields[i].key;
		ev->fields[i].value = ev->pool + p.fields[i].value;
		ev->fields[i].is_string = p.fields[i].is_string;
	}
	return NULL;
}

static const struct field *event_field(const struct event *ev, const char *key)
{
	int i;

	for (i = 0; i < ev->n_fields; i++)
		if (!strcmp(ev->fields[i].key, key))
			return &ev->fields[i];
	return NULL;
}

static const char *event_get(const struct event *ev, const char *key)
{
	const struct field *f = event_field(ev, key);

	return f ? f->value : NULL;
}

/* --- the shape trace_tcp promises: keys, types, order, value forms --- */

static const struct schema_key {
	const char *key;
	char kind;		/* 's' string, 'i' integer */
	char required;
} schema[] = {		/* in output order */
	{ "timestamp", 's', 1 }, { "type", 's', 1 }, { "error", 's', 1 },
	{ "fd", 'i', 1 }, { "accept_fd", 'i', 1 }, { "netns_id", 'i', 0 },
	{ "proc.comm", 's', 1 }, { "proc.pid", 'i', 1 }, { "proc.tid", 'i', 1 },
	{ "proc.creds.uid", 'i', 1 }, { "proc.creds.gid", 'i', 1 },
	{ "proc.mntns_id", 'i', 0 }, { "proc.parent.comm", 's', 0 },
	{ "proc.parent.pid", 'i', 0 },
	{ "src.addr", 's', 1 }, { "src.port", 'i', 1 }, { "src.proto", 's', 1 },
	{ "src.version", 'i', 1 },
	{ "dst.addr", 's', 1 }, { "dst.port", 'i', 1 }, { "dst.proto", 's', 1 },
	{ "dst.version", 'i', 1 },
};
#define SCHEMA_KEYS ((int)(sizeof schema / sizeof schema[0]))

static int schema_index(const char *key)
{
	int i;

	for (i = 0; i < SCHEMA_KEYS; i++)
		if (!strcmp(schema[i].key, key))
			return i;
	return -1;
}

static long long event_int(const struct event *ev, const char *key)
{
	const char *v = event_get(ev, key);

	return v ? strtoll(v, NULL, 10) : 0;
}

/* "2026-11-25T01:02:03.123456789Z" */
static int timestamp_ok(const char *ts)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddddddddZ";
	size_t i;

	if (strlen(ts) != sizeof shape - 1)
		return 0;
	for (i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)ts[i]) : ts[i] != shape[i])
			return 0;
	return 1;
}

static int error_name_ok(const char *e)
{
	if (!*e)
		return 1;
	if (e[0] != 'E' || !e[1])
		return 0;
	for (e++; *e; e++)
		if (!isupper((unsigned char)*e) && !isdigit((unsigned char)*e))
			return 0;
	return 1;
}

static const char *endpoint_problem(const struct event *ev, const char *side)
{
	char key[32];
	const char *addr, *proto;
	unsigned char buf[16];
	long long version, port;

	snprintf(key, sizeof key, "%s.addr", side);
	addr = event_get(ev, key);
	snprintf(key, sizeof key, "%s.proto", side);
	proto = event_get(ev, key);
	snprintf(key, sizeof key, "%s.version", side);
	version = event_int(ev, key);
	snprintf(key, sizeof key, "%s.port", side);
	port = event_int(ev, key);
	if (strcmp(proto, "TCP"))
		return "proto is not \"TCP\"";
	if (port < 0 || port > 65535)
		return "port out of range";
	if (version == 4)
		return inet_pton(AF_INET, addr, buf) == 1 ? NULL : "not an IPv4 address";
	if (version != 6)
		return "version is neither 4 nor 6";
	if (inet_pton(AF_INET6, addr, buf) != 1)
		return "not an IPv6 address";
	if (IN6_IS_ADDR_V4MAPPED((struct in6_addr *)buf))
		return "IPv4-mapped address reported as version 6";
	return NULL;
}

/* NULL if ev has the promised shape, else what is wrong (in buf). */
static const char *schema_problem(const struct event *ev, char *buf, size_t cap)
{
	const char *type, *problem;
	int i, idx, last = -1;

	for (i = 0; i < ev->n_fields; i++) {
		idx = schema_index(ev->fields[i].key);
		if (idx < 0)
			continue;
		if ((schema[idx].kind == 's') != ev->fields[i].is_string) {
			snprintf(buf, cap, "%s should be %s", schema[idx].key,
				 schema[idx].kind == 's' ? "a string" : "an integer");
			return buf;
		}
		if (idx < last) {
			snprintf(buf, cap, "%s out of order", schema[idx].key);
			return buf;
		}
		last = idx;
	}
	for (i = 0; i < SCHEMA_KEYS; i++)
		if (schema[i].required && !event_field(ev, schema[i].key)) {
			snprintf(buf, cap, "missing %s", schema[i].key);
			return buf;
		}
	type = event_get(ev, "type");
	if (strcmp(type, "connect") && strcmp(type, "accept") && strcmp(type, "close"))
		return "unknown type";
	if (!timestamp_ok(event_get(ev, "timestamp")))
		return "timestamp not like 2026-11-25T01:02:03.123456789Z";
	if (!error_name_ok(event_get(ev, "error")))
		return "error is neither \"\" nor an errno name";
	if (event_int(ev, "fd") < -1)
		return "fd below -1";
	if (strcmp(type, "accept") ? event_int(ev, "accept_fd") != -1
				   : event_int(ev, "accept_fd") < (fallback_mode ? -1 : 0))
		return "accept_fd must be -1 except on accept, where it is an fd";
	if (event_int(ev, "proc.pid") <= 0 || event_int(ev, "proc.tid") <= 0)
		return "pid or tid not positive";
	if (!event_field(ev, "proc.parent.pid") != !event_field(ev, "proc.parent.comm"))
		return "proc.parent needs both comm and pid";
	if ((problem = endpoint_problem(ev, "src")) != NULL) {
		snprintf(buf, cap, "src: %s", problem);
		return buf;
	}
	if ((problem = endpoint_problem(ev, "dst")) != NULL) {
		snprintf(buf, cap, "dst: %s", problem);
		return buf;
	}
	return NULL;
}

static void free_events(struct event_list *list)
{
	int i;

	for (i = 0; i < list->n; i++) {
		free(list->v[i].raw);
		free(list->v[i].fields);
		free(list->v[i].pool);
	}
	free(list->v);
	memset(list, 0, sizeof *list);
}

static void events_append(struct event_list *list, const struct event *ev)
{
	if (list->n == list->cap) {
		int cap = list->cap ? list->cap * 2 : 64;
		struct event *v = realloc(list->v, sizeof *v * cap);

		if (!v)
			die("realloc");
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = *ev;
}

static void report_bad_line(FILE *out, const char *name, int *bad, int line,
			    const char *why)
{
	if (++*bad <= REPORT_BAD_LINES_MAX)
		fprintf(out, "FAIL: %s: line %d: %s\n", name, line, why);
}

/* Reads every line of path; returns the number of bad lines (reported). */
static int load_events(const char *path, struct event_list *list, const char *name,
		       FILE *out)
{
	char *line = NULL, why[160];
	size_t cap = 0;
	ssize_t len;
	int number = 0, bad = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(out, "FAIL: %s: cannot open %s: %s\n", name, path, strerror(errno));
		return 1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct event ev = { .line = ++number };
		const char *problem;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else {
			report_bad_line(out, name, &bad, number, "truncated (no newline)");
			continue;
		}
		if ((size_t)len != strlen(line))
			problem = "NUL byte in line";
		else if (len == 0)
			problem = "empty line";
		else if (len > EVENT_LINE_MAX)
			problem = "line too long";
		else
			problem = parse_event(line, (size_t)len, &ev);
		if (problem) {
			snprintf(why, sizeof why, "malformed JSON: %s", problem);
			report_bad_line(out, name, &bad, number, why);
			continue;
		}
		if ((problem = schema_problem(&ev, why, sizeof why)) != NULL) {
			char msg[200];

			snprintf(msg, sizeof msg, "bad event: %s", problem);
			report_bad_line(out, name, &bad, number, msg);
		}
		events_append(list, &ev);
	}
	free(line);
	fclose(f);
	if (bad > REPORT_BAD_LINES_MAX)
		fprintf(out, "FAIL: %s: %d more bad lines\n", name, bad - REPORT_BAD_LINES_MAX);
	return bad;
}

/* ===================================================================== */
/* Checker: expectations                                                 */
/* ===================================================================== */

#define RULE_PAIRS_MAX 32
#define PAIR_ALTS_MAX 16
#define DUMP_EVENTS_MAX 40

enum rule_kind { RULE_EXPECT, RULE_EXPECT_ONLY, RULE_SCOPE, RULE_EXPECT_FAIL };

struct pair {
	const char *key;
	int negate;		/* key!=... */
	int n_alts;
	const char *alts[PAIR_ALTS_MAX];
};

struct rule {
	enum rule_kind kind;
	long count;
	int n_pairs;
	struct pair pairs[RULE_PAIRS_MAX];
	char *text;		/* the line, whitespace normalised */
	char *storage;		/* tokens point in here */
};

struct rule_group {
	char *name;
	struct rule *rules;
	int n_rules, cap;
};

struct plan {
	struct rule_group *groups;
	int n, cap;
};

static int key_ok(const char *key)
{
	if (!*key)
		return 0;
	for (; *key; key++)
		if (!isalnum((unsigned char)*key) && *key != '_' && *key != '.')
			return 0;
	return 1;
}

static const char *parse_pair(char *token, struct pair *pr)
{
	char *eq = strchr(token, '='), *value;

	if (!eq || eq == token)
		return "expected key=value";
	pr->negate = eq[-1] == '!';
	(pr->negate ? eq - 1 : eq)[0] = '\0';
	pr->key = token;
	if (!key_ok(pr->key))
		return "bad key";
	value = eq + 1;
	pr->n_alts = 0;
	for (;;) {
		char *bar = strchr(value, '|');

		if (pr->n_alts == PAIR_ALTS_MAX)
			return "too many alternatives";
		if (bar)
			*bar = '\0';
		pr->alts[pr->n_alts++] = value;
		if (!bar)
			return NULL;
		value = bar + 1;
	}
}

static const char *parse_count(const char *token, long *count)
{
	char *end;

	if (!token || !isdigit((unsigned char)token[0]))
		return "expected a count";
	*count = strtol(token, &end, 10);
	if (*end || *count > 1000000)
		return "bad count";
	return NULL;
}

/* Fills r from one directive line; NULL on success, else why not. */
static const char *parse_rule(const char *line, struct rule *r)
{
	char *save = NULL, *token, *p;
	const char *why;
	size_t n = 0;

	memset(r, 0, sizeof *r);
	r->text = malloc(strlen(line) + 1);
	r->storage = strdup(line);
	if (!r->text || !r->storage)
		die("malloc");
	for (p = r->storage, token = strtok_r(p, " \t", &save); token;
	     token = strtok_r(NULL, " \t", &save))
		n += (size_t)sprintf(r->text + n, "%s%s", n ? " " : "", token);
	r->text[n] = '\0';
	strcpy(r->storage, r->text);

	token = strtok_r(r->storage, " ", &save);
	if (!strcmp(token, "expect-fail")) {
		r->kind = RULE_EXPECT_FAIL;
		return NULL;
	}
	if (!strcmp(token, "expect")) {
		r->kind = RULE_EXPECT;
		if ((why = parse_count(strtok_r(NULL, " ", &save), &r->count)))
			return why;
	} else if (!strcmp(token, "expect-only")) {
		r->kind = RULE_EXPECT_ONLY;
	} else if (!strcmp(token, "scope")) {
		r->kind = RULE_SCOPE;
	} else {
		return "unknown directive";
	}
	while ((token = strtok_r(NULL, " ", &save))) {
		if (r->n_pairs == RULE_PAIRS_MAX)
			return "too many pairs";
		if ((why = parse_pair(token, &r->pairs[r->n_pairs++])))
			return why;
	}
	if (r->kind != RULE_EXPECT && r->n_pairs == 0)
		return "needs at least one key=value";
	return NULL;
}

static void free_rule(struct rule *r)
{
	free(r->text);
	free(r->storage);
}

static struct rule_group *plan_group(struct plan *plan, const char *name)
{
	struct rule_group *g;
	int i;

	for (i = 0; i < plan->n; i++)
		if (!strcmp(plan->groups[i].name, name))
			return &plan->groups[i];
	if (plan->n == plan->cap) {
		int cap = plan->cap ? plan->cap * 2 : 16;
		struct rule_group *v = realloc(plan->groups, sizeof *v * cap);

		if (!v)
			die("realloc");
		plan->groups = v;
		plan->cap = cap;
	}
	g = &plan->groups[plan->n++];
	memset(g, 0, sizeof *g);
	g->name = strdup(name);
	if (!g->name)
		die("strdup");
	return g;
}

static void group_add(struct rule_group *g, const struct rule *r)
{
	if (g->n_rules == g->cap) {
		int cap = g->cap ? g->cap * 2 : 16;
		struct rule *v = realloc(g->rules, sizeof *v * cap);

		if (!v)
			die("realloc");
		g->rules = v;
		g->cap = cap;
	}
	g->rules[g->n_rules++] = *r;
}

static void free_plan(struct plan *plan)
{
	int i, j;

	for (i = 0; i < plan->n; i++) {
		for (j = 0; j < plan->groups[i].n_rules; j++)
			free_rule(&plan->groups[i].rules[j]);
		free(plan->groups[i].rules);
		free(plan->groups[i].name);
	}
	free(plan->groups);
	memset(plan, 0, sizeof *plan);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
			   end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Reads the expectation file; returns the number of bad lines (reported). */
static int load_plan(const char *path, struct plan *plan, FILE *out)
{
	char *line = NULL, *text;
	struct rule_group *current = NULL;
	size_t cap = 0;
	int number = 0, bad = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(out, "FAIL: expectations: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (getline(&line, &cap, f) >= 0) {
		struct rule r;
		const char *why;

		number++;
		text = trim(line);
		if (!*text)
			continue;
		if (!strncmp(text, "# scenario ", 11) && *trim(text + 11)) {
			current = plan_group(plan, trim(text + 11));
			continue;
		}
		if (*text == '#')
			continue;
		why = parse_rule(text, &r);
		if (why) {
			fprintf(out, "FAIL: expectations: line %d: %s: %s\n", number, why, text);
			free_rule(&r);
			bad++;
			continue;
		}
		if (!current)
			current = plan_group(plan, "(no scenario)");
		group_add(current, &r);
	}
	free(line);
	fclose(f);
	return bad;
}

static int pair_matches(const struct pair *pr, const struct event *ev)
{
	const char *value = event_get(ev, pr->key);
	int i, hit = 0;

	for (i = 0; i < pr->n_alts && !hit; i++)
		hit = !strcmp(pr->alts[i], ABSENT) ? value == NULL
						    : value && !strcmp(value, pr->alts[i]);
	return pr->negate ? !hit : hit;
}

static int rule_matches(const struct rule *r, const struct event *ev)
{
	int i;

	for (i = 0; i < r->n_pairs; i++)
		if (!pair_matches(&r->pairs[i], ev))
			return 0;
	return 1;
}

/* An event is in a group's scope if it matches any of its scope lines
 * (every event, if it has none). */
static int in_scope(const struct rule_group *g, const struct event *ev)
{
	int i, scoped = 0;

	for (i = 0; i < g->n_rules; i++) {
		if (g->rules[i].kind != RULE_SCOPE)
			continue;
		if (rule_matches(&g->rules[i], ev))
			return 1;
		scoped = 1;
	}
	return !scoped;
}

static long count_matching(const struct rule *r, const struct event_list *evs)
{
	long n = 0;
	int i;

	for (i = 0; i < evs->n; i++)
		n += rule_matches(r, &evs->v[i]);
	return n;
}

static long count_misplaced(const struct rule_group *g, const struct rule *r,
			    const struct event_list *evs)
{
	long n = 0;
	int i;

	for (i = 0; i < evs->n; i++)
		n += in_scope(g, &evs->v[i]) && !rule_matches(r, &evs->v[i]);
	return n;
}

/* Adds the proc.pid alternatives of r to pids (positive pairs only). */
static void collect_pids(const struct rule *r, const char **pids, int *n, int max)
{
	int i, j;

	for (i = 0; i < r->n_pairs; i++)
		if (!r->pairs[i].negate && !strcmp(r->pairs[i].key, "proc.pid"))
			for (j = 0; j < r->pairs[i].n_alts && *n < max; j++)
				pids[(*n)++] = r->pairs[i].alts[j];
}

/* To help debugging: the events of the processes the failing line is about. */
static void dump_related(const struct rule_group *g, const struct rule *r,
			 const struct event_list *evs, FILE *dbg)
{
	const char *pids[32];
	int n = 0, i, j, shown = 0;

	if (!dbg)
		return;
	collect_pids(r, pids, &n, 32);
	for (i = 0; i < g->n_rules && n == 0; i++)
		if (g->rules[i].kind == RULE_SCOPE)
			collect_pids(&g->rules[i], pids, &n, 32);
	if (n == 0)
		return;
	fprintf(dbg, "  %s: events of pid", g->name);
	for (i = 0; i < n; i++)
		fprintf(dbg, "%s%s", i ? "|" : " ", pids[i]);
	fprintf(dbg, ":\n");
	for (i = 0; i < evs->n && shown < DUMP_EVENTS_MAX; i++) {
		const char *pid = event_get(&evs->v[i], "proc.pid");

		for (j = 0; pid && j < n; j++)
			if (!strcmp(pid, pids[j])) {
				fprintf(dbg, "  line %d: %s\n", evs->v[i].line, evs->v[i].raw);
				shown++;
				break;
			}
	}
	if (shown == 0)
		fprintf(dbg, "  (none at all)\n");
}

/* Prints PASS/FAIL for one group; returns 1 if it failed. */
static int evaluate_group(const struct rule_group *g, const struct event_list *evs, FILE *out,
			  FILE *dbg)
{
	int i, checked = 0;

	for (i = 0; i < g->n_rules; i++) {
		const struct rule *r = &g->rules[i];
		long n;

		switch (r->kind) {
		case RULE_SCOPE:
			continue;
		case RULE_EXPECT_FAIL:
			fprintf(out, "FAIL: %s: %s\n", g->name, r->text);
			return 1;
		case RULE_EXPECT:
			n = count_matching(r, evs);
			if (n != r->count) {
				fprintf(out, "FAIL: %s: %s matched %ld\n", g->name, r->text, n);
				dump_related(g, r, evs, dbg);
				return 1;
			}
			break;
		case RULE_EXPECT_ONLY:
			n = count_misplaced(g, r, evs);
			if (n != 0) {
				fprintf(out, "FAIL: %s: %s: %ld event(s) in scope do not match\n",
					g->name, r->text, n);
				dump_related(g, r, evs, dbg);
				return 1;
			}
			break;
		}
		checked++;
	}
	if (checked == 0) {
		fprintf(out, "FAIL: %s: no expectations\n", g->name);
		return 1;
	}
	fprintf(out, "PASS: %s\n", g->name);
	return 0;
}

/* The whole check; returns the number of FAIL lines printed. */
static int check_files(const char *expect_path, const char *events_path, const char *tag,
		       FILE *out, FILE *dbg)
{
	struct event_list evs = { .n = 0 };
	struct plan plan = { .n = 0 };
	char name[160];
	int failures, bad, i;

	snprintf(name, sizeof name, "events-format%s%s", tag ? "/" : "", tag ? tag : "");
	failures = load_plan(expect_path, &plan, out);
	bad = load_events(events_path, &evs, name, out);
	if (bad == 0)
		fprintf(out, "PASS: %s\n", name);
	failures += bad < REPORT_BAD_LINES_MAX ? bad : REPORT_BAD_LINES_MAX + 1;
	if (dbg)
		fprintf(dbg, "tcpscen check: %d events, %d scenario(s)\n", evs.n, plan.n);
	if (plan.n == 0) {
		fprintf(out, "FAIL: expectations: no scenarios\n");
		failures++;
	}
	for (i = 0; i < plan.n; i++)
		failures += evaluate_group(&plan.groups[i], &evs, out, dbg);
	free_plan(&plan);
	free_events(&evs);
	return failures;
}

static int cmd_check(int argc, char **argv)
{
	const char *tag = NULL;

	if (argc >= 2 && !strcmp(argv[0], "--tag")) {
		tag = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: tcpscen check [--tag TAG] EXPECT_FILE EVENTS_FILE\n");
		return 2;
	}
	return check_files(argv[0], argv[1], tag, stdout, stderr) ? 1 : 0;
}

/* ===================================================================== */
/* Selftest: the checker against handcrafted fixtures                    */
/* ===================================================================== */

static char *read_whole_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = strdup("");
	}
	fclose(f);
	return text;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One fixture: BASE.expect and BASE.events; BASE.want holds the checker's
 * exact output followed by "exit N". Returns 1 on mismatch. */
static int selftest_one(const char *dir, const char *base)
{
	char expect[4096], events[4096], want_path[4096];
	char *got = NULL, *want;
	size_t got_len = 0;
	FILE *out = open_memstream(&got, &got_len);
	int failures, bad;

	if (!out)
		die("open_memstream");
	snprintf(expect, sizeof expect, "%s/%s.expect", dir, base);
	snprintf(events, sizeof events, "%s/%s.events", dir, base);
	snprintf(want_path, sizeof want_path, "%s/%s.want", dir, base);
	failures = check_files(expect, events, NULL, out, NULL);
	fprintf(out, "exit %d\n", failures ? 1 : 0);
	fclose(out);
	want = read_whole_file(want_path);
	bad = !want || strcmp(got, want);
	if (bad) {
		printf("FAIL: selftest/%s: checker output differs from %s\n", base, want_path);
		fprintf(stderr, "--- got:\n%s--- want:\n%s", got, want ? want : "(missing)\n");
	} else {
		printf("PASS: selftest/%s\n", base);
	}
	free(got);
	free(want);
	return bad;
}

static int cmd_selftest(const char *dir)
{
	char *names[64];
	struct dirent *d;
	int n = 0, i, failures = 0;
	DIR *dp = opendir(dir);

	if (!dp) {
		printf("FAIL: selftest: cannot open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((d = readdir(dp)) && n < 64) {
		size_t len = strlen(d->d_name);

		if (len > 7 && !strcmp(d->d_name + len - 7, ".expect")) {
			names[n] = strndup(d->d_name, len - 7);
			if (!names[n])
				die("strdup");
			n++;
		}
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof names[0], compare_names);
	for (i = 0; i < n; i++) {
		failures += selftest_one(dir, names[i]);
		free(names[i]);
	}
	if (n == 0) {
		printf("FAIL: selftest: no fixtures in %s\n", dir);
		return 1;
	}
	return failures ? 1 : 0;
}

/* ===================================================================== */
/* Command line                                                          */
/* ===================================================================== */

static int usage(void)
{
	fprintf(stderr,
		"usage: tcpscen run [FILTERS] NAME\n"
		"       tcpscen serve-blocked [FILTERS] PORTFILE\n"
		"       tcpscen connect-to [FILTERS] PORT\n"
		"       tcpscen hold PORTFILE\n"
		"       tcpscen check [--tag TAG] EXPECT_FILE EVENTS_FILE\n"
		"       tcpscen selftest [FIXTURE_DIR]\n"
		"       tcpscen list\n"
		"FILTERS: --connect-only --accept-only --failure-only\n");
	return 2;
}

static const struct scenario *find_scenario(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}

/* Driver subcommands take the tracer's filter flags anywhere; the other
 * arguments are returned in args. Returns their number, or -1. */
static int split_filters(int argc, char **argv, char **args, int max)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--connect-only"))
			filters |= TT_ONLY_CONNECT;
		else if (!strcmp(argv[i], "--accept-only"))
			filters |= TT_ONLY_ACCEPT;
		else if (!strcmp(argv[i], "--failure-only"))
			filters |= TT_ONLY_FAILURE;
		else if (argv[i][0] == '-' || n == max)
			return -1;
		else
			args[n++] = argv[i];
	}
	if ((filters & TT_ONLY_CONNECT) && (filters & TT_ONLY_ACCEPT))
		return -1;
	return n;
}

/* run-as UID GID CMD [ARGS...]: exec CMD without root (no groups). */
static int cmd_run_as(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: tcpscen run-as UID GID CMD [ARGS...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid((gid_t)atoi(argv[1])) ||
	    setuid((uid_t)atoi(argv[0]))) {
		perror("tcpscen run-as");
		return 2;
	}
	execv(argv[2], argv + 2);
	perror("tcpscen run-as: exec");
	return 127;
}

int main(int argc, char **argv)
{
	const struct scenario *s;
	char *args[2];
	size_t i;
	int n;

	fallback_mode = getenv("TT_EXPECT") && !strcmp(getenv("TT_EXPECT"), "fallback");
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "run-as"))
		return cmd_run_as(argc - 2, argv + 2);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	if (!strcmp(argv[1], "selftest"))
		return cmd_selftest(argc > 2 ? argv[2] : "tests/e2e/fixtures");
	if (!strcmp(argv[1], "list")) {
		for (i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
			printf("%s\n", scenarios[i].name);
		return 0;
	}
	n = split_filters(argc - 2, argv + 2, args, 2);
	if (n != 1)
		return usage();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_watchdog);
	if (!strcmp(argv[1], "run")) {
		s = find_scenario(args[0]);
		if (!s) {
			fprintf(stderr, "tcpscen: no scenario '%s' (see tcpscen list)\n", args[0]);
			return 2;
		}
		set_label(s->name);
		alarm(RUN_WATCHDOG_SECONDS);
		s->run();
		print_expectations();
		return 0;
	}
	if (!strcmp(argv[1], "serve-blocked")) {
		set_label("serve-blocked");
		alarm(SERVE_WATCHDOG_SECONDS);
		return cmd_serve_blocked(args[0]);
	}
	if (!strcmp(argv[1], "hold")) {
		set_label("hold");
		alarm(SERVE_WATCHDOG_SECONDS);
		return cmd_hold(args[0]);
	}
	if (!strcmp(argv[1], "connect-to")) {
		set_label("connect-to");
		alarm(RUN_WATCHDOG_SECONDS);
		return cmd_connect_to(args[0]);
	}
	return usage();
}
