// Benchmark input (not a test program): 723 CO-RE relocations over 14 kernel structs, generated from the
// kernel BTF by picking plain integer and pointer members. The local ___b structs keep it compilable on any
// kernel; members a kernel lacks are simply poisoned. Reads go through the current task pointer only to
// give the verifier something legal to check; the values are meaningless.
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

long sink = 0;

struct task_struct___b {
	int __state;
	int saved_state;
	void *stack;
	int flags;
	int ptrace;
	int on_cpu;
	int wakee_flips;
	long wakee_flip_decay_ts;
	void *last_wakee;
	int recent_used_cpu;
	int wake_cpu;
	int on_rq;
	int prio;
	int static_prio;
	int normal_prio;
	int rt_priority;
	void *dl_server;
	void *sched_class;
	void *sched_task_group;
	char throttled;
	int btrace_seq;
	int policy;
	long max_allowed_capacity;
	int nr_cpus_allowed;
} __attribute__((preserve_access_index));

struct file___b {
	int f_mode;
	void *f_op;
	void *f_mapping;
	void *private_data;
	void *f_inode;
	int f_flags;
	int f_iocb_flags;
	void *f_cred;
	void *f_owner;
	long f_pos;
	void *f_security;
	int f_wb_err;
	int f_sb_err;
	void *f_ep;
} __attribute__((preserve_access_index));

struct inode___b {
	short i_mode;
	short i_opflags;
	int i_flags;
	void *i_acl;
	void *i_default_acl;
	void *i_op;
	void *i_sb;
	void *i_mapping;
	void *i_security;
	long i_ino;
	int i_rdev;
	long i_size;
	long i_atime_sec;
	long i_mtime_sec;
	long i_ctime_sec;
	int i_atime_nsec;
	int i_mtime_nsec;
	int i_ctime_nsec;
	int i_generation;
	short i_bytes;
	char i_blkbits;
	long i_blocks;
	long dirtied_when;
	long dirtied_time_when;
} __attribute__((preserve_access_index));

struct dentry___b {
	int d_flags;
	void *d_parent;
	void *d_inode;
	void *d_op;
	void *d_sb;
	long d_time;
	void *d_fsdata;
} __attribute__((preserve_access_index));

struct super_block___b {
	int s_dev;
	char s_blocksize_bits;
	long s_blocksize;
	long s_maxbytes;
	void *s_type;
	void *s_op;
	void *dq_op;
	void *s_qcop;
	void *s_export_op;
	long s_flags;
	long s_iflags;
	long s_magic;
	void *s_root;
	int s_count;
	void *s_security;
	void *s_xattr;
	void *s_cop;
	void *s_master_keys;
	void *s_mounts;
	void *s_bdev;
	void *s_bdev_file;
	void *s_bdi;
	void *s_mtd;
	int s_quota_types;
} __attribute__((preserve_access_index));

struct sock___b {
	int sk_peek_off;
	void *sk_rx_dst;
	int sk_rx_dst_ifindex;
	int sk_rx_dst_cookie;
	int sk_ll_usec;
	int sk_napi_id;
	short sk_busy_poll_budget;
	char sk_prefer_busy_poll;
	char sk_userlocks;
	int sk_rcvbuf;
	void *sk_filter;
	void *sk_data_ready;
	long sk_rcvtimeo;
	int sk_rcvlowat;
	int sk_err;
	void *sk_socket;
	void *sk_memcg;
	int sk_reserved_mem;
	int sk_forward_alloc;
	int sk_tsflags;
	int sk_write_pending;
	int sk_err_soft;
	int sk_wmem_queued;
	long sk_tsq_flags;
} __attribute__((preserve_access_index));

struct sk_buff___b {
	void *sk;
	long _nfct;
	int len;
	int data_len;
	short mac_len;
	short hdr_len;
	short queue_mapping;
	char active_extensions;
	int tail;
	int end;
	void *head;
	void *data;
	int truesize;
	void *extensions;
} __attribute__((preserve_access_index));

struct net_device___b {
	void *netdev_ops;
	void *header_ops;
	void *_tx;
	long gso_partial_features;
	int real_num_tx_queues;
	int gso_max_size;
	int gso_ipv4_max_size;
	short gso_max_segs;
	short num_tc;
	int mtu;
	short needed_headroom;
	void *nf_hooks_egress;
	void *tcx_egress;
	long state;
	int flags;
	short hard_header_len;
	long features;
	void *ip6_ptr;
	void *xdp_prog;
	int ifindex;
	int real_num_rx_queues;
	void *_rx;
	int gro_max_size;
	int gro_ipv4_max_size;
} __attribute__((preserve_access_index));

struct cred___b {
	int securebits;
	char jit_keyring;
	void *session_keyring;
	void *process_keyring;
	void *thread_keyring;
	void *request_key_auth;
	void *security;
	void *user;
	void *user_ns;
	void *ucounts;
	void *group_info;
} __attribute__((preserve_access_index));

struct signal_struct___b {
	int nr_threads;
	int quick_threads;
	void *curr_target;
	int group_exit_code;
	int notify_count;
	void *group_exec_task;
	int group_stop_count;
	int flags;
	void *core_state;
	long it_real_incr;
	void *tty_old_pgrp;
	int leader;
	void *tty;
	void *autogroup;
	long utime;
	long stime;
	long cutime;
	long cstime;
	long gtime;
	long cgtime;
	long nvcsw;
	long nivcsw;
	long cnvcsw;
	long cnivcsw;
} __attribute__((preserve_access_index));

struct vm_area_struct___b {
	void *vm_mm;
	int vm_lock_seq;
	void *anon_vma;
	void *vm_ops;
	long vm_pgoff;
	void *vm_file;
	void *vm_private_data;
	void *vm_policy;
	void *numab_state;
	void *pfnmap_track_ctx;
} __attribute__((preserve_access_index));

struct page___b {
	long memcg_data;
} __attribute__((preserve_access_index));

