// SPDX-License-Identifier: GPL-2.0-only
/*
 * errno names as the kernel of the CPU trace_tcp is built for numbers
 * them, from that CPU's asm/errno.h. Most CPUs use asm-generic's numbers
 * (x86, arm, ...); MIPS has its own (ETIMEDOUT 145, ECONNREFUSED 146,
 * EDQUOT 1133) and two names more.
 *
 * The names are packed into one string, in asm-generic order, to keep the
 * binary small. Aliases (EWOULDBLOCK, EDEADLOCK) share a number with
 * EAGAIN/EDEADLK and are not listed; 41 and 58 are unused in asm-generic.
 * Where the CPU numbers the names otherwise, a table holds each one's
 * number.
 */
#include "output/errno_name.h"

#include <asm/errno.h>
#include <string.h>
#include <strings.h>

/* Every name, in asm-generic order, with the gaps of that numbering. */
#define ERRNO_NAMES(X, GAP) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) \
	X(ENOEXEC) X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) \
	X(EFAULT) X(ENOTBLK) X(EBUSY) X(EEXIST) X(EXDEV) X(ENODEV) \
	X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) X(EMFILE) X(ENOTTY) \
	X(ETXTBSY) X(EFBIG) X(ENOSPC) X(ESPIPE) X(EROFS) X(EMLINK) X(EPIPE) \
	X(EDOM) X(ERANGE) X(EDEADLK) X(ENAMETOOLONG) X(ENOLCK) X(ENOSYS) \
	X(ENOTEMPTY) X(ELOOP) GAP(41) X(ENOMSG) X(EIDRM) X(ECHRNG) \
	X(EL2NSYNC) X(EL3HLT) X(EL3RST) X(ELNRNG) X(EUNATCH) X(ENOCSI) \
	X(EL2HLT) X(EBADE) X(EBADR) X(EXFULL) X(ENOANO) X(EBADRQC) \
	X(EBADSLT) GAP(58) X(EBFONT) X(ENOSTR) X(ENODATA) X(ETIME) X(ENOSR) \
	X(ENONET) X(ENOPKG) X(EREMOTE) X(ENOLINK) X(EADV) X(ESRMNT) X(ECOMM) \
	X(EPROTO) X(EMULTIHOP) X(EDOTDOT) X(EBADMSG) X(EOVERFLOW) \
	X(ENOTUNIQ) X(EBADFD) X(EREMCHG) X(ELIBACC) X(ELIBBAD) X(ELIBSCN) \
	X(ELIBMAX) X(ELIBEXEC) X(EILSEQ) X(ERESTART) X(ESTRPIPE) X(EUSERS) \
	X(ENOTSOCK) X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE) X(ENOPROTOOPT) \
	X(EPROTONOSUPPORT) X(ESOCKTNOSUPPORT) X(EOPNOTSUPP) X(EPFNOSUPPORT) \
	X(EAFNOSUPPORT) X(EADDRINUSE) X(EADDRNOTAVAIL) X(ENETDOWN) \
	X(ENETUNREACH) X(ENETRESET) X(ECONNABORTED) X(ECONNRESET) X(ENOBUFS) \
	X(EISCONN) X(ENOTCONN) X(ESHUTDOWN) X(ETOOMANYREFS) X(ETIMEDOUT) \
	X(ECONNREFUSED) X(EHOSTDOWN) X(EHOSTUNREACH) X(EALREADY) \
	X(EINPROGRESS) X(ESTALE) X(EUCLEAN) X(ENOTNAM) X(ENAVAIL) X(EISNAM) \
	X(EREMOTEIO) X(EDQUOT) X(ENOMEDIUM) X(EMEDIUMTYPE) X(ECANCELED) \
	X(ENOKEY) X(EKEYEXPIRED) X(EKEYREVOKED) X(EKEYREJECTED) \
	X(EOWNERDEAD) X(ENOTRECOVERABLE) X(ERFKILL) X(EHWPOISON)

#if EDEADLK == 35 && EHWPOISON == 133
#define ERRNO_GENERIC 1		/* a name's place in the list is its number */
#define EXTRA_NAMES(X)
#elif defined(EINIT) && defined(EREMDEV)
#define ERRNO_GENERIC 0
#define EXTRA_NAMES(X) X(EINIT) X(EREMDEV)	/* MIPS's own */
#else
#error "errno_name.c: an errno numbering neither asm-generic nor MIPS"
#endif

#define NAME_STRING(name) #name "\0"
#define GAP_STRING(nr) "\0"
#define NAME_ONE(name) + 1
#define GAP_ONE(nr) + 1

static const char errno_names[] =
	ERRNO_NAMES(NAME_STRING, GAP_STRING) EXTRA_NAMES(NAME_STRING);

/* How many places the list has, gaps included. */
#define NAMES (0 ERRNO_NAMES(NAME_ONE, GAP_ONE) EXTRA_NAMES(NAME_ONE))

#if !ERRNO_GENERIC
#define NAME_NUMBER(name) name,
#define GAP_NUMBER(nr) 0,
/* The CPU's number of each place of errno_names. */
static const unsigned short errno_numbers[NAMES] = {
	ERRNO_NAMES(NAME_NUMBER, GAP_NUMBER) EXTRA_NAMES(NAME_NUMBER)
};
#endif

/* Where each name starts in errno_names, by its place from 1, indexed on
 * the first lookup (trace_tcp formats from one thread): a failing event's
 * errno is then found without walking a hundred names. */
static unsigned short name_start[NAMES + 1];

static void index_names(void)
{
	const char *name = errno_names;

	for (int n = 1; n <= NAMES; n++) {
		name_start[n] = (unsigned short)(name - errno_names);
		name += strlen(name) + 1;
	}
}

/* The place of the name of a positive err in errno_names, or 0. */
static int place_of(int err)
{
#if ERRNO_GENERIC
	return err <= NAMES ? err : 0;
#else
	for (int n = 1; n <= NAMES; n++)
		if (errno_numbers[n - 1] == err)
			return n;
	return 0;
#endif
}

const char *errno_name(int err)
{
	const char *name;
	int place;

	if (err == 0)
		return "";
	if (err < 0)
		return NULL;
	place = place_of(err);
	if (!place)
		return NULL;
	if (!name_start[NAMES])
		index_names();
	name = errno_names + name_start[place];
	return *name ? name : NULL;
}

int errno_number(const char *name)
{
	const char *at = errno_names;

	for (int n = 1; n <= NAMES; n++) {
		if (*at && !strcasecmp(at, name))
#if ERRNO_GENERIC
			return n;
#else
			return errno_numbers[n - 1];
#endif
		at += strlen(at) + 1;
	}
	return 0;
}
