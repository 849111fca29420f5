// SPDX-License-Identifier: GPL-2.0-only
/* Kernel layouts from tracefs and BTF (see kernel_layout.h). */
#include "plan/kernel_layout.h"

#include <stdio.h>
#include <string.h>

#include "kernel/btf/btf.h"
#include "kernel/features.h"
#include "kernel/inject.h"
#include "kernel/tp_format.h"

/* The programs load fields from the record itself: the verifier lets a
 * tracepoint program read the first PERF_MAX_TRACE_SIZE (2048) bytes, at
 * offsets aligned to the load's size. */
#define RECORD_READ_MAX 2048
#define FORMAT_TEXT_MAX 8192

struct field_need {
	const char *field;
	enum kconst_id id;
	unsigned int size;	/* 0: 1 or 2 (protocol); FIELD_PTR: a pointer */
	int optional;
};

/* A kernel pointer's size: the kernel's own where it may be 4 or 8
 * (include/kconst_names.h), as sock:inet_sock_set_state's skaddr gives
 * it (tt_k_ptr_size); else 8. Syscall records' longs likewise, as their
 * first argument gives it (tt_k_long_size). */
#ifdef TT_KERNEL_WORD_VARIES
#define FIELD_PTR 3

static unsigned int field_size(const struct kconst_table *kt,
			       unsigned int need)
{
	return need == FIELD_PTR ? (unsigned int)kconst_get(kt,
							    KC_tt_k_ptr_size)
				 : need;
}

static void set_ptr_size(struct kconst_table *kt, const struct tp_format *fmt)
{
	const struct tp_field *f = tp_format_field(fmt, "skaddr");

	kconst_set(kt, KC_tt_k_ptr_size,
		   f && (f->size == 4 || f->size == 8) ? f->size : 0);
}

static int long_size_ok(unsigned int *have, unsigned int size)
{
	if (!*have && (size == 4 || size == 8))
		*have = size;
	return size == *have;
}

/* A word field's offset once more where it is 8 bytes (its 8-byte load
 * in bpf/tp_record.h), else TT_ABSENT. */
static void set_wide(struct kconst_table *kt, enum kconst_id field,
		     enum kconst_id wide, uint64_t size)
{
	uint64_t off = kconst_get(kt, field);

	kconst_set(kt, wide, size == 8 ? off : TT_ABSENT);
}

static void set_long_size(struct kconst_table *kt, unsigned int size)
{
	kconst_set(kt, KC_tt_k_long_size, size);
	set_wide(kt, KC_tt_k_sys_arg0, KC_tt_k_sys_arg0_wide, size);
	set_wide(kt, KC_tt_k_sys_arg1, KC_tt_k_sys_arg1_wide, size);
	set_wide(kt, KC_tt_k_sys_ret, KC_tt_k_sys_ret_wide, size);
}

