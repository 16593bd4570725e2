using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using BpfHarness;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Core;

/// <summary>
/// CO-RE against the running kernel: progs/core.bpf.c is relocated with our loader, run by this thread's own
/// syscalls (raw_tp/sys_enter) or socket state changes (tp_btf/inet_sock_set_state), and what it read or
/// computed is compared with user space facts and with the kernel BTF.
/// </summary>
[NonParallelizable]
public partial class CoreKernelTests
{



    private static readonly BpfLoader.Btf.Btf Vmlinux = BpfLoader.Btf.Btf.KernelVmlinux;

    /// <summary>Loads core_task, attaches it, makes a few syscalls on this thread and returns the object.</summary>
    private static BpfObject RunCoreTask(int fd = -1)
    {
        var obj = BpfObject.Open(Progs.Path("core"));
        try
        {
            obj.Program("core_sock").AutoLoad = false;
            ObjectGlobals.Set(obj, "target_tid", Native.GetTid());
            ObjectGlobals.Set(obj, "target_fd", fd);
            obj.Load();
            using (obj.Program("core_task").Attach())
            {
                for (int i = 0; i < 3; i++)
                    Native.GetPgid(0);
            }
            ObjectGlobals.Get<uint>(obj, "hits").ShouldBeGreaterThan(0u, "the program ran for this thread's syscalls");
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    private static BtfMember Member(string structName, string member)
    {
        int id = Vmlinux.FindByName(structName, BtfKind.Struct);
        id.ShouldBeGreaterThan(0, $"struct {structName} in vmlinux BTF");
        return Vmlinux[id].Members.First(m => m.Name == member);
    }

    [Test]
    public void TaskStructReadsMatchWhatUserSpaceKnows()
    {
        using var file = File.OpenRead("/proc/self/status");
        int fd = (int)file.SafeFileHandle.DangerousGetHandle();
        using var obj = RunCoreTask(fd);
        int tid = Native.GetTid();

        ObjectGlobals.Get<int>(obj, "seen_pid").ShouldBe(tid, "task->pid is the thread id");
        ObjectGlobals.Get<int>(obj, "seen_tgid").ShouldBe(Environment.ProcessId, "task->tgid (read in a subprogram)");
        ObjectGlobals.Get<int>(obj, "seen_ppid").ShouldBe(Native.GetPpid(), "task->real_parent->tgid");
        ObjectGlobals.GetString(obj, "seen_comm").ShouldBe(File.ReadAllText($"/proc/self/task/{tid}/comm").TrimEnd('\n'));
        ObjectGlobals.Get<int>(obj, "flavored_pid").ShouldBe(tid, "struct task_struct___mine relocates to task_struct");
        ObjectGlobals.Get<int>(obj, "flavored_tgid").ShouldBe(Environment.ProcessId);

        ulong ino = ulong.Parse(File.ReadLines($"/proc/self/fdinfo/{fd}").First(l => l.StartsWith("ino:", StringComparison.Ordinal))[4..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        ObjectGlobals.Get<ulong>(obj, "seen_ino").ShouldBe(ino, "task->files->fdt->fd[fd]->f_inode->i_ino");
        ObjectGlobals.Get<uint>(obj, "fake_read").ShouldBe(0u);
    }

    [Test]
    public void FieldRelocationsEqualTheKernelBtfLayout()
    {
        using var obj = RunCoreTask();
        ObjectGlobals.Get<uint>(obj, "off_pid").ShouldBe(Member("task_struct", "pid").BitOffset / 8);
        ObjectGlobals.Get<uint>(obj, "sub_off_tgid").ShouldBe(Member("task_struct", "tgid").BitOffset / 8, "relocated inside the .text subprogram");
        ObjectGlobals.Get<uint>(obj, "size_pid").ShouldBe((uint)Vmlinux.ResolveSize(Member("task_struct", "pid").Type));
        ObjectGlobals.Get<uint>(obj, "size_comm").ShouldBe((uint)Vmlinux.ResolveSize(Member("task_struct", "comm").Type));
        ObjectGlobals.Get<uint>(obj, "signed_pid").ShouldBe(1u, "pid_t is a signed int");
        ObjectGlobals.Get<uint>(obj, "signed_flags").ShouldBe(0u, "flags is unsigned");
        ObjectGlobals.Get<uint>(obj, "exists_pid").ShouldBe(1u);
        ObjectGlobals.Get<uint>(obj, "exists_fake").ShouldBe(0u, "task_struct___fake.no_such_field exists in no kernel");

        // Bitfield: the smallest aligned load covering the bits, and the shifts that extract them.
        var bf = Member("task_struct", "in_iowait");
        bf.BitfieldSize.ShouldBeGreaterThan(0u, "in_iowait is a bitfield in this kernel");
        uint size = (uint)Vmlinux.ResolveSize(bf.Type);
        uint byteOff = bf.BitOffset / 8 / size * size;
        while (bf.BitOffset + bf.BitfieldSize - byteOff * 8 > size * 8)
        {
            size *= 2;
            byteOff = bf.BitOffset / 8 / size * size;
        }
        ObjectGlobals.Get<uint>(obj, "bf_off").ShouldBe(byteOff);
        ObjectGlobals.Get<uint>(obj, "bf_size").ShouldBe(size);
        ObjectGlobals.Get<uint>(obj, "bf_lshift").ShouldBe(64 - (bf.BitOffset + bf.BitfieldSize - byteOff * 8));
        ObjectGlobals.Get<uint>(obj, "bf_rshift").ShouldBe(64 - bf.BitfieldSize);
        ObjectGlobals.Get<ulong>(obj, "bf_value").ShouldBeLessThan(1ul << (int)bf.BitfieldSize);
    }

    [Test]
    public void TypeAndEnumRelocationsEqualTheKernelBtf()
    {
        using var obj = RunCoreTask();
        int kernelTask = Vmlinux.FindByName("task_struct", BtfKind.Struct);
        ObjectGlobals.Get<uint>(obj, "type_exists_task").ShouldBe(1u);
        ObjectGlobals.Get<uint>(obj, "type_exists_none").ShouldBe(0u, "no_such_type___x has no kernel counterpart");
        ObjectGlobals.Get<uint>(obj, "type_size_task").ShouldBe(Vmlinux[kernelTask].Size);
        ObjectGlobals.Get<uint>(obj, "type_matches_mine").ShouldBe(1u, "int pid/tgid match the kernel's pid_t");
        ObjectGlobals.Get<uint>(obj, "type_matches_bad").ShouldBe(0u, "long pid does not match int");
        ObjectGlobals.Get<uint>(obj, "kernel_type_id").ShouldBe((uint)kernelTask);
        ObjectGlobals.Get<uint>(obj, "local_type_id").ShouldBe((uint)obj.Btf!.FindByName("task_struct", BtfKind.Struct));

        var mapType = Vmlinux[Vmlinux.FindByName("bpf_map_type", BtfKind.Enum)];
        ulong Value(string n) => (ulong)mapType.EnumValues.First(v => v.Name == n).Value;
        ObjectGlobals.Get<ulong>(obj, "enum_array").ShouldBe(Value("BPF_MAP_TYPE_ARRAY"));
        ObjectGlobals.Get<ulong>(obj, "enum_ringbuf").ShouldBe(Value("BPF_MAP_TYPE_RINGBUF"), "BPF_MAP_TYPE_RINGBUF___local relocated by flavor-less name");
        ObjectGlobals.Get<uint>(obj, "enum_exists_ringbuf").ShouldBe(1u);
        ObjectGlobals.Get<uint>(obj, "enum_exists_none").ShouldBe(0u);
    }

    [Test]
    public void SockInternalsSeeTheListeningPort()
    {
        using var obj = BpfObject.Open(Progs.Path("core"));
        obj.Program("core_task").AutoLoad = false;
        obj.Load();
        using var link = obj.Program("core_sock").Attach();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        ObjectGlobals.Set(obj, "sk_port", port);
        listener.Listen();   // TCP_CLOSE -> TCP_LISTEN on the bound socket

        ObjectGlobals.Get<int>(obj, "sk_seen_num").ShouldBe(port, "sock->__sk_common.skc_num");
        ObjectGlobals.Get<int>(obj, "sk_seen_family").ShouldBe((int)AddressFamily.InterNetwork);
        ObjectGlobals.Get<int>(obj, "sk_seen_newstate").ShouldBe(10, "TCP_LISTEN");
    }

    [Test]
    public void UnguardedMissingFieldIsPoisonedAndTheVerifierLogSaysWhy()
    {
        using var obj = BpfObject.Open(Progs.Path("core"));
        foreach (var p in obj.Programs)
            p.AutoLoad = p.Name == "core_unguarded";
        LogCapture.Start().ShouldBe(0);
        var ex = Should.Throw<BpfException>(() => obj.Load());
        string log = LogCapture.Stop() ?? "";

        ex.Error.ShouldBe(-Errno.EINVAL);
        int localId = obj.Btf!.FindByName("task_struct___fake", BtfKind.Struct);
        log.ShouldContain("libbpf: prog 'core_unguarded': BPF program load failed: -EINVAL");
        log.ShouldContain(": <invalid CO-RE relocation>\n");
        log.ShouldContain($"failed to resolve CO-RE relocation <byte_off> [{localId}] struct task_struct___fake.no_such_field (0:0 @ offset 0)\n");
        log.ShouldNotContain("call unknown#195896080", customMessage: "the poisoned call lines were replaced");
        obj.Program("core_unguarded").VerifierLog!.ShouldContain("<invalid CO-RE relocation>");
    }
}