struct bio___b {
	void *bi_next;
	void *bi_bdev;
	int bi_opf;
	short bi_flags;
	short bi_ioprio;
	char bi_write_stream;
	char bi_status;
	void *bi_end_io;
	void *bi_private;
	void *bi_blkg;
	long issue_time_ns;
	long bi_iocost_cost;
	short bi_vcnt;
	short bi_max_vecs;
	void *bi_io_vec;
	void *bi_pool;
} __attribute__((preserve_access_index));

struct request_queue___b {
	void *queuedata;
	void *elevator;
	void *mq_ops;
	void *queue_ctx;
	long queue_flags;
	int rq_timeout;
	int queue_depth;
	int nr_hw_queues;
	void *last_merge;
	int quiesce_depth;
	void *disk;
	void *mq_kobj;
	void *dev;
	void *stats;
	void *rq_qos;
	int id;
	long nr_requests;
	void *sched_shared_tags;
	void *root_blkg;
	int node;
	void *blk_trace;
	void *fq;
	int mq_freeze_depth;
	void *td;
} __attribute__((preserve_access_index));

SEC("raw_tp/sys_enter")
int read_task_struct(void *ctx)
{
	struct task_struct___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, __state) + bpf_core_field_size(p->__state) + bpf_core_field_exists(p->__state);
	acc += (long)BPF_CORE_READ(p, saved_state) + bpf_core_field_size(p->saved_state) + bpf_core_field_exists(p->saved_state);
	acc += (long)BPF_CORE_READ(p, stack) + bpf_core_field_size(p->stack) + bpf_core_field_exists(p->stack);
	acc += (long)BPF_CORE_READ(p, flags) + bpf_core_field_size(p->flags) + bpf_core_field_exists(p->flags);
	acc += (long)BPF_CORE_READ(p, ptrace) + bpf_core_field_size(p->ptrace) + bpf_core_field_exists(p->ptrace);
	acc += (long)BPF_CORE_READ(p, on_cpu) + bpf_core_field_size(p->on_cpu) + bpf_core_field_exists(p->on_cpu);
	acc += (long)BPF_CORE_READ(p, wakee_flips) + bpf_core_field_size(p->wakee_flips) + bpf_core_field_exists(p->wakee_flips);
	acc += (long)BPF_CORE_READ(p, wakee_flip_decay_ts) + bpf_core_field_size(p->wakee_flip_decay_ts) + bpf_core_field_exists(p->wakee_flip_decay_ts);
	acc += (long)BPF_CORE_READ(p, last_wakee) + bpf_core_field_size(p->last_wakee) + bpf_core_field_exists(p->last_wakee);
	acc += (long)BPF_CORE_READ(p, recent_used_cpu) + bpf_core_field_size(p->recent_used_cpu) + bpf_core_field_exists(p->recent_used_cpu);
	acc += (long)BPF_CORE_READ(p, wake_cpu) + bpf_core_field_size(p->wake_cpu) + bpf_core_field_exists(p->wake_cpu);
	acc += (long)BPF_CORE_READ(p, on_rq) + bpf_core_field_size(p->on_rq) + bpf_core_field_exists(p->on_rq);
	acc += (long)BPF_CORE_READ(p, prio) + bpf_core_field_size(p->prio) + bpf_core_field_exists(p->prio);
	acc += (long)BPF_CORE_READ(p, static_prio) + bpf_core_field_size(p->static_prio) + bpf_core_field_exists(p->static_prio);
	acc += (long)BPF_CORE_READ(p, normal_prio) + bpf_core_field_size(p->normal_prio) + bpf_core_field_exists(p->normal_prio);
	acc += (long)BPF_CORE_READ(p, rt_priority) + bpf_core_field_size(p->rt_priority) + bpf_core_field_exists(p->rt_priority);
	acc += (long)BPF_CORE_READ(p, dl_server) + bpf_core_field_size(p->dl_server) + bpf_core_field_exists(p->dl_server);
	acc += (long)BPF_CORE_READ(p, sched_class) + bpf_core_field_size(p->sched_class) + bpf_core_field_exists(p->sched_class);
	acc += (long)BPF_CORE_READ(p, sched_task_group) + bpf_core_field_size(p->sched_task_group) + bpf_core_field_exists(p->sched_task_group);
	acc += (long)BPF_CORE_READ(p, throttled) + bpf_core_field_size(p->throttled) + bpf_core_field_exists(p->throttled);
	acc += (long)BPF_CORE_READ(p, btrace_seq) + bpf_core_field_size(p->btrace_seq) + bpf_core_field_exists(p->btrace_seq);
	acc += (long)BPF_CORE_READ(p, policy) + bpf_core_field_size(p->policy) + bpf_core_field_exists(p->policy);
	acc += (long)BPF_CORE_READ(p, max_allowed_capacity) + bpf_core_field_size(p->max_allowed_capacity) + bpf_core_field_exists(p->max_allowed_capacity);
	acc += (long)BPF_CORE_READ(p, nr_cpus_allowed) + bpf_core_field_size(p->nr_cpus_allowed) + bpf_core_field_exists(p->nr_cpus_allowed);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_file(void *ctx)
{
	struct file___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, f_mode) + bpf_core_field_size(p->f_mode) + bpf_core_field_exists(p->f_mode);
	acc += (long)BPF_CORE_READ(p, f_op) + bpf_core_field_size(p->f_op) + bpf_core_field_exists(p->f_op);
	acc += (long)BPF_CORE_READ(p, f_mapping) + bpf_core_field_size(p->f_mapping) + bpf_core_field_exists(p->f_mapping);
	acc += (long)BPF_CORE_READ(p, private_data) + bpf_core_field_size(p->private_data) + bpf_core_field_exists(p->private_data);
	acc += (long)BPF_CORE_READ(p, f_inode) + bpf_core_field_size(p->f_inode) + bpf_core_field_exists(p->f_inode);
	acc += (long)BPF_CORE_READ(p, f_flags) + bpf_core_field_size(p->f_flags) + bpf_core_field_exists(p->f_flags);
	acc += (long)BPF_CORE_READ(p, f_iocb_flags) + bpf_core_field_size(p->f_iocb_flags) + bpf_core_field_exists(p->f_iocb_flags);
	acc += (long)BPF_CORE_READ(p, f_cred) + bpf_core_field_size(p->f_cred) + bpf_core_field_exists(p->f_cred);
	acc += (long)BPF_CORE_READ(p, f_owner) + bpf_core_field_size(p->f_owner) + bpf_core_field_exists(p->f_owner);
	acc += (long)BPF_CORE_READ(p, f_pos) + bpf_core_field_size(p->f_pos) + bpf_core_field_exists(p->f_pos);
	acc += (long)BPF_CORE_READ(p, f_security) + bpf_core_field_size(p->f_security) + bpf_core_field_exists(p->f_security);
	acc += (long)BPF_CORE_READ(p, f_wb_err) + bpf_core_field_size(p->f_wb_err) + bpf_core_field_exists(p->f_wb_err);
	acc += (long)BPF_CORE_READ(p, f_sb_err) + bpf_core_field_size(p->f_sb_err) + bpf_core_field_exists(p->f_sb_err);
	acc += (long)BPF_CORE_READ(p, f_ep) + bpf_core_field_size(p->f_ep) + bpf_core_field_exists(p->f_ep);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_inode(void *ctx)
{
	struct inode___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, i_mode) + bpf_core_field_size(p->i_mode) + bpf_core_field_exists(p->i_mode);
	acc += (long)BPF_CORE_READ(p, i_opflags) + bpf_core_field_size(p->i_opflags) + bpf_core_field_exists(p->i_opflags);
	acc += (long)BPF_CORE_READ(p, i_flags) + bpf_core_field_size(p->i_flags) + bpf_core_field_exists(p->i_flags);
	acc += (long)BPF_CORE_READ(p, i_acl) + bpf_core_field_size(p->i_acl) + bpf_core_field_exists(p->i_acl);
	acc += (long)BPF_CORE_READ(p, i_default_acl) + bpf_core_field_size(p->i_default_acl) + bpf_core_field_exists(p->i_default_acl);
	acc += (long)BPF_CORE_READ(p, i_op) + bpf_core_field_size(p->i_op) + bpf_core_field_exists(p->i_op);
	acc += (long)BPF_CORE_READ(p, i_sb) + bpf_core_field_size(p->i_sb) + bpf_core_field_exists(p->i_sb);
	acc += (long)BPF_CORE_READ(p, i_mapping) + bpf_core_field_size(p->i_mapping) + bpf_core_field_exists(p->i_mapping);
	acc += (long)BPF_CORE_READ(p, i_security) + bpf_core_field_size(p->i_security) + bpf_core_field_exists(p->i_security);
	acc += (long)BPF_CORE_READ(p, i_ino) + bpf_core_field_size(p->i_ino) + bpf_core_field_exists(p->i_ino);
	acc += (long)BPF_CORE_READ(p, i_rdev) + bpf_core_field_size(p->i_rdev) + bpf_core_field_exists(p->i_rdev);
	acc += (long)BPF_CORE_READ(p, i_size) + bpf_core_field_size(p->i_size) + bpf_core_field_exists(p->i_size);
	acc += (long)BPF_CORE_READ(p, i_atime_sec) + bpf_core_field_size(p->i_atime_sec) + bpf_core_field_exists(p->i_atime_sec);
	acc += (long)BPF_CORE_READ(p, i_mtime_sec) + bpf_core_field_size(p->i_mtime_sec) + bpf_core_field_exists(p->i_mtime_sec);
	acc += (long)BPF_CORE_READ(p, i_ctime_sec) + bpf_core_field_size(p->i_ctime_sec) + bpf_core_field_exists(p->i_ctime_sec);
	acc += (long)BPF_CORE_READ(p, i_atime_nsec) + bpf_core_field_size(p->i_atime_nsec) + bpf_core_field_exists(p->i_atime_nsec);
	acc += (long)BPF_CORE_READ(p, i_mtime_nsec) + bpf_core_field_size(p->i_mtime_nsec) + bpf_core_field_exists(p->i_mtime_nsec);
	acc += (long)BPF_CORE_READ(p, i_ctime_nsec) + bpf_core_field_size(p->i_ctime_nsec) + bpf_core_field_exists(p->i_ctime_nsec);
	acc += (long)BPF_CORE_READ(p, i_generation) + bpf_core_field_size(p->i_generation) + bpf_core_field_exists(p->i_generation);
	acc += (long)BPF_CORE_READ(p, i_bytes) + bpf_core_field_size(p->i_bytes) + bpf_core_field_exists(p->i_bytes);
	acc += (long)BPF_CORE_READ(p, i_blkbits) + bpf_core_field_size(p->i_blkbits) + bpf_core_field_exists(p->i_blkbits);
	acc += (long)BPF_CORE_READ(p, i_blocks) + bpf_core_field_size(p->i_blocks) + bpf_core_field_exists(p->i_blocks);
	acc += (long)BPF_CORE_READ(p, dirtied_when) + bpf_core_field_size(p->dirtied_when) + bpf_core_field_exists(p->dirtied_when);
	acc += (long)BPF_CORE_READ(p, dirtied_time_when) + bpf_core_field_size(p->dirtied_time_when) + bpf_core_field_exists(p->dirtied_time_when);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_dentry(void *ctx)
{
	struct dentry___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, d_flags) + bpf_core_field_size(p->d_flags) + bpf_core_field_exists(p->d_flags);
	acc += (long)BPF_CORE_READ(p, d_parent) + bpf_core_field_size(p->d_parent) + bpf_core_field_exists(p->d_parent);
	acc += (long)BPF_CORE_READ(p, d_inode) + bpf_core_field_size(p->d_inode) + bpf_core_field_exists(p->d_inode);
	acc += (long)BPF_CORE_READ(p, d_op) + bpf_core_field_size(p->d_op) + bpf_core_field_exists(p->d_op);
	acc += (long)BPF_CORE_READ(p, d_sb) + bpf_core_field_size(p->d_sb) + bpf_core_field_exists(p->d_sb);
	acc += (long)BPF_CORE_READ(p, d_time) + bpf_core_field_size(p->d_time) + bpf_core_field_exists(p->d_time);
	acc += (long)BPF_CORE_READ(p, d_fsdata) + bpf_core_field_size(p->d_fsdata) + bpf_core_field_exists(p->d_fsdata);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_super_block(void *ctx)
{
	struct super_block___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, s_dev) + bpf_core_field_size(p->s_dev) + bpf_core_field_exists(p->s_dev);
	acc += (long)BPF_CORE_READ(p, s_blocksize_bits) + bpf_core_field_size(p->s_blocksize_bits) + bpf_core_field_exists(p->s_blocksize_bits);
	acc += (long)BPF_CORE_READ(p, s_blocksize) + bpf_core_field_size(p->s_blocksize) + bpf_core_field_exists(p->s_blocksize);
	acc += (long)BPF_CORE_READ(p, s_maxbytes) + bpf_core_field_size(p->s_maxbytes) + bpf_core_field_exists(p->s_maxbytes);
	acc += (long)BPF_CORE_READ(p, s_type) + bpf_core_field_size(p->s_type) + bpf_core_field_exists(p->s_type);
	acc += (long)BPF_CORE_READ(p, s_op) + bpf_core_field_size(p->s_op) + bpf_core_field_exists(p->s_op);
	acc += (long)BPF_CORE_READ(p, dq_op) + bpf_core_field_size(p->dq_op) + bpf_core_field_exists(p->dq_op);
	acc += (long)BPF_CORE_READ(p, s_qcop) + bpf_core_field_size(p->s_qcop) + bpf_core_field_exists(p->s_qcop);
	acc += (long)BPF_CORE_READ(p, s_export_op) + bpf_core_field_size(p->s_export_op) + bpf_core_field_exists(p->s_export_op);
	acc += (long)BPF_CORE_READ(p, s_flags) + bpf_core_field_size(p->s_flags) + bpf_core_field_exists(p->s_flags);
	acc += (long)BPF_CORE_READ(p, s_iflags) + bpf_core_field_size(p->s_iflags) + bpf_core_field_exists(p->s_iflags);
	acc += (long)BPF_CORE_READ(p, s_magic) + bpf_core_field_size(p->s_magic) + bpf_core_field_exists(p->s_magic);
	acc += (long)BPF_CORE_READ(p, s_root) + bpf_core_field_size(p->s_root) + bpf_core_field_exists(p->s_root);
	acc += (long)BPF_CORE_READ(p, s_count) + bpf_core_field_size(p->s_count) + bpf_core_field_exists(p->s_count);
	acc += (long)BPF_CORE_READ(p, s_security) + bpf_core_field_size(p->s_security) + bpf_core_field_exists(p->s_security);
	acc += (long)BPF_CORE_READ(p, s_xattr) + bpf_core_field_size(p->s_xattr) + bpf_core_field_exists(p->s_xattr);
	acc += (long)BPF_CORE_READ(p, s_cop) + bpf_core_field_size(p->s_cop) + bpf_core_field_exists(p->s_cop);
	acc += (long)BPF_CORE_READ(p, s_master_keys) + bpf_core_field_size(p->s_master_keys) + bpf_core_field_exists(p->s_master_keys);
	acc += (long)BPF_CORE_READ(p, s_mounts) + bpf_core_field_size(p->s_mounts) + bpf_core_field_exists(p->s_mounts);
	acc += (long)BPF_CORE_READ(p, s_bdev) + bpf_core_field_size(p->s_bdev) + bpf_core_field_exists(p->s_bdev);
	acc += (long)BPF_CORE_READ(p, s_bdev_file) + bpf_core_field_size(p->s_bdev_file) + bpf_core_field_exists(p->s_bdev_file);
	acc += (long)BPF_CORE_READ(p, s_bdi) + bpf_core_field_size(p->s_bdi) + bpf_core_field_exists(p->s_bdi);
	acc += (long)BPF_CORE_READ(p, s_mtd) + bpf_core_field_size(p->s_mtd) + bpf_core_field_exists(p->s_mtd);
	acc += (long)BPF_CORE_READ(p, s_quota_types) + bpf_core_field_size(p->s_quota_types) + bpf_core_field_exists(p->s_quota_types);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_sock(void *ctx)
{
	struct sock___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, sk_peek_off) + bpf_core_field_size(p->sk_peek_off) + bpf_core_field_exists(p->sk_peek_off);
	acc += (long)BPF_CORE_READ(p, sk_rx_dst) + bpf_core_field_size(p->sk_rx_dst) + bpf_core_field_exists(p->sk_rx_dst);
	acc += (long)BPF_CORE_READ(p, sk_rx_dst_ifindex) + bpf_core_field_size(p->sk_rx_dst_ifindex) + bpf_core_field_exists(p->sk_rx_dst_ifindex);
	acc += (long)BPF_CORE_READ(p, sk_rx_dst_cookie) + bpf_core_field_size(p->sk_rx_dst_cookie) + bpf_core_field_exists(p->sk_rx_dst_cookie);
	acc += (long)BPF_CORE_READ(p, sk_ll_usec) + bpf_core_field_size(p->sk_ll_usec) + bpf_core_field_exists(p->sk_ll_usec);
	acc += (long)BPF_CORE_READ(p, sk_napi_id) + bpf_core_field_size(p->sk_napi_id) + bpf_core_field_exists(p->sk_napi_id);
	acc += (long)BPF_CORE_READ(p, sk_busy_poll_budget) + bpf_core_field_size(p->sk_busy_poll_budget) + bpf_core_field_exists(p->sk_busy_poll_budget);
	acc += (long)BPF_CORE_READ(p, sk_prefer_busy_poll) + bpf_core_field_size(p->sk_prefer_busy_poll) + bpf_core_field_exists(p->sk_prefer_busy_poll);
	acc += (long)BPF_CORE_READ(p, sk_userlocks) + bpf_core_field_size(p->sk_userlocks) + bpf_core_field_exists(p->sk_userlocks);
	acc += (long)BPF_CORE_READ(p, sk_rcvbuf) + bpf_core_field_size(p->sk_rcvbuf) + bpf_core_field_exists(p->sk_rcvbuf);
	acc += (long)BPF_CORE_READ(p, sk_filter) + bpf_core_field_size(p->sk_filter) + bpf_core_field_exists(p->sk_filter);
	acc += (long)BPF_CORE_READ(p, sk_data_ready) + bpf_core_field_size(p->sk_data_ready) + bpf_core_field_exists(p->sk_data_ready);
	acc += (long)BPF_CORE_READ(p, sk_rcvtimeo) + bpf_core_field_size(p->sk_rcvtimeo) + bpf_core_field_exists(p->sk_rcvtimeo);
	acc += (long)BPF_CORE_READ(p, sk_rcvlowat) + bpf_core_field_size(p->sk_rcvlowat) + bpf_core_field_exists(p->sk_rcvlowat);
	acc += (long)BPF_CORE_READ(p, sk_err) + bpf_core_field_size(p->sk_err) + bpf_core_field_exists(p->sk_err);
	acc += (long)BPF_CORE_READ(p, sk_socket) + bpf_core_field_size(p->sk_socket) + bpf_core_field_exists(p->sk_socket);
	acc += (long)BPF_CORE_READ(p, sk_memcg) + bpf_core_field_size(p->sk_memcg) + bpf_core_field_exists(p->sk_memcg);
	acc += (long)BPF_CORE_READ(p, sk_reserved_mem) + bpf_core_field_size(p->sk_reserved_mem) + bpf_core_field_exists(p->sk_reserved_mem);
	acc += (long)BPF_CORE_READ(p, sk_forward_alloc) + bpf_core_field_size(p->sk_forward_alloc) + bpf_core_field_exists(p->sk_forward_alloc);
	acc += (long)BPF_CORE_READ(p, sk_tsflags) + bpf_core_field_size(p->sk_tsflags) + bpf_core_field_exists(p->sk_tsflags);
	acc += (long)BPF_CORE_READ(p, sk_write_pending) + bpf_core_field_size(p->sk_write_pending) + bpf_core_field_exists(p->sk_write_pending);
	acc += (long)BPF_CORE_READ(p, sk_err_soft) + bpf_core_field_size(p->sk_err_soft) + bpf_core_field_exists(p->sk_err_soft);
	acc += (long)BPF_CORE_READ(p, sk_wmem_queued) + bpf_core_field_size(p->sk_wmem_queued) + bpf_core_field_exists(p->sk_wmem_queued);
	acc += (long)BPF_CORE_READ(p, sk_tsq_flags) + bpf_core_field_size(p->sk_tsq_flags) + bpf_core_field_exists(p->sk_tsq_flags);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_sk_buff(void *ctx)
{
	struct sk_buff___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, sk) + bpf_core_field_size(p->sk) + bpf_core_field_exists(p->sk);
	acc += (long)BPF_CORE_READ(p, _nfct) + bpf_core_field_size(p->_nfct) + bpf_core_field_exists(p->_nfct);
	acc += (long)BPF_CORE_READ(p, len) + bpf_core_field_size(p->len) + bpf_core_field_exists(p->len);
	acc += (long)BPF_CORE_READ(p, data_len) + bpf_core_field_size(p->data_len) + bpf_core_field_exists(p->data_len);
	acc += (long)BPF_CORE_READ(p, mac_len) + bpf_core_field_size(p->mac_len) + bpf_core_field_exists(p->mac_len);
	acc += (long)BPF_CORE_READ(p, hdr_len) + bpf_core_field_size(p->hdr_len) + bpf_core_field_exists(p->hdr_len);
	acc += (long)BPF_CORE_READ(p, queue_mapping) + bpf_core_field_size(p->queue_mapping) + bpf_core_field_exists(p->queue_mapping);
	acc += (long)BPF_CORE_READ(p, active_extensions) + bpf_core_field_size(p->active_extensions) + bpf_core_field_exists(p->active_extensions);
	acc += (long)BPF_CORE_READ(p, tail) + bpf_core_field_size(p->tail) + bpf_core_field_exists(p->tail);
	acc += (long)BPF_CORE_READ(p, end) + bpf_core_field_size(p->end) + bpf_core_field_exists(p->end);
	acc += (long)BPF_CORE_READ(p, head) + bpf_core_field_size(p->head) + bpf_core_field_exists(p->head);
	acc += (long)BPF_CORE_READ(p, data) + bpf_core_field_size(p->data) + bpf_core_field_exists(p->data);
	acc += (long)BPF_CORE_READ(p, truesize) + bpf_core_field_size(p->truesize) + bpf_core_field_exists(p->truesize);
	acc += (long)BPF_CORE_READ(p, extensions) + bpf_core_field_size(p->extensions) + bpf_core_field_exists(p->extensions);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_net_device(void *ctx)
{
	struct net_device___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, netdev_ops) + bpf_core_field_size(p->netdev_ops) + bpf_core_field_exists(p->netdev_ops);
	acc += (long)BPF_CORE_READ(p, header_ops) + bpf_core_field_size(p->header_ops) + bpf_core_field_exists(p->header_ops);
	acc += (long)BPF_CORE_READ(p, _tx) + bpf_core_field_size(p->_tx) + bpf_core_field_exists(p->_tx);
	acc += (long)BPF_CORE_READ(p, gso_partial_features) + bpf_core_field_size(p->gso_partial_features) + bpf_core_field_exists(p->gso_partial_features);
	acc += (long)BPF_CORE_READ(p, real_num_tx_queues) + bpf_core_field_size(p->real_num_tx_queues) + bpf_core_field_exists(p->real_num_tx_queues);
	acc += (long)BPF_CORE_READ(p, gso_max_size) + bpf_core_field_size(p->gso_max_size) + bpf_core_field_exists(p->gso_max_size);
	acc += (long)BPF_CORE_READ(p, gso_ipv4_max_size) + bpf_core_field_size(p->gso_ipv4_max_size) + bpf_core_field_exists(p->gso_ipv4_max_size);
	acc += (long)BPF_CORE_READ(p, gso_max_segs) + bpf_core_field_size(p->gso_max_segs) + bpf_core_field_exists(p->gso_max_segs);
	acc += (long)BPF_CORE_READ(p, num_tc) + bpf_core_field_size(p->num_tc) + bpf_core_field_exists(p->num_tc);
	acc += (long)BPF_CORE_READ(p, mtu) + bpf_core_field_size(p->mtu) + bpf_core_field_exists(p->mtu);
	acc += (long)BPF_CORE_READ(p, needed_headroom) + bpf_core_field_size(p->needed_headroom) + bpf_core_field_exists(p->needed_headroom);
	acc += (long)BPF_CORE_READ(p, nf_hooks_egress) + bpf_core_field_size(p->nf_hooks_egress) + bpf_core_field_exists(p->nf_hooks_egress);
	acc += (long)BPF_CORE_READ(p, tcx_egress) + bpf_core_field_size(p->tcx_egress) + bpf_core_field_exists(p->tcx_egress);
	acc += (long)BPF_CORE_READ(p, state) + bpf_core_field_size(p->state) + bpf_core_field_exists(p->state);
	acc += (long)BPF_CORE_READ(p, flags) + bpf_core_field_size(p->flags) + bpf_core_field_exists(p->flags);
	acc += (long)BPF_CORE_READ(p, hard_header_len) + bpf_core_field_size(p->hard_header_len) + bpf_core_field_exists(p->hard_header_len);
	acc += (long)BPF_CORE_READ(p, features) + bpf_core_field_size(p->features) + bpf_core_field_exists(p->features);
	acc += (long)BPF_CORE_READ(p, ip6_ptr) + bpf_core_field_size(p->ip6_ptr) + bpf_core_field_exists(p->ip6_ptr);
	acc += (long)BPF_CORE_READ(p, xdp_prog) + bpf_core_field_size(p->xdp_prog) + bpf_core_field_exists(p->xdp_prog);
	acc += (long)BPF_CORE_READ(p, ifindex) + bpf_core_field_size(p->ifindex) + bpf_core_field_exists(p->ifindex);
	acc += (long)BPF_CORE_READ(p, real_num_rx_queues) + bpf_core_field_size(p->real_num_rx_queues) + bpf_core_field_exists(p->real_num_rx_queues);
	acc += (long)BPF_CORE_READ(p, _rx) + bpf_core_field_size(p->_rx) + bpf_core_field_exists(p->_rx);
	acc += (long)BPF_CORE_READ(p, gro_max_size) + bpf_core_field_size(p->gro_max_size) + bpf_core_field_exists(p->gro_max_size);
	acc += (long)BPF_CORE_READ(p, gro_ipv4_max_size) + bpf_core_field_size(p->gro_ipv4_max_size) + bpf_core_field_exists(p->gro_ipv4_max_size);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_cred(void *ctx)
{
	struct cred___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, securebits) + bpf_core_field_size(p->securebits) + bpf_core_field_exists(p->securebits);
	acc += (long)BPF_CORE_READ(p, jit_keyring) + bpf_core_field_size(p->jit_keyring) + bpf_core_field_exists(p->jit_keyring);
	acc += (long)BPF_CORE_READ(p, session_keyring) + bpf_core_field_size(p->session_keyring) + bpf_core_field_exists(p->session_keyring);
	acc += (long)BPF_CORE_READ(p, process_keyring) + bpf_core_field_size(p->process_keyring) + bpf_core_field_exists(p->process_keyring);
	acc += (long)BPF_CORE_READ(p, thread_keyring) + bpf_core_field_size(p->thread_keyring) + bpf_core_field_exists(p->thread_keyring);
	acc += (long)BPF_CORE_READ(p, request_key_auth) + bpf_core_field_size(p->request_key_auth) + bpf_core_field_exists(p->request_key_auth);
	acc += (long)BPF_CORE_READ(p, security) + bpf_core_field_size(p->security) + bpf_core_field_exists(p->security);
	acc += (long)BPF_CORE_READ(p, user) + bpf_core_field_size(p->user) + bpf_core_field_exists(p->user);
	acc += (long)BPF_CORE_READ(p, user_ns) + bpf_core_field_size(p->user_ns) + bpf_core_field_exists(p->user_ns);
	acc += (long)BPF_CORE_READ(p, ucounts) + bpf_core_field_size(p->ucounts) + bpf_core_field_exists(p->ucounts);
	acc += (long)BPF_CORE_READ(p, group_info) + bpf_core_field_size(p->group_info) + bpf_core_field_exists(p->group_info);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_signal_struct(void *ctx)
{
	struct signal_struct___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, nr_threads) + bpf_core_field_size(p->nr_threads) + bpf_core_field_exists(p->nr_threads);
	acc += (long)BPF_CORE_READ(p, quick_threads) + bpf_core_field_size(p->quick_threads) + bpf_core_field_exists(p->quick_threads);
	acc += (long)BPF_CORE_READ(p, curr_target) + bpf_core_field_size(p->curr_target) + bpf_core_field_exists(p->curr_target);
	acc += (long)BPF_CORE_READ(p, group_exit_code) + bpf_core_field_size(p->group_exit_code) + bpf_core_field_exists(p->group_exit_code);
	acc += (long)BPF_CORE_READ(p, notify_count) + bpf_core_field_size(p->notify_count) + bpf_core_field_exists(p->notify_count);
	acc += (long)BPF_CORE_READ(p, group_exec_task) + bpf_core_field_size(p->group_exec_task) + bpf_core_field_exists(p->group_exec_task);
	acc += (long)BPF_CORE_READ(p, group_stop_count) + bpf_core_field_size(p->group_stop_count) + bpf_core_field_exists(p->group_stop_count);
	acc += (long)BPF_CORE_READ(p, flags) + bpf_core_field_size(p->flags) + bpf_core_field_exists(p->flags);
	acc += (long)BPF_CORE_READ(p, core_state) + bpf_core_field_size(p->core_state) + bpf_core_field_exists(p->core_state);
	acc += (long)BPF_CORE_READ(p, it_real_incr) + bpf_core_field_size(p->it_real_incr) + bpf_core_field_exists(p->it_real_incr);
	acc += (long)BPF_CORE_READ(p, tty_old_pgrp) + bpf_core_field_size(p->tty_old_pgrp) + bpf_core_field_exists(p->tty_old_pgrp);
	acc += (long)BPF_CORE_READ(p, leader) + bpf_core_field_size(p->leader) + bpf_core_field_exists(p->leader);
	acc += (long)BPF_CORE_READ(p, tty) + bpf_core_field_size(p->tty) + bpf_core_field_exists(p->tty);
	acc += (long)BPF_CORE_READ(p, autogroup) + bpf_core_field_size(p->autogroup) + bpf_core_field_exists(p->autogroup);
	acc += (long)BPF_CORE_READ(p, utime) + bpf_core_field_size(p->utime) + bpf_core_field_exists(p->utime);
	acc += (long)BPF_CORE_READ(p, stime) + bpf_core_field_size(p->stime) + bpf_core_field_exists(p->stime);
	acc += (long)BPF_CORE_READ(p, cutime) + bpf_core_field_size(p->cutime) + bpf_core_field_exists(p->cutime);
	acc += (long)BPF_CORE_READ(p, cstime) + bpf_core_field_size(p->cstime) + bpf_core_field_exists(p->cstime);
	acc += (long)BPF_CORE_READ(p, gtime) + bpf_core_field_size(p->gtime) + bpf_core_field_exists(p->gtime);
	acc += (long)BPF_CORE_READ(p, cgtime) + bpf_core_field_size(p->cgtime) + bpf_core_field_exists(p->cgtime);
	acc += (long)BPF_CORE_READ(p, nvcsw) + bpf_core_field_size(p->nvcsw) + bpf_core_field_exists(p->nvcsw);
	acc += (long)BPF_CORE_READ(p, nivcsw) + bpf_core_field_size(p->nivcsw) + bpf_core_field_exists(p->nivcsw);
	acc += (long)BPF_CORE_READ(p, cnvcsw) + bpf_core_field_size(p->cnvcsw) + bpf_core_field_exists(p->cnvcsw);
	acc += (long)BPF_CORE_READ(p, cnivcsw) + bpf_core_field_size(p->cnivcsw) + bpf_core_field_exists(p->cnivcsw);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_vm_area_struct(void *ctx)
{
	struct vm_area_struct___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, vm_mm) + bpf_core_field_size(p->vm_mm) + bpf_core_field_exists(p->vm_mm);
	acc += (long)BPF_CORE_READ(p, vm_lock_seq) + bpf_core_field_size(p->vm_lock_seq) + bpf_core_field_exists(p->vm_lock_seq);
	acc += (long)BPF_CORE_READ(p, anon_vma) + bpf_core_field_size(p->anon_vma) + bpf_core_field_exists(p->anon_vma);
	acc += (long)BPF_CORE_READ(p, vm_ops) + bpf_core_field_size(p->vm_ops) + bpf_core_field_exists(p->vm_ops);
	acc += (long)BPF_CORE_READ(p, vm_pgoff) + bpf_core_field_size(p->vm_pgoff) + bpf_core_field_exists(p->vm_pgoff);
	acc += (long)BPF_CORE_READ(p, vm_file) + bpf_core_field_size(p->vm_file) + bpf_core_field_exists(p->vm_file);
	acc += (long)BPF_CORE_READ(p, vm_private_data) + bpf_core_field_size(p->vm_private_data) + bpf_core_field_exists(p->vm_private_data);
	acc += (long)BPF_CORE_READ(p, vm_policy) + bpf_core_field_size(p->vm_policy) + bpf_core_field_exists(p->vm_policy);
	acc += (long)BPF_CORE_READ(p, numab_state) + bpf_core_field_size(p->numab_state) + bpf_core_field_exists(p->numab_state);
	acc += (long)BPF_CORE_READ(p, pfnmap_track_ctx) + bpf_core_field_size(p->pfnmap_track_ctx) + bpf_core_field_exists(p->pfnmap_track_ctx);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_page(void *ctx)
{
	struct page___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, memcg_data) + bpf_core_field_size(p->memcg_data) + bpf_core_field_exists(p->memcg_data);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_bio(void *ctx)
{
	struct bio___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, bi_next) + bpf_core_field_size(p->bi_next) + bpf_core_field_exists(p->bi_next);
	acc += (long)BPF_CORE_READ(p, bi_bdev) + bpf_core_field_size(p->bi_bdev) + bpf_core_field_exists(p->bi_bdev);
	acc += (long)BPF_CORE_READ(p, bi_opf) + bpf_core_field_size(p->bi_opf) + bpf_core_field_exists(p->bi_opf);
	acc += (long)BPF_CORE_READ(p, bi_flags) + bpf_core_field_size(p->bi_flags) + bpf_core_field_exists(p->bi_flags);
	acc += (long)BPF_CORE_READ(p, bi_ioprio) + bpf_core_field_size(p->bi_ioprio) + bpf_core_field_exists(p->bi_ioprio);
	acc += (long)BPF_CORE_READ(p, bi_write_stream) + bpf_core_field_size(p->bi_write_stream) + bpf_core_field_exists(p->bi_write_stream);
	acc += (long)BPF_CORE_READ(p, bi_status) + bpf_core_field_size(p->bi_status) + bpf_core_field_exists(p->bi_status);
	acc += (long)BPF_CORE_READ(p, bi_end_io) + bpf_core_field_size(p->bi_end_io) + bpf_core_field_exists(p->bi_end_io);
	acc += (long)BPF_CORE_READ(p, bi_private) + bpf_core_field_size(p->bi_private) + bpf_core_field_exists(p->bi_private);
	acc += (long)BPF_CORE_READ(p, bi_blkg) + bpf_core_field_size(p->bi_blkg) + bpf_core_field_exists(p->bi_blkg);
	acc += (long)BPF_CORE_READ(p, issue_time_ns) + bpf_core_field_size(p->issue_time_ns) + bpf_core_field_exists(p->issue_time_ns);
	acc += (long)BPF_CORE_READ(p, bi_iocost_cost) + bpf_core_field_size(p->bi_iocost_cost) + bpf_core_field_exists(p->bi_iocost_cost);
	acc += (long)BPF_CORE_READ(p, bi_vcnt) + bpf_core_field_size(p->bi_vcnt) + bpf_core_field_exists(p->bi_vcnt);
	acc += (long)BPF_CORE_READ(p, bi_max_vecs) + bpf_core_field_size(p->bi_max_vecs) + bpf_core_field_exists(p->bi_max_vecs);
	acc += (long)BPF_CORE_READ(p, bi_io_vec) + bpf_core_field_size(p->bi_io_vec) + bpf_core_field_exists(p->bi_io_vec);
	acc += (long)BPF_CORE_READ(p, bi_pool) + bpf_core_field_size(p->bi_pool) + bpf_core_field_exists(p->bi_pool);
	sink += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int read_request_queue(void *ctx)
{
	struct request_queue___b *p = (void *)bpf_get_current_task();
	long acc = 0;

	acc += (long)BPF_CORE_READ(p, queuedata) + bpf_core_field_size(p->queuedata) + bpf_core_field_exists(p->queuedata);
	acc += (long)BPF_CORE_READ(p, elevator) + bpf_core_field_size(p->elevator) + bpf_core_field_exists(p->elevator);
	acc += (long)BPF_CORE_READ(p, mq_ops) + bpf_core_field_size(p->mq_ops) + bpf_core_field_exists(p->mq_ops);
	acc += (long)BPF_CORE_READ(p, queue_ctx) + bpf_core_field_size(p->queue_ctx) + bpf_core_field_exists(p->queue_ctx);
	acc += (long)BPF_CORE_READ(p, queue_flags) + bpf_core_field_size(p->queue_flags) + bpf_core_field_exists(p->queue_flags);
	acc += (long)BPF_CORE_READ(p, rq_timeout) + bpf_core_field_size(p->rq_timeout) + bpf_core_field_exists(p->rq_timeout);
	acc += (long)BPF_CORE_READ(p, queue_depth) + bpf_core_field_size(p->queue_depth) + bpf_core_field_exists(p->queue_depth);
	acc += (long)BPF_CORE_READ(p, nr_hw_queues) + bpf_core_field_size(p->nr_hw_queues) + bpf_core_field_exists(p->nr_hw_queues);
	acc += (long)BPF_CORE_READ(p, last_merge) + bpf_core_field_size(p->last_merge) + bpf_core_field_exists(p->last_merge);
	acc += (long)BPF_CORE_READ(p, quiesce_depth) + bpf_core_field_size(p->quiesce_depth) + bpf_core_field_exists(p->quiesce_depth);
	acc += (long)BPF_CORE_READ(p, disk) + bpf_core_field_size(p->disk) + bpf_core_field_exists(p->disk);
	acc += (long)BPF_CORE_READ(p, mq_kobj) + bpf_core_field_size(p->mq_kobj) + bpf_core_field_exists(p->mq_kobj);
	acc += (long)BPF_CORE_READ(p, dev) + bpf_core_field_size(p->dev) + bpf_core_field_exists(p->dev);
	acc += (long)BPF_CORE_READ(p, stats) + bpf_core_field_size(p->stats) + bpf_core_field_exists(p->stats);
	acc += (long)BPF_CORE_READ(p, rq_qos) + bpf_core_field_size(p->rq_qos) + bpf_core_field_exists(p->rq_qos);
	acc += (long)BPF_CORE_READ(p, id) + bpf_core_field_size(p->id) + bpf_core_field_exists(p->id);
	acc += (long)BPF_CORE_READ(p, nr_requests) + bpf_core_field_size(p->nr_requests) + bpf_core_field_exists(p->nr_requests);
	acc += (long)BPF_CORE_READ(p, sched_shared_tags) + bpf_core_field_size(p->sched_shared_tags) + bpf_core_field_exists(p->sched_shared_tags);
	acc += (long)BPF_CORE_READ(p, root_blkg) + bpf_core_field_size(p->root_blkg) + bpf_core_field_exists(p->root_blkg);
	acc += (long)BPF_CORE_READ(p, node) + bpf_core_field_size(p->node) + bpf_core_field_exists(p->node);
	acc += (long)BPF_CORE_READ(p, blk_trace) + bpf_core_field_size(p->blk_trace) + bpf_core_field_exists(p->blk_trace);
	acc += (long)BPF_CORE_READ(p, fq) + bpf_core_field_size(p->fq) + bpf_core_field_exists(p->fq);
	acc += (long)BPF_CORE_READ(p, mq_freeze_depth) + bpf_core_field_size(p->mq_freeze_depth) + bpf_core_field_exists(p->mq_freeze_depth);
	acc += (long)BPF_CORE_READ(p, td) + bpf_core_field_size(p->td) + bpf_core_field_exists(p->td);
	sink += acc;
	return 0;
}