/* skaddr's 8-byte load (after the field's offset is set). */
static void set_skaddr_wide(struct kconst_table *kt, enum kconst_id field,
			    enum kconst_id wide)
{
	set_wide(kt, field, wide, kconst_get(kt, KC_tt_k_ptr_size));
}
#define SKADDR_WIDE(kt, P)                                                 \
	set_skaddr_wide(kt, KC_tt_k_##P##_skaddr, KC_tt_k_##P##_skaddr_wide)
#else
#define FIELD_PTR 8
#define field_size(kt, need) (need)
#define set_ptr_size(kt, fmt) ((void)(kt), (void)(fmt))
#define long_size_ok(have, size) ((void)(have), (size) == 8)
#define set_long_size(kt, size) ((void)(kt), (void)(size))
#define SKADDR_WIDE(kt, P) ((void)(kt))
#endif

/* 1 when events/<event>/format was read and parsed, 0 when the kernel
 * has no such event, -1 with err when the file cannot be parsed. */
static int read_format(const struct tracefs *t, const char *event,
		       struct tp_format *fmt, struct tt_err *err)
{
	char rel[128], text[FORMAT_TEXT_MAX];
	struct tt_err why;
	long len;

	snprintf(rel, sizeof(rel), "events/%s/format",
		 tracefs_hook_event(event));
	len = tracefs_read(t, rel, text, sizeof(text));
	if (len < 0)
		return 0;
	if (tp_format_parse(text, (size_t)len, fmt, &why))
		return tt_fail(err, "cannot parse %s format: %s", event,
			       why.msg);
	return 1;
}

/* Scalars are loaded whole, so they must be aligned; arrays (the
 * addresses) are copied with a helper, from any offset. */
static int loadable(const struct tp_field *f)
{
	int scalar = f->size == 1 || f->size == 2 || f->size == 4 ||
		     f->size == 8;

	return f->offset + f->size <= RECORD_READ_MAX &&
	       (!scalar || f->offset % f->size == 0);
}

/* Set the constants for each needed field. */
static int apply_needs(struct kconst_table *kt, const char *event,
		       const struct tp_format *fmt,
		       const struct field_need *needs, size_t count,
		       struct tt_err *err)
{
	for (size_t i = 0; i < count; i++) {
		const struct tp_field *f = tp_format_field(fmt, needs[i].field);
		int size_ok;

		if (!f) {
			if (needs[i].optional) {
				kconst_set(kt, needs[i].id, TT_ABSENT);
				continue;
			}
			return tt_fail(err, "tracepoint %s has no field %s",
				       event, needs[i].field);
		}
		size_ok = needs[i].size
				  ? f->size == field_size(kt, needs[i].size)
				  : (f->size == 1 || f->size == 2);
		if (!size_ok) {
			return tt_fail(err, "tracepoint %s field %s has size "
				       "%u, expected %u", event,
				       needs[i].field, f->size,
				       field_size(kt, needs[i].size));
		}
		if (!loadable(f)) {
			return tt_fail(err, "tracepoint %s field %s at offset "
				       "%u cannot be read by a BPF program",
				       event, needs[i].field, f->offset);
		}
		kconst_set(kt, needs[i].id, f->offset);
	}
	return 0;
}

/* `protocol` (a __u8 before 5.6, a __u16 since): its offset once more
 * where it is 2 bytes, for TP_IS_TCP's 2-byte load, else TT_ABSENT
 * (after apply_needs, which sets its offset). */
static void set_protocol_wide(struct kconst_table *kt,
			      const struct tp_format *fmt,
			      enum kconst_id field, enum kconst_id wide)
{
	const struct tp_field *f = tp_format_field(fmt, "protocol");

	kconst_set(kt, wide, f && f->size == 2 ? kconst_get(kt, field)
					       : TT_ABSENT);
}

#define NEEDS(arr) arr, sizeof(arr) / sizeof(arr[0])

/* An address array's offset once more where it is 4-aligned, so that
 * TP_READ_TUPLE loads it 4 bytes at a time; else TT_ABSENT (4.16 has
 * saddr_v6 at 39: a helper call copies it there). */
static void set_word_aligned(struct kconst_table *kt, enum kconst_id array,
			     enum kconst_id aligned)
{
	uint64_t off = kconst_get(kt, array);

	kconst_set(kt, aligned, off % 4 == 0 ? off : TT_ABSENT);
}

/* Both address arrays of a sock tracepoint (see set_word_aligned). */
static void set_addresses_aligned(struct kconst_table *kt,
				  enum kconst_id saddr, enum kconst_id saddr_w,
				  enum kconst_id daddr, enum kconst_id daddr_w)
{
	set_word_aligned(kt, saddr, saddr_w);
	set_word_aligned(kt, daddr, daddr_w);
}

static int layout_event(struct kconst_table *kt, const struct tracefs *t,
			const char *event, const struct field_need *needs,
			size_t count, struct tt_err *err)
{
	struct tp_format fmt;
	int present = read_format(t, event, &fmt, err);

	if (present <= 0)
		return present;
	return apply_needs(kt, event, &fmt, needs, count, err) ? -1 : 1;
}

int layout_inet_sock_set_state(struct kconst_table *kt,
			       const struct tracefs *t, struct tt_err *err)
{
	static const struct field_need needs[] = {
		{ "skaddr", KC_tt_k_iss_skaddr, FIELD_PTR, 0 },
		{ "oldstate", KC_tt_k_iss_oldstate, 4, 0 },
		{ "newstate", KC_tt_k_iss_newstate, 4, 0 },
		{ "sport", KC_tt_k_iss_sport, 2, 0 },
		{ "dport", KC_tt_k_iss_dport, 2, 0 },
		{ "family", KC_tt_k_iss_family, 2, 1 },
		{ "protocol", KC_tt_k_iss_protocol, 0, 1 },
		{ "saddr_v6", KC_tt_k_iss_saddr_v6, 16, 0 },
		{ "daddr_v6", KC_tt_k_iss_daddr_v6, 16, 0 },
	};
	const char *event = "sock/inet_sock_set_state";
	struct tp_format fmt;
	int present = read_format(t, event, &fmt, err);

	if (present < 0)
		return -1;
	if (!present)
		return tt_fail(err, "tracepoint %s is missing (kernel "
			       "older than 4.16?)", event);
	set_ptr_size(kt, &fmt);
	if (apply_needs(kt, event, &fmt, NEEDS(needs), err))
		return -1;
	set_protocol_wide(kt, &fmt, KC_tt_k_iss_protocol,
			  KC_tt_k_iss_protocol_wide);
	SKADDR_WIDE(kt, iss);
	set_addresses_aligned(kt, KC_tt_k_iss_saddr_v6, KC_tt_k_iss_saddr_w,
			      KC_tt_k_iss_daddr_v6, KC_tt_k_iss_daddr_w);
	return 0;
}

int layout_inet_sk_error_report(struct kconst_table *kt,
				const struct tracefs *t, struct tt_err *err)
{
	static const struct field_need needs[] = {
		{ "error", KC_tt_k_ser_error, 4, 0 },
		{ "sport", KC_tt_k_ser_sport, 2, 0 },
		{ "dport", KC_tt_k_ser_dport, 2, 0 },
		{ "family", KC_tt_k_ser_family, 2, 1 },
		{ "protocol", KC_tt_k_ser_protocol, 0, 1 },
		{ "saddr_v6", KC_tt_k_ser_saddr_v6, 16, 0 },
		{ "daddr_v6", KC_tt_k_ser_daddr_v6, 16, 0 },
	};
	const char *event = "sock/inet_sk_error_report";
	struct tp_format fmt;
	int present = read_format(t, event, &fmt, err);

	if (present <= 0)
		return present;
	if (apply_needs(kt, event, &fmt, NEEDS(needs), err))
		return -1;
	set_protocol_wide(kt, &fmt, KC_tt_k_ser_protocol,
			  KC_tt_k_ser_protocol_wide);
	set_addresses_aligned(kt, KC_tt_k_ser_saddr_v6, KC_tt_k_ser_saddr_w,
			      KC_tt_k_ser_daddr_v6, KC_tt_k_ser_daddr_w);
	return 1;
}

int layout_tcp_receive_reset(struct kconst_table *kt, const struct tracefs *t,
			     struct tt_err *err)
{
	static const struct field_need needs[] = {
		{ "skaddr", KC_tt_k_trr_skaddr, FIELD_PTR, 0 },
	};

	int rc = layout_event(kt, t, "tcp/tcp_receive_reset", NEEDS(needs),
			      err);

	SKADDR_WIDE(kt, trr);
	return rc;
}

int layout_tcp_destroy_sock(struct kconst_table *kt, const struct tracefs *t,
			    struct tt_err *err)
{
	static const struct field_need needs[] = {
		{ "skaddr", KC_tt_k_tds_skaddr, FIELD_PTR, 0 },
	};

	int rc = layout_event(kt, t, "tcp/tcp_destroy_sock", NEEDS(needs),
			      err);

	SKADDR_WIDE(kt, tds);
	return rc;
}

int layout_cgroup_mkdir(struct kconst_table *kt, const struct tracefs *t,
			struct tt_err *err)
{
	static const struct field_need needs[] = {
		{ "root", KC_tt_k_cgm_root, 4, 0 },
		{ "id", KC_tt_k_cgm_id, 8, 0 },
		{ "path", KC_tt_k_cgm_path, 4, 0 },	/* __data_loc */
	};
	const char *event = "cgroup/cgroup_mkdir";
	const struct tp_field *id;
	struct tp_format fmt;
	int present = read_format(t, event, &fmt, err);

	if (present <= 0)
		return present;
	/* Before 5.5 `id` was the cgroup's own 4-byte number, not the
	 * kernfs id that bpf_get_current_cgroup_id() returns: unusable. */
	id = tp_format_field(&fmt, "id");
	if (!id || id->size != 8)
		return 0;
	return apply_needs(kt, event, &fmt, NEEDS(needs), err) ? -1 : 1;
}

/* The offsets of the first two argument fields (after __syscall_nr), or
 * of `ret`, in one syscall event. */
static int syscall_offsets(const struct tp_format *fmt, int *arg0, int *arg1,
			   int *ret, unsigned int *long_size)
{
	int args = 0;

	*arg0 = *arg1 = *ret = -1;
	for (unsigned int i = 0; i < fmt->nfields; i++) {
		const struct tp_field *f = &fmt->fields[i];

		if (!strncmp(f->name, "common_", 7) ||
		    !strcmp(f->name, "__syscall_nr"))
			continue;
#if defined(TT_RAW_SYSCALLS) || defined(TT_RAW_SYSCALL_EXITS)
		/* raw_syscalls: the number, a long, where this_syscall
		 * (bpf/task.h) reads it, then args[6] or ret */
		if (!strcmp(f->name, "id")) {
			if (f->offset != 8 || !long_size_ok(long_size, f->size))
				return -1;
			continue;
		}
#endif
#ifdef TT_RAW_SYSCALLS
		if (!strcmp(f->name, "args") && f->size == 48 &&
		    loadable(f) && f->offset % 8 == 0) {
			*arg0 = (int)f->offset;
			*arg1 = (int)f->offset + 8;
			continue;
		}
#endif
		if (!long_size_ok(long_size, f->size) || !loadable(f))
			return -1;
		if (!strcmp(f->name, "ret"))
			*ret = (int)f->offset;
		else if (args++ == 0)
			*arg0 = (int)f->offset;
		else if (args == 2)
			*arg1 = (int)f->offset;
	}
	return 0;
}

/* Every syscall event must agree with the first on each offset it has. */
static int agree(int *have, int seen)
{
	if (seen < 0)
		return 0;
	if (*have >= 0 && *have != seen)
		return -1;
	*have = seen;
	return 0;
}

int layout_syscalls(struct kconst_table *kt, const struct tracefs *t,
		    const char *const *events, size_t count, struct tt_err *err)
{
	int arg0 = -1, arg1 = -1, ret = -1;
	unsigned int long_size = 0;

	for (size_t i = 0; i < count; i++) {
		struct tp_format fmt;
		int a0, a1, r, present = read_format(t, events[i], &fmt, err);

		if (present < 0)
			return -1;
		if (!present)
			return tt_fail(err, "tracepoint %s is missing "
				       "(CONFIG_FTRACE_SYSCALLS off?)",
				       events[i]);
		if (syscall_offsets(&fmt, &a0, &a1, &r, &long_size) ||
		    agree(&arg0, a0) || agree(&arg1, a1) || agree(&ret, r))
			return tt_fail(err, "tracepoint %s has a syscall "
				       "layout we do not know", events[i]);
	}
	kconst_set(kt, KC_tt_k_sys_arg0, arg0 < 0 ? TT_ABSENT : (uint64_t)arg0);
	kconst_set(kt, KC_tt_k_sys_arg1, arg1 < 0 ? TT_ABSENT : (uint64_t)arg1);
	kconst_set(kt, KC_tt_k_sys_ret, ret < 0 ? TT_ABSENT : (uint64_t)ret);
	set_long_size(kt, long_size);
	return 0;
}

/* Member offsets the programs may use, grouped by what they enable. */
enum {
	Q_REAL_PARENT, Q_TGID, Q_COMM,			/* parent */
	Q_NSPROXY, Q_MNT_NS, Q_MNT_NS_INUM,		/* mntns */
	Q_SOCK_NET, Q_NET_INUM,				/* netns */
	Q_FILES, Q_FDT, Q_FDTABLE_FD, Q_MAX_FDS, Q_PRIVATE_DATA, Q_SOCKET_SK,
	Q_SOCK_PROTOCOL,
	Q_FILE_REF, Q_FILE_COUNT,	/* a file's references: 6.13+, before */
	Q_TASK_FLAGS,
	Q_SOCK_SOCKET, Q_SOCKET_FILE, Q_SOCK_LOCK_OWNED,	/* release */
	Q_SOCK_ERR,			/* a failed connect's errno */
	Q_SOCK_STATE, Q_BYTES_ACKED, Q_BYTES_RECEIVED,	/* a close's bytes, */
	Q_SND_UNA, Q_WRITE_SEQ,	/* its FINs: the flags, newer, older */
	Q_SKC_FLAGS, Q_SK_FLAGS, Q_SOCK_DONE,
	Q_PID, Q_CRED, Q_CRED_UID, Q_CRED_GID,	/* ids, by BTF-typed loads */
	Q_CGROUPS, Q_DFL_CGRP, Q_CGROUP_KN, Q_KN_ID,
	Q_RDONLY_CAST,	/* the kfunc of BTF-typed loads: asked for last */
	Q_COUNT
};

static const struct {
	const char *path;
	enum kconst_id id;
	unsigned int size;	/* expected; 0 = any */
} btf_needs[Q_COUNT] = {
	[Q_REAL_PARENT] = { "task_struct.real_parent",
			    KC_tt_k_task_real_parent, 8 },
	[Q_TGID] = { "task_struct.tgid", KC_tt_k_task_tgid, 4 },
	[Q_COMM] = { "task_struct.comm", KC_tt_k_task_comm, 16 },
	[Q_NSPROXY] = { "task_struct.nsproxy", KC_tt_k_task_nsproxy, 8 },
	[Q_MNT_NS] = { "nsproxy.mnt_ns", KC_tt_k_nsproxy_mnt_ns, 8 },
	[Q_MNT_NS_INUM] = { "mnt_namespace.ns.inum", KC_tt_k_mnt_ns_inum, 4 },
	[Q_SOCK_NET] = { "sock.__sk_common.skc_net.net", KC_tt_k_sock_net, 8 },
	[Q_NET_INUM] = { "net.ns.inum", KC_tt_k_net_inum, 4 },
	[Q_FILES] = { "task_struct.files", KC_tt_k_task_files, 8 },
	[Q_FDT] = { "files_struct.fdt", KC_tt_k_files_fdt, 8 },
	[Q_FDTABLE_FD] = { "fdtable.fd", KC_tt_k_fdtable_fd, 8 },
	[Q_MAX_FDS] = { "fdtable.max_fds", KC_tt_k_fdtable_max_fds, 4 },
	[Q_PRIVATE_DATA] = { "file.private_data",
			     KC_tt_k_file_private_data, 8 },
	[Q_SOCKET_SK] = { "socket.sk", KC_tt_k_socket_sk, 8 },
	[Q_SOCK_PROTOCOL] = { "sock.sk_protocol", KC_tt_k_sock_protocol, 2 },
	/* file_ref_t (6.13+) holds the count minus one; f_count the count. */
	[Q_FILE_REF] = { "file.f_ref.refcnt.counter", KC_tt_k_file_refs, 8 },
	[Q_FILE_COUNT] = { "file.f_count.counter", KC_tt_k_file_refs, 8 },
	[Q_TASK_FLAGS] = { "task_struct.flags", KC_tt_k_task_flags, 4 },
	[Q_SOCK_SOCKET] = { "sock.sk_socket", KC_tt_k_sock_socket, 8 },
	[Q_SOCKET_FILE] = { "socket.file", KC_tt_k_socket_file, 8 },
	[Q_SOCK_LOCK_OWNED] = { "sock.sk_lock.owned",
				KC_tt_k_sock_lock_owned, 4 },
	[Q_SOCK_ERR] = { "sock.sk_err", KC_tt_k_sock_err, 4 },
	[Q_SOCK_STATE] = { "sock.__sk_common.skc_state",
			   KC_tt_k_sock_state, 1 },
	/* Direct members of tcp_sock: offsets from the struct sock *. */
	[Q_BYTES_ACKED] = { "tcp_sock.bytes_acked",
			    KC_tt_k_tcp_bytes_acked, 8 },
	[Q_BYTES_RECEIVED] = { "tcp_sock.bytes_received",
			       KC_tt_k_tcp_bytes_received, 8 },
	[Q_SND_UNA] = { "tcp_sock.snd_una", KC_tt_k_tcp_snd_una, 4 },
	[Q_WRITE_SEQ] = { "tcp_sock.write_seq", KC_tt_k_tcp_write_seq, 4 },
	/* An unsigned long: set_sock_done() picks the byte. */
	[Q_SKC_FLAGS] = { "sock.__sk_common.skc_flags",
			  KC_tt_k_sock_done_byte, 0 },
	[Q_SK_FLAGS] = { "sock.sk_flags", KC_tt_k_sock_done_byte, 0 },
	[Q_SOCK_DONE] = { "sock_flags.SOCK_DONE", KC_tt_k_sock_done_shift, 0 },
	[Q_PID] = { "task_struct.pid", KC_tt_k_task_pid, 4 },
	[Q_CRED] = { "task_struct.cred", KC_tt_k_task_cred, 8 },
	[Q_CRED_UID] = { "cred.uid.val", KC_tt_k_cred_uid, 4 },
	[Q_CRED_GID] = { "cred.gid.val", KC_tt_k_cred_gid, 4 },
	[Q_CGROUPS] = { "task_struct.cgroups", KC_tt_k_task_cgroups, 8 },
	[Q_DFL_CGRP] = { "css_set.dfl_cgrp", KC_tt_k_css_set_dfl_cgrp, 8 },
	[Q_CGROUP_KN] = { "cgroup.kn", KC_tt_k_cgroup_kn, 8 },
	[Q_KN_ID] = { "kernfs_node.id", KC_tt_k_kernfs_node_id, 8 },
	[Q_RDONLY_CAST] = { "bpf_rdonly_cast()",
			    KC_tt_k_kfunc_bpf_rdonly_cast, 0 },
};

/*
 * BTF-typed loads: the kernel's own BTF (the verifier types the loads by
 * it, so offsets from a --btf file of another build would not do) and
 * bpf_rdonly_cast (6.2+). Not asked for before 6.2: an absent function
 * is known only at the end of the file, which would then be read whole;
 * nor the members only those loads read (Q_PID on), whose types may sit
 * further into the file than the rest.
 */
static size_t queries_to_ask(const char *btf_path)
{
	if (!strcmp(btf_path, BTF_VMLINUX_PATH) && feature_btf_typed_loads())
		return Q_COUNT;
	return Q_PID;
}

static int all_usable(const struct btf_query *q, int first, int last)
{
	for (int i = first; i <= last; i++)
		if (!q[i].found || q[i].bitfield ||
		    (btf_needs[i].size && q[i].size != btf_needs[i].size))
			return 0;
	return 1;
}

/* The BTF ids AS_BTF casts to: each query's outer struct. */
static void set_btf_reads(struct kconst_table *kt, const struct btf_query *q,
			  struct btf_layout *out)
{
	static const struct { int query; enum kconst_id id; } types[] = {
		{ Q_TGID, KC_tt_k_btf_task_struct },
		{ Q_SOCK_NET, KC_tt_k_btf_sock },
		{ Q_SOCKET_SK, KC_tt_k_btf_socket },
		{ Q_PRIVATE_DATA, KC_tt_k_btf_file },
	};

	out->btf_reads = out->has_btf && q[Q_RDONLY_CAST].found &&
			 out->parent &&	/* its comm */
			 all_usable(q, Q_PID, Q_KN_ID);
	kconst_set(kt, KC_tt_k_kfunc_bpf_rdonly_cast, q[Q_RDONLY_CAST].type_id);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		kconst_set(kt, types[i].id, q[types[i].query].type_id);
		if (!q[types[i].query].type_id)
			out->btf_reads = 0;
	}
	kconst_set(kt, KC_tt_k_btf_reads, (uint64_t)out->btf_reads);
}

/*
 * The byte of sock's flags word that holds bit SOCK_DONE, and the bit's
 * place in it; 0 if unknown. Newer kernels keep the word in
 * sock_common, older ones in sock.
 */
static int set_sock_done(struct kconst_table *kt, const struct btf_query *q)
{
	int flags = all_usable(q, Q_SKC_FLAGS, Q_SKC_FLAGS) ? Q_SKC_FLAGS :
							  Q_SK_FLAGS;
	unsigned int byte, size = q[flags].size;

	kconst_set(kt, KC_tt_k_sock_done_byte, 0);
	kconst_set(kt, KC_tt_k_sock_done_shift, 0);
	if (!all_usable(q, flags, flags) ||
	    !all_usable(q, Q_SOCK_DONE, Q_SOCK_DONE) ||
	    q[Q_SOCK_DONE].offset / 8 >= size)
		return 0;
	byte = q[Q_SOCK_DONE].offset / 8;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	byte = size - 1 - byte;
#endif
	kconst_set(kt, KC_tt_k_sock_done_byte, q[flags].offset + byte);
	kconst_set(kt, KC_tt_k_sock_done_shift, q[Q_SOCK_DONE].offset % 8);
	return 1;
}

int layout_btf(struct kconst_table *kt, const char *btf_path, int required,
	       int want_bytes, struct btf_layout *out, struct tt_err *err)
{
	struct btf_query q[Q_COUNT];

	memset(out, 0, sizeof(*out));
	memset(q, 0, sizeof(q));
	out->bytes_asked = want_bytes;
	for (int i = 0; i < Q_COUNT; i++)
		if (want_bytes || i < Q_SOCK_STATE || i > Q_SOCK_DONE)
			q[i].path = btf_needs[i].path;	/* NULL: not asked */
	if (btf_path && btf_resolve(btf_path, q, queries_to_ask(btf_path),
				    required ? err : NULL) == 0)
		out->has_btf = 1;
	else if (btf_path && required)
		return -1;
	/* Q_FILE_COUNT shares its constant with Q_FILE_REF; set_sock_done
	 * sets those of the flags. */
	for (int i = 0; i < Q_RDONLY_CAST; i++)
		if (i != Q_FILE_COUNT && (i < Q_SKC_FLAGS || i > Q_SOCK_DONE))
			kconst_set(kt, btf_needs[i].id,
				   q[i].found ? q[i].offset : 0);
	out->parent = out->has_btf && all_usable(q, Q_REAL_PARENT, Q_COMM);
	out->mntns = out->has_btf && all_usable(q, Q_NSPROXY, Q_MNT_NS_INUM);
	out->netns = out->has_btf && all_usable(q, Q_SOCK_NET, Q_NET_INUM);
	out->fdwalk = out->has_btf && all_usable(q, Q_FILES, Q_SOCKET_SK);
	out->sock_protocol = out->has_btf &&
			     all_usable(q, Q_SOCK_PROTOCOL, Q_SOCK_PROTOCOL);
	if (out->has_btf && all_usable(q, Q_FILE_REF, Q_FILE_REF)) {
		out->file_refs = 1;
		kconst_set(kt, KC_tt_k_file_one_ref, 0);
	} else if (out->has_btf && all_usable(q, Q_FILE_COUNT, Q_FILE_COUNT)) {
		out->file_refs = 1;
		kconst_set(kt, KC_tt_k_file_refs, q[Q_FILE_COUNT].offset);
		kconst_set(kt, KC_tt_k_file_one_ref, 1);
	} else {
		kconst_set(kt, KC_tt_k_file_one_ref, 1);
	}
	out->task_flags = out->has_btf &&
			  all_usable(q, Q_TASK_FLAGS, Q_TASK_FLAGS);
	kconst_set(kt, KC_tt_k_has_task_flags, (uint64_t)out->task_flags);
	out->release = out->file_refs &&
		       all_usable(q, Q_SOCK_SOCKET, Q_SOCK_LOCK_OWNED);
	out->sock_err = out->has_btf && all_usable(q, Q_SOCK_ERR, Q_SOCK_ERR) &&
			!hiding_injected("sock-err");
	kconst_set(kt, KC_tt_k_has_sock_err, (uint64_t)out->sock_err);
	out->tcp_bytes = set_sock_done(kt, q) && out->has_btf &&
			 all_usable(q, Q_SOCK_STATE, Q_WRITE_SEQ);
	kconst_set(kt, KC_tt_k_has_tcp_bytes, (uint64_t)out->tcp_bytes);
	kconst_set(kt, KC_tt_k_has_parent, (uint64_t)out->parent);
	kconst_set(kt, KC_tt_k_has_mntns, (uint64_t)out->mntns);
	kconst_set(kt, KC_tt_k_has_netns, (uint64_t)out->netns);
	kconst_set(kt, KC_tt_k_has_fdwalk, (uint64_t)out->fdwalk);
	set_btf_reads(kt, q, out);
	return 0;
}
